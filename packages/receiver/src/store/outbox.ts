import { MESSAGE_COLUMNS, toMessage } from './rows.js';
import type { MessageRow } from './rows.js';
import { execute, query } from './sql.js';
import type { SqlDatabase } from './sql.js';
import type { Store } from './types.js';

type OutboxOps = Pick<
  Store,
  'claimDueMessages' | 'recordAttempt' | 'listMessages' | 'disableEndpoint' | 'enableEndpoint' | 'getDisabledEndpoints' | 'pruneMessages'
>;

const RECORD_ATTEMPT = `UPDATE outbox SET status = $3, attempts = $4, next_attempt_at = $5, last_status = $6, last_error = $7, updated_at = $8, claimed_until = NULL,
    delivered_at = CASE WHEN $3 = 'delivered' THEN $8 ELSE delivered_at END
  WHERE id = $1 AND endpoint = $2 AND status = 'pending'`;

/** The webhook outbox: durable messages, leased claims (one attempt at a time per message) and endpoint state. */
export function createOutboxOps(db: SqlDatabase): OutboxOps {
  const d = db.dialect;
  // Receivers claiming at once take disjoint messages (rows locked by another claim are skipped), so each attempt is
  // made by exactly one of them; the lease keeps a claimed message away from the others until its attempt is recorded.
  const claim = `WITH picked AS (
      SELECT id, endpoint FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
      ORDER BY next_attempt_at, created_at LIMIT $2${d.skipLocked})
    UPDATE outbox SET claimed_until = $3 WHERE (id, endpoint) IN (SELECT id, endpoint FROM picked) RETURNING ${MESSAGE_COLUMNS}`;
  return {
    claimDueMessages: (now, limit, leaseMs) =>
      db.run(function* () {
        const rows = yield* query<MessageRow>(claim, now, limit, now + leaseMs);
        // RETURNING has no order: due first, as they were picked.
        rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.created_at - b.created_at);
        return rows.map(toMessage);
      }, 'single'),
    recordAttempt: async (id, endpoint, o) => {
      await db.run(
        () => execute(RECORD_ATTEMPT, id, endpoint, o.status, o.attempts, o.nextAttemptAt, o.lastStatus, o.lastError, o.at),
        'single',
      );
    },
    listMessages: (filter = {}) =>
      db.run(function* () {
        const where: string[] = [];
        const params: unknown[] = [];
        if (filter.leadId !== undefined) where.push(`lead_id = $${params.push(filter.leadId)}`);
        if (filter.status !== undefined) where.push(`status = $${params.push(filter.status)}`);
        const rows = yield* query<MessageRow>(
          `SELECT ${MESSAGE_COLUMNS} FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id, endpoint`,
          ...params,
        );
        return rows.map(toMessage);
      }, 'single'),
    disableEndpoint: (url, reason, at) =>
      db.run(function* () {
        yield* execute(
          'INSERT INTO endpoints (url, disabled_at, reason) VALUES ($1, $2, $3) ON CONFLICT (url) DO UPDATE SET disabled_at = excluded.disabled_at, reason = excluded.reason',
          url,
          at,
          reason,
        );
        yield* execute(
          "UPDATE outbox SET status = 'disabled', last_error = $1, updated_at = $2, claimed_until = NULL WHERE endpoint = $3 AND status = 'pending'",
          reason,
          at,
          url,
        );
      }, 'transaction'),
    enableEndpoint: async (url) => {
      await db.run(() => execute('DELETE FROM endpoints WHERE url = $1', url), 'single');
    },
    getDisabledEndpoints: () =>
      db.run(function* () {
        return (yield* query<{ url: string }>('SELECT url FROM endpoints WHERE disabled_at IS NOT NULL ORDER BY url')).map((r) => r.url);
      }, 'single'),
    pruneMessages: (cutoff) => db.run(() => execute("DELETE FROM outbox WHERE status <> 'pending' AND updated_at < $1", cutoff), 'sweep'),
  };
}
