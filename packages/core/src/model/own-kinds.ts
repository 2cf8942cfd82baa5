import type { Model, PointsModel } from './types.js';

/**
 * Whether a profile records views of `kind`, a site's own, because `model` gives them points (`webinar_views` for
 * `webinar`); never `page`, whose views would collide with `page_views`. Every kind the default model scores is
 * recorded anyway (`RECORDED_KINDS`), so only another model (an npm option) makes this count: the script tag, which
 * can only run the default model, has `() => false` in place of this module (`rollup.config.mjs`).
 */
export const scoresKind = (model: Model, kind: string): boolean =>
  kind != 'page' && !!(model as PointsModel).points?.[kind.replace(/-/g, '_') + '_views'];
