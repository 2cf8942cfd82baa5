// Outcomes posted to the lead API, end to end through the fetch core on both stores.
import { afterEach, describe, expect, it } from 'vitest';
import type { AnyEvent } from '@inkling/core';
import { API_KEY, collect as collectBatch, createClock, eventAt } from '../../test/helpers.js';
import type { TestClock } from '../../test/helpers.js';
import { STORES, startTestReceiver } from '../../test/stores.js';
import type { Receiver, ReceiverOptions } from '../index.js';

describe.each(STORES)('outcome API on $name', (kind) => {
  let receiver: Receiver;
  let clock: TestClock;

  afterEach(async () => {
    await receiver.close();
  });

  async function startWithLead(options: ReceiverOptions = {}): Promise<string> {
    clock = createClock(Date.parse('2026-11-02T12:00:00Z'));
    receiver = await startTestReceiver(kind, options, clock);
    const identify: AnyEvent = eventAt('identify', 'v_buyer_00001', clock.now(), 10_000, { props: { userId: 'ada@example.com' } });
    await collectBatch(receiver, [identify], clock.now());
    const [lead] = await receiver.store.listLeads({ limit: 1 });
    return lead!.id;
  }

  function post(leadId: string, body: unknown, key: string | null = API_KEY, method = 'POST'): Promise<Response> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (key !== null) headers['authorization'] = `Bearer ${key}`;
    const init: RequestInit = { method, headers };
    if (method === 'POST') init.body = typeof body === 'string' ? body : JSON.stringify(body);
    return receiver.fetch(new Request(`http://receiver.test/leads/${encodeURIComponent(leadId)}/outcome`, init));
  }

  const errorOf = async (response: Response) => ((await response.json()) as { error: { code: string; message: string } }).error;

  it('records an outcome and answers with it; a later one replaces it', async () => {
    const id = await startWithLead();
    const first = await post(id, { outcome: 'lost', at: '2026-10-30', note: 'no budget' });
    expect(first.status).toBe(200);
    const second = await post(id, { outcome: 'converted', at: '2026-11-01T14:30:00Z', value: 4800 });
    expect(await second.json()).toEqual({
      outcome: {
        leadId: id,
        site: 'example.com',
        outcome: 'converted',
        at: Date.parse('2026-11-01T14:30:00Z'),
        value: 4800,
        note: null,
        source: 'api',
        recordedAt: clock.now(),
      },
    });
    expect((await receiver.store.listOutcomes()).map((o) => o.outcome)).toEqual(['converted']);
  });

  it('dates an outcome without "at" at the time it was received', async () => {
    const id = await startWithLead();
    await post(id, { outcome: 'converted' });
    expect((await receiver.store.listOutcomes())[0]?.at).toBe(clock.now());
  });

  it('deletes outcomes older than retentionDays on the sweep, keeping recent ones', async () => {
    const id = await startWithLead({ retentionDays: 30 });
    await post(id, { outcome: 'lost', at: '2026-09-01' });
    await receiver.sweep();
    expect(await receiver.store.listOutcomes()).toEqual([]);
    await post(id, { outcome: 'converted', at: '2026-10-20' });
    await receiver.sweep();
    expect((await receiver.store.listOutcomes()).map((o) => o.outcome)).toEqual(['converted']);
  });

  it('refuses an outcome without the API key in the header', async () => {
    const id = await startWithLead();
    expect((await post(id, { outcome: 'converted' }, null)).status).toBe(401);
    expect((await post(id, { outcome: 'converted' }, 'wrong-key-0123456789')).status).toBe(401);
    expect(await receiver.store.listOutcomes()).toEqual([]);
  });

  it('answers 404 for an unknown lead', async () => {
    await startWithLead();
    const response = await post('no-such-lead', { outcome: 'converted' });
    expect(response.status).toBe(404);
    expect((await errorOf(response)).code).toBe('lead_not_found');
  });

  it('answers 405 to a GET', async () => {
    const id = await startWithLead();
    const response = await post(id, undefined, API_KEY, 'GET');
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });

  it.each([
    [{ outcome: 'maybe' }, 'outcome: expected "converted" or "lost", got "maybe"'],
    [{ at: '2026-11-01' }, 'outcome: expected "converted" or "lost", got undefined'],
    [
      { outcome: 'converted', at: '01/11/2026' },
      'at: expected an ISO-8601 date such as 2026-11-01 or 2026-11-01T14:30:00Z, got "01/11/2026"',
    ],
    [{ outcome: 'converted', at: '2026-11-09' }, 'at: 2026-11-09 is in the future; give the time the lead converted or was lost'],
    [{ outcome: 'converted', value: -5 }, "value: expected a number >= 0 (the deal's value, no currency sign), got -5"],
    [{ outcome: 'converted', note: 'x'.repeat(501) }, 'note: expected at most 500 characters, got 501'],
    [{ outcome: 'converted', amount: 5 }, 'amount: unknown field; an outcome has outcome, at, value, note'],
    [[1], 'body: expected a JSON object with "outcome" and optionally "at", "value" and "note"'],
  ])('refuses %j naming the field', async (body, message) => {
    const id = await startWithLead();
    const response = await post(id, body);
    expect(response.status).toBe(400);
    expect(await errorOf(response)).toEqual({ code: 'invalid_outcome', message });
    expect(await receiver.store.listOutcomes()).toEqual([]);
  });

  it('refuses a body that is not JSON', async () => {
    const id = await startWithLead();
    const response = await post(id, '{outcome: converted');
    expect(response.status).toBe(400);
    expect((await errorOf(response)).code).toBe('invalid_json');
  });
});
