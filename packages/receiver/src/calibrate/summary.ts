import type { CalibrationSummary, ModelResults } from '../scoring/model-info.js';
import type { Calibration, HeldOut } from './calibrate.js';
import { getMeanSd } from './metrics.js';

/** Three decimals: what the report prints. */
const round = (v: number): number => (Number.isFinite(v) ? Math.round(v * 1000) / 1000 : 0);

function toResults(h: HeldOut): ModelResults {
  return {
    auc: round(getMeanSd(h.auc).mean),
    ap: round(getMeanSd(h.ap).mean),
    warm: { flagged: round(h.warm.flagged), precision: round(h.warm.precision) },
    hot: { flagged: round(h.hot.flagged), precision: round(h.hot.precision) },
  };
}

/** The report's headline numbers, for the model file (and the receiver's model page). */
export function summariseCalibration(c: Calibration, source: string, createdAt = new Date()): CalibrationSummary {
  return {
    createdAt: createdAt.toISOString(),
    source,
    rows: c.rows,
    converted: c.converted,
    folds: c.options.folds,
    fitted: toResults(c.fitted),
    default: toResults(c.baseline),
  };
}
