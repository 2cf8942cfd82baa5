// `node scripts/outcomes-store.mjs demo.db [leads]`: a SQLite store of generated leads with recorded outcomes, to
// try calibrate --from-store on and to see what one cut-off for every lead would leak. Page counts are heavy-tailed;
// pricing views (+0.9 log-odds each), article views (+0.5) and pages (+0.1, up to 10) raise the odds of buying;
// every buyer reads four onboarding docs pages AFTER buying, so docs predict nothing before the outcome. 70% of the
// leads who did not buy are recorded as lost, the rest stay open. Uses the built packages (`npm run build` first).
import { pathToFileURL } from 'node:url';
import { uuidv7 } from '../packages/core/dist/index.js';
import { openSqliteStore } from '../packages/receiver/dist/index.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

/** mulberry32: the same seed gives the same store on every machine. */
function createRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const page = (path, kind, title) => ({ path, kind, title });

/** Writes `leads` generated leads and their outcomes to a new SQLite store at `filename`; the buyers' count. */
export async function createOutcomeStore(filename, leads = 600, seed = 5) {
  const now = Date.now();
  const random = createRandom(seed);
  const store = await openSqliteStore({ filename });
  const event = (type, visitor, ts, extra = {}) => ({
    v: 1,
    id: uuidv7(ts),
    type,
    ts: new Date(ts).toISOString(),
    visitor,
    session: `s_${visitor}`,
    page: page('/', 'other', 'Home'),
    props: { nav: 'load' },
    ...extra,
  });
  let buyers = 0;
  for (let i = 0; i < leads; i++) {
    const visitor = `v_lead_${String(i).padStart(6, '0')}`;
    const userId = `user-${i}@example.com`;
    // Within the collector's 7-day window, so every event keeps its own time.
    let t = now - 6 * DAY_MS + Math.floor(random() * 3 * DAY_MS);
    const events = [event('identify', visitor, t, { props: { userId } })];
    const pages = Math.floor(1 / (random() + 0.05));
    const pricing = random() < 0.3 ? 1 + Math.floor(random() * 3) : 0;
    const articles = Math.floor(random() * 4);
    for (let p = 0; p < pages; p++) events.push(event('page_view', visitor, (t += MINUTE_MS)));
    for (let p = 0; p < pricing; p++)
      events.push(event('page_view', visitor, (t += MINUTE_MS), { page: page('/pricing', 'pricing', 'Pricing') }));
    for (let p = 0; p < articles; p++)
      events.push(event('page_view', visitor, (t += MINUTE_MS), { page: page(`/blog/${p}`, 'article', 'Article') }));
    const odds = -2.6 + 0.9 * pricing + 0.5 * articles + 0.1 * Math.min(pages, 10);
    const bought = random() < 1 / (1 + Math.exp(-odds));
    const outcomeAt = t + 6 * HOUR_MS;
    if (bought)
      for (let d = 1; d <= 4; d++)
        events.push(event('page_view', visitor, outcomeAt + d * HOUR_MS, { page: page(`/docs/${d}`, 'docs', 'Docs') }));
    const stored = events.filter((e) => Date.parse(e.ts) < now);
    await store.insertEvents({
      site: 'example.com',
      sentAt: new Date(now).toISOString(),
      receivedAt: now,
      bot: false,
      events: stored.map((e) => ({ event: e, ts: Date.parse(e.ts), clamped: false })),
    });
    if (bought || random() < 0.7) {
      const [lead] = await store.findLeadsByUser(userId);
      await store.recordOutcome({
        leadId: lead.id,
        outcome: bought ? 'converted' : 'lost',
        at: outcomeAt,
        source: 'import',
        recordedAt: now,
      });
    }
    buyers += bought ? 1 : 0;
  }
  await store.close();
  return buyers;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [filename, leads] = process.argv.slice(2);
  if (!filename) {
    console.error('usage: node scripts/outcomes-store.mjs <new.db> [leads]');
    process.exit(2);
  }
  const buyers = await createOutcomeStore(filename, leads ? Number(leads) : undefined);
  console.log(`Wrote ${filename}: ${leads ?? 600} leads, ${buyers} bought.`);
}
