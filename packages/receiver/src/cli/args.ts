import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { CliError } from './io.js';

/** One flag of a command, with the environment variable that can set it instead. */
export interface Flag {
  type: 'string' | 'boolean';
  multiple?: boolean;
  env?: string;
  /** Shown in `--help`. */
  help: string;
  /** Placeholder shown in `--help`: `--port <n>`. */
  value?: string;
}

/** A value and where it came from, so an error can name the right one (`--port` or `INKLING_PORT`). */
export interface Sourced<T> {
  value: T;
  source: string;
}

/** Parsed flags: each flag's value from the command line, else its environment variable. */
export type Values = Record<string, Sourced<string | string[] | boolean> | undefined>;

/**
 * Parses `args` strictly (unknown flags are errors) and fills gaps from the environment. `positionals` names the
 * arguments a command takes without a flag (`outcomes import <file>`), in order; each one given becomes a value
 * sourced as `<name>`, and one more than named is an error.
 */
export function parseFlags(
  command: string,
  args: string[],
  flags: Record<string, Flag>,
  env: Record<string, string | undefined>,
  positionals: readonly string[] = [],
): Values {
  const options: ParseArgsConfig['options'] = { help: { type: 'boolean', short: 'h' } };
  for (const [name, flag] of Object.entries(flags)) options[name] = { type: flag.type, ...(flag.multiple ? { multiple: true } : {}) };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args, options, strict: true, allowPositionals: positionals.length > 0 });
  } catch (error) {
    throw new CliError(`inkling ${command}: ${error instanceof Error ? error.message : String(error)}; see inkling ${command} --help`);
  }
  const values: Values = {};
  if (parsed.values['help']) values['help'] = { value: true, source: '--help' };
  const extra = parsed.positionals[positionals.length];
  if (extra !== undefined)
    throw new CliError(`inkling ${command}: unexpected argument ${JSON.stringify(extra)}; see inkling ${command} --help`);
  positionals.forEach((name, i) => {
    const given = parsed.positionals[i];
    if (given !== undefined) values[name] = { value: given, source: `<${name}>` };
  });
  for (const [name, flag] of Object.entries(flags)) {
    const given = parsed.values[name];
    if (given !== undefined) {
      values[name] = { value: given as string | string[] | boolean, source: `--${name}` };
      continue;
    }
    const text = flag.env ? env[flag.env] : undefined;
    if (text === undefined || text === '') continue;
    if (flag.type === 'boolean') {
      if (!/^(1|true|yes|0|false|no)$/i.test(text))
        throw new CliError(`${flag.env}: expected 1/true/yes or 0/false/no, got ${JSON.stringify(text)}`);
      values[name] = { value: /^(1|true|yes)$/i.test(text), source: flag.env! };
    } else {
      values[name] = { value: flag.multiple ? text.split(/[\s,]+/).filter(Boolean) : text, source: flag.env! };
    }
  }
  return values;
}

/** A whole number in `[min, max]`, or a usage error naming where it came from. */
export function toInteger(sourced: Sourced<unknown>, min: number, max: number, what: string): number {
  const text = String(sourced.value);
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max)
    throw new CliError(`${sourced.source}: expected ${what} from ${min} to ${max}, got ${JSON.stringify(text)}`);
  return n;
}

/** A finite number above 0, or a usage error naming where it came from. */
export function toNumber(sourced: Sourced<unknown>, what: string): number {
  const text = String(sourced.value);
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0)
    throw new CliError(`${sourced.source}: expected ${what}, got ${JSON.stringify(text)}`);
  return n;
}

/** `--help` text for a command. */
export function formatHelp(usage: string, summary: string, flags: Record<string, Flag>): string {
  const rows = Object.entries(flags).map(
    ([name, f]) => [`--${name}${f.value ? ` <${f.value}>` : ''}`, `${f.help}${f.env ? ` [${f.env}]` : ''}`] as const,
  );
  const width = Math.max(...rows.map(([left]) => left.length), '--help'.length) + 2;
  const lines = rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`);
  lines.push(`  ${'--help'.padEnd(width)}Show this help`);
  return `Usage: ${usage}\n\n${summary}\n\nOptions:\n${lines.join('\n')}\n`;
}
