/**
 * Engaged and attentive time, from timestamps only.
 *
 * A moment counts when the page is visible AND focused AND there was an interaction within the idle
 * window before it: 5 s for engaged time (Chartbeat, Parse.ly), 30 s for attentive time (Riveted) —
 * long articles are read without touching the mouse. With equal windows after every interaction, the
 * counted time is the sum over consecutive interactions of min(gap, window), plus the same for the last
 * one: no timers. Chrome runs hidden pages' timers once a minute and frozen pages run none, so a ticking
 * counter would both miss and invent time.
 */

/** Idle windows, in ms: engaged time, attentive time. */
export const ENGAGED_WINDOW_MS = 5000;
export const ATTENTIVE_WINDOW_MS = 30000;

export interface Engagement {
  /** An interaction at `t` (ms). Ignored while the gate is closed. */
  _hit(t: number): void;
  /** The gate (visible AND focused) opened or closed at `t`. Opening counts as an interaction. */
  _gate(open: boolean, t: number): void;
  /** Engaged and attentive ms up to `t`. */
  _read(t: number): [engagedMs: number, attentiveMs: number];
  /** Starts from zero at `t` (a new page view), keeping the gate as it is. */
  _reset(t: number): void;
  /** Whether the gate is open. */
  _open: boolean;
}

/** The engagement state machine. Pure: no DOM, no timers. */
export function createEngagement(open: boolean, t: number): Engagement {
  let engaged = 0;
  let attentive = 0;
  // Time of the last interaction while the gate was open; -1 when the gate is closed.
  let last = -1;
  const add = (to: number): [number, number] =>
    last < 0
      ? [engaged, attentive]
      : [engaged + Math.min(to - last, ENGAGED_WINDOW_MS), attentive + Math.min(to - last, ATTENTIVE_WINDOW_MS)];
  const self: Engagement = {
    _open: open,
    _hit(at) {
      if (!self._open || at < last) return;
      [engaged, attentive] = add(at);
      last = at;
    },
    _gate(isOpen, at) {
      if (isOpen == self._open) return;
      self._hit(at);
      self._open = isOpen;
      last = -1;
      self._hit(at);
    },
    _read: (at) => add(Math.max(at, last)),
    _reset(at) {
      engaged = attentive = 0;
      last = -1;
      self._hit(at);
    },
  };
  self._reset(t);
  return self;
}
