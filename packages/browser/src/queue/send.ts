import { getUuidTime } from '@inkling/core';
import type { SendResult } from '../transport/types.js';
import { getErrorMessage } from '../errors/messages.js';
import { deleteRecord, dropRecords, HOLD, writeRecord } from './records.js';
import type { QueueState, Rec } from './records.js';
import { classifyStatus } from './retry.js';

/** Bytes in flight on unload: leaves room in the browser's 64 KiB keepalive quota for the page's own requests. */
export const MAX_UNLOAD_BYTES = 48 * 1024;

/** Sends everything that is not held at once, as keepalive requests within MAX_UNLOAD_BYTES. */
export const sendUnload = (q: QueueState): void => {
  for (
    let batch;
    q._backoff._ready() && (batch = takeBatch(q, Math.min(q._limits.batchBytes, MAX_UNLOAD_BYTES - q._unloadBytes))).length;
  ) {
    const bytes = batch.reduce((sum, r) => sum + r.b, 0);
    q._unloadBytes += bytes;
    void sendBatch(q, batch, true).finally(() => (q._unloadBytes -= bytes));
  }
};

/** The next records to send, in order, within the limits; expired ones are dropped on the way. */
export const takeBatch = (q: QueueState, maxBytes: number): Rec[] => {
  const batch: Rec[] = [];
  let size = 0;
  for (const [id, r] of q._mem) {
    if (r.h == HOLD || q._flying.has(id)) continue;
    if (Date.now() - getUuidTime(id) > q._limits.maxAgeMs) dropRecords(q, [id], 'expired');
    else if (batch.length < q._batchEvents && (size += r.b) <= maxBytes) batch.push(r);
    else break;
  }
  return batch;
};

/** Sends one batch and settles it by the status table. Resolves to whether to go on sending. */
export const sendBatch = async (q: QueueState, batch: Rec[], unload: boolean): Promise<boolean> => {
  const { _transport: transport, _counts: stats } = q;
  batch.forEach((r) => q._flying.add(r.e.id));
  // A transport that throws, synchronously or not, reports a network error.
  const result = await Promise.resolve()
    .then(() => transport.send({ v: 1, site: q._site, sentAt: new Date().toISOString(), events: batch.map((r) => r.e) }, { unload }))
    .catch((): SendResult => ({ status: 0 }));
  batch.forEach((r) => q._flying.delete(r.e.id));
  const more = settle(q, batch, result);
  q._log?.(transport.name, result.status || 'network error', `${batch.length} event(s)`, { ...stats, queued: q._mem.size });
  return more;
};

// Applies the status table to a batch that was sent. Returns whether to go on sending.
const settle = (q: QueueState, batch: Rec[], { status, retryAfter, rejected = [] }: SendResult): boolean => {
  const { _mem: mem, _counts: stats, _backoff: backoff } = q;
  const ids = batch.map((r) => r.e.id);
  const outcome = classifyStatus(status);
  if (outcome === 'ok') {
    // A delivered batch may list events the collector refused: those are dropped, never sent again.
    for (const [i, r] of batch.entries())
      if (mem.get(r.e.id) === r) rejected.includes(i) ? dropRecords(q, [r.e.id], 'rejected') : deleteRecord(q, r.e.id) && stats.sent++;
    backoff._succeeded();
    return true;
  }
  // Too large: halve the batches and go on; a single event too large is dropped below.
  if (outcome === 'split' && batch.length > 1) return !!(q._batchEvents = Math.ceil(batch.length / 2));
  if (outcome !== 'retry') {
    dropRecords(q, ids, outcome === 'split' ? 'too-large' : 'rejected');
    q._report(new Error(getErrorMessage('E26', q._transport.name, status, ids.length)));
    return true;
  }
  // Attempts made while the browser is offline do not count: nothing was wrong with the events.
  if (navigator.onLine) {
    stats.retried += batch.length;
    for (const r of batch) ++r.a < q._limits.maxAttempts ? writeRecord(q, r.e.id, r) : dropRecords(q, [r.e.id], 'retries');
  }
  const errors = backoff._failed(status, retryAfter);
  if (errors) q._report(new Error(getErrorMessage('E27', q._transport.name, errors)));
  return false;
};
