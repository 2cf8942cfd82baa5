// Medians and spreads of repeated runs.

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Median, minimum and maximum of `values`. */
export function summarize(values) {
  const v = values.filter((x) => Number.isFinite(x));
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

/** `summarize` of each run's value minus `base` (a baseline's median). */
export const over = (values, base) => summarize(values.map((x) => x - base));
