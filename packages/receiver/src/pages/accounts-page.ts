import type { AccountTopic, IntentLevel } from '@inkling/core';
import { RequestError } from '../errors.js';
import { htmlResponse } from '../http/responses.js';
import type { Account, AccountMember, Store } from '../store/types.js';
import { ACCOUNT_MEMBERS_LIMIT, ACCOUNT_TIMELINE_LIMIT, toAccountTimeline } from './accounts-api.js';
import type { AccountTimelineItem } from './accounts-api.js';
import { escapeHtml, formatAgo, formatTime, getPageHeaders, renderPage } from './html.js';
import { parseLevels, parseTopic } from './leads-api.js';
import { renderLiveList } from './live.js';
import { renderBar, THEME_CSS } from './theme.js';

/** Accounts per page of the list. */
export const ACCOUNTS_PAGE_SIZE = 25;
/** Accounts the list reads to filter and count, highest score first; past this the counts say "1000+". */
export const ACCOUNTS_SCAN_LIMIT = 1000;
/** Topics shown per account in the list. */
const LIST_TOPICS = 3;

// The same look as the leads list and the lead page (dashboard.ts, lead-page.ts).
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
.accounts,.members{list-style:none;padding:0;margin:0;border-top:1px solid var(--line)}
.account,.member{display:grid;grid-template-columns:3.5rem 4.5rem minmax(0,1fr) 9rem;gap:.25rem 1rem;align-items:baseline;padding:.7rem .25rem;border-bottom:1px solid var(--line)}
.account .score,.member .score{font-size:1.35rem}
.account .who,.member .who{font-weight:600;font-size:1.02rem}
.id{font:12px ui-monospace,monospace;color:var(--muted);word-break:break-all}
.account .reasons,.member .reasons{grid-column:3/5;margin:0;color:var(--muted);font-size:.9rem}
.account .reasons p{margin:.2rem 0 0}
.people,.since{text-align:right;color:var(--muted);font-size:.85rem}
.empty{color:var(--muted);padding:1rem 0}
.head{display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
.head .score{font-size:2.4rem}
.crumb{font-size:.9rem;margin:0}
.grid{display:grid;grid-template-columns:minmax(0,2fr) minmax(0,1fr);gap:0 2rem}
.why,.account-topics,.timeline{list-style:none;padding:0;margin:0}
.why li{padding:.2rem 0;border-bottom:1px solid var(--line)}
.account-topics li{padding:.15rem 0}
dl{display:grid;grid-template-columns:auto minmax(0,1fr);gap:.3rem 1rem;margin:0}
dt{color:var(--muted)}dd{margin:0;word-break:break-all}
.timeline li{display:grid;grid-template-columns:11.5rem minmax(0,1fr);gap:.75rem;padding:.3rem 0;border-bottom:1px solid var(--line);font-size:.9rem}
.timeline time{color:var(--muted);font-variant-numeric:tabular-nums}
@media (max-width:48rem){.grid{grid-template-columns:1fr}.timeline li{grid-template-columns:1fr}}
@media (max-width:40rem){.account,.member{grid-template-columns:3rem 4.5rem minmax(0,1fr)}.people,.since{grid-column:1/4;text-align:left}.account .reasons,.member .reasons{grid-column:1/4}}
`;

const LEVEL_NAMES: Record<IntentLevel, string> = { hot: 'Hot', warm: 'Warm', cold: 'Cold' };
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** What the pages call an account: its `name` trait, else the e-mail domain, else the site's own id. */
export function getAccountName(account: Pick<Account, 'key' | 'source' | 'traits'>): string {
  const name = account.traits?.['name'];
  if (typeof name === 'string' && name.trim()) return name.trim();
  return account.source === 'domain' ? account.key.replace(/^domain:/, '') : account.key;
}

/** How a lead came to its account, in words. */
const describeSource = (source: Account['source']) => (source === 'group' ? 'named by the site' : 'by e-mail domain');

/** The accounts list's filters: `?level=` (repeated or comma-separated; hot and warm by default), `?site=`, `?topic=`, `?page=`. */
interface AccountFilter {
  levels: IntentLevel[];
  site: string | undefined;
  topic: string | undefined;
  page: number;
}

function parseAccountFilter(url: URL): AccountFilter {
  const params = url.searchParams;
  const levels = parseLevels(
    params
      .getAll('level')
      .join(',')
      .replace(/^,+|,+$/g, ''),
  ) ?? ['hot', 'warm'];
  const pageText = params.get('page') || '1';
  const page = Number(pageText);
  if (!Number.isInteger(page) || page < 1 || page > 10_000)
    throw new RequestError('invalid_query', 400, `page: expected a whole number from 1, got ${JSON.stringify(pageText.slice(0, 32))}`);
  return { levels: [...new Set(levels)], site: params.get('site') || undefined, topic: parseTopic(params.get('topic')), page };
}

function filterQuery(filter: AccountFilter, changes: Partial<AccountFilter> = {}): string {
  const next = { ...filter, ...changes };
  const params = new URLSearchParams();
  for (const level of next.levels) params.append('level', level);
  if (next.site) params.set('site', next.site);
  if (next.topic) params.set('topic', next.topic);
  if (next.page > 1) params.set('page', String(next.page));
  return params.toString();
}

/** The page title for the levels shown: "Hot and warm accounts". */
function titleFor(levels: readonly IntentLevel[]): string {
  const names = (['hot', 'warm', 'cold'] as const).filter((l) => levels.includes(l)).map((l) => LEVEL_NAMES[l]);
  const joined = names.length === 3 ? 'All' : names.join(' and ');
  return `${joined[0]}${joined.slice(1).toLowerCase()} accounts`;
}

function renderTopicChips(topics: readonly AccountTopic[], link: (topic: string) => string): string {
  const chips = topics
    .slice(0, LIST_TOPICS)
    .map(
      (t) =>
        `<li><a class="topic" href="${escapeHtml(link(t.name))}" title="${escapeHtml(`${plural(t.people, 'person', 'people')}, ${plural(t.reads, 'read')}, ${t.minutes} min`)}">${escapeHtml(t.name)}</a></li>`,
    )
    .join('');
  return chips ? `<ul class="topics" aria-label="Topics">${chips}</ul>` : '';
}

function renderAccount(account: Account, dashboardPath: string, filter: AccountFilter): string {
  const href = `${dashboardPath}/accounts/${encodeURIComponent(account.id)}`;
  const reasons = account.reasons.slice(0, 3).map(escapeHtml).join(' · ');
  const topics = renderTopicChips(account.topics, (topic) => `?${filterQuery(filter, { topic, page: 1 })}`);
  return `<li class="account" data-account-id="${escapeHtml(account.id)}" data-level="${escapeHtml(account.level)}">
<span class="score" title="score out of 100">${escapeHtml(Math.round(account.score))}</span><span><span class="level level-${escapeHtml(account.level)}">${escapeHtml(account.level)}</span></span>
<span><a class="who" href="${href}">${escapeHtml(getAccountName(account))}</a><br><span class="id">${escapeHtml(account.key)} · ${escapeHtml(account.site)}</span></span>
<span class="people">${plural(account.members, 'member')}<br>${plural(account.people, 'engaged person', 'engaged people')}</span>
${reasons || topics ? `<div class="reasons">${topics}${reasons ? `<p>${reasons}</p>` : ''}</div>` : ''}
</li>`;
}

function renderFilters(filter: AccountFilter, sites: readonly string[], topics: readonly string[]): string {
  const checkbox = (level: IntentLevel) =>
    `<label><input type="checkbox" name="level" value="${level}"${filter.levels.includes(level) ? ' checked' : ''}> ${LEVEL_NAMES[level]}</label>`;
  const option = (value: string, label: string, selected: boolean) =>
    `<option value="${escapeHtml(value)}"${selected ? ' selected' : ''}>${escapeHtml(label)}</option>`;
  return `<form id="filters" class="filters" method="get" role="search" aria-label="Filter accounts">
<fieldset><legend>Level</legend>${checkbox('hot')}${checkbox('warm')}${checkbox('cold')}</fieldset>
<label>Site<select name="site">${option('', 'All sites', !filter.site)}${sites.map((s) => option(s, s, filter.site === s)).join('')}</select></label>
<label>Topic<select name="topic">${option('', 'All topics', !filter.topic)}${topics.map((t) => option(t, t, filter.topic === t)).join('')}</select></label>
<button type="submit">Apply</button>
</form>`;
}

/**
 * `GET <dashboard>/accounts`: accounts by score, with their level, members, strongest topics and reasons, counted
 * per level, filtered by level, site and topic, paged, and live like the leads list.
 */
export async function handleAccountsPage(request: Request, url: URL, store: Store, options: { dashboardPath: string }): Promise<Response> {
  const filter = parseAccountFilter(url);
  const { dashboardPath } = options;
  const scanned = await store.listAccounts({ limit: ACCOUNTS_SCAN_LIMIT + 1, ...(filter.site ? { site: filter.site } : {}) });
  const capped = scanned.length > ACCOUNTS_SCAN_LIMIT;
  const all = scanned.slice(0, ACCOUNTS_SCAN_LIMIT);
  const matching = filter.topic ? all.filter((a) => a.topics.slice(0, LIST_TOPICS).some((t) => t.name === filter.topic)) : all;
  const counts: Record<IntentLevel, number> = { hot: 0, warm: 0, cold: 0 };
  for (const account of matching) counts[account.level]++;
  const shown = matching.filter((a) => filter.levels.includes(a.level));
  const pageAccounts = shown.slice((filter.page - 1) * ACCOUNTS_PAGE_SIZE, filter.page * ACCOUNTS_PAGE_SIZE);
  const sites = [...new Set(all.map((a) => a.site))].sort();
  if (filter.site && !sites.includes(filter.site)) sites.push(filter.site);
  const topics = [...new Set(all.flatMap((a) => a.topics.slice(0, LIST_TOPICS).map((t) => t.name)))].sort();
  if (filter.topic && !topics.includes(filter.topic)) topics.push(filter.topic);

  const countLink = (level: IntentLevel) =>
    `<li><a href="?${escapeHtml(filterQuery(filter, { levels: [level], page: 1 }))}"><span class="level level-${level}">${level}</span> <span data-count="${level}">${counts[level]}${capped ? '+' : ''}</span></a></li>`;
  const pages = Math.max(1, Math.ceil(shown.length / ACCOUNTS_PAGE_SIZE));
  const pager = `<nav id="pager" class="pager" aria-label="Pages">${filter.page > 1 ? `<a rel="prev" href="?${escapeHtml(filterQuery(filter, { page: filter.page - 1 }))}">← Previous</a>` : ''}<span class="muted">Page ${filter.page} of ${pages}</span>${filter.page < pages ? `<a rel="next" href="?${escapeHtml(filterQuery(filter, { page: filter.page + 1 }))}">Next →</a>` : ''}</nav>`;
  const title = titleFor(filter.levels);
  const list = pageAccounts.length
    ? `<ol id="results" class="accounts" aria-label="Accounts">${pageAccounts.map((a) => renderAccount(a, dashboardPath, filter)).join('\n')}</ol>`
    : `<div id="results"><p class="empty">No ${title.toLowerCase()} match these filters yet. An account is made when the site calls <code>group()</code>, or when a lead identifies with an e-mail address on a company's domain.</p></div>`;
  const main = `<h1>${escapeHtml(title)}${filter.site ? ` <span class="muted">on ${escapeHtml(filter.site)}</span>` : ''}</h1>
<ul id="counts" class="counts" aria-label="Accounts per level">${countLink('hot')}${countLink('warm')}${countLink('cold')}</ul>
${renderFilters(filter, sites, topics)}
<p id="live" class="sr-only" role="status" aria-live="polite"></p>
${list}
${pager}`;
  return renderLiveList(request, title, CSS, dashboardPath, main);
}

