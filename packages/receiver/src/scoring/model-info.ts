import { OptionsError } from '../errors.js';

/** Held-out results of one model, as a calibration report summarises them. */
export interface ModelResults {
  /** Mean ROC-AUC over the folds. */
  auc: number;
  /** Mean average precision over the folds. */
  ap: number;
  /** Share of visitors flagged warm or above, and hot; and the share of those who converted. */
  warm: { flagged: number; precision: number };
  hot: { flagged: number; precision: number };
}

/**
 * What `inkling calibrate` found, written into the model file it writes (as `calibration`) so that the receiver
 * running the model can show it. Browsers and `parseModel` read past it.
 */
export interface CalibrationSummary {
  /** When the model was fitted, ISO-8601. */
  createdAt: string;
  /** What it was fitted on: a CSV's name or `the store`. */
  source: string;
  rows: number;
  converted: number;
  folds: number;
  fitted: ModelResults;
  default: ModelResults;
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isMap = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function checkResults(value: unknown, path: string): void {
  if (!isMap(value)) throw new OptionsError(path, `expected an object, got ${JSON.stringify(value)}`);
  for (const key of ['auc', 'ap'] as const)
    if (!isNumber(value[key])) throw new OptionsError(`${path}.${key}`, `expected a number, got ${JSON.stringify(value[key])}`);
  for (const level of ['warm', 'hot'] as const) {
    const v = value[level];
    if (!isMap(v) || !isNumber(v['flagged']) || !isNumber(v['precision']))
      throw new OptionsError(`${path}.${level}`, 'expected { flagged, precision } numbers');
  }
}

/**
 * The `calibration` of a model file, checked; `undefined` when the file has none (the default model, or a model
 * written by hand). Throws an `OptionsError` on `model.calibration...` when it is malformed.
 */
export function getCalibrationSummary(model: unknown): CalibrationSummary | undefined {
  if (!isMap(model) || model['calibration'] === undefined) return undefined;
  const c = model['calibration'];
  const path = 'model.calibration';
  if (!isMap(c)) throw new OptionsError(path, `expected an object written by inkling calibrate, got ${JSON.stringify(c)}`);
  for (const key of ['createdAt', 'source'] as const)
    if (typeof c[key] !== 'string') throw new OptionsError(`${path}.${key}`, `expected a text, got ${JSON.stringify(c[key])}`);
  for (const key of ['rows', 'converted', 'folds'] as const)
    if (!isNumber(c[key])) throw new OptionsError(`${path}.${key}`, `expected a number, got ${JSON.stringify(c[key])}`);
  checkResults(c['fitted'], `${path}.fitted`);
  checkResults(c['default'], `${path}.default`);
  return c as unknown as CalibrationSummary;
}
