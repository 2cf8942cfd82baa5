/** Where a command writes, and what it reads from its environment; tests pass their own. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Environment variables (`INKLING_PORT`, ...). @default process.env */
  env?: Record<string, string | undefined>;
  /** Stops `serve` (a signal handler aborts it in the real CLI). */
  signal?: AbortSignal;
}

/** A usage error: the message names the flag (or environment variable), the value and the fix. Exit code 2. */
export class CliError extends Error {
  override name = 'CliError';
}

/** Exit codes: 0 done, 1 failed while running, 2 bad usage. */
export const EXIT_USAGE = 2;
