import type { Pending } from './envelope.js';
import { getErrorMessage } from './errors/messages.js';
import type { ConsentState, TrackerOptions } from './options.js';
import type { DropReason } from './queue/queue.js';
import type { Visitor } from './visitor.js';

/**
 * The state a tracker starts in: Global Privacy Control and (when the site asks) Do Not Track count as a
 * refusal; an explicit `consent()` call overrides them.
 */
export function getInitialConsent(o: TrackerOptions): ConsentState {
  const nav: Navigator & { globalPrivacyControl?: boolean } = navigator;
  return (o.respectGpc !== false && nav.globalPrivacyControl) || (o.respectDnt && nav.doNotTrack === '1')
    ? 'denied'
    : (o.consent ?? 'granted');
}

export interface Consent {
  /**
   * Delivers an event (granted) or keeps it in memory (pending), and returns its id; refused, `build` is not
   * even called: the call is counted as a `consent` drop and nothing is returned.
   */
  _pass(build: () => Pending): string | undefined;
  /** Changes the state in this tab and in the site's other tabs. */
  _set(state: ConsentState): void;
  /** Drops the events kept while pending, counted under `reason`. */
  _drop(reason: DropReason): void;
  /** How many events pending keeps now. */
  _kept(): number;
  _stop(): void;
}

/**
 * The visitor's consent and what each state allows: `pending` keeps at most `maxKept` events in memory and
 * writes nothing; `granted` stores and sends; `denied` drops and erases. A change reaches every tab of the
 * site (BroadcastChannel `channelName`), so one refusal erases everywhere. A grant opens the visitor's
 * storage and delivers what pending kept, then calls `onGrant` if it was refused (tracking starts only
 * now); a refusal calls `onDeny` (tracking stops), then erases and closes it. Starting `granted`, the
 * caller opens storage itself: only changes act here.
 */
export function createConsent(
  channelName: string,
  state: ConsentState,
  maxKept: number,
  visitor: Pick<Visitor, '_open' | '_record' | '_count' | '_close'>,
  report: (error: unknown) => void,
  onDeny: () => void,
  onGrant: () => void,
): Consent {
  const kept: Pending[] = [];
  const channel = self.BroadcastChannel && new BroadcastChannel(channelName);
  const drop = (reason: DropReason) => visitor._count(reason, kept.splice(0).length);
  const set = (next: ConsentState, fromOtherTab?: boolean) => {
    if (!/^(granted|denied)$/.test(next)) return report(new TypeError(getErrorMessage('E24', next)));
    if (next === state) return;
    const refused = state === 'denied';
    state = next;
    if (!fromOtherTab) channel?.postMessage(next);
    if (next === 'granted') {
      visitor._open();
      kept.splice(0).forEach(visitor._record);
      if (refused) onGrant();
    } else {
      drop('consent');
      onDeny();
      visitor._close();
    }
  };
  if (channel) channel.onmessage = (e) => set(e.data, true);
  return {
    _pass(build) {
      if (state === 'denied') return void visitor._count('consent');
      const pending = build();
      if (state === 'granted') visitor._record(pending);
      // Pending: memory only. A held engagement is not kept: the final one follows if the page lives on.
      else if (!pending._hold) kept.length < maxKept ? kept.push(pending) : visitor._count('overflow');
      return pending.id;
    },
    _set: set,
    _drop: drop,
    _kept: () => kept.length,
    _stop: () => channel?.close(),
  };
}
