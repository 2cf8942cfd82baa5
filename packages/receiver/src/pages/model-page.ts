import { htmlResponse } from '../http/responses.js';
import type { CalibrationSummary, ModelResults } from '../scoring/model-info.js';
import type { IntentModel } from '../scoring/score-events.js';
import { escapeHtml, getPageHeaders, renderPage } from './html.js';

const CSS = `
:root{color-scheme:light dark;font:15px/1.45 system-ui,sans-serif;--muted:#667;--line:#8883}
body{margin:0 auto;max-width:48rem;padding:1.5rem}
h1{margin:0 0 .25rem;font-size:1.5rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}
.muted{color:var(--muted)}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
th,td{padding:.25rem .75rem;border-bottom:1px solid var(--line);text-align:right}
th:first-child,td:first-child{text-align:left}
`;

const fixed = (v: number) => v.toFixed(3);
const percent = (v: number) => `${(v * 100).toFixed(1)}%`;

function row(name: string, r: ModelResults): string {
  return `<tr><td>${name}</td><td>${fixed(r.auc)}</td><td>${fixed(r.ap)}</td><td>${percent(r.warm.flagged)}</td><td>${fixed(r.warm.precision)}</td><td>${percent(r.hot.flagged)}</td><td>${fixed(r.hot.precision)}</td></tr>`;
}

function renderCalibration(c: CalibrationSummary): string {
  return `<h2>Last calibration</h2>
<p class="muted">Fitted ${escapeHtml(c.createdAt)} on ${escapeHtml(c.source)}: ${c.rows} leads, ${c.converted} converted (${percent(c.rows ? c.converted / c.rows : 0)}), ${c.folds}-fold cross-validation.</p>
<table data-section="calibration"><thead><tr><th></th><th>ROC-AUC</th><th>avg precision</th><th>warm flagged</th><th>warm precision</th><th>hot flagged</th><th>hot precision</th></tr></thead>
<tbody>${row('fitted model', c.fitted)}${row('default model', c.default)}</tbody></table>`;
}

/**
 * `GET /dashboard/model`: the model scoring leads now (its version, kind, half-life and level thresholds) and, for a
 * model written by `inkling calibrate`, the headline numbers of the calibration that made it.
 */
export async function handleModelPage(model: IntentModel, calibration: CalibrationSummary | undefined): Promise<Response> {
  const l = model.levels;
  const body = `<header><h1>Intent model</h1><p class="muted">The model that scores every lead on this receiver.</p></header>
<main>
<table data-section="model"><tbody>
<tr><td>version</td><td data-field="version">${escapeHtml(model.version)}</td></tr>
<tr><td>kind</td><td>${escapeHtml(model.kind === 'logistic' ? 'logistic (fitted to outcomes)' : 'points')}</td></tr>
<tr><td>half-life</td><td>${escapeHtml(model.halfLifeDays)} days</td></tr>
<tr><td>warm / hot at</td><td>${escapeHtml(l.warm)} / ${escapeHtml(l.hot)} (back below ${escapeHtml(l.warmExit)} / ${escapeHtml(l.hotExit)})</td></tr>
</tbody></table>
${calibration ? renderCalibration(calibration) : '<p class="empty">No calibration report: this model was not written by inkling calibrate. Record outcomes (POST /leads/:id/outcome or inkling outcomes import), then run inkling calibrate --from-store --output model.json and serve with --model model.json.</p>'}
</main>`;
  return htmlResponse(renderPage(`Inkling — model ${model.version}`, CSS, body), 200, await getPageHeaders(CSS));
}
