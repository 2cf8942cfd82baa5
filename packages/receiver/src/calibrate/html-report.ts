import { createHash } from 'node:crypto';
import { escapeHtml } from '../pages/html.js';
import type { Calibration, HeldOut } from './calibrate.js';
import { getDecileLift, getPrPoints, getReliability, getRocPoints, thin } from './curves.js';
import type { Point } from './curves.js';
import { getMeanSd } from './metrics.js';

// The page is opened from a file, mailed, or attached to a ticket: everything it shows is inline (SVG drawn with
// presentation attributes, one <style> allowed by its hash), and its own Content-Security-Policy forbids fetching
// anything, so it looks the same offline and leaks nothing when opened.

const MODELS = [
  { key: 'fitted', label: 'fitted model', color: '#2563eb', dash: '' },
  { key: 'default', label: 'default model', color: '#d97706', dash: '6 4' },
] as const;

const CSS = `
:root{color-scheme:light;font:15px/1.45 system-ui,sans-serif;color:#1f2937}
body{margin:0 auto;max-width:62rem;padding:1.5rem}
h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.75rem 0 .5rem}
.muted{color:#6b7280}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;margin:.5rem 0}
th,td{padding:.25rem .75rem;border-bottom:1px solid #e5e7eb;text-align:right}
th:first-child,td:first-child{text-align:left}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(22rem,1fr));gap:1rem}
figure{margin:0;border:1px solid #e5e7eb;border-radius:.5rem;padding:.5rem}
figcaption{font-weight:600;margin:0 0 .25rem}
svg{width:100%;height:auto}
`;

const WIDTH = 360;
const HEIGHT = 300;
// The legend sits in the top margin, clear of every curve.
const PAD = { left: 44, right: 12, top: 36, bottom: 38 };
const PLOT_W = WIDTH - PAD.left - PAD.right;
const PLOT_H = HEIGHT - PAD.top - PAD.bottom;

const fixed = (v: number, digits = 3): string => (Number.isFinite(v) ? v.toFixed(digits) : '-');
const percent = (v: number): string => (Number.isFinite(v) ? `${(v * 100).toFixed(1)}%` : '-');
const meanSd = (values: number[]): string => {
  const { mean, sd } = getMeanSd(values);
  return `${fixed(mean)} ± ${fixed(sd)}`;
};
const sigmoid = (z: number): number => 1 / (1 + Math.exp(-z));
const x = (v: number, max = 1) => (PAD.left + (v / max) * PLOT_W).toFixed(1);
const y = (v: number, max = 1) => (PAD.top + PLOT_H - (v / max) * PLOT_H).toFixed(1);

/** Axes, grid and labels of a chart whose x runs 0..1 and y 0..`yMax`. */
function frame(xLabel: string, yLabel: string, yMax = 1, xTicks: readonly number[] = [0, 0.25, 0.5, 0.75, 1]): string {
  const yTicks = [0, 0.25, 0.5, 0.75, 1].map((t) => t * yMax);
  const grid = [
    ...xTicks.map(
      (t) =>
        `<line x1="${x(t)}" y1="${y(0)}" x2="${x(t)}" y2="${y(yMax, yMax)}" stroke="#e5e7eb"/><text x="${x(t)}" y="${HEIGHT - PAD.bottom + 14}" font-size="10" text-anchor="middle" fill="#6b7280">${t}</text>`,
    ),
    ...yTicks.map(
      (t) =>
        `<line x1="${x(0)}" y1="${y(t, yMax)}" x2="${x(1)}" y2="${y(t, yMax)}" stroke="#e5e7eb"/><text x="${PAD.left - 6}" y="${Number(y(t, yMax)) + 3}" font-size="10" text-anchor="end" fill="#6b7280">${+t.toFixed(2)}</text>`,
    ),
  ];
  return `${grid.join('')}<rect x="${PAD.left}" y="${PAD.top}" width="${PLOT_W}" height="${PLOT_H}" fill="none" stroke="#9ca3af"/>
<text x="${PAD.left + PLOT_W / 2}" y="${HEIGHT - 6}" font-size="11" text-anchor="middle">${escapeHtml(xLabel)}</text>
<text x="12" y="${PAD.top + PLOT_H / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${PAD.top + PLOT_H / 2})">${escapeHtml(yLabel)}</text>`;
}