function renderMember(member: AccountMember, dashboardPath: string, now: number): string {
  const href = `${dashboardPath}/leads/${encodeURIComponent(member.leadId)}`;
  const topics = member.topics
    .slice(0, LIST_TOPICS)
    .map((t) => `<li><span class="topic">${escapeHtml(t.name)}</span></li>`)
    .join('');
  return `<li class="member" data-lead-id="${escapeHtml(member.leadId)}" data-level="${escapeHtml(member.level)}">
<span class="score" title="score out of 100">${escapeHtml(Math.round(member.score))}</span><span><span class="level level-${escapeHtml(member.level)}">${escapeHtml(member.level)}</span></span>
<span><a class="who" href="${href}">${escapeHtml(member.userId ?? 'Anonymous visitor')}</a><br><span class="id">${escapeHtml(member.leadId)}</span></span>
<span class="since"><time datetime="${new Date(member.joinedAt).toISOString()}" title="${formatTime(member.joinedAt)}">joined ${formatAgo(member.joinedAt, now)}</time><br>${escapeHtml(describeSource(member.source))}</span>
${topics ? `<div class="reasons"><ul class="topics" aria-label="Topics">${topics}</ul></div>` : ''}
</li>`;
}

function renderMove(
  item: AccountTimelineItem,
  dashboardPath: string,
  names: ReadonlyMap<string, string>,
  others: ReadonlyMap<string, Account | undefined>,
): string {
  const lead = `<a href="${dashboardPath}/leads/${encodeURIComponent(item.leadId)}">${escapeHtml(names.get(item.leadId) ?? item.leadId)}</a>`;
  const account = item.other && others.get(item.other);
  const other = account
    ? `<a class="other" href="${dashboardPath}/accounts/${encodeURIComponent(account.id)}">${escapeHtml(getAccountName(account))}</a>`
    : item.other
      ? `<code>${escapeHtml(item.other)}</code>`
      : '';
  const text =
    item.kind === 'joined'
      ? `${lead} joined, ${escapeHtml(describeSource(item.source))}${other ? `, from ${other}` : ''}`
      : `${lead} left for ${other}`;
  return `<li class="${item.kind}"><time datetime="${new Date(item.at).toISOString()}">${formatTime(item.at)}</time><span>${text}</span></li>`;
}

