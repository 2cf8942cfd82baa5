import type { Database } from 'better-sqlite3';
import type { Store } from '../types.js';
import { toMessage } from '../rows.js';
import type { MessageRow } from '../rows.js';

type OutboxOps = Pick<Store, 'claimDueMessages' | 'recordAttempt' | 'listMessages' | 'disableEndpoint' | 'enableEndpoint' | 'getDisabledEndpoints' | 'pruneMessages'>;

/** The webhook outbox: durable messages, leased claims (one attempt at a time per message) and endpoint state. */
export function createOutboxOps(db: Database): OutboxOps {
  const selectDue = db.prepare<[number, number, number], MessageRow>(
    `SELECT * FROM outbox WHERE status = 'pending' AND next_attempt_at <= ? AND (claimed_until IS NULL OR claimed_until <= ?)
     ORDER BY next_attempt_at, created_at LIMIT ?`,
  );
  const lease = db.prepare('UPDATE outbox SET claimed_until = ? WHERE id = ? AND endpoint = ?');
  const claim = db.transaction((now: number, limit: number, leaseMs: number) => {
    const rows = selectDue.all(now, now, limit);
    for (const row of rows) lease.run(now + leaseMs, row.id, row.endpoint);
    return rows.map(toMessage);
  });
  const record = db.prepare(
    `UPDATE outbox SET status = @status, attempts = @attempts, next_attempt_at = @nextAttemptAt, last_status = @lastStatus,
       last_error = @lastError, updated_at = @at, claimed_until = NULL,
       delivered_at = CASE WHEN @status = 'delivered' THEN @at ELSE delivered_at END
     WHERE id = @id AND endpoint = @endpoint AND status = 'pending'`,
  );
  const listAll = db.prepare<[], MessageRow>('SELECT * FROM outbox ORDER BY created_at, id, endpoint');
  const listLead = db.prepare<[string], MessageRow>('SELECT * FROM outbox WHERE lead_id = ? ORDER BY created_at, id, endpoint');
  const upsertDisabled = db.prepare(
    'INSERT INTO endpoints (url, disabled_at, reason) VALUES (?, ?, ?) ON CONFLICT (url) DO UPDATE SET disabled_at = excluded.disabled_at, reason = excluded.reason',
  );
  const disablePending = db.prepare(
    "UPDATE outbox SET status = 'disabled', last_error = ?, updated_at = ?, claimed_until = NULL WHERE endpoint = ? AND status = 'pending'",
  );
  const disable = db.transaction((url: string, reason: string, at: number) => {
    upsertDisabled.run(url, at, reason);
    disablePending.run(reason, at, url);
  });
  const enable = db.prepare('DELETE FROM endpoints WHERE url = ?');
  const disabled = db.prepare<[], { url: string }>('SELECT url FROM endpoints WHERE disabled_at IS NOT NULL ORDER BY url');
  const prune = db.prepare("DELETE FROM outbox WHERE status <> 'pending' AND updated_at < ?");

  return {
    claimDueMessages: async (now, limit, leaseMs) => claim.immediate(now, limit, leaseMs),
    recordAttempt: async (id, endpoint, outcome) => {
      record.run({ id, endpoint, ...outcome });
    },
    listMessages: async (query = {}) => {
      const rows = query.leadId === undefined ? listAll.all() : listLead.all(query.leadId);
      return rows.map(toMessage).filter((m) => query.status === undefined || m.status === query.status);
    },
    disableEndpoint: async (url, reason, at) => disable.immediate(url, reason, at),
    enableEndpoint: async (url) => {
      enable.run(url);
    },
    getDisabledEndpoints: async () => disabled.all().map((r) => r.url),
    pruneMessages: async (cutoff) => prune.run(cutoff).changes,
  };
}
