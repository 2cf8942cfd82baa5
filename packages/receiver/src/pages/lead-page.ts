import { RequestError } from '../errors.js';
import { htmlResponse } from '../http/responses.js';
import type { IntentModel, ScorePoint } from '../scoring/score-events.js';
import { explainEvents, getScoreHistory } from '../scoring/score-events.js';
import type { AccountMembership, Lead, Store } from '../store/types.js';
import { getLeadName } from './dashboard.js';
import { escapeHtml, formatAgo, formatTime, getPageHeaders, renderPage } from './html.js';
import { renderContributions, renderScoreChart } from './score-chart.js';
import { buildTimeline, describeEvent, pageTimeline } from './timeline.js';
import type { TimelinePage } from './timeline.js';
import { renderBar, THEME_CSS } from './theme.js';

/** Timeline lines per page of the lead page. */
export const LEAD_PAGE_TIMELINE = 50;
/** Events that moved the score listed under the chart, biggest moves first. */
const TOP_MOVES = 8;

const CSS = `${THEME_CSS}
.head{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
.head .score{font-size:2.4rem}
.crumb{font-size:.9rem;margin:0}
.grid{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:0 2rem}
.chart{width:100%;height:15rem;display:block;background:var(--card);border:1px solid var(--line);border-radius:.5rem}
.band-cold{fill:#3f6fb5;fill-opacity:.08}.band-warm{fill:#d97706;fill-opacity:.13}.band-hot{fill:#dc2626;fill-opacity:.13}
.line{stroke:var(--accent);stroke-width:2.5}
.move.up{fill:#15803d}.move.down{fill:#b91c1c}
.tick{fill:var(--muted);font-size:11px}
.moves,.contributions,.timeline,.lead-topics{list-style:none;padding:0;margin:0}
.lead-topics li{padding:.15rem 0}
.moves li{display:grid;grid-template-columns:11.5rem 3rem minmax(0,1fr);gap:.5rem;padding:.2rem 0;border-bottom:1px solid var(--line);font-size:.9rem}
.delta{font-variant-numeric:tabular-nums;font-weight:600}
.contributions li{display:grid;grid-template-columns:minmax(0,12rem) minmax(0,1fr) 7rem;gap:.6rem;align-items:center;padding:.25rem 0}
.contribution{height:.8rem;width:100%}
.pos{fill:#15803d}.neg{fill:#b91c1c}
.value{text-align:right;font-variant-numeric:tabular-nums;font-size:.9rem}
dl{display:grid;grid-template-columns:auto minmax(0,1fr);gap:.3rem 1rem;margin:0}
dt{color:var(--muted)}dd{margin:0;word-break:break-all}
.timeline li{display:grid;grid-template-columns:11.5rem minmax(0,1fr);gap:.75rem;padding:.3rem 0;border-bottom:1px solid var(--line);font-size:.9rem}
.timeline time{color:var(--muted);font-variant-numeric:tabular-nums}
@media (max-width:48rem){.grid{grid-template-columns:1fr}.timeline li,.moves li{grid-template-columns:1fr}.contributions li{grid-template-columns:1fr 5rem}.contributions .contribution{grid-column:1/3;grid-row:2}}
`;

function renderIdentity(
  lead: Lead,
  firstSeen: number | undefined,
  lastSeen: number | undefined,
  now: number,
  account: AccountMembership | undefined,
  dashboardPath: string,
): string {
  const visitors = lead.visitors.map((v) => `<code>${escapeHtml(v)}</code>`).join('<br>');
  return `<dl class="identity">
<dt>Lead id</dt><dd><code class="lead-id">${escapeHtml(lead.id)}</code></dd>
<dt>User</dt><dd>${lead.userId ? escapeHtml(lead.userId) : '<span class="muted">not identified</span>'}</dd>
<dt>Visitor ids</dt><dd class="visitors">${visitors || '<span class="muted">none left</span>'}</dd>
<dt>Account</dt><dd>${account ? `<a class="account" href="${dashboardPath}/accounts/${encodeURIComponent(account.accountId)}">${escapeHtml(account.key.replace(/^domain:/, ''))}</a> <span class="muted">${account.source === 'group' ? 'named by the site' : 'by e-mail domain'}</span>` : '<span class="muted">none</span>'}</dd>
<dt>Site</dt><dd>${escapeHtml(lead.site)}</dd>
<dt>First seen</dt><dd>${firstSeen === undefined ? '<span class="muted">no events</span>' : formatTime(firstSeen)}</dd>
<dt>Last seen</dt><dd>${lastSeen === undefined ? '<span class="muted">no events</span>' : `${formatTime(lastSeen)} (${formatAgo(lastSeen, now)})`}</dd>
<dt>Model</dt><dd>${escapeHtml(lead.model ?? 'not scored yet')}</dd>
</dl>`;
}

