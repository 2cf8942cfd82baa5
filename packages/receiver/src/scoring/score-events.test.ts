import { describe, expect, it } from 'vitest';
import type { AnyEvent } from '@inkling/core';
import { DAY_MS, demoRequest, warmJourney } from '../../test/helpers.js';
import { explainEvents, getDefaultModel, getScoreHistory, scoreEvents } from './score-events.js';
import type { StoredEvent } from '../store/types.js';

const NOW = Date.parse('2026-03-02T12:00:00Z');

function stored(events: AnyEvent[], bot = false): StoredEvent[] {
  return events
    .map((event, seq) => ({
      seq,
      site: 'example.com',
      id: event.id,
      type: event.type,
      visitor: event.visitor,
      ts: Date.parse(event.ts),
      rawTs: event.ts,
      sentAt: event.ts,
      receivedAt: NOW,
      bot,
      clamped: false,
      event,
    }))
    .sort((a, b) => a.ts - b.ts);
}

describe('score history', () => {
  it('ends at the score the lead has, marks the events that moved it, and steps down with decay day by day', () => {
    const model = getDefaultModel();
    const events = stored([...warmJourney('v_researcher_1', NOW - 20 * DAY_MS), demoRequest('v_researcher_1', NOW - 20 * DAY_MS)]);
    const history = getScoreHistory(events, model, NOW);
    const last = history[history.length - 1]!;
    expect(last.at).toBe(NOW);
    expect(last.score).toBe(scoreEvents(events, model, NOW, 'cold').score);
    const demo = history.find((p) => p.event?.event.type === 'track');
    expect(demo).toMatchObject({ score: 100, level: 'hot' });
    // After the last event only time moves the score: one point per day it changed, each lower than the one before.
    const decay = history.filter((p) => p.at > demo!.at && !p.event);
    expect(decay.length).toBeGreaterThan(2);
    for (let i = 1; i < decay.length; i++) expect(decay[i]!.score).toBeLessThanOrEqual(decay[i - 1]!.score);
    expect(history.reduce((sum, p) => sum + p.delta, 0)).toBe(last.score);
  });

  it('leaves out bot events, as scoring does', () => {
    const model = getDefaultModel();
    expect(getScoreHistory(stored([demoRequest('v_crawler_001', NOW)], true), model, NOW)).toEqual([
      { at: NOW, score: 0, level: 'cold', delta: 0 },
    ]);
    expect(explainEvents(stored([demoRequest('v_crawler_001', NOW)], true), model, NOW)).toEqual([]);
  });
});