function legend(entries: readonly { label: string; color: string; dash: string }[]): string {
  return entries
    .map((e, i) => {
      const top = 10 + i * 13;
      return `<line x1="${PAD.left}" y1="${top}" x2="${PAD.left + 20}" y2="${top}" stroke="${e.color}" stroke-width="2" stroke-dasharray="${e.dash}"/><text x="${PAD.left + 26}" y="${top + 3}" font-size="10">${escapeHtml(e.label)}</text>`;
    })
    .join('');
}

const polyline = (points: readonly Point[], model: (typeof MODELS)[number], curve: string, yMax = 1) =>
  `<polyline data-curve="${curve}" data-model="${model.key}" fill="none" stroke="${model.color}" stroke-width="2" stroke-dasharray="${model.dash}" points="${points.map(([px, py]) => `${x(px)},${y(py, yMax)}`).join(' ')}"/>`;

function svg(title: string, content: string): string {
  return `<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${escapeHtml(title)}">${content}</svg>`;
}

interface Series {
  model: (typeof MODELS)[number];
  scores: number[];
  probabilities: number[];
  heldOut: HeldOut;
}

function rocChart(series: readonly Series[], labels: readonly (0 | 1)[]): string {
  const curves = series.map((s) => polyline(thin(getRocPoints(s.scores, labels)), s.model, 'roc')).join('');
  const chance = `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#9ca3af" stroke-dasharray="2 3"/>`;
  const entries = series.map((s) => ({ ...s.model, label: `${s.model.label} (AUC ${fixed(getMeanSd(s.heldOut.auc).mean)})` }));
  return svg('ROC curves', frame('false-positive rate', 'true-positive rate') + chance + curves + legend(entries));
}

function prChart(series: readonly Series[], labels: readonly (0 | 1)[], rate: number): string {
  const curves = series.map((s) => polyline(thin(getPrPoints(s.scores, labels)), s.model, 'pr')).join('');
  const chance = `<line x1="${x(0)}" y1="${y(rate)}" x2="${x(1)}" y2="${y(rate)}" stroke="#9ca3af" stroke-dasharray="2 3"/>`;
  const entries = series.map((s) => ({ ...s.model, label: `${s.model.label} (AP ${fixed(getMeanSd(s.heldOut.ap).mean)})` }));
  return svg('Precision-recall curves', frame('recall', 'precision') + chance + curves + legend(entries));
}

function reliabilityChart(series: readonly Series[], labels: readonly (0 | 1)[]): string {
  const diagonal = `<line x1="${x(0)}" y1="${y(0)}" x2="${x(1)}" y2="${y(1)}" stroke="#9ca3af" stroke-dasharray="2 3"/>`;
  const curves = series
    .map((s) => {
      const bins = getReliability(s.probabilities, labels);
      const dots = bins.map((b) => `<circle cx="${x(b.predicted)}" cy="${y(b.observed)}" r="3" fill="${s.model.color}"/>`).join('');
      return (
        polyline(
          bins.map((b) => [b.predicted, b.observed] as const),
          s.model,
          'reliability',
        ) + dots
      );
    })
    .join('');
  return svg(
    'Reliability',
    frame('predicted probability (deciles)', 'share converted') + diagonal + curves + legend(series.map((s) => s.model)),
  );
}

function liftChart(series: readonly Series[], labels: readonly (0 | 1)[]): { svg: string; lifts: number[][] } {
  const lifts = series.map((s) => getDecileLift(s.scores, labels));
  const yMax = Math.max(1, Math.ceil(Math.max(...lifts.flat())));
  const band = PLOT_W / 10;
  const bar = band / (series.length + 1);
  const bars = series
    .map((s, m) =>
      lifts[m]!.map((lift, d) => {
        const top = Number(y(lift, yMax));
        return `<rect data-chart="lift" data-model="${s.model.key}" data-decile="${d + 1}" data-lift="${lift.toFixed(2)}" x="${(PAD.left + d * band + bar * (m + 0.5)).toFixed(1)}" y="${top.toFixed(1)}" width="${bar.toFixed(1)}" height="${(PAD.top + PLOT_H - top).toFixed(1)}" fill="${s.model.color}"><title>${escapeHtml(s.model.label)}, decile ${d + 1}: lift ${lift.toFixed(2)}</title></rect>`;
      }).join(''),
    )
    .join('');
  const one = `<line x1="${x(0)}" y1="${y(1, yMax)}" x2="${x(1)}" y2="${y(1, yMax)}" stroke="#9ca3af" stroke-dasharray="2 3"/>`;
  const ticks = Array.from(
    { length: 10 },
    (_, d) =>
      `<text x="${(PAD.left + (d + 0.5) * band).toFixed(1)}" y="${HEIGHT - PAD.bottom + 14}" font-size="10" text-anchor="middle" fill="#6b7280">${d + 1}</text>`,
  ).join('');
  const axes = frame('decile by score (1 = highest)', 'lift over the average', yMax, []) + ticks;
  return { svg: svg('Lift by decile', axes + bars + one + legend(series.map((s) => s.model))), lifts };
}

