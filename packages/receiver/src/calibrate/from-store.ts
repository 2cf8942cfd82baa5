import type { FeatureName } from '@inkling/core';
import { getEventFeatures, getFeatureNames } from '../scoring/score-events.js';
import type { IntentModel } from '../scoring/score-events.js';
import type { Lead, Outcome, Store } from '../store/types.js';
import type { Dataset } from './dataset.js';
import { CalibrateError } from './errors.js';

/** Leads are read a page at a time, so a large store is read in bounded memory (their events one lead at a time). */
const PAGE_SIZE = 500;

/** Where a store's calibration rows came from. */
export interface StoreDatasetSummary {
  /** Leads with a recorded outcome, by kind, that had events before it. */
  converted: number;
  lost: number;
  /** Leads without an outcome, counted as not converted as of `asOfMs`. */
  open: number;
  /** Leads left out: no event before their cut-off. */
  skipped: number;
  asOfMs: number;
}

/**
 * Builds the calibration rows from the store: one per lead, labelled by its outcome, its features computed from
 * only the events before its own cut-off, so nothing that happened after the outcome can predict it:
 *
 * - a lead with an outcome: converted (1) or lost (0), cut off at the outcome's time;
 * - a lead without one: not converted (0), cut off at `asOfMs` (an `--as-of` in the past gives every open lead
 *   at least that long to convert, and leaves out leads first seen since);
 * - a lead with no event before its cut-off is left out.
 *
 * With `openLeads: 'skip'` leads without an outcome are left out instead. Their cut-off (`asOfMs`) is not chosen
 * the way an outcome's is, so the features that measure time (`days_since_last_seen`) can tell open leads from
 * closed ones: skip them when the CRM records losses as well as wins.
 *
 * Features are computed with `model` (its half-life and page kinds), as the receiver scores.
 */
export async function readStoreDataset(
  store: Store,
  model: IntentModel,
  options: { asOfMs: number; site?: string; openLeads?: 'lost' | 'skip' },
): Promise<{ dataset: Dataset; summary: StoreDatasetSummary }> {
  const site = options.site;
  const outcomes = new Map<string, Outcome>((await store.listOutcomes(site === undefined ? {} : { site })).map((o) => [o.leadId, o]));
  const features = getFeatureNames() as readonly FeatureName[];
  const dataset: Dataset = { features: [...features], x: [], y: [], lines: [] };
  const summary: StoreDatasetSummary = { converted: 0, lost: 0, open: 0, skipped: 0, asOfMs: options.asOfMs };
  let after: Lead | undefined;
  for (;;) {
    const leads = await store.listLeads({
      limit: PAGE_SIZE,
      ...(site === undefined ? {} : { site }),
      ...(after ? { after: { score: after.score, id: after.id } } : {}),
    });
    for (const lead of leads) {
      const outcome = outcomes.get(lead.id);
      if (!outcome && options.openLeads === 'skip') continue;
      const cutoff = outcome ? outcome.at : options.asOfMs;
      const events = (await store.getLeadEvents(lead.id)).filter((e) => e.ts < cutoff);
      if (events.length === 0) {
        summary.skipped++;
        continue;
      }
      const row = getEventFeatures(events, model, cutoff);
      dataset.x.push(features.map((name) => row[name] ?? 0));
      const converted = outcome?.outcome === 'converted';
      dataset.y.push(converted ? 1 : 0);
      dataset.lines.push(dataset.y.length);
      if (!outcome) summary.open++;
      else if (converted) summary.converted++;
      else summary.lost++;
    }
    after = leads[leads.length - 1];
    if (leads.length < PAGE_SIZE) break;
  }
  if (summary.converted === 0) {
    throw new CalibrateError(
      'bad_data',
      `the store has no converted lead with an event before its outcome${site === undefined ? '' : ` on ${site}`}; record outcomes with POST /leads/:id/outcome or inkling outcomes import`,
    );
  }
  return { dataset, summary };
}

/** One line on where the rows came from, printed above the report. */
export function formatStoreSummary(s: StoreDatasetSummary, openLeads: 'lost' | 'skip' = 'lost'): string {
  const open =
    openLeads === 'skip'
      ? 'leads without one left out (--open-leads skip)'
      : `${s.open} without one (counted as not converted as of ${new Date(s.asOfMs).toISOString()})`;
  return (
    `From the store: ${s.converted + s.lost} leads with an outcome (${s.converted} converted, ${s.lost} lost), ` +
    `${open}, ${s.skipped} left out (no event before their cut-off).\n` +
    "Each lead's features come from its events before its own outcome (or the as-of time), never after.\n\n"
  );
}
