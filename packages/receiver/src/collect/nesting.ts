import { RequestError } from '../errors.js';

/**
 * Deepest nesting a batch may have, counted from the batch itself. A valid batch reaches about 10 levels (batch,
 * events, an event, its props, five levels of custom props); 32 leaves room for a wire format that grows while
 * staying far below the depth where `JSON.stringify` and the validator, both recursive, exhaust V8's stack (a few
 * thousand levels).
 */
export const MAX_JSON_DEPTH = 32;

function join(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/** The path of the first value nested deeper than `maxDepth`, or undefined. Recurses at most `maxDepth` levels. */
function findTooDeep(value: unknown, path: string, depth: number, maxDepth: number): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= maxDepth) return path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findTooDeep(value[i], `${path}[${i}]`, depth + 1, maxDepth);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, child] of Object.entries(value)) {
    const found = findTooDeep(child, join(path, key), depth + 1, maxDepth);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Refuses a parsed body nested deeper than {@link MAX_JSON_DEPTH} with 400 `invalid_batch`, naming where. Runs
 * before anything recursive touches the body: `JSON.parse` is iterative in V8, but `JSON.stringify` is not, and a
 * 10 KB body of brackets would otherwise overflow the stack on every request (a 500, a stack trace in the log, and
 * a client told to retry).
 */
export function checkNesting(input: unknown): void {
  const path = findTooDeep(input, '', 0, MAX_JSON_DEPTH);
  if (path === undefined) return;
  // The path of a 5,000-deep array is 15 KB of "[0]": the start says where, the rest is noise.
  const shown = path.length > 120 ? `${path.slice(0, 120)}...` : path;
  throw new RequestError(
    'invalid_batch',
    400,
    `${shown || 'body'}: nested deeper than ${MAX_JSON_DEPTH} levels; custom props may nest at most 5`,
    {
      issues: [{ path: shown || 'body', rule: 'depth', message: `${shown || 'body'}: nested deeper than ${MAX_JSON_DEPTH} levels` }],
    },
  );
}
