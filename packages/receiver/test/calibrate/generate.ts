import type { FeatureName } from '@inkling/core';
import { createRandom } from '../../src/calibrate/folds.js';

/** Options of {@link generateVisitors}. */
export interface GenerateOptions {
  /** Visitors to make. @default 5000 */
  rows?: number;
  /** @default 1 */
  seed?: number;
  /** True log-odds weights on `ln(1 + feature)`. @default TRUE_WEIGHTS */
  weights?: Partial<Record<FeatureName, number>>;
  /** True intercept. @default -3.4 (about 8% convert) */
  intercept?: number;
}

/** One generated visitor. */
export interface GeneratedVisitor {
  features: Record<GeneratedFeature, number>;
  converted: boolean;
}

/** The columns the generator makes. */
export const GENERATED_FEATURES = [
  'page_views',
  'article_reads',
  'article_minutes',
  'pricing_views',
  'docs_views',
  'case_study_views',
  'careers_views',
  'visits',
  'return_visits',
  'days_since_last_seen',
] as const satisfies readonly FeatureName[];

export type GeneratedFeature = (typeof GENERATED_FEATURES)[number];

/**
 * The weights behind the generated conversions: a product-led site where reading the docs predicts a sale
 * best, then qualified reads and pricing, while careers readers (job seekers) and long-idle visitors convert
 * less. The default model weighs pricing and case studies above docs, so a calibration should beat it.
 */
export const TRUE_WEIGHTS: Partial<Record<FeatureName, number>> = {
  docs_views: 1.4,
  article_reads: 0.9,
  pricing_views: 0.5,
  careers_views: -1,
  days_since_last_seen: -0.6,
};

/** A Poisson draw with the given mean, from `random` (shared by the test populations). */
export function poisson(random: () => number, mean: number): number {
  // Knuth's method: fine for the small means used here.
  const limit = Math.exp(-mean);
  let k = 0;
  let p = random();
  while (p > limit) {
    k++;
    p *= random();
  }
  return k;
}

function normal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Makes visitors whose conversions follow known weights: `P(converted) = 1 / (1 + e^-(intercept + Σ weight ×
 * ln(1 + feature)))`. Activity is correlated through a per-visitor engagement level, as on a real site (an
 * engaged visitor does more of everything), so recovering the weights takes a real fit. Deterministic for a
 * seed. For tests and for trying `inkling calibrate` without data.
 */
export function generateVisitors(options: GenerateOptions = {}): GeneratedVisitor[] {
  const { rows = 5000, seed = 1, weights = TRUE_WEIGHTS, intercept = -3.4 } = options;
  const random = createRandom(seed);
  const visitors: GeneratedVisitor[] = [];
  for (let n = 0; n < rows; n++) {
    const engagement = Math.exp(0.8 * normal(random));
    const visits = 1 + poisson(random, 1.2 * engagement);
    const reads = poisson(random, 0.9 * engagement);
    const features: Record<GeneratedFeature, number> = {
      page_views: visits + poisson(random, 2.5 * engagement * visits),
      article_reads: reads,
      article_minutes: Math.round((reads * (2 + 4 * random()) + poisson(random, 1)) * 10) / 10,
      pricing_views: poisson(random, 0.6 * engagement),
      docs_views: poisson(random, 0.7 * engagement),
      case_study_views: poisson(random, 0.4 * engagement),
      careers_views: random() < 0.1 ? 1 + poisson(random, 2) : 0,
      visits,
      return_visits: poisson(random, 0.5 * (visits - 1)),
      days_since_last_seen: Math.floor(60 * random() ** 2),
    };
    let z = intercept;
    for (const [name, w] of Object.entries(weights)) z += (w ?? 0) * Math.log1p(features[name as GeneratedFeature] ?? 0);
    visitors.push({ features, converted: random() < 1 / (1 + Math.exp(-z)) });
  }
  return visitors;
}

/** The visitors as a calibrate CSV, with a `visitor` id column. */
export function toCsv(visitors: readonly GeneratedVisitor[]): string {
  const header = ['visitor', 'converted', ...GENERATED_FEATURES].join(',');
  const lines = visitors.map((v, i) =>
    [`v${i + 1}`, v.converted ? 'true' : 'false', ...GENERATED_FEATURES.map((f) => String(v.features[f]))].join(','),
  );
  return [header, ...lines].join('\n') + '\n';
}
