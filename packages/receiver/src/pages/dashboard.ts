import type { IntentLevel, JsonObject } from '@inkling/core';
import type { Lead, Store } from '../store/types.js';
import { escapeHtml, formatAgo, formatTime } from './html.js';
import { filterQuery, parseLeadFilter, SINCE_DAYS, toLeadSearch } from './lead-filter.js';
import type { LeadFilter } from './lead-filter.js';
import { renderLiveList } from './live.js';
import { THEME_CSS } from './theme.js';
import { ROUTING_TOP_TOPICS } from '../webhooks/routing.js';

/** Leads per page of the list. */
export const DASHBOARD_PAGE_SIZE = 25;
const CSS = `${THEME_CSS}
.filters{display:flex;flex-wrap:wrap;gap:.75rem 1rem;align-items:end;margin:1rem 0;padding:.75rem 1rem;background:var(--card);border:1px solid var(--line);border-radius:.5rem}
.filters label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted);gap:.2rem}
.filters fieldset{border:0;padding:0;margin:0;display:flex;gap:.6rem;align-items:center}
.filters legend{font-size:.8rem;color:var(--muted);padding:0;margin-bottom:.2rem}
.filters fieldset label{flex-direction:row;align-items:center;color:var(--fg);font-size:.9rem}
input,select,button{font:inherit;color:inherit;background:var(--bg);border:1px solid var(--line);border-radius:.35rem;padding:.3rem .5rem}
button{background:var(--accent);color:#fff;border-color:var(--accent);cursor:pointer}
.counts{display:flex;gap:.5rem;list-style:none;padding:0;margin:.25rem 0 0;flex-wrap:wrap}
.counts a{display:inline-flex;gap:.4rem;align-items:center;text-decoration:none;color:var(--fg);border:1px solid var(--line);border-radius:2rem;padding:.15rem .7rem}
.leads{list-style:none;padding:0;margin:0;border-top:1px solid var(--line)}
.lead{display:grid;grid-template-columns:3.5rem 4.5rem minmax(0,1fr) 9rem;gap:.25rem 1rem;align-items:baseline;padding:.7rem .25rem;border-bottom:1px solid var(--line)}
.lead .score{font-size:1.35rem}
.lead .who{font-weight:600;font-size:1.02rem}
.lead .id{font:12px ui-monospace,monospace;color:var(--muted);word-break:break-all}
.lead .traits{color:var(--muted)}
.lead .reasons{grid-column:3/5;margin:0;color:var(--muted);font-size:.9rem}
.lead .reasons p{margin:.2rem 0 0}
.lead .seen{text-align:right;color:var(--muted);font-size:.85rem}
.empty{color:var(--muted);padding:1rem 0}
@media (max-width:40rem){.lead{grid-template-columns:3rem 4.5rem minmax(0,1fr)}.lead .seen{grid-column:1/4;text-align:left}.lead .reasons{grid-column:1/4}}
`;

const LEVEL_NAMES: Record<IntentLevel, string> = { hot: 'Hot', warm: 'Warm', cold: 'Cold' };

/** The page title for the levels shown: "Hot and warm leads", "Hot leads". */
function titleFor(levels: readonly IntentLevel[]): string {
  const names = (['hot', 'warm', 'cold'] as const).filter((l) => levels.includes(l)).map((l) => LEVEL_NAMES[l]);
  const joined = names.length === 3 ? 'All' : names.join(' and ');
  return `${joined[0]}${joined.slice(1).toLowerCase()} leads`;
}

/** What the list says about who a lead is: the user id, or an anonymous visitor. */
export function getLeadName(lead: Lead): string {
  return lead.userId ?? 'Anonymous visitor';
}

/** A lead's strongest topics as chips; each links to the list filtered on it (keeping the other filters). */
export function renderTopicChips(lead: Lead, link: (topic: string) => string): string {
  const chips = lead.topics
    .slice(0, ROUTING_TOP_TOPICS)
    .map(
      (t) =>
        `<li><a class="topic" href="${escapeHtml(link(t.name))}" title="${escapeHtml(`${t.reads} read${t.reads === 1 ? '' : 's'}, ${t.minutes} min`)}">${escapeHtml(t.name)}</a></li>`,
    )
    .join('');
  return chips ? `<ul class="topics" aria-label="Topics">${chips}</ul>` : '';
}

/**
 * Who the traits say the lead is, in a few words: the `name` and `company` sent with `identify` (a company given as
 * an object by its `name`), or '' when neither is a text.
 */
export function describeTraits(traits: JsonObject | undefined): string {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim().slice(0, 80) : undefined);
  const company = traits?.['company'];
  const companyName =
    text(company) ?? (company && typeof company === 'object' && !Array.isArray(company) ? text(company['name']) : undefined);
  return [text(traits?.['name']), companyName].filter(Boolean).join(' · ');
}

function renderLead(
  lead: Lead,
  seen: number | undefined,
  traits: JsonObject | undefined,
  dashboardPath: string,
  now: number,
  filter: LeadFilter,
): string {
  const known = describeTraits(traits);
  const href = `${dashboardPath}/leads/${encodeURIComponent(lead.id)}`;
  const reasons = lead.reasons.slice(0, 3).map(escapeHtml).join(' · ');
  const topics = renderTopicChips(lead, (topic) => `?${filterQuery(filter, { topic, page: 1 })}`);
  return `<li class="lead" data-lead-id="${escapeHtml(lead.id)}" data-level="${escapeHtml(lead.level)}">
<span class="score" title="score out of 100">${escapeHtml(Math.round(lead.score))}</span><span><span class="level level-${escapeHtml(lead.level)}">${escapeHtml(lead.level)}</span></span>
<span><a class="who" href="${href}">${escapeHtml(getLeadName(lead))}</a>${known ? ` <span class="traits">${escapeHtml(known)}</span>` : ''}<br><span class="id">${escapeHtml(lead.id)} · ${escapeHtml(lead.site)}</span></span>
<span class="seen">${seen === undefined ? 'not seen' : `<time datetime="${new Date(seen).toISOString()}" title="${formatTime(seen)}">seen ${formatAgo(seen, now)}</time>`}</span>
${reasons || topics ? `<div class="reasons">${topics}${reasons ? `<p>${reasons}</p>` : ''}</div>` : ''}
</li>`;
}

