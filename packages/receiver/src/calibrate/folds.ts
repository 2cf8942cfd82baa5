/**
 * A seeded pseudo-random generator (mulberry32): the same seed gives the same folds and the same generated
 * data on every machine, so a calibration can be repeated exactly.
 */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Assigns each row to one of `k` folds, stratified: converted and not-converted rows are each shuffled and
 * dealt round-robin, so every fold has its share of both (conversions are often rare, and a fold without one
 * has no AUC).
 */
export function getFolds(y: readonly (0 | 1)[], k: number, seed: number): number[] {
  const random = createRandom(seed);
  const fold = new Array<number>(y.length).fill(0);
  let dealt = 0;
  for (const label of [1, 0]) {
    const rows = y.flatMap((v, i) => (v === label ? [i] : []));
    for (let i = rows.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [rows[i], rows[j]] = [rows[j]!, rows[i]!];
    }
    for (const row of rows) fold[row] = dealt++ % k;
  }
  return fold;
}
