import { htmlResponse } from '../http/responses.js';
import type { Lead, Store } from '../store/types.js';
import { escapeHtml, formatTime, getPageHeaders, renderPage } from './html.js';
import { buildTimeline } from './timeline.js';
import type { TimelineItem } from './timeline.js';

/** Leads shown: the warmest first; a dashboard is for who to call today, not an archive. */
const DASHBOARD_LEADS = 100;
/** Timeline lines per lead on the dashboard. */
const DASHBOARD_TIMELINE = 30;

const CSS = `
:root{color-scheme:light dark;font:15px/1.45 system-ui,sans-serif;--muted:#667;--line:#8883;--warm:#d97706;--hot:#dc2626}
body{margin:0 auto;max-width:60rem;padding:1.5rem}
h1{margin:0 0 .25rem;font-size:1.5rem}
.summary{color:var(--muted);margin:0 0 1.5rem}
.lead{border:1px solid var(--line);border-radius:.5rem;padding:1rem 1.25rem;margin:0 0 1rem}
.lead h2{font-size:1.1rem;margin:0;display:flex;gap:.6rem;align-items:baseline;flex-wrap:wrap}
.score{font-variant-numeric:tabular-nums;font-size:1.4rem;font-weight:700}
.level{border-radius:1rem;padding:.05rem .6rem;color:#fff;font-size:.8rem;text-transform:uppercase;letter-spacing:.05em}
.level-warm{background:var(--warm)}.level-hot{background:var(--hot)}
.meta{color:var(--muted);font-size:.85rem;margin:.25rem 0 .5rem}
.reasons{margin:.25rem 0 .5rem;padding-left:1.2rem}
.timeline{list-style:none;padding:0;margin:.5rem 0 0;font-size:.85rem}
.timeline li{display:grid;grid-template-columns:11.5rem 1fr;gap:.75rem;padding:.2rem 0;border-top:1px solid var(--line)}
.timeline time{color:var(--muted);font-variant-numeric:tabular-nums}
.note{font-style:italic}
.empty{color:var(--muted)}
`;

function renderTimeline(items: readonly TimelineItem[]): string {
  const lines = items.map(
    (item) =>
      `<li class="${item.kind}"><time datetime="${new Date(item.at).toISOString()}">${formatTime(item.at)}</time><span><strong>${escapeHtml(item.label)}</strong>${item.detail ? ` — ${escapeHtml(item.detail)}` : ''}</span></li>`,
  );
  return `<details><summary>Timeline (${items.length} most recent)</summary><ol class="timeline">${lines.join('')}</ol></details>`;
}

function renderLead(lead: Lead, timeline: readonly TimelineItem[]): string {
  const who = lead.userId ? escapeHtml(lead.userId) : `Anonymous visitor ${escapeHtml(lead.visitors[0] ?? '')}`;
  const visitors = `${lead.visitors.length} device${lead.visitors.length === 1 ? '' : 's'}`;
  const reasons = lead.reasons.length ? `<ul class="reasons">${lead.reasons.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul>` : '';
  return `<article class="lead" data-lead-id="${escapeHtml(lead.id)}" data-level="${escapeHtml(lead.level)}">
<h2><span class="score" title="score out of 100">${escapeHtml(Math.round(lead.score))}</span><span class="level level-${escapeHtml(lead.level)}">${escapeHtml(lead.level)}</span><span class="who">${who}</span></h2>
<p class="meta">${escapeHtml(lead.site)} · ${visitors} · was ${escapeHtml(lead.previous)} · scored ${lead.scoredAt ? formatTime(lead.scoredAt) : 'never'} by ${escapeHtml(lead.model ?? '-')}</p>
${reasons}${renderTimeline(timeline)}
</article>`;
}

/** `GET /dashboard`: warm and hot leads, warmest first, with reasons and a timeline of their signals. */
export async function handleDashboard(url: URL, store: Store): Promise<Response> {
  const site = url.searchParams.get('site');
  const leads = await store.listLeads({ levels: ['hot', 'warm'], limit: DASHBOARD_LEADS, ...(site ? { site } : {}) });
  const cards = await Promise.all(
    leads.map(async (lead) => {
      const [events, notes] = await Promise.all([store.getLeadEvents(lead.id, { newestFirst: true, limit: DASHBOARD_TIMELINE }), store.getLeadNotes(lead.id)]);
      return renderLead(lead, buildTimeline(events, notes).slice(0, DASHBOARD_TIMELINE));
    }),
  );
  const hot = leads.filter((l) => l.level === 'hot').length;
  const body = `<header><h1>Warm leads</h1><p class="summary">${hot} hot, ${leads.length - hot} warm${site ? ` on ${escapeHtml(site)}` : ''}</p></header>
<main>${cards.length ? cards.join('\n') : '<p class="empty">No warm or hot leads yet.</p>'}</main>`;
  return htmlResponse(renderPage('Inkling — warm leads', CSS, body), 200, await getPageHeaders(CSS));
}
