import { getErrorMessage } from './errors/messages.js';

/** One call as the optional stub records it: when, and the arguments. */
export type QueuedCall = [time: number, args: ArrayLike<unknown>];

/** `window.inkling`: a function taking commands, and `push` for the array form. */
export type CommandApi = ((...args: unknown[]) => unknown) & { q?: QueuedCall[]; push?: (args: unknown[]) => void };

declare global {
  interface Window {
    inkling?: CommandApi | unknown[][];
  }
}

/**
 * Replaces `window.inkling` with the live command function, after replaying the calls made before the
 * script loaded, in order: those the one-line stub recorded (`inkling.q`, with their time) and those
 * pushed onto a plain array (`(window.inkling = window.inkling || []).push([...])`, without a time).
 * Commands are the tracker's methods; `_`-prefixed ones are internal and refused. `_at` carries a
 * replayed call's original time to the tracker.
 */
export function installCommandQueue(target: Window, tracker: object & { _at: number }): void {
  const isCommand = (name: unknown) =>
    /^[a-z]\w*$/i.test(name as string) && typeof (tracker as Record<string, unknown>)[name as string] == 'function';
  const run = (args: ArrayLike<unknown>, time = 0): unknown => {
    const [name, ...rest] = Array.from(args);
    if (!isCommand(name)) return console.error(getErrorMessage('E29', name, tracker));
    const command = (tracker as Record<string, (...a: unknown[]) => unknown>)[name as string]!;
    tracker._at = time;
    try {
      return command(...rest);
    } finally {
      tracker._at = 0;
    }
  };
  const before = target.inkling;
  const api: CommandApi = (...args) => run(args);
  api.push = (args) => void run(args);
  target.inkling = api;
  if (Array.isArray(before)) before.forEach((args) => run(args));
  else before?.q?.forEach(([time, args]) => run(args, time));
}
