import { createWriteStream } from 'node:fs';
import { readFileSync } from 'node:fs';
import { createProfile, DEFAULT_ACCOUNT_MODEL, getAccountFeatures, getTopicColumns } from '@inkling/core';
import { ACCOUNT_SCORED_MEMBERS } from '../scoring/account-scoring.js';
import {
  foldEvents,
  getEventFeatures,
  getEventTopicFeatures,
  getFeatureNames,
  getDefaultModel,
  parseIntentModel,
} from '../scoring/score-events.js';
import type { IntentModel } from '../scoring/score-events.js';
import type { Account, Lead, Store } from '../store/types.js';
import type { Flag, Sourced } from './args.js';
import { formatHelp, parseFlags } from './args.js';
import type { CliIo } from './io.js';
import { CliError } from './io.js';
import { openCliStore } from './open-store.js';
import { DEFAULT_DB } from './serve.js';

const FLAGS: Record<string, Flag> = {
  db: { type: 'string', env: 'INKLING_DB', value: 'file|url', help: `SQLite database file, or a postgres:// URL (default ${DEFAULT_DB})` },
  site: { type: 'string', value: 'id', help: 'Only leads of this site' },
  'as-of': {
    type: 'string',
    value: 'when',
    help: 'Features as they were then, from the events before it: a date, an ISO-8601 date-time, or an age such as 7d, 12h, 2w (default: now)',
  },
  model: { type: 'string', env: 'INKLING_MODEL', value: 'file', help: 'Model JSON whose page kinds to keep (default: the built-in model)' },
  out: { type: 'string', value: 'file', help: 'Write the CSV here (default: standard output)' },
  accounts: {
    type: 'boolean',
    help: 'One row per account instead: its key, then its members, engaged and recent people and its signals summed over members',
  },
};

export const EXPORT_HELP = formatHelp(
  'inkling export-features [options]',
  'Write one CSV row per lead with the intent model\'s features (FEATURE_NAMES), the calibrate CSV without\nits label: add a "converted" column (true/false) from your CRM, then run inkling calibrate on it.\nThe "visitor" column holds the lead\'s user id when known, else its visitor id. With --as-of, label\nwhether each lead converted after that time, so no row already holds its outcome; leads with no\nevent before it are left out.',
  FLAGS,
);

/** Rows are fetched a page at a time, so a large store is exported in bounded memory. */
const PAGE_SIZE = 500;

const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * `--as-of` as ms since the epoch: a date (`2026-10-01`, midnight UTC), an ISO-8601 date-time with its zone, or an
 * age before `nowMs` (`7d`, `12h`, `2w`), so the same command labels the last week of any store, fresh or old.
 */
export function parseAsOf(sourced: Sourced<unknown>, nowMs: number): number {
  const text = String(sourced.value);
  const age = /^(\d+)([hdw])$/.exec(text);
  if (age) return nowMs - Number(age[1]) * UNIT_MS[age[2]!]!;
  const ms = Date.parse(text);
  if (/^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d))?$/.test(text) && Number.isFinite(ms)) return ms;
  throw new CliError(
    `${sourced.source}: expected an age such as 7d, 12h or 2w, a date, or an ISO-8601 date-time with its zone, such as 2026-11-01T00:00:00Z; got ${JSON.stringify(text)}`,
  );
}

/** Quotes a CSV field when it needs it (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Calls `each` with every lead of the store (of `site`) and its events before `nowMs`, a page of leads at a time. */
async function forEachLead(
  store: Store,
  nowMs: number,
  site: string | undefined,
  each: (lead: Lead, events: Awaited<ReturnType<Store['getLeadEvents']>>) => void,
): Promise<void> {
  let after: Lead | undefined;
  for (;;) {
    const leads = await store.listLeads({
      limit: PAGE_SIZE,
      ...(site ? { site } : {}),
      ...(after ? { after: { score: after.score, id: after.id } } : {}),
    });
    for (const lead of leads) {
      const events = (await store.getLeadEvents(lead.id)).filter((e) => e.ts < nowMs);
      if (events.length > 0) each(lead, events);
    }
    after = leads[leads.length - 1];
    if (leads.length < PAGE_SIZE) return;
  }
}

/**
 * Writes the features CSV of every lead in `store` through `write`, as of `nowMs` (from the events before it);
 * returns the number of rows. After the model's features come the topic columns (`topic:<name>`, the decayed
 * interest), one per topic at least `minTopicLeads` leads have (core's `getTopicColumns`): a first pass finds them,
 * so memory stays bounded by the number of topics, not of leads.
 */
