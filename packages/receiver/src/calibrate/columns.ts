import type { FeatureName } from '@inkling/core';
import type { Dataset } from './dataset.js';
import { CalibrateError } from './errors.js';

/** A feature column left out of the fit, and why, for the report. */
export interface DroppedColumn {
  feature: FeatureName;
  /** `constant`: one value on every row; `dependent`: an exact linear combination of the kept columns. */
  reason: 'constant' | 'dependent';
  /** What it equals: `3 on every row`, `visits - 1`. */
  equals: string;
}

// A column whose part not explained by the kept ones is below this share of its own spread is a linear
// combination of them. Far above float noise (1e-15), far below any real column (a count that differs from
// visits - 1 on one row in 10,000 keeps 1e-2 of its spread).
const DEPENDENT = 1e-9;

const format = (v: number): string => String(Number(v.toPrecision(4)));

// A loop, not Math.hypot(...v): spreading a column of 100,000 rows into arguments can overflow the stack.
const norm = (v: readonly number[]): number => Math.sqrt(v.reduce((s, x) => s + x * x, 0));

/** `1 × visits - 1` as text: `visits - 1`, `0.5 × page_views + 2 × visits`. */
function formatCombination(coefficients: number[], names: string[], constant: number): string {
  const terms: string[] = [];
  coefficients.forEach((c, j) => {
    if (Math.abs(c) < 1e-9) return;
    const size = Math.abs(c);
    const term = Math.abs(size - 1) < 1e-9 ? names[j]! : `${format(size)} × ${names[j]}`;
    terms.push(terms.length ? (c < 0 ? `- ${term}` : `+ ${term}`) : c < 0 ? `-${term}` : term);
  });
  if (Math.abs(constant) >= 1e-9 || !terms.length)
    terms.push(terms.length ? `${constant < 0 ? '-' : '+'} ${format(Math.abs(constant))}` : format(constant));
  return terms.join(' ');
}

/**
 * Finds the columns a fit cannot use: a constant column (it says nothing, and only moves the intercept) and a
 * column that is an exact linear combination of earlier ones (`return_visits` = `visits - 1` on every row), whose
 * weights would swing against each other and read as "visits hurt". Works on the raw values, by Gram-Schmidt over
 * centred columns in the file's order, so the later of two dependent columns is the one dropped. Throws when no
 * column is left.
 */
export function findUnusableColumns(data: Dataset): DroppedColumn[] {
  const { x, features } = data;
  const n = x.length;
  const dropped: DroppedColumn[] = [];
  // Orthonormal basis of the kept centred columns, and each basis vector as a combination of kept columns.
  const basis: number[][] = [];
  const kept: number[] = [];
  const means: number[] = [];
  // basisOf[b][m]: coefficient of kept column m in basis vector b.
  const basisOf: number[][] = [];
  features.forEach((feature, j) => {
    const column = x.map((r) => r[j]!);
    const mean = column.reduce((a, b) => a + b, 0) / n;
    const centred = column.map((v) => v - mean);
    const spread = norm(centred);
    if (spread <= DEPENDENT * (Math.abs(mean) + 1) * Math.sqrt(n)) {
      dropped.push({ feature, reason: 'constant', equals: `${format(column[0] ?? 0)} on every row` });
      return;
    }
    const residual = [...centred];
    const projections = basis.map((b) => {
      const p = b.reduce((s, v, i) => s + v * centred[i]!, 0);
      for (let i = 0; i < n; i++) residual[i]! -= p * b[i]!;
      return p;
    });
    const rest = norm(residual);
    if (rest <= DEPENDENT * spread) {
      // centred = Σ projections[b] × basis[b] = Σ_m (Σ_b projections[b] × basisOf[b][m]) × kept column m (centred).
      const coefficients = kept.map((_, m) => projections.reduce((s, p, b) => s + p * (basisOf[b]![m] ?? 0), 0));
      const constant = mean - coefficients.reduce((s, c, m) => s + c * means[m]!, 0);
      dropped.push({
        feature,
        reason: 'dependent',
        equals: formatCombination(
          coefficients,
          kept.map((m) => features[m]!),
          constant,
        ),
      });
      return;
    }
    // The new basis vector, residual / rest, as a combination of kept columns: (column - Σ p_b basis_b) / rest.
    const combination = kept.map((_, m) => -projections.reduce((s, p, b) => s + p * (basisOf[b]![m] ?? 0), 0) / rest);
    combination.push(1 / rest);
    basis.push(residual.map((v) => v / rest));
    basisOf.push(combination);
    kept.push(j);
    means.push(mean);
  });
  if (dropped.length === features.length) {
    const list = dropped.map((d) => `${d.feature} is ${d.equals}`).join(', ');
    throw new CalibrateError(
      'bad_data',
      `every feature column is constant (${list}): there is nothing to learn from; add columns that vary between visitors`,
    );
  }
  return dropped;
}

/** The dataset without the dropped columns. */
export function withoutColumns(data: Dataset, dropped: readonly DroppedColumn[]): Dataset {
  const keep = data.features.flatMap((f, j) => (dropped.some((d) => d.feature === f) ? [] : [j]));
  return { ...data, features: keep.map((j) => data.features[j]!), x: data.x.map((r) => keep.map((j) => r[j]!)) };
}
