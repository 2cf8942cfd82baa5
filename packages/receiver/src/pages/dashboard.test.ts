import { afterEach, describe, expect, it } from 'vitest';
import type { AnyEvent } from '@inkling/core';
import { API_KEY, bounce, collect as collectBatch, createClock, eventAt, warmJourney } from '../../test/helpers.js';
import { STORES, startTestReceiver } from '../../test/stores.js';
import type { Receiver } from '../index.js';

describe.each(STORES)('on $name', (kind) => {
  let receiver: Receiver;
  const clock = createClock();

  afterEach(async () => {
    await receiver.close();
  });

  const collect = (events: AnyEvent[]) => collectBatch(receiver, events, clock.now());

  const page = (path: string) => receiver.fetch(new Request(`http://receiver.test${path}`, { headers: { accept: 'text/html' } }));

  describe('dashboard', () => {
    it('requires the API key, taken from ?key= or the Authorization header', async () => {
      receiver = await startTestReceiver(kind, {}, clock);
      expect((await page('/dashboard')).status).toBe(401);
      expect((await page('/dashboard?key=wrong-key-0123456789')).status).toBe(401);
      expect((await page(`/dashboard?key=${API_KEY}`)).status).toBe(200);
      const viaHeader = await receiver.fetch(new Request('http://receiver.test/dashboard', { headers: { authorization: `Bearer ${API_KEY}` } }));
      expect(viaHeader.status).toBe(200);
    });

    it('lists warm and hot leads only, and sets nothing persistent', async () => {
      receiver = await startTestReceiver(kind, {}, clock);
      await collect([...warmJourney('v_warm_00001', clock.now()), ...bounce('v_cold_00001', clock.now())]);
      const response = await page(`/dashboard?key=${API_KEY}`);
      const html = await response.text();
      expect(html).toContain('v_warm_00001');
      expect(html).not.toContain('v_cold_00001');
      expect(html).toContain('viewed pricing twice');
      expect(response.headers.get('set-cookie')).toBeNull();
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
      expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'/);
      // Framing denied, both ways browsers read it.
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(response.headers.get('x-frame-options')).toBe('DENY');
    });

    it('escapes everything that came from a browser', async () => {
      receiver = await startTestReceiver(kind, {}, clock);
      const hostile = '<script>alert("x")</script>';
      const journey = warmJourney('v_hostile_001', clock.now()).map((e) => ({ ...e, page: { ...e.page, title: hostile } }) as AnyEvent);
      await collect([...journey, eventAt('identify', 'v_hostile_001', clock.now(), 1000, { props: { userId: `<img src=x onerror=alert(1)>` } })]);
      const html = await (await page(`/dashboard?key=${API_KEY}`)).text();
      expect(html).not.toContain('<script>alert');
      expect(html).not.toContain('<img src=x');
      expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
      expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    });
  });

  describe('events page', () => {
    it('lists stored events newest first, as HTML for a browser and JSON otherwise', async () => {
      receiver = await startTestReceiver(kind, {}, clock);
      await collect(bounce('v_first_00001', clock.now()));
      await collect(bounce('v_second_0001', clock.now()));
      const json = (await (await receiver.fetch(new Request('http://receiver.test/events', { headers: { authorization: `Bearer ${API_KEY}` } }))).json()) as { events: { visitor: string }[] };
      expect(json.events.map((e) => e.visitor)).toEqual(['v_second_0001', 'v_first_00001']);
      const html = await (await page(`/events?key=${API_KEY}`)).text();
      expect(html.indexOf('v_second_0001')).toBeLessThan(html.indexOf('v_first_00001'));
      expect((await page('/events')).status).toBe(401);
    });
  });
});