export async function exportFeatures(
  store: Store,
  model: IntentModel,
  nowMs: number,
  write: (text: string) => void,
  site?: string,
  minTopicLeads?: number,
): Promise<number> {
  const names = getFeatureNames();
  const topicLeads: string[][] = [];
  await forEachLead(store, nowMs, site, (_lead, events) => {
    const keys = Object.keys(getEventTopicFeatures(events, model, nowMs));
    if (keys.length) topicLeads.push(keys);
  });
  const topics = getTopicColumns(topicLeads, minTopicLeads);
  write(`visitor,${[...names, ...topics].map(csvField).join(',')}\n`);
  let rows = 0;
  await forEachLead(store, nowMs, site, (lead, events) => {
    const features = { ...getEventFeatures(events, model, nowMs), ...(topics.length ? getEventTopicFeatures(events, model, nowMs) : {}) };
    const values = [...names, ...topics].map((name) => String(Math.round((features[name] ?? 0) * 1000) / 1000));
    write(`${csvField(lead.userId ?? lead.visitors[0] ?? lead.id)},${values.join(',')}\n`);
    rows++;
  });
  return rows;
}

/** The columns of an `--accounts` row after `account`: the account model's features, in its order. */
export function getAccountColumns(): string[] {
  return ['members', 'engaged_people', 'recent_people', ...Object.keys(DEFAULT_ACCOUNT_MODEL.points).filter((k) => !k.endsWith('_people'))];
}

/**
 * Writes the accounts CSV through `write`: one row per account (of `site`), its key and the features the account
 * model weighs (core's `getAccountFeatures`), from its members' events before `nowMs` (its strongest
 * {@link ACCOUNT_SCORED_MEMBERS}, as scoring reads them). Returns the number of rows. `calibrate` may fit the account
 * weights from it once a "converted" column is added.
 */
export async function exportAccountFeatures(
  store: Store,
  model: IntentModel,
  nowMs: number,
  write: (text: string) => void,
  site?: string,
): Promise<number> {
  const columns = getAccountColumns();
  write(`account,${columns.join(',')}\n`);
  let rows = 0;
  let after: Account | undefined;
  for (;;) {
    const accounts = await store.listAccounts({
      limit: PAGE_SIZE,
      ...(site ? { site } : {}),
      ...(after ? { after: { score: after.score, id: after.id } } : {}),
    });
    for (const account of accounts) {
      const members = await store.listAccountMembers(account.id, { limit: ACCOUNT_SCORED_MEMBERS });
      const profiles = [];
      for (const member of members) {
        const events = (await store.getLeadEvents(member.leadId)).filter((e) => e.ts < nowMs);
        if (events.length) profiles.push({ id: member.leadId, profile: foldEvents(createProfile(), events, model) });
      }
      if (profiles.length === 0) continue;
      const features: Record<string, number> = { ...getAccountFeatures(profiles, model, nowMs), members: account.members };
      write(`${csvField(account.key)},${columns.map((name) => String(Math.round((features[name] ?? 0) * 1000) / 1000)).join(',')}\n`);
      rows++;
    }
    after = accounts[accounts.length - 1];
    if (accounts.length < PAGE_SIZE) return rows;
  }
}

/** `inkling export-features`. */
export async function exportFeaturesCommand(args: string[], io: CliIo): Promise<number> {
  const values = parseFlags('export-features', args, FLAGS, io.env ?? {});
  if (values['help']) {
    io.stdout(EXPORT_HELP);
    return 0;
  }
  const asOf = values['as-of'];
  const nowMs = asOf ? parseAsOf(asOf, Date.now()) : Date.now();
  let model = getDefaultModel();
  const modelFile = values['model'];
  if (modelFile) {
    try {
      model = parseIntentModel(JSON.parse(readFileSync(String(modelFile.value), 'utf8')));
    } catch (error) {
      throw new CliError(
        `${modelFile.source}: cannot use the model file ${JSON.stringify(modelFile.value)}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const store = await openCliStore(values, 'read');
  const out = values['out'] ? createWriteStream(String(values['out'].value)) : undefined;
  try {
    const accounts = values['accounts']?.value === true;
    const rows = await (accounts ? exportAccountFeatures : exportFeatures)(
      store,
      model,
      nowMs,
      out ? (t) => void out.write(t) : io.stdout,
      values['site'] ? String(values['site'].value) : undefined,
    );
    const noun = accounts ? 'account' : 'lead';
    io.stderr(
      `inkling: exported ${rows} ${noun}${rows === 1 ? '' : 's'}${rows === 0 && asOf ? `: no ${noun} had an event before ${new Date(nowMs).toISOString()}; choose a later --as-of (such as 1d) or leave it out` : ''}\n`,
    );
  } finally {
    await store.close();
    if (out) await new Promise((resolve) => out.end(resolve));
  }
  return 0;
}
