import type { LogisticModel, Model } from './types.js';

/**
 * Whether `model` is a logistic one (fitted by `inkling calibrate`, given as an npm option). The script tag can
 * only run the default points model, so its build puts `() => false` in place of this module
 * (`rollup.config.mjs`) and leaves the logistic arithmetic out; the receiver and the npm build score both kinds.
 */
export const isLogistic = (model: Model): model is LogisticModel => model.kind == 'logistic';
