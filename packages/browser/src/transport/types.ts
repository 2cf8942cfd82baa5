import type { AnyEvent, Batch } from '@inkling/core';

/** What a transport tells the queue about one send. */
export interface SendResult {
  /**
   * An HTTP status, or what it would be: 2xx delivered (the events are deleted); 408, 425, 429 or 5xx
   * retried with backoff; 413 split in half and retried; any other status dropped and counted as
   * `rejected`. Throw (or reject) for a network error: retried, and after 3 in a row while online
   * sending pauses until the browser reports being back online.
   */
  status: number;
  /** The `Retry-After` header, when the server sent one: seconds or an HTTP-date. */
  retryAfter?: string | null;
  /**
   * With a 2xx: indexes (in `batch.events`) of events the collector refused while storing the rest. They are
   * dropped and counted as `rejected`; the others count as delivered.
   */
  rejected?: number[] | undefined;
}

/** What the queue tells a transport about one send. */
export interface SendContext {
  /**
   * The page is being hidden or unloaded: this is the last chance to send. Use a request that outlives
   * the page (`fetch` with `keepalive`) and no custom headers (a CORS preflight cannot finish).
   */
  unload: boolean;
}

/**
 * Delivers batches somewhere. Every transport gets its own queue, so one slow or failing destination never
 * holds back another.
 *
 * @example
 * const toConsole: Transport = {
 *   name: 'console',
 *   async send(batch) {
 *     console.table(batch.events);
 *     return { status: 200 };
 *   },
 * };
 */
export interface Transport {
  /** Names the transport's queue; unique within a tracker (letters, digits, `-`, `_`). */
  name: string;
  /** Sends one batch, in order; the next batch waits for this one. */
  send(batch: Batch, context: SendContext): Promise<SendResult>;
  /** Keep undelivered events across page loads in IndexedDB. @default true */
  persist?: boolean;
  /** Which events this transport receives. @default every event */
  accepts?(event: AnyEvent): boolean;
}
