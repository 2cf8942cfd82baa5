// Leads-list benchmark of @inkling/receiver: how long does the dashboard's list take to answer at many leads?
// Writes --leads leads (with their visitors, user ids, traits, topics, levels and last-seen times spread as a real
// site's are) into a temporary SQLite file and a temporary PostgreSQL schema, then times what the dashboard asks the
// store for one page: `searchLeads` (filters, order, page, counts per level) and `getLeadFacets`, together.
// Prints p50 / p95 ms per case and store as a markdown table.
//
//   npm run build && node scripts/load-leads-list.mjs [--leads 50000] [--runs 30] [--pg postgres://postgres@127.0.0.1:5432/test]
//
// --keep <file> writes the SQLite database there (a new file) and leaves it, and leaves the PostgreSQL schema (its
// name is printed), to look at their query plans.
// Events are not written: the list reads only the leads and visitors tables (a lead's last-seen time and traits
// are kept on its row). PostgreSQL is skipped with --pg ''.
import { mkdtempSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { percentile } from './lib/load.mjs';

// The receiver of this checkout, not the one node_modules resolves to: the benchmark is run on several commits.
const { openPostgresStore, openSqliteStore } = await import(new URL('../packages/receiver/dist/index.js', import.meta.url).href);

const { values } = parseArgs({
  options: {
    leads: { type: 'string', default: '50000' },
    runs: { type: 'string', default: '30' },
    pg: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/test' },
    keep: { type: 'string', default: '' },
  },
});
const LEADS = Number(values.leads);
const RUNS = Number(values.runs);
const NOW = Date.parse('2026-03-02T10:00:00Z');
const DAY_MS = 864e5;
const SITES = ['example.com', 'docs.example.com', 'shop.example.com'];
const TOPICS = ['payroll', 'tax', 'reconciliation', 'audit', 'invoicing', 'expenses', 'reporting', 'compliance', 'api', 'pricing'];
const COMPANIES = ['Acme', 'Initech', 'Globex', 'Umbrella', 'Hooli', 'Stark', 'Wayne', 'Tyrell', 'Cyberdyne', 'Soylent'];

// A fixed pseudo-random sequence, so every run and both stores get the same leads.
let seed = 42;
const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = (list) => list[Math.floor(random() * list.length)];

function makeLeads() {
  const leads = [];
  const visitors = [];
  for (let i = 0; i < LEADS; i++) {
    const id = `lead_${String(i).padStart(7, '0')}_${Math.floor(random() * 1e9).toString(36)}`;
    const r = random();
    // About 2 % hot, 10 % warm, the rest cold, as a site's visitors are.
    const level = r < 0.02 ? 'hot' : r < 0.12 ? 'warm' : 'cold';
    const score = level === 'hot' ? 75 + random() * 25 : level === 'warm' ? 40 + random() * 35 : random() * 40;
    const known = random() < 0.3;
    const topics = Array.from({ length: Math.floor(random() * 5) }, (_, n) => ({
      name: pick(TOPICS),
      reads: 1,
      minutes: 3,
      score: 40 - n,
    }));
    const unique = topics.filter((t, n) => topics.findIndex((u) => u.name === t.name) === n);
    const traits = known ? { name: `Person ${i}`, company: `${pick(COMPANIES)} ${i % 97}`, email: '[email]' } : null;
    const seen = NOW - Math.floor(random() * 90 * DAY_MS);
    leads.push({
      id,
      site: pick(SITES),
      user_id: known ? `user_${i}` : null,
      score,
      level,
      topics: JSON.stringify(unique),
      topic_names: unique.length
        ? `\u001f${unique
            .slice(0, 3)
            .map((t) => t.name)
            .join('\u001f')}\u001f`
        : '',
      created_at: seen - DAY_MS,
      updated_at: seen,
      seen_at: seen,
      traits: traits && JSON.stringify(traits),
      traits_at: traits && seen,
      traits_search: traits && Object.values(traits).join('\n').toLowerCase(),
    });
    const devices = 1 + Math.floor(random() * 2);
    for (let d = 0; d < devices; d++) visitors.push({ visitor: `v_${i}_${d}_${randomBytes(4).toString('hex')}`, lead_id: id });
  }
  return { leads, visitors };
}

const COLUMNS = [
  'id',
  'site',
  'user_id',
  'score',
  'level',
  'topics',
  'topic_names',
  'created_at',
  'updated_at',
  'seen_at',
  'traits',
  'traits_at',
  'traits_search',
];

function seedSqlite(filename, { leads, visitors }) {
  const db = new Database(filename);
  const lead = db.prepare(
    `INSERT INTO leads (${COLUMNS.join(', ')}, dirty, model) VALUES (${COLUMNS.map(() => '?').join(', ')}, 0, 'bench')`,
  );
  const visitor = db.prepare('INSERT INTO visitors (site, visitor, lead_id, linked_at) VALUES (?, ?, ?, ?)');
  const sites = new Map(leads.map((l) => [l.id, l.site]));
  db.transaction(() => {
    for (const l of leads) lead.run(...COLUMNS.map((c) => l[c]));
    for (const v of visitors) visitor.run(sites.get(v.lead_id), v.visitor, v.lead_id, NOW);
  })();
  db.exec('ANALYZE');
  db.close();
}

async function seedPostgres(url, { leads, visitors }) {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const types = ['text', 'text', 'text', 'float8', 'text', 'jsonb', 'text', 'int8', 'int8', 'int8', 'jsonb', 'int8', 'text'];
  // Arrays of each column; JSON travels as text and is cast per row.
  const arrays = types.map((t, n) => `$${n + 1}::${t === 'jsonb' ? 'text' : t}[]`).join(', ');
  const names = COLUMNS.map((_, n) => `c${n + 1}`);
  const select = names.map((c, n) => (types[n] === 'jsonb' ? `${c}::jsonb` : c)).join(', ');
  for (let i = 0; i < leads.length; i += 5000) {
    const chunk = leads.slice(i, i + 5000);
    await pool.query(
      `INSERT INTO leads (${COLUMNS.join(', ')}, dirty, model) SELECT ${select}, false, 'bench' FROM unnest(${arrays}) AS u(${names.join(', ')})`,
      COLUMNS.map((c) => chunk.map((l) => l[c])),
    );
  }
  const sites = new Map(leads.map((l) => [l.id, l.site]));
  for (let i = 0; i < visitors.length; i += 10000) {
    const chunk = visitors.slice(i, i + 10000);
    await pool.query(
      'INSERT INTO visitors (site, visitor, lead_id, linked_at) SELECT s, v, l, $4 FROM unnest($1::text[], $2::text[], $3::text[]) AS u(s, v, l)',
      [chunk.map((v) => sites.get(v.lead_id)), chunk.map((v) => v.visitor), chunk.map((v) => v.lead_id), NOW],
    );
  }
  // As autovacuum leaves a table in use: statistics, and a visibility map for index-only scans.
  await pool.query('VACUUM ANALYZE leads');
  await pool.query('VACUUM ANALYZE visitors');
  await pool.end();
}

/** What the dashboard asks for, as its query strings say it. */
const CASES = [
  ['hot and warm, by score (the default)', { levels: ['hot', 'warm'], sort: 'score' }],
  ['all levels, by score, page 100', { levels: ['hot', 'warm', 'cold'], sort: 'score', page: 100 }],
  ['all levels, by last seen', { levels: ['hot', 'warm', 'cold'], sort: 'seen' }],
  ['all levels, by latest change', { levels: ['hot', 'warm', 'cold'], sort: 'change' }],
  ['cold, seen in 7 days, by last seen', { levels: ['cold'], sort: 'seen', seenSince: NOW - 7 * DAY_MS }],
  ['hot and warm, topic payroll', { levels: ['hot', 'warm'], sort: 'score', topic: 'payroll' }],
  ['hot and warm, one site', { levels: ['hot', 'warm'], sort: 'score', site: 'docs.example.com' }],
  ['all levels, search "initech 4"', { levels: ['hot', 'warm', 'cold'], sort: 'score', text: 'initech 4' }],
  ['all levels, search a visitor id part', { levels: ['hot', 'warm', 'cold'], sort: 'score', text: 'v_4711_' }],
];

async function time(store) {
  const rows = [];
  for (const [name, { page = 1, ...query }] of CASES) {
    const search = { ...query, offset: (page - 1) * 25, limit: 25 };
    const once = () => Promise.all([store.searchLeads(search), store.getLeadFacets(query.site ? { site: query.site } : {})]);
    for (let i = 0; i < 3; i++) await once();
    const ms = [];
    let result;
    for (let i = 0; i < RUNS; i++) {
      const start = performance.now();
      [result] = await once();
      ms.push(performance.now() - start);
    }
    ms.sort((a, b) => a - b);
    const counted = Object.values(result.counts).reduce((a, b) => a + b, 0);
    rows.push({ name, p50: percentile(ms, 50), p95: percentile(ms, 95), listed: result.leads.length, counted });
  }
  return rows;
}

const data = makeLeads();
const results = {};
const dir = mkdtempSync(join(tmpdir(), 'inkling-leads-list-'));
try {
  const filename = values.keep || join(dir, 'inkling.db');
  await (await openSqliteStore({ filename })).close();
  seedSqlite(filename, data);
  const store = await openSqliteStore({ filename });
  results.SQLite = await time(store);
  await store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
if (values.pg) {
  const admin = new pg.Pool({ connectionString: values.pg, max: 1 });
  const schema = `bench_leads_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE SCHEMA ${schema}`);
  try {
    const url = new URL(values.pg);
    url.searchParams.set('options', `-c search_path=${schema}`);
    await (await openPostgresStore({ connectionString: url.href })).close();
    await seedPostgres(url.href, data);
    const store = await openPostgresStore({ connectionString: url.href });
    results.PostgreSQL = await time(store);
    await store.close();
  } finally {
    if (values.keep) console.log(`PostgreSQL schema kept: ${schema}`);
    else await admin.query(`DROP SCHEMA ${schema} CASCADE`);
    await admin.end();
  }
}

console.log(
  `\nLeads list at ${LEADS.toLocaleString('en')} leads (${data.visitors.length.toLocaleString('en')} visitors), ${RUNS} runs per case, ms per page (searchLeads + getLeadFacets)\n`,
);
const stores = Object.keys(results);
console.log(`| case | ${stores.map((s) => `${s} p50 | ${s} p95`).join(' | ')} | leads counted |`);
console.log(`| --- | ${stores.map(() => '---: | ---:').join(' | ')} | ---: |`);
for (const [i, [name]] of CASES.entries()) {
  const cells = stores.map((s) => `${results[s][i].p50.toFixed(1)} | ${results[s][i].p95.toFixed(1)}`);
  console.log(`| ${name} | ${cells.join(' | ')} | ${results[stores[0]][i].counted} |`);
}
