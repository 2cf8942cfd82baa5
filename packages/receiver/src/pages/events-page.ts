import { htmlResponse, jsonResponse } from '../http/responses.js';
import type { Store, StoredEvent } from '../store/types.js';
import { escapeHtml, formatTime, getPageHeaders, renderPage } from './html.js';

const PAGE_SIZE = 100;

const CSS = `
:root{color-scheme:light dark;font:14px/1.4 system-ui,sans-serif}
body{margin:0 auto;max-width:72rem;padding:1.5rem}
table{border-collapse:collapse;width:100%}
th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #8883;vertical-align:top}
td.json{font:12px/1.3 ui-monospace,monospace;white-space:pre-wrap;word-break:break-all;max-width:28rem}
.bot{color:#b45309}
`;

function wantsHtml(request: Request, url: URL): boolean {
  const format = url.searchParams.get('format');
  if (format) return format === 'html';
  return (request.headers.get('accept') ?? '').includes('text/html');
}

function renderRow(e: StoredEvent): string {
  return `<tr data-event-id="${escapeHtml(e.id)}"><td>${formatTime(e.receivedAt)}</td><td>${escapeHtml(e.site)}</td><td>${escapeHtml(e.type)}${e.bot ? ' <span class="bot">bot</span>' : ''}</td><td>${escapeHtml(e.event.page.kind)}</td><td>${escapeHtml(e.event.page.path)}</td><td>${escapeHtml(e.visitor)}</td><td class="json">${escapeHtml(JSON.stringify(e.event.props))}</td></tr>`;
}

/**
 * `GET /events`: the newest stored events (HTML for a browser, else JSON), paged with `?before=<seq>`, with how
 * many were left out of scoring as sent by automated browsers (`excluded.bot`; 0 under `scoreBots`).
 */
export async function handleEvents(request: Request, url: URL, store: Store, scoreBots = false): Promise<Response> {
  const before = Number(url.searchParams.get('before'));
  const site = url.searchParams.get('site');
  const events = await store.listEvents({ limit: PAGE_SIZE, ...(site ? { site } : {}), ...(before > 0 ? { before } : {}) });
  const last = events[events.length - 1];
  const next = events.length === PAGE_SIZE && last ? last.seq : null;
  const bots = scoreBots ? 0 : await store.countEvents({ ...(site ? { site } : {}), bot: true });
  if (!wantsHtml(request, url)) return jsonResponse({ events, next, excluded: { bot: bots } });
  const excluded = bots
    ? `<p class="excluded">${bots} event${bots === 1 ? '' : 's'} from automated browsers (marked <span class="bot">bot</span>) ${bots === 1 ? 'was' : 'were'} stored but not scored. Start the receiver with <code>scoreBots: true</code> (<code>inkling serve --score-bots</code>) to score them in a demo or a test.</p>`
    : '';
  const rows = events.map(renderRow).join('\n');
  const body = `<h1>Stored events</h1><p>Newest first${site ? ` for ${escapeHtml(site)}` : ''}. ${events.length ? '' : 'Nothing stored yet.'}</p>
${excluded}<table><thead><tr><th>Received</th><th>Site</th><th>Type</th><th>Kind</th><th>Path</th><th>Visitor</th><th>Props</th></tr></thead><tbody>
${rows}
</tbody></table>`;
  return htmlResponse(renderPage('Inkling — stored events', CSS, body), 200, await getPageHeaders(CSS));
}
