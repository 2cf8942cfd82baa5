import type { Pool } from 'pg';
import type { Store } from '../types.js';
import { MESSAGE_COLUMNS, toMessage } from '../rows.js';
import type { MessageRow } from '../rows.js';
import { sweep, transaction } from './pool.js';

type OutboxOps = Pick<Store, 'claimDueMessages' | 'recordAttempt' | 'listMessages' | 'disableEndpoint' | 'enableEndpoint' | 'getDisabledEndpoints' | 'pruneMessages'>;

/** The webhook outbox: durable messages, leased claims (one attempt at a time per message) and endpoint state. */
export function createOutboxOps(pool: Pool): OutboxOps {
  return {
    // SKIP LOCKED: receivers claiming at once take disjoint messages, so each attempt is made by exactly one of them;
    // the lease keeps a claimed message away from the others until the attempt is recorded or the lease runs out.
    claimDueMessages: async (now, limit, leaseMs) => {
      const { rows } = await pool.query<MessageRow>({
        name: 'inkling_claim_messages',
        text: `WITH picked AS (
            SELECT id, endpoint FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until <= $1)
            ORDER BY next_attempt_at, created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
          UPDATE outbox o SET claimed_until = $3 FROM picked WHERE o.id = picked.id AND o.endpoint = picked.endpoint
          RETURNING ${MESSAGE_COLUMNS.split(', ').map((c) => `o.${c}`).join(', ')}`,
        values: [now, limit, now + leaseMs],
      });
      // RETURNING has no order: due first, as they were picked.
      rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.created_at - b.created_at);
      return rows.map(toMessage);
    },
    recordAttempt: async (id, endpoint, outcome) => {
      await pool.query(
        `UPDATE outbox SET status = $3, attempts = $4, next_attempt_at = $5, last_status = $6, last_error = $7, updated_at = $8, claimed_until = NULL,
           delivered_at = CASE WHEN $3 = 'delivered' THEN $8 ELSE delivered_at END
         WHERE id = $1 AND endpoint = $2 AND status = 'pending'`,
        [id, endpoint, outcome.status, outcome.attempts, outcome.nextAttemptAt, outcome.lastStatus, outcome.lastError, outcome.at],
      );
    },
    listMessages: async (query = {}) => {
      const where: string[] = [];
      const params: unknown[] = [];
      if (query.leadId !== undefined) where.push(`lead_id = $${params.push(query.leadId)}`);
      if (query.status !== undefined) where.push(`status = $${params.push(query.status)}`);
      const { rows } = await pool.query<MessageRow>(
        `SELECT ${MESSAGE_COLUMNS} FROM outbox ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at, id, endpoint`,
        params,
      );
      return rows.map(toMessage);
    },
    disableEndpoint: (url, reason, at) =>
      transaction(pool, async (client) => {
        await client.query(
          'INSERT INTO endpoints (url, disabled_at, reason) VALUES ($1, $2, $3) ON CONFLICT (url) DO UPDATE SET disabled_at = excluded.disabled_at, reason = excluded.reason',
          [url, at, reason],
        );
        await client.query("UPDATE outbox SET status = 'disabled', last_error = $1, updated_at = $2, claimed_until = NULL WHERE endpoint = $3 AND status = 'pending'", [reason, at, url]);
      }),
    enableEndpoint: async (url) => {
      await pool.query('DELETE FROM endpoints WHERE url = $1', [url]);
    },
    getDisabledEndpoints: async () => (await pool.query<{ url: string }>('SELECT url FROM endpoints WHERE disabled_at IS NOT NULL ORDER BY url')).rows.map((r) => r.url),
    pruneMessages: (cutoff) => sweep(pool, "DELETE FROM outbox WHERE status <> 'pending' AND updated_at < $1", [cutoff]),
  };
}
