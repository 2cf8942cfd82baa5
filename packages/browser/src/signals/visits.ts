import type { IdSource, Touch, Utm, VisitStartProps } from '@inkling/core';
import { DAY_MS, LIMITS, uuidv7 } from '@inkling/core';
import { scrubText } from '../privacy/scrub.js';

/** A visit ends after this long without activity: the convention of Snowplow, GA4, Matomo and Plausible. */
export const VISIT_TIMEOUT_MS = 30 * 60_000;
/**
 * Visitor state is written at most this often while active: other tabs judge the visit's expiry from it, against a
 * 30-minute timeout. It is also written on every new visit, on identify, on group and when the page is hidden or left.
 */
export const SAVE_INTERVAL_MS = 60_000;

const SEARCH = /(^|\.)(google|bing|duckduckgo|yahoo|baidu|yandex|ecosia|brave|qwant)\./;

// Persisted visitor state. Keys are stored, so they are short and never `_`-prefixed (mangled).
export interface VisitorState {
  /** Visitor id. */
  v: string;
  /** Visits so far. */
  n: number;
  /** Current visit's id. */
  s: string;
  /** Last activity, ms. */
  a: number;
  /** First touch. */
  t?: Touch;
  /** Linked user id. */
  u?: string;
  /** The account the visitor belongs to (`group()`), until they leave it. */
  g?: string | undefined;
}

export interface Visits {
  /** The visitor id (`v`), the current visit's id (`s`), the linked user (`u`) and account (`g`), as of the last touch. */
  _get(): VisitorState;
  /**
   * Records activity at `t`. Returns the props of a `visit_start` when this activity begins a new visit.
   * `landing` is the page's URL and referrer when the activity is a page load.
   */
  _touch(t: number, landing?: [href: string, referrer: string]): VisitStartProps | undefined;
  /** Whether activity at `t` would begin a new visit. */
  _expired(t: number): boolean;
  /** Links a user id; the first link wins. */
  _link(user: string): void;
  /** Joins an account, leaving the one before; `null` leaves it. The last call wins. */
  _group(account: string | null): void;
  _save(): void;
}

/** UTM parameters of a URL, only those present. */
export function getUtm(href: string): Utm | undefined {
  const params = new URL(href).searchParams;
  let utm: Utm | undefined;
  for (const key of ['source', 'medium', 'campaign', 'term', 'content'] as const) {
    const value = params.get(`utm_${key}`);
    if (value) (utm ??= {})[key] = scrubText(value).slice(0, LIMITS.MAX_TEXT_CHARS);
  }
  return utm;
}

/** Where a visit came from: UTM first, then an external referrer, then direct. */
export function getTouch(utm: Utm | undefined, referrer: string): Touch {
  const host = referrer && new URL(referrer).hostname;
  const external = host != location.hostname ? host : '';
  const touch: Touch = {
    source: utm?.source ?? (external || '(direct)'),
    medium: utm?.medium ?? (utm?.source || !external ? '(none)' : SEARCH.test(external) ? 'organic' : 'referral'),
  };
  if (utm?.campaign) touch.campaign = utm.campaign;
  return touch;
}

/**
 * Visitor and visit state, kept in localStorage under `key` (no cookies). Without storage (blocked, or
 * anonymous mode) the state lives in memory for this page only and the visitor id's source says so.
 * Tabs share the state: a visit that looks expired is re-read, since another tab may have been active.
 */
export function createVisits(key: string, storage: Storage | undefined, timeoutMs = VISIT_TIMEOUT_MS): Visits {
  let saved = 0;
  const read = (): VisitorState | undefined => {
    try {
      const state = JSON.parse(storage?.getItem(key) ?? 'null') as VisitorState | null;
      if (state?.v) return state;
    } catch {
      storage = undefined;
    }
    return undefined;
  };
  let state = read();
  const source: IdSource = state ? 'stored' : storage ? 'new' : 'memory';
  state ??= { v: uuidv7(), n: 0, s: '', a: 0 };

  const self: Visits = {
    _get: () => state!,
    _expired: (t) => !state!.s || t - state!.a > timeoutMs,
    _touch(t, landing) {
      let start: VisitStartProps | undefined;
      if (self._expired(t)) state = read() ?? state!;
      const s = state!;
      if (self._expired(t)) {
        const [href, referrer] = landing ?? [location.href, ''];
        const utm = landing && getUtm(href);
        const touch = getTouch(utm, referrer);
        start = {
          visit: ++s.n,
          daysSinceLast: s.a ? Math.floor((t - s.a) / DAY_MS) : null,
          firstTouch: (s.t ??= touch),
          lastTouch: touch,
          idSource: source,
        };
        if (referrer) start.referrer = referrer;
        if (utm) start.utm = utm;
        s.s = uuidv7(t);
        saved = 0;
      }
      s.a = Math.max(s.a, t);
      if (t - saved > SAVE_INTERVAL_MS) self._save();
      return start;
    },
    _link(user) {
      state!.u ??= user;
      self._save();
    },
    _group(account) {
      // Leaving (null) stores no `g`: JSON leaves an undefined field out.
      state!.g = account || undefined;
      self._save();
    },
    _save() {
      saved = state!.a;
      try {
        storage?.setItem(key, JSON.stringify(state));
      } catch {
        // Full or blocked: the state lives on in memory for this page.
      }
    },
  };
  return self;
}
