import type { Pool } from 'pg';
import type { EraseResult, Store } from '../types.js';
import { NO_STATEMENT_TIMEOUT, sweep, transaction } from './pool.js';

type PrivacyOps = Pick<Store, 'erase' | 'deleteEventsBefore' | 'deleteDedupeKeysBefore'>;

/** Erasure of one visitor and the retention sweeps. */
export function createPrivacyOps(pool: Pool): PrivacyOps {
  return {
    erase: (site, visitor) =>
      transaction(pool, async (client): Promise<EraseResult> => {
        // The visitor's row first: a batch of this visitor storing at the same moment either commits before the
        // erasure (and its events are erased too) or starts after it (a fresh visitor).
        const link = (await client.query<{ lead_id: string }>('SELECT lead_id FROM visitors WHERE site = $1 AND visitor = $2 FOR UPDATE', [site, visitor])).rows[0];
        const events = (await client.query('DELETE FROM events WHERE site = $1 AND visitor = $2', [site, visitor])).rowCount ?? 0;
        if (!link) return { events, leads: 0, messages: 0 };
        const leadId = link.lead_id;
        await client.query('SELECT id FROM leads WHERE id = $1 FOR UPDATE', [leadId]);
        await client.query('DELETE FROM visitors WHERE site = $1 AND visitor = $2', [site, visitor]);
        await client.query('DELETE FROM lead_notes WHERE lead_id = $1 AND visitor = $2', [leadId, visitor]);
        const others = (await client.query<{ n: number }>('SELECT count(*) AS n FROM visitors WHERE lead_id = $1', [leadId])).rows[0]!.n;
        if (others > 0) {
          // Another device of the same known user remains: keep the lead, drop what this visitor's events caused.
          const messages = (await client.query("DELETE FROM outbox WHERE lead_id = $1 AND status = 'pending'", [leadId])).rowCount ?? 0;
          await client.query('UPDATE leads SET dirty = true, dirty_seq = dirty_seq + 1 WHERE id = $1', [leadId]);
          return { events, leads: 0, messages };
        }
        const messages = (await client.query('DELETE FROM outbox WHERE lead_id = $1', [leadId])).rowCount ?? 0;
        await client.query('DELETE FROM lead_notes WHERE lead_id = $1', [leadId]);
        const leads = (await client.query('DELETE FROM leads WHERE id = $1', [leadId])).rowCount ?? 0;
        return { events, leads, messages };
      }),
    deleteEventsBefore: (cutoff) =>
      transaction(pool, async (client) => {
        await client.query(NO_STATEMENT_TIMEOUT);
        // Leads locked in id order, so receivers sweeping at once (and batches marking leads) queue instead of deadlocking.
        await client.query(
          `WITH locked AS (
             SELECT id FROM leads WHERE id IN (SELECT v.lead_id FROM events e JOIN visitors v ON v.site = e.site AND v.visitor = e.visitor WHERE e.ts < $1)
             ORDER BY id FOR UPDATE)
           UPDATE leads l SET dirty = true, dirty_seq = l.dirty_seq + 1 FROM locked WHERE l.id = locked.id`,
          [cutoff],
        );
        return (await client.query('DELETE FROM events WHERE ts < $1', [cutoff])).rowCount ?? 0;
      }),
    deleteDedupeKeysBefore: (cutoff) => sweep(pool, 'DELETE FROM event_keys WHERE seen_at < $1', [cutoff]),
  };
}
