// The narrow interface between the store's rules and a SQL engine. The rules (identity, score guards, retention,
// queries) are written once, as generators that yield statements; each dialect only runs them: SQLite synchronously
// inside one transaction, PostgreSQL over a pooled connection, retrying the whole unit on a deadlock or a lost race.
import type { InsertBatch, EventInput } from './types.js';

/**
 * One statement: SQL with `$1`-style parameters, written in the subset both engines parse (booleans as `true` /
 * `false` and bare columns, `INSERT ... ON CONFLICT DO NOTHING`, `RETURNING`, CTEs before `UPDATE`). Parameters
 * are strings, numbers, booleans, `null` or arrays (for {@link Dialect.inList}).
 */
export interface Statement {
  sql: string;
  params: readonly unknown[];
}

/** What a statement gave back: its rows (none for a statement without `RETURNING`) and how many rows it changed. */
export interface StatementResult {
  rows: unknown[];
  count: number;
}

/** A unit of store work: yields statements, receives their results, returns its answer. */
export type Work<T> = Generator<Statement, T, StatementResult>;

/**
 * How a unit runs: `single` statement by statement (reads, and writes of one statement), `transaction` as one
 * transaction, `sweep` as one transaction that no request waits for (retention), free of the statement timeout.
 */
export type RunMode = 'single' | 'transaction' | 'sweep';

/** The few pieces of SQL the two engines spell differently. */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** Row locks, for several receivers on one database; empty where one process holds the only write lock. */
  readonly forUpdate: string;
  readonly forShare: string;
  /** A claim's lock: rows another receiver is claiming are skipped, not waited for. */
  readonly skipLocked: string;
  /** `column` is one of the array parameter `$n`. */
  inList(column: string, n: number, type: 'text' | 'bigint'): string;
  /** The numbers of a JSON array `column`, as a subquery (`seq NOT IN ...`). */
  jsonNumbers(column: string): string;
  /** The JSON array `column` followed by the numbers of the JSON text parameter `$n`. */
  jsonAppend(column: string, n: number): string;
  /** The JSON array `column` without the numbers of the JSON text parameter `$n`, in its order. */
  jsonWithout(column: string, n: number): string;
  /** A subquery of the names of the first `top` topics in the JSON array column `column` (a lead's strongest). */
  topTopics(column: string, top: number): string;
  /** True when the text `expr` holds the text parameter `$n` as it is (case and all, no wildcards). */
  includes(expr: string, n: number): string;
  /**
   * `expr LIKE` the lower-case pattern parameter `$n` (escaped with `\`), ignoring the case of ASCII letters in `expr`.
   */
  likeAnyCase(expr: string, n: number): string;
  /** The visitor ids linked to the lead `leadId` (an SQL expression), as one value {@link toLead} reads. */
  visitorsOf(leadId: string): string;
  /**
   * Stores the batch's events not seen before; the stored ones (in batch order) with their seqs, and their visitors'
   * leads so far.
   */
  storeEvents(batch: InsertBatch): Work<{ events: EventInput[]; seqs: number[]; links: Map<string, string> }>;
}

/** A connection to one engine: what `sqlite/` and `postgres/` implement. */
export interface SqlDatabase {
  readonly dialect: Dialect;
  /** Runs a unit of work (a new generator per attempt: PostgreSQL may run it again after a deadlock). */
  run<T>(work: () => Work<T>, mode: RunMode): Promise<T>;
  close(): Promise<void>;
}

/** Runs a statement; its rows. */
export function* query<R>(sql: string, ...params: unknown[]): Work<R[]> {
  return (yield { sql, params }).rows as R[];
}

/** Runs a statement; its first row, if any. */
export function* queryOne<R>(sql: string, ...params: unknown[]): Work<R | undefined> {
  return (yield { sql, params }).rows[0] as R | undefined;
}

/** Runs a statement; how many rows it changed. */
export function* execute(sql: string, ...params: unknown[]): Work<number> {
  return (yield { sql, params }).count;
}

/** `$1, $2, ...` of a statement in order of appearance, as positions into its parameters (for `?` placeholders). */
export function toPositional(sql: string): { sql: string; order: number[] } {
  const order: number[] = [];
  return {
    sql: sql.replace(/\$(\d+)/g, (_, n: string) => {
      order.push(Number(n) - 1);
      return '?';
    }),
    order,
  };
}
