/**
 * Wraps every method of `target` in place so that none throws or rejects into the page: errors go to
 * `report` instead. A method for which `skip(name)` is true does nothing (a stopped tracker).
 */
export function guardMethods(target: object, report: (error: unknown) => void, skip: (name: string) => unknown): void {
  for (const [name, method] of Object.entries(target)) {
    if (typeof method === 'function') {
      (target as Record<string, unknown>)[name] = (...args: unknown[]) => {
        try {
          if (skip(name)) return;
          const result = (method as (...a: unknown[]) => unknown).apply(target, args);
          return result instanceof Promise ? result.catch(report) : result;
        } catch (error) {
          report(error);
        }
      };
    }
  }
}