/** The lead's topics, strongest first, each with its reads and minutes; a topic links to the list filtered on it. */
function renderTopics(lead: Lead, dashboardPath: string): string {
  if (lead.topics.length === 0) return '<p class="muted">No topics yet: none of the pages it read carried one.</p>';
  const rows = lead.topics.map(
    (t) =>
      `<li><a class="topic" href="${escapeHtml(`${dashboardPath}?topic=${encodeURIComponent(t.name)}`)}">${escapeHtml(t.name)}</a> <span class="muted">${t.reads} read${t.reads === 1 ? '' : 's'} · ${t.minutes} min · interest ${t.score}</span></li>`,
  );
  return `<ul class="lead-topics" aria-labelledby="h-topics">${rows.join('')}</ul>`;
}

function renderTimeline(page: TimelinePage, base: string): string {
  const lines = page.items.map(
    (item) =>
      `<li class="${item.kind}"><time datetime="${new Date(item.at).toISOString()}">${formatTime(item.at)}</time><span><strong>${escapeHtml(item.label)}</strong>${item.detail ? ` — ${escapeHtml(item.detail)}` : ''}</span></li>`,
  );
  const next = page.nextCursor
    ? `<nav class="pager" aria-label="Timeline pages"><a rel="next" href="${base}?cursor=${encodeURIComponent(page.nextCursor)}#timeline">Older signals →</a></nav>`
    : '';
  return `<ol class="timeline">${lines.join('')}</ol>${next}`;
}

/**
 * `GET /dashboard/leads/:id`: one lead for a salesperson: the score over time with the events that moved it, what
 * each signal adds to today's score, who the lead is, and the timeline, paged with `?cursor=`.
 */
export async function handleLeadPage(
  url: URL,
  id: string,
  store: Store,
  options: { model: IntentModel; dashboardPath: string; now: number },
): Promise<Response> {
  const { model, dashboardPath, now } = options;
  const lead = await store.getLead(id);
  if (!lead) throw new RequestError('lead_not_found', 404, `lead: no lead with id ${JSON.stringify(id.slice(0, 64))}`);
  const [events, notes, lastSeen, account] = await Promise.all([
    store.getLeadEvents(id),
    store.getLeadNotes(id),
    store.getLastSeen([id]),
    store.getLeadAccount(id),
  ]);
  const history = getScoreHistory(events, model, now);
  const describe = (p: ScorePoint) => (p.event ? describeEvent(p.event.event, model.conversions).label : 'time passed');
  const moves = history
    .filter((p) => p.event && p.delta !== 0)
    .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
    .slice(0, TOP_MOVES)
    .sort((a, b) => b.at - a.at)
    .map(
      (p) =>
        `<li><time datetime="${new Date(p.at).toISOString()}">${formatTime(p.at)}</time><span class="delta">${p.delta > 0 ? '+' : '−'}${Math.abs(p.delta)}</span><span>${escapeHtml(describe(p))}</span></li>`,
    )
    .join('');
  const timeline = pageTimeline(
    buildTimeline([...events].reverse(), notes, model.conversions),
    LEAD_PAGE_TIMELINE,
    url.searchParams.get('cursor'),
  );
  const base = `${dashboardPath}/leads/${encodeURIComponent(lead.id)}`;
  const unit = model.kind === 'points' ? 'points' : 'log-odds';
  const name = getLeadName(lead);
  const body = `${renderBar(dashboardPath)}<main class="wrap">
<p class="crumb"><a href="${dashboardPath}">← All leads</a></p>
<div class="head"><span class="score" title="score out of 100">${escapeHtml(Math.round(lead.score))}</span><span class="level level-${escapeHtml(lead.level)}">${escapeHtml(lead.level)}</span><h1 class="who">${escapeHtml(name)}</h1></div>
<p class="muted">Lead <code>${escapeHtml(lead.id)}</code> · ${escapeHtml(lead.site)} · was ${escapeHtml(lead.previous)}</p>
<div class="grid"><section aria-labelledby="h-chart"><h2 id="h-chart">Score over time</h2>
${renderScoreChart(history, model.levels, describe)}
<h2 id="h-moves">What moved it</h2>${moves ? `<ol class="moves" aria-labelledby="h-moves">${moves}</ol>` : '<p class="muted">No event has moved the score yet.</p>'}
</section>
<section aria-labelledby="h-why"><h2 id="h-why">Why ${escapeHtml(Math.round(lead.score))} today</h2>
${renderContributions(explainEvents(events, model, now), unit)}
<h2 id="h-topics">What they research</h2>${renderTopics(lead, dashboardPath)}
<h2 id="h-who">Who</h2>${renderIdentity(lead, events[0]?.ts, lastSeen[lead.id], now, account, dashboardPath)}
</section></div>
<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>${renderTimeline(timeline, base)}</section>
</main>`;
  return htmlResponse(renderPage(`Inkling — ${name}`, CSS, body), 200, await getPageHeaders(CSS));
}
