import { getErrorMessage } from '../errors/messages.js';
import type { SendResult, Transport } from '../transport/types.js';
import type { createBackoff } from './backoff.js';
import type { createMirror } from './mirror.js';
import type { QueueLimits, QueueStats, Rec } from './queue.js';
import { classifyStatus } from './retry.js';

/** Bytes in flight on unload: leaves room in the browser's 64 KiB keepalive quota for the page's own requests. */
export const MAX_UNLOAD_BYTES = 48 * 1024;

/**
 * A queue's sending: a batch at a time through `transport`, its outcome applied to the mirror's records by the
 * status table (`classifyStatus`), and to the backoff. Returns, in order:
 * - `send(batch, unload)`: sends one batch; resolves to whether to go on sending;
 * - `sendUnload()`: sends what it can now as keepalive requests, within MAX_UNLOAD_BYTES in flight;
 * - `batchEvents()`: the most events in a batch: `limits.batchEvents`, halved each time the collector
 *   answers 413 to a batch of more than one.
 */
export function createSend(
  transport: Transport,
  site: string,
  limits: QueueLimits,
  stats: QueueStats,
  mem: Map<string, Rec>,
  [, del, write, drop, , take, , , , , , flying, , getStats]: ReturnType<typeof createMirror>,
  [ready, , succeeded, failed]: ReturnType<typeof createBackoff>,
  report: (error: unknown) => void,
  log?: ((...args: unknown[]) => void) | undefined,
) {
  let batchEvents = limits.batchEvents;
  let unloadBytes = 0;

  // Applies the status table to a batch that was sent. Returns whether to go on sending.
  const settle = (batch: Rec[], { status, retryAfter, rejected = [] }: SendResult): boolean => {
    const outcome = classifyStatus(status);
    if (outcome === 'ok') {
      // A delivered batch may list events the collector refused: those are dropped, never sent again.
      for (const [i, r] of batch.entries())
        if (mem.get(r.e.id) === r) rejected.includes(i) ? drop('rejected', r.e.id) : del(r.e.id) && stats.sent++;
      succeeded();
      return true;
    }
    if (outcome === 'split' && batch.length > 1) return !!(batchEvents = Math.ceil(batch.length / 2));
    if (outcome !== 'retry') {
      drop(outcome === 'split' ? 'too-large' : 'rejected', ...batch.map((r) => r.e.id));
      report(new Error(getErrorMessage('E26', transport.name, status, batch.length)));
      return true;
    }
    // Attempts and errors while the browser is offline do not count: nothing was wrong with the events or the host.
    const online = navigator.onLine;
    if (online) {
      stats.retried += batch.length;
      for (const r of batch) ++r.a < limits.maxAttempts ? write(r.e.id, r) : drop('retries', r.e.id);
    }
    const networkErrors = failed(online && !status, retryAfter);
    if (networkErrors) report(new Error(getErrorMessage('E27', transport.name, networkErrors)));
    return false;
  };

  const send = async (batch: Rec[], unload: boolean): Promise<boolean> => {
    batch.forEach((r) => flying.add(r.e.id));
    // A transport that throws, synchronously or not, reports a network error.
    const result = await Promise.resolve()
      .then(() => transport.send({ v: 1, site, sentAt: new Date().toISOString(), events: batch.map((r) => r.e) }, { unload }))
      .catch(() => ({ status: 0 }));
    batch.forEach((r) => flying.delete(r.e.id));
    const more = settle(batch, result);
    log?.(transport.name, result.status || 'network error', `${batch.length} event(s)`, getStats());
    return more;
  };

  const sendUnload = () => {
    for (let batch; ready() && (batch = take(Math.min(limits.batchBytes, MAX_UNLOAD_BYTES - unloadBytes), batchEvents)).length;) {
      const bytes = batch.reduce((sum, r) => sum + r.b, 0);
      unloadBytes += bytes;
      send(batch, true).finally(() => (unloadBytes -= bytes));
    }
  };

  return [send, sendUnload, () => batchEvents] as const;
}
