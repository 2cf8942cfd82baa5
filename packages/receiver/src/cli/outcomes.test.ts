import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AnyEvent } from '@inkling/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SITE, eventAt } from '../../test/helpers.js';
import { openSqliteStore } from '../store/open.js';
import type { Outcome } from '../store/types.js';
import { runCli } from './main.js';

const NOW = Date.now();
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A SQLite file with three known leads (ada on two sites) and one anonymous one; their lead ids by user. */
async function createDb(): Promise<{ dir: string; db: string; ids: Record<string, string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'inkling-outcomes-'));
  dirs.push(dir);
  const db = join(dir, 'inkling.db');
  const store = await openSqliteStore({ filename: db });
  const identify = (visitor: string, userId: string): AnyEvent => eventAt('identify', visitor, NOW, 60_000, { props: { userId } });
  const insert = (site: string, events: AnyEvent[]) =>
    store.insertEvents({
      site,
      sentAt: new Date(NOW).toISOString(),
      receivedAt: NOW,
      bot: false,
      events: events.map((event) => ({ event, ts: Date.parse(event.ts), clamped: false })),
    });
  await insert(SITE, [
    identify('v_ada_000001', 'Ada@Example.com'),
    identify('v_bob_000001', 'bob-42'),
    eventAt('page_view', 'v_anon_00001', NOW, 60_000),
  ]);
  await insert('other.example', [identify('v_ada_000002', 'Ada@Example.com')]);
  const ids: Record<string, string> = {};
  for (const lead of await store.listLeads({ limit: 10 })) ids[`${lead.userId ?? lead.visitors[0]}@${lead.site}`] = lead.id;
  await store.close();
  return { dir, db, ids };
}

async function outcomesOf(db: string): Promise<Outcome[]> {
  const store = await openSqliteStore({ filename: db, readonly: true });
  try {
    return await store.listOutcomes();
  } finally {
    await store.close();
  }
}

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(args, { stdout: (s) => void out.push(s), stderr: (s) => void err.push(s), env: {} });
  return { code, out: out.join(''), err: err.join('') };
}

describe('inkling outcomes import', () => {
  it('matches rows by lead id, user id and e-mail, and reports the unmatched ones', async () => {
    const { dir, db, ids } = await createDb();
    const csv = join(dir, 'crm.csv');
    const anon = ids[`v_anon_00001@${SITE}`]!;
    writeFileSync(
      csv,
      [
        'email,user_id,lead_id,outcome,at,value,note,owner',
        `ADA@example.com,,,won,2026-01-10,1200,"signed, finally",kim`,
        `,bob-42,,lost,2026-01-11T09:00:00Z,,,kim`,
        `,,${anon},converted,,,,lee`,
        `nobody@example.com,,,lost,2026-01-12,,,lee`,
      ].join('\n'),
    );
    const result = await run(['outcomes', 'import', csv, '--db', db, '--site', SITE]);
    expect(result).toMatchObject({ code: 0, err: '' });
    expect(result.out).toBe(
      `Read ${csv}: 4 rows, 3 matched (recorded), 1 unmatched, 0 invalid.\nColumns read past: owner.\nUnmatched:\n  row 5: no lead has this email\n`,
    );
    const byLead = Object.fromEntries((await outcomesOf(db)).map((o) => [o.leadId, o]));
    expect(byLead[ids[`Ada@Example.com@${SITE}`]!]).toMatchObject({
      outcome: 'converted',
      at: Date.parse('2026-01-10'),
      value: 1200,
      note: 'signed, finally',
      source: 'import',
    });
    expect(byLead[ids[`bob-42@${SITE}`]!]).toMatchObject({ outcome: 'lost', at: Date.parse('2026-01-11T09:00:00Z'), value: null });
    expect(byLead[anon]).toMatchObject({ outcome: 'converted' });
    expect(Object.keys(byLead)).toHaveLength(3);
  });

  it('reports a user id known on several sites as unmatched until --site picks one', async () => {
    const { dir, db } = await createDb();
    const csv = join(dir, 'crm.csv');
    writeFileSync(csv, 'email,outcome\nada@example.com,converted\n');
    const result = await run(['outcomes', 'import', csv, '--db', db]);
    expect(result.code).toBe(0);
    expect(result.out).toContain('row 2: email matches 2 leads (one per site); pass --site');
    expect(await outcomesOf(db)).toEqual([]);
  });

  it('records nothing when a row is invalid, names the row and column, and exits 1', async () => {
    const { dir, db } = await createDb();
    const csv = join(dir, 'crm.csv');
    writeFileSync(csv, 'user_id,outcome,at\nbob-42,lost,2026-01-11\nbob-42,maybe,2026-01-11\n,lost,\n');
    const result = await run(['outcomes', 'import', csv, '--db', db, '--site', SITE]);
    expect(result.code).toBe(1);
    expect(result.out).toContain('row 3: column outcome: expected "converted" or "lost", got "maybe"');
    expect(result.out).toContain('row 4: no key: user_id is empty');
    expect(result.out).toContain('Nothing was recorded');
    expect(await outcomesOf(db)).toEqual([]);
    const skipping = await run(['outcomes', 'import', csv, '--db', db, '--site', SITE, '--skip-invalid']);
    expect(skipping.code).toBe(0);
    expect((await outcomesOf(db)).map((o) => o.outcome)).toEqual(['lost']);
  });

  it('records nothing on a dry run', async () => {
    const { dir, db } = await createDb();
    const csv = join(dir, 'crm.csv');
    writeFileSync(csv, 'user_id,outcome\nbob-42,converted\n');
    const result = await run(['outcomes', 'import', csv, '--db', db, '--site', SITE, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('1 matched (not recorded)');
    expect(await outcomesOf(db)).toEqual([]);
  });

  it('exits 1 for a file without a key or an outcome column, naming what to add', async () => {
    const { dir, db } = await createDb();
    const csv = join(dir, 'crm.csv');
    writeFileSync(csv, 'name,outcome\nAda,converted\n');
    expect(await run(['outcomes', 'import', csv, '--db', db])).toMatchObject({
      code: 1,
      err: `inkling outcomes: ${csv}: row 1: no key column; add one of lead_id, user_id, email to say which lead each row is\n`,
    });
    writeFileSync(csv, 'email,status\nada@example.com,won\n');
    expect((await run(['outcomes', 'import', csv, '--db', db])).err).toContain('no "outcome" column');
    expect((await run(['outcomes', 'import', join(dir, 'missing.csv'), '--db', db])).err).toContain('no such file');
  });

  it('exits 2 for a bad command line, naming the argument', async () => {
    expect(await run(['outcomes', 'export'])).toMatchObject({
      code: 2,
      err: 'inkling outcomes: unknown subcommand "export"; expected import, e.g. inkling outcomes import crm.csv\n',
    });
    expect(await run(['outcomes', 'import'])).toMatchObject({
      code: 2,
      err: '<file>: expected the CRM export to import, e.g. inkling outcomes import crm.csv\n',
    });
    expect((await run(['outcomes', 'import', 'a.csv', 'b.csv'])).err).toContain('unexpected argument "b.csv"');
    expect((await run(['outcomes', 'import', 'a.csv', '--sight', 'x'])).code).toBe(2);
  });
});