function renderFilters(filter: LeadFilter, sites: readonly string[], topics: readonly string[]): string {
  const checkbox = (level: IntentLevel) =>
    `<label><input type="checkbox" name="level" value="${level}"${filter.levels.includes(level) ? ' checked' : ''}> ${LEVEL_NAMES[level]}</label>`;
  const option = (value: string, label: string, selected: boolean) =>
    `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  return `<form id="filters" class="filters" method="get" role="search" aria-label="Filter leads">
<fieldset><legend>Level</legend>${checkbox('hot')}${checkbox('warm')}${checkbox('cold')}</fieldset>
<label>Site<select name="site">${option('', 'All sites', !filter.site)}${sites.map((s) => option(s, s, filter.site === s)).join('')}</select></label>
<label>Topic<select name="topic">${option('', 'All topics', !filter.topic)}${topics.map((t) => option(t, t, filter.topic === t)).join('')}</select></label>
<label>Seen<select name="since">${option('', 'Any time', !filter.since)}${Object.keys(SINCE_DAYS)
    .map((s) => option(s, `Last ${SINCE_DAYS[s] === 1 ? '24 hours' : `${SINCE_DAYS[s]} days`}`, filter.since === s))
    .join('')}</select></label>
<label>Sort by<select name="sort">${option('score', 'Score', filter.sort === 'score')}${option('seen', 'Last seen', filter.sort === 'seen')}${option('change', 'Latest level change', filter.sort === 'change')}</select></label>
<label>Search<input type="search" name="q" value="${escapeHtml(filter.q ?? '')}" placeholder="name, company or id"></label>
<button type="submit">Apply</button>
</form>`;
}

/** `GET /dashboard`: the leads list: filtered, sorted, paged, counted per level, and live (see {@link LIVE_SCRIPT}). */
export async function handleDashboard(
  request: Request,
  url: URL,
  store: Store,
  options: { dashboardPath: string; scoreBots: boolean; now: number },
): Promise<Response> {
  const filter = parseLeadFilter(url);
  const { dashboardPath, now } = options;
  // Filters, order, page and counts run in the store, over every lead: the counts are exact at any number of leads.
  const [{ leads: pageLeads, lastSeen, traits, counts }, facets] = await Promise.all([
    store.searchLeads(toLeadSearch(filter, now, DASHBOARD_PAGE_SIZE)),
    store.getLeadFacets(filter.site ? { site: filter.site } : {}),
  ]);
  const bots = options.scoreBots ? 0 : await store.countEvents({ ...(filter.site ? { site: filter.site } : {}), bot: true });
  const { sites, topics } = facets;
  if (filter.site && !sites.includes(filter.site)) sites.push(filter.site);
  if (filter.topic && !topics.includes(filter.topic)) topics.push(filter.topic);
  const total = filter.levels.reduce((sum, level) => sum + counts[level], 0);

  const countLink = (level: IntentLevel) =>
    `<li><a href="?${escapeHtml(filterQuery(filter, { levels: [level], page: 1 }))}"><span class="level level-${level}">${level}</span> <span data-count="${level}">${counts[level]}</span></a></li>`;
  const pages = Math.max(1, Math.ceil(total / DASHBOARD_PAGE_SIZE));
  const pager = `<nav id="pager" class="pager" aria-label="Pages">${filter.page > 1 ? `<a rel="prev" href="?${escapeHtml(filterQuery(filter, { page: filter.page - 1 }))}">← Previous</a>` : ''}<span class="muted">Page ${filter.page} of ${pages}</span>${filter.page < pages ? `<a rel="next" href="?${escapeHtml(filterQuery(filter, { page: filter.page + 1 }))}">Next →</a>` : ''}</nav>`;
  const excluded = bots
    ? `<p id="excluded" class="notice">${bots} event${bots === 1 ? '' : 's'} from automated browsers ${bots === 1 ? 'was' : 'were'} not scored. To score them in a demo or a test, start the receiver with <code>scoreBots: true</code> (<code>inkling serve --score-bots</code>); never in production.</p>`
    : '<p id="excluded" hidden></p>';
  const list = pageLeads.length
    ? `<ol id="results" class="leads" aria-label="Leads">${pageLeads.map((l) => renderLead(l, lastSeen[l.id], traits[l.id], dashboardPath, now, filter)).join('\n')}</ol>`
    : `<div id="results"><p class="empty">No ${titleFor(filter.levels).toLowerCase()} match these filters yet.</p></div>`;
  const title = titleFor(filter.levels);
  const main = `<h1>${escapeHtml(title)}${filter.site ? ` <span class="muted">on ${escapeHtml(filter.site)}</span>` : ''}</h1>
<ul id="counts" class="counts" aria-label="Leads per level">${countLink('hot')}${countLink('warm')}${countLink('cold')}</ul>
${renderFilters(filter, sites, topics)}
${excluded}
<p id="live" class="sr-only" role="status" aria-live="polite"></p>
${list}
${pager}`;
  return renderLiveList(request, title, CSS, dashboardPath, main);
}
