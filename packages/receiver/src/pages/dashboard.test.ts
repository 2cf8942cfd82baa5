import { afterEach, describe, expect, it } from 'vitest';
import type { AnyEvent } from '@inkling/core';
import {
  API_KEY,
  bounce,
  collect as collectBatch,
  createClock,
  demoRequest,
  eventAt,
  post,
  batchOf,
  SITE,
  warmJourney,
} from '../../test/helpers.js';
import { STORES, startTestReceiver } from '../../test/stores.js';
import type { LeadDetail, LeadPage, Receiver, ReceiverOptions } from '../index.js';

describe.each(STORES)('on $name', (kind) => {
  let receiver: Receiver;
  const clock = createClock();

  afterEach(async () => {
    await receiver.close();
  });

  const start = async (options: ReceiverOptions = {}) => (receiver = await startTestReceiver(kind, options, clock));
  const collect = (events: AnyEvent[]) => collectBatch(receiver, events, clock.now());
  const bearer = { authorization: `Bearer ${API_KEY}` };
  const page = (path: string, headers: Record<string, string> = bearer) =>
    receiver.fetch(new Request(`http://receiver.test${path}`, { headers: { accept: 'text/html', ...headers } }));
  const html = async (path: string) => (await page(path)).text();
  const leadIdOf = async (visitor: string) =>
    (
      (await (await receiver.fetch(new Request('http://receiver.test/leads?limit=200', { headers: bearer }))).json()) as LeadPage
    ).leads.find((l) => l.visitors.includes(visitor))!.id;

  describe('sign-in', () => {
    it('exchanges ?key= for an HttpOnly, SameSite=Strict session cookie on the dashboard path, and takes the key out of the address', async () => {
      await start();
      const first = await page(`/dashboard?level=hot&key=${API_KEY}`, {});
      expect(first.status).toBe(303);
      expect(first.headers.get('location')).toBe('/dashboard?level=hot');
      const cookie = first.headers.get('set-cookie')!;
      expect(cookie).toMatch(/^inkling_session=\d+\.[A-Za-z0-9_-]+; Path=\/dashboard; Max-Age=43200; HttpOnly; SameSite=Strict$/);
      const session = { cookie: cookie.split(';')[0]! };
      const signedIn = await page('/dashboard?level=hot', session);
      expect(signedIn.status).toBe(200);
      // The header leads to the model page, which the same session opens.
      expect(await signedIn.text()).toContain('<a href="/dashboard/model">Model</a>');
      expect((await page('/dashboard/model', session)).status).toBe(200);
      expect((await page('/dashboard', {})).status).toBe(401);
      // A forged or expired cookie is a sign-in form, not a page.
      expect((await page('/dashboard', { cookie: session.cookie.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')) })).status).toBe(401);
      clock.advance(13 * 3600_000);
      expect((await page('/dashboard', session)).status).toBe(401);
    });

    it('answers a wrong key, or none, with the sign-in form, and logs out by clearing the cookie', async () => {
      await start();
      const wrong = await page('/dashboard?key=wrong-key-0123456789', {});
      expect(wrong.status).toBe(401);
      const form = await wrong.text();
      expect(form).toContain('That is not this receiver’s API key.');
      expect(form).toContain('<input id="key" name="key" type="password"');
      expect(wrong.headers.get('set-cookie')).toBeNull();
      const logout = await page('/dashboard/logout', {});
      expect(logout.status).toBe(303);
      expect(logout.headers.get('set-cookie')).toBe('inkling_session=; Path=/dashboard; Max-Age=0; HttpOnly; SameSite=Strict');
    });
  });

  describe('leads list', () => {
    it("shows each lead's strongest topics as chips, filters by ?topic=, and lists them on the lead page", async () => {
      await start();
      await collect([
        ...warmJourney('v_payroll_001', clock.now(), [['payroll'], ['payroll'], ['tax']]),
        ...warmJourney('v_closing_001', clock.now(), [['reconciliation'], ['reconciliation'], ['reconciliation']]),
      ]);
      await receiver.flush();
      const list = await html('/dashboard');
      expect(list).toContain('<a class="topic" href="?level=hot&amp;level=warm&amp;topic=payroll" title="2 reads, 8 min">payroll</a>');
      expect(list).toContain('<option value="reconciliation">reconciliation</option>');
      const filtered = await html('/dashboard?topic=Payroll');
      expect(filtered).toContain('<option value="payroll" selected>payroll</option>');
      expect(filtered).toContain(await leadIdOf('v_payroll_001'));
      expect(filtered).not.toContain(await leadIdOf('v_closing_001'));
      const lead = await html(`/dashboard/leads/${await leadIdOf('v_closing_001')}`);
      expect(lead).toMatch(
        /<a class="topic" href="\/dashboard\?topic=reconciliation">reconciliation<\/a> <span class="muted">3 reads · \d+ min · interest \d+<\/span>/,
      );
    });

    it('lists hot and warm leads with a title that says so, counts per level, and links each to its page', async () => {
      await start();
      await collect([
        ...warmJourney('v_warm_00001', clock.now()),
        ...bounce('v_cold_00001', clock.now()),
        demoRequest('v_hot_000001', clock.now()),
      ]);
      await receiver.flush();
      const response = await page('/dashboard');
      const body = await response.text();
      expect(body).toContain('<h1>Hot and warm leads');
      expect(body).toContain(await leadIdOf('v_warm_00001'));
      expect(body).not.toContain(await leadIdOf('v_cold_00001'));
      expect(body).toMatch(/data-count="hot">1</);
      expect(body).toMatch(/data-count="warm">1</);
      expect(body).toMatch(/data-count="cold">1</);
      expect(body).toContain(`href="/dashboard/leads/${await leadIdOf('v_hot_000001')}"`);
      expect(body).toContain('viewed pricing twice');
      // The live script runs under its hash only; it may fetch this origin and nothing else.
      expect(response.headers.get('content-security-policy')).toMatch(
        /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/]+=*'; script-src 'sha256-[A-Za-z0-9+/]+=*'; connect-src 'self'; frame-ancestors 'none'/,
      );
      expect(response.headers.get('x-frame-options')).toBe('DENY');
      expect((await html('/dashboard?level=hot')).indexOf(await leadIdOf('v_warm_00001'))).toBe(-1);
      expect(await html('/dashboard?level=hot')).toContain('<h1>Hot leads');
    });

    it('filters by text, site and time seen, sorts by last seen, and pages', async () => {
      await start();
      await collect(warmJourney('v_older_00001', clock.now() - 10 * 24 * 3600_000));
      await collect([
        ...warmJourney('v_newer_00001', clock.now()),
        eventAt('identify', 'v_newer_00001', clock.now(), 1000, { props: { userId: 'ada@example.com' } }),
      ]);
      await receiver.flush();
      const older = await leadIdOf('v_older_00001');
      const newer = await leadIdOf('v_newer_00001');
      const search = await html('/dashboard?q=ADA%40example');
      expect(search).toContain(newer);
      expect(search).not.toContain(older);
      expect(await html('/dashboard?q=v_older')).toContain(older);
      const recent = await html('/dashboard?since=7d&level=warm&level=cold');
      expect(recent).toContain(newer);
      expect(recent).not.toContain(older);
      expect(await html('/dashboard?site=other.example')).not.toContain(newer);
      const bySeen = await html('/dashboard?sort=seen&level=warm&level=cold');
      expect(bySeen.indexOf(newer)).toBeLessThan(bySeen.indexOf(older));
      const page2 = await html('/dashboard?page=2&level=warm&level=cold');
      expect(page2).not.toContain(newer);
      expect(page2).toContain('Page 2 of 1');
    });

    it("searches the traits sent with identify: a person's name or company finds their lead", async () => {
      await start();
      await collect([
        ...warmJourney('v_grace_0001', clock.now()),
        eventAt('identify', 'v_grace_0001', clock.now(), 1000, {
          props: { userId: 'u_1906', traits: { name: 'Grace Hopper', company: 'Remington Rand' } },
        }),
        ...warmJourney('v_other_0001', clock.now()),
      ]);
      await receiver.flush();
      const grace = await leadIdOf('v_grace_0001');
      const other = await leadIdOf('v_other_0001');
      // The list says who the traits name, beside the user id.
      expect(await html('/dashboard')).toContain('>u_1906</a> <span class="traits">Grace Hopper · Remington Rand</span>');
      for (const q of ['hopper', 'REMINGTON', 'grace h']) {
        const list = await html(`/dashboard?q=${encodeURIComponent(q)}`);
        expect(list).toContain(grace);
        expect(list).not.toContain(other);
        expect(list).toMatch(/data-count="warm">1</);
      }
      expect(await html('/dashboard?q=lovelace')).toContain('No hot and warm leads match these filters yet.');
    });

    it('finds and counts a low-scoring lead among more than 5,000: every lead, not the top of the ranking', async () => {
      await start();
      const now = clock.now();
      const crowd = Array.from({ length: 5000 }, (_, i) => eventAt('page_view', `v_crowd_${String(i).padStart(5, '0')}`, now, 60_000));
      const identify = eventAt('identify', 'v_umbra_0001', now, 30_000, {
        props: { userId: 'u_umbra', traits: { company: 'Umbra Holdings' } },
      });
      const events = [...crowd, eventAt('page_view', 'v_umbra_0001', now, 60_000), identify];
      await receiver.store.insertEvents({
        site: SITE,
        sentAt: new Date(now).toISOString(),
        receivedAt: now,
        bot: false,
        events: events.map((event) => ({ event, ts: Date.parse(event.ts), clamped: false })),
      });
      const [umbra] = await receiver.store.findLeadsByUser('u_umbra');
      const dirty = await receiver.store.claimDirtyLeads(10_000, now, 3600_000);
      expect(dirty).toHaveLength(5001);
      // Every other lead scores above it: it is the 5,001st by score, past where the list used to stop reading.
      const others = dirty.filter((l) => l.id !== umbra!.id);
      for (let i = 0; i < others.length; i += 100) {
        await Promise.all(
          others.slice(i, i + 100).map((l) =>
            receiver.store.saveScore({
              leadId: l.id,
              dirtySeq: l.dirtySeq,
              score: 5,
              level: 'cold',
              reasons: [],
              model: 'm',
              scoredAt: now,
              messages: [],
              from: l.level,
            }),
          ),
        );
      }
      const found = await html('/dashboard?level=cold&q=UMBRA');
      expect(found).toContain(`data-lead-id="${umbra!.id}"`);
      expect(found).toMatch(/data-count="cold">1</);
      const all = await html('/dashboard?level=cold');
      expect(all).toMatch(/data-count="cold">5001</);
      expect(all).toContain('Page 1 of 201');
      expect(all).not.toContain(umbra!.id);
      const last = await html('/dashboard?level=cold&page=201');
      expect(last.match(/<li class="lead"/g)).toHaveLength(1);
      expect(last).toContain(`data-lead-id="${umbra!.id}"`);
    }, 60_000);

    it('answers 400 naming a bad filter', async () => {
      await start();
      const response = await page('/dashboard?sort=random');
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toBe(
        'sort: expected score, seen or change, got "random"',
      );
      expect((await page('/dashboard?since=2y')).status).toBe(400);
    });

    it('answers 304 to a poll when nothing changed, and a new version when a lead appears', async () => {
      await start();
      const first = await page('/dashboard');
      const etag = first.headers.get('etag')!;
      expect(etag).toMatch(/^"[A-Za-z0-9+/]+"$/);
      expect((await page('/dashboard', { ...bearer, 'if-none-match': etag })).status).toBe(304);
      await collect([demoRequest('v_hot_000001', clock.now())]);
      await receiver.flush();
      const next = await page('/dashboard', { ...bearer, 'if-none-match': etag });
      expect(next.status).toBe(200);
      expect(await next.text()).toContain(await leadIdOf('v_hot_000001'));
    });

    it('escapes everything that came from a browser', async () => {
      await start();
      const hostile = '<script>alert("x")</script>';
      const journey = warmJourney('v_hostile_001', clock.now()).map((e) => ({ ...e, page: { ...e.page, title: hostile } }) as AnyEvent);
      await collect([
        ...journey,
        eventAt('identify', 'v_hostile_001', clock.now(), 1000, {
          props: { userId: `<img src=x onerror=alert(1)>`, traits: { company: { name: '<b>Evil</b> Corp' } } },
        }),
      ]);
      await receiver.flush();
      const list = await html('/dashboard');
      expect(list).not.toContain('<img src=x');
      expect(list).toContain('&lt;img src=x onerror=alert(1)&gt;');
      expect(list).toContain('<span class="traits">&lt;b&gt;Evil&lt;/b&gt; Corp</span>');
      expect(list).not.toContain('<b>Evil');
      const lead = await html(`/dashboard/leads/${await leadIdOf('v_hostile_001')}`);
      expect(lead).not.toContain('<script>alert');
      expect(lead).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    });

    it('says how many events from automated browsers were not scored, on the list and in /events', async () => {
      await start();
      const headless = {
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36',
      };
      const sent = await receiver.fetch(
        new Request('http://receiver.test/collect', {
          method: 'POST',
          ...post(batchOf(warmJourney('v_headless_01', clock.now()), clock.now()), headless),
        }),
      );
      expect(sent.status).toBe(202);
      await receiver.flush();
      expect(await html('/dashboard')).toContain('10 events from automated browsers were not scored.');
      const events = (await (await receiver.fetch(new Request('http://receiver.test/events', { headers: bearer }))).json()) as {
        excluded: { bot: number };
      };
      expect(events.excluded).toEqual({ bot: 10 });
      expect(await html('/events')).toContain(
        '10 events from automated browsers (marked <span class="bot">bot</span>) were stored but not scored.',
      );
    });

    it('scores automated browsers with scoreBots, and then has nothing to explain', async () => {
      await start({ scoreBots: true });
      const headless = { 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/126.0.0.0 Safari/537.36' };
      await receiver.fetch(
        new Request('http://receiver.test/collect', {
          method: 'POST',
          ...post(batchOf(warmJourney('v_headless_01', clock.now()), clock.now()), headless),
        }),
      );
      await receiver.flush();
      const list = await html('/dashboard');
      expect(list).toContain(await leadIdOf('v_headless_01'));
      expect(list).not.toContain('automated browsers');
    });
  });

  describe('lead page', () => {
    it("draws the score over time with level bands and the events that moved it, and a bar per reason in the model's points", async () => {
      await start();
      await collect([...warmJourney('v_warm_00001', clock.now()), demoRequest('v_warm_00001', clock.now())]);
      await receiver.flush();
      const id = await leadIdOf('v_warm_00001');
      const response = await page(`/dashboard/leads/${id}`);
      expect(response.status).toBe(200);
      const body = await response.text();
      expect(body).toContain(`<code class="lead-id">${id}</code>`);
      for (const band of ['cold', 'warm', 'hot']) expect(body).toContain(`class="band band-${band}"`);
      expect(body).toMatch(/<circle class="move up"[^>]*><title>[^<]*Requested a demo \(\+\d+, score 100\)<\/title>/);
      // The first event (a visit, a page) already scores a point or two under the default model.
      expect(body).toMatch(/Score over time: from [0-2] on \d{4}-\d\d-\d\d to 100 now/);
      // The demo request's bar: 80 points, undecayed today.
      expect(body).toMatch(/<span class="reason">requested a demo<\/span><svg[^>]*><rect class="pos" x="0" y="0" width="100.0"/);
      expect(body).toContain('<span class="value" data-weight="80">+80.0 points</span>');
      expect(body).toContain('<strong>Requested a demo</strong>');
      expect(body).not.toContain('Did "demo_request"');
      expect(body).toContain('<strong>Viewed an article page</strong>');
      expect(body).toContain('<code>v_warm_00001</code>');
      expect(response.headers.get('content-security-policy')).toMatch(
        /^default-src 'none'; style-src 'sha256-[^']+'; frame-ancestors 'none'/,
      );
      expect((await page('/dashboard/leads/no-such-lead')).status).toBe(404);
    });

    it('pages the timeline with a cursor, on the page and in the lead API, without overlap', async () => {
      await start();
      const events = Array.from({ length: 60 }, (_, n) => eventAt('page_view', 'v_reader_0001', clock.now(), (n + 1) * 60_000));
      await collect(events);
      await receiver.flush();
      const id = await leadIdOf('v_reader_0001');
      const first = await html(`/dashboard/leads/${id}`);
      expect(first.match(/<li class="signal">/g)).toHaveLength(50);
      const cursor = /href="[^"]*\?cursor=([^"#]+)#timeline"/.exec(first)![1]!;
      const second = await html(`/dashboard/leads/${id}?cursor=${cursor}`);
      expect(second.match(/<li class="signal">/g)).toHaveLength(10);
      expect(second).not.toContain('Older signals');

      const get = async (query: string) =>
        (await (await receiver.fetch(new Request(`http://receiver.test/leads/${id}${query}`, { headers: bearer }))).json()) as LeadDetail;
      const seen: string[] = [];
      let detail = await get('?limit=25');
      seen.push(...detail.timeline.map((t) => t.eventId!));
      while (detail.nextCursor) {
        detail = await get(`?limit=25&cursor=${detail.nextCursor}`);
        seen.push(...detail.timeline.map((t) => t.eventId!));
      }
      expect(seen).toHaveLength(60);
      expect(new Set(seen).size).toBe(60);
      expect(seen).toEqual(events.map((e) => e.id));
      expect((await receiver.fetch(new Request(`http://receiver.test/leads/${id}?cursor=nope`, { headers: bearer }))).status).toBe(400);
    });
  });
});