/**
 * `GET <dashboard>/accounts/:id`: one account for a salesperson: its level and why, what its people research, its
 * members (strongest first, each linking to its lead page) and who joined and left, paged with `?before=`.
 */
export async function handleAccountPage(
  url: URL,
  id: string,
  store: Store,
  options: { dashboardPath: string; now: number },
): Promise<Response> {
  const { dashboardPath, now } = options;
  const account = await store.getAccount(id);
  if (!account) throw new RequestError('account_not_found', 404, `account: no account with id ${JSON.stringify(id.slice(0, 64))}`);
  const beforeText = url.searchParams.get('before');
  const before = beforeText === null ? undefined : Number(beforeText);
  if (before !== undefined && (!Number.isSafeInteger(before) || before < 1))
    throw new RequestError(
      'invalid_query',
      400,
      `before: expected the link of an older page, got ${JSON.stringify(beforeText!.slice(0, 32))}`,
    );
  const [members, moves] = await Promise.all([
    store.listAccountMembers(id, { limit: ACCOUNT_MEMBERS_LIMIT }),
    store.listAccountMoves({ accountId: id, limit: ACCOUNT_TIMELINE_LIMIT + 1, ...(before !== undefined ? { before } : {}) }),
  ]);
  const timeline = toAccountTimeline(id, moves.slice(0, ACCOUNT_TIMELINE_LIMIT));
  const olderBefore = moves.length > ACCOUNT_TIMELINE_LIMIT ? timeline[timeline.length - 1]?.seq : undefined;
  const names = new Map(members.map((m) => [m.leadId, m.userId ?? m.leadId]));
  const otherIds = [...new Set(timeline.flatMap((t) => (t.other ? [t.other] : [])))];
  const others = new Map(await Promise.all(otherIds.map(async (other) => [other, await store.getAccount(other)] as const)));
  const name = getAccountName(account);
  const base = `${dashboardPath}/accounts/${encodeURIComponent(account.id)}`;

  const reasons = account.reasons.length
    ? `<ol class="why" aria-labelledby="h-why">${account.reasons.map((r) => `<li class="reason">${escapeHtml(r)}</li>`).join('')}</ol>`
    : '<p class="muted">Nothing yet: its people have not researched enough to say.</p>';
  const topics = account.topics.length
    ? `<ul class="account-topics" aria-labelledby="h-topics">${account.topics
        .map(
          (t) =>
            `<li><a class="topic" href="${escapeHtml(`${dashboardPath}/accounts?topic=${encodeURIComponent(t.name)}`)}">${escapeHtml(t.name)}</a> <span class="muted">${plural(t.people, 'person', 'people')} · ${plural(t.reads, 'read')} · ${t.minutes} min</span></li>`,
        )
        .join('')}</ul>`
    : '<p class="muted">No topics yet: none of the pages its people read carried one.</p>';
  const memberList = members.length
    ? `<ol class="members" aria-labelledby="h-members">${members.map((m) => renderMember(m, dashboardPath, now)).join('\n')}</ol>${
        account.members > members.length
          ? `<p class="muted">The ${members.length} strongest of ${account.members} members; the account API lists them all.</p>`
          : ''
      }`
    : '<p class="muted">No members now.</p>';
  const moveList = timeline.length
    ? `<ol class="timeline">${timeline.map((item) => renderMove(item, dashboardPath, names, others)).join('')}</ol>${
        olderBefore !== undefined
          ? `<nav class="pager" aria-label="Timeline pages"><a rel="next" href="${base}?before=${olderBefore}#timeline">Older moves →</a></nav>`
          : ''
      }`
    : '<p class="muted">No moves yet.</p>';
  const traits = Object.entries(account.traits ?? {})
    .filter(([k]) => k !== 'name')
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(typeof v === 'string' ? v : JSON.stringify(v))}</dd>`)
    .join('');
  const body = `${renderBar(dashboardPath)}<main class="wrap">
