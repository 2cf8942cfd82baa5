import { createProfile } from '@inkling/core';
import type { Profile } from '@inkling/core';
import type { IntentModel } from './score-events.js';
import { foldEvents } from './score-events.js';
import type { ProfileCursor, ProfileUpdate, Store, StoredEvent } from '../store/types.js';

/**
 * Events folded per slice of a lead. 500: about 10 ms of reading and folding on a slow, busy machine (a whole history
 * of 20,000 events took 449 ms), so a rebuild or a long backlog never holds the event loop for longer than that.
 */
export const EVENTS_PER_SLICE = 500;

/**
 * A pending list longer than this is not worked through: the list is rewritten on every save (a JSON array), so a
 * slice would cost its length. The snapshot is rebuilt instead, a slice at a time, with those events in it. A lead
 * falls this far behind only when events arrive faster than it is scored, or were stored while scoring was off.
 */
export const MAX_PENDING = 4 * EVENTS_PER_SLICE;

/** A lead's snapshot brought up to date, and the update that saves it with the score. */
export interface FoldedLead {
  profile: Profile;
  update: Omit<ProfileUpdate, 'leadId'>;
  /** The events this last slice folded in (the new ones, or a rebuild's last page). */
  events: StoredEvent[];
}

/**
 * Brings a lead's profile snapshot up to date by at most {@link EVENTS_PER_SLICE} events: the events stored since
 * it was saved (its pending list), or the next page of a rebuild when it has none yet or was built with another model
 * (`modelKey`). Returns the profile when it is complete; else saves the progress (the lead stays dirty and is claimed
 * again for the next slice) and returns `undefined`, as for a lead that no longer exists.
 */
export async function foldLead(store: Store, leadId: string, model: IntentModel, modelKey: string): Promise<FoldedLead | undefined> {
  const stored = await store.getLeadProfile(leadId);
  if (!stored) return undefined;
  if (stored.pending.length > MAX_PENDING) {
    // Off the list and back to an empty snapshot in one guarded write: a rebuild reads every event not pending.
    const restart = {
      leadId,
      generation: stored.generation,
      profile: createProfile(),
      model: modelKey,
      seq: 0,
      rebuild: { visitor: '', seq: 0 },
      folded: stored.pending,
    };
    await store.saveProfile(restart);
    return undefined;
  }
  const current = stored.profile !== null && stored.model === modelKey;
  const profile = current ? stored.profile! : createProfile();
  let rebuild: ProfileCursor | null = current ? stored.rebuild : { visitor: '', seq: 0 };
  let seq = current ? stored.seq : 0;
  let budget = EVENTS_PER_SLICE;
  const fresh: StoredEvent[] = [];

  if (rebuild) {
    const events = await store.getProfileEvents(leadId, { after: rebuild, limit: budget });
    foldEvents(profile, events, model);
    fresh.push(...events);
    budget -= events.length;
    const last = events[events.length - 1];
    if (last) {
      rebuild = { visitor: last.visitor, seq: last.seq };
      seq = last.seq;
    }
    // A full page may have more behind it; the next slice finds out.
    if (budget === 0) {
      await store.saveProfile({ leadId, generation: stored.generation, profile, model: modelKey, seq, rebuild, folded: [] });
      return undefined;
    }
    rebuild = null;
  }

  const folded = stored.pending.slice(0, budget);
  if (folded.length > 0) {
    const events = await store.getProfileEvents(leadId, { seqs: folded });
    foldEvents(profile, events, model);
    fresh.push(...events);
    seq = Math.max(...folded);
  }
  const update = { generation: stored.generation, profile, model: modelKey, seq, rebuild, folded };
  if (folded.length < stored.pending.length) {
    await store.saveProfile({ leadId, ...update });
    return undefined;
  }
  return { profile, update, events: fresh };
}
