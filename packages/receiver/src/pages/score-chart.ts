import type { Levels } from '@inkling/core';
import type { ReasonWeight, ScorePoint } from '../scoring/score-events.js';
import { escapeHtml, formatTime } from './html.js';

const WIDTH = 720;
const HEIGHT = 240;
const PAD = { left: 34, right: 12, top: 10, bottom: 26 };

/**
 * The score over time as an inline SVG (no script, no external file, so the page's CSP stays closed): level bands
 * behind a step line, a dot on each event that moved the score (its label in a tooltip), and the dates at both
 * ends. Drawn with SVG attributes, not inline styles, which the CSP forbids.
 */
export function renderScoreChart(points: readonly ScorePoint[], levels: Levels, describe: (point: ScorePoint) => string): string {
  const first = points[0]?.at ?? 0;
  const last = points[points.length - 1]?.at ?? first;
  const span = Math.max(last - first, 1);
  const innerW = WIDTH - PAD.left - PAD.right;
  const innerH = HEIGHT - PAD.top - PAD.bottom;
  const x = (at: number) => (PAD.left + ((at - first) / span) * innerW).toFixed(1);
  const y = (score: number) => (PAD.top + (1 - score / 100) * innerH).toFixed(1);
  const band = (from: number, to: number, cls: string, label: string) =>
    `<rect class="band band-${cls}" x="${PAD.left}" y="${y(to)}" width="${innerW}" height="${(((to - from) / 100) * innerH).toFixed(1)}"><title>${label}</title></rect>`;
  let path = '';
  let previous: ScorePoint | undefined;
  for (const point of points) {
    path += previous ? ` H${x(point.at)} V${y(point.score)}` : `M${x(point.at)} ${y(point.score)}`;
    previous = point;
  }
  const dots = points
    .filter((p) => p.event && p.delta !== 0)
    .map(
      (p) =>
        `<circle class="move ${p.delta > 0 ? 'up' : 'down'}" cx="${x(p.at)}" cy="${y(p.score)}" r="4"><title>${escapeHtml(`${formatTime(p.at)}: ${describe(p)} (${p.delta > 0 ? '+' : ''}${p.delta}, score ${p.score})`)}</title></circle>`,
    )
    .join('');
  const tick = (score: number) =>
    `<text class="tick" x="${PAD.left - 6}" y="${(Number(y(score)) + 4).toFixed(1)}" text-anchor="end">${score}</text>`;
  const date = (at: number, anchor: string, px: string) =>
    `<text class="tick" x="${px}" y="${HEIGHT - 6}" text-anchor="${anchor}">${formatTime(at).slice(0, 10)}</text>`;
  const latest = points[points.length - 1];
  return `<svg class="chart" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="chart-title" preserveAspectRatio="none">
<title id="chart-title">Score over time: ${points.length ? `from ${points[0]!.score} on ${formatTime(first).slice(0, 10)} to ${latest!.score} now` : 'no events yet'}</title>
${band(0, levels.warm, 'cold', `cold: below ${levels.warm}`)}${band(levels.warm, levels.hot, 'warm', `warm: ${levels.warm} to ${levels.hot}`)}${band(levels.hot, 100, 'hot', `hot: ${levels.hot} and above`)}
${tick(0)}${tick(levels.warm)}${tick(levels.hot)}${tick(100)}
<path class="line" d="${path}" fill="none"/>
${dots}
${points.length ? date(first, 'start', String(PAD.left)) + date(last, 'end', String(WIDTH - PAD.right)) : ''}
</svg>`;
}

/** The contribution of each reason to today's score, a bar per reason on one scale, in the model's own numbers. */
export function renderContributions(reasons: readonly ReasonWeight[], unit: string): string {
  if (reasons.length === 0) return '<p class="muted">Nothing adds to the score today.</p>';
  const max = Math.max(...reasons.map((r) => Math.abs(r.weight)), 1);
  const rows = reasons.map((r) => {
    const width = ((Math.abs(r.weight) / max) * 100).toFixed(1);
    const value = `${r.weight > 0 ? '+' : r.weight < 0 ? '−' : ''}${Math.abs(r.weight).toFixed(1)}`;
    return `<li><span class="reason">${escapeHtml(r.reason)}</span><svg class="contribution" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true"><rect class="${r.weight < 0 ? 'neg' : 'pos'}" x="0" y="0" width="${width}" height="10"/></svg><span class="value" data-weight="${r.weight}">${value} ${unit}</span></li>`;
  });
  return `<ol class="contributions">${rows.join('')}</ol>`;
}