<p class="crumb"><a href="${dashboardPath}/accounts">← All accounts</a></p>
<div class="head"><span class="score" title="score out of 100">${escapeHtml(Math.round(account.score))}</span><span class="level level-${escapeHtml(account.level)}">${escapeHtml(account.level)}</span><h1 class="who">${escapeHtml(name)}</h1></div>
<p class="muted">Account <code class="account-key">${escapeHtml(account.key)}</code> · ${escapeHtml(account.site)} · ${plural(account.members, 'member')} · ${plural(account.people, 'engaged person', 'engaged people')} · was ${escapeHtml(account.previous)}</p>
<div class="grid"><section aria-labelledby="h-members"><h2 id="h-members">Members</h2>${memberList}</section>
<section aria-labelledby="h-why"><h2 id="h-why">Why ${escapeHtml(account.level)}</h2>${reasons}
<h2 id="h-topics">What they research</h2>${topics}
<h2 id="h-what">Account</h2><dl>
<dt>Made</dt><dd>${escapeHtml(describeSource(account.source))}, ${formatTime(account.createdAt)}</dd>
<dt>Scored</dt><dd>${account.scoredAt === null ? '<span class="muted">not scored yet</span>' : `${formatTime(account.scoredAt)} (${formatAgo(account.scoredAt, now)})`}</dd>
<dt>Model</dt><dd>${escapeHtml(account.model ?? 'not scored yet')}</dd>${traits}
</dl></section></div>
<section aria-labelledby="timeline"><h2 id="timeline">Who joined and left</h2>${moveList}</section>
</main>`;
  return htmlResponse(renderPage(`Inkling — ${name}`, CSS, body), 200, await getPageHeaders(CSS));
}