function rankingTable(series: readonly Series[]): string {
  const rows = series.map(
    (s) =>
      `<tr data-model="${s.model.key}"><td>${s.model.label}</td><td>${meanSd(s.heldOut.auc)}</td><td>${meanSd(s.heldOut.ap)}</td></tr>`,
  );
  return `<table><thead><tr><th></th><th>ROC-AUC</th><th>average precision</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function levelsTable(series: readonly Series[], rate: number): string {
  const rows = series.flatMap((s) =>
    (['warm', 'hot'] as const).map((level) => {
      const r = s.heldOut[level];
      return `<tr><td>${level === 'warm' ? s.model.label : ''}</td><td>${level}</td><td>${percent(r.flagged)}</td><td>${fixed(r.precision)}</td><td>${fixed(r.recall)}</td><td>${rate && Number.isFinite(r.precision) ? `${fixed(r.precision / rate, 2)}×` : '-'}</td></tr>`;
    }),
  );
  return `<table><thead><tr><th></th><th>level</th><th>flagged</th><th>precision</th><th>recall</th><th>lift</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

/**
 * The calibration report as one self-contained HTML page: the held-out ranking and levels (the same numbers as the
 * text report), ROC and precision-recall curves, a reliability plot and lift by decile, fitted against default.
 * Curves pool every fold's held-out scores; the AUC and AP in their legends are the mean over folds, as in the text.
 * The default model's 0-100 score is read as a probability for the reliability plot (score / 100): it was never
 * meant as one, and the plot shows how far it is from one.
 */
export function renderHtmlReport(c: Calibration, source: string, createdAt = new Date()): string {
  const labels = c.scores.labels;
  const rate = c.converted / c.rows;
  const series: Series[] = [
    { model: MODELS[0], scores: c.scores.fitted, probabilities: c.scores.fitted.map(sigmoid), heldOut: c.fitted },
    { model: MODELS[1], scores: c.scores.baseline, probabilities: c.scores.baseline.map((s) => s / 100), heldOut: c.baseline },
  ];
  const lift = liftChart(series, labels);
  const liftRows = series.map(
    (s, m) =>
      `<tr data-model="${s.model.key}"><td>${s.model.label}</td>${lift.lifts[m]!.map((v) => `<td>${v.toFixed(2)}</td>`).join('')}</tr>`,
  );
  const body = `<header><h1>Inkling calibration report</h1>
<p class="muted">${escapeHtml(source)} · ${c.rows} visitors, ${c.converted} converted (${percent(rate)}) · ${c.options.folds}-fold cross-validation, seed ${c.options.seed}, L2 ${c.options.l2} · model ${escapeHtml(c.model.version)} · ${escapeHtml(createdAt.toISOString())}</p></header>
<h2>Held-out ranking</h2>
<p class="muted">Mean ± sd over ${c.options.folds} folds; chance is AUC 0.500 and average precision ${fixed(rate)}.</p>
${rankingTable(series)}
<h2>Held-out levels</h2>
<p class="muted">Visitors flagged at the level or above; lift is precision over the ${percent(rate)} conversion rate.</p>
${levelsTable(series, rate)}
<div class="charts">
<figure><figcaption>ROC curve</figcaption>${rocChart(series, labels)}</figure>
<figure><figcaption>Precision-recall curve</figcaption>${prChart(series, labels, rate)}</figure>
<figure><figcaption>Reliability (calibration)</figcaption>${reliabilityChart(series, labels)}</figure>
<figure><figcaption>Lift by decile</figcaption>${lift.svg}</figure>
</div>
<h2>Lift by decile</h2>
<table><thead><tr><th></th>${Array.from({ length: 10 }, (_, d) => `<th>${d + 1}</th>`).join('')}</tr></thead><tbody>${liftRows.join('')}</tbody></table>
<p class="muted">Curves pool every fold's held-out scores. The default model's score is read as score / 100 in the reliability plot.</p>`;
  const hash = createHash('sha256').update(CSS).digest('base64');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-${hash}'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>Inkling calibration report — ${escapeHtml(c.model.version)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
