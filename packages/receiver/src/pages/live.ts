import { htmlResponse } from '../http/responses.js';
import { escapeHtml, getPageHeaders, renderPage, sha256Base64 } from './html.js';
import { renderBar } from './theme.js';

/** How often an open leads list asks for changes. */
export const LIVE_POLL_MS = 5000;

/**
 * The leads list's only script, allowed by its hash in the page's CSP: every {@link LIVE_POLL_MS} it asks for the
 * same address with `If-None-Match`, and on a new version swaps in the counts and the list, unless the keyboard
 * focus is inside the list (a person working through it is not moved). Without it the page works the same, with a
 * reload. Changing a filter submits the form.
 */
export const LIVE_SCRIPT = `(function(){
var etag=document.documentElement.getAttribute('data-etag');
var status=document.getElementById('live');
var form=document.getElementById('filters');
if(form)form.addEventListener('change',function(e){if(e.target&&e.target.name!=='q')form.requestSubmit();});
function swap(doc,id){var now=document.getElementById(id),next=doc.getElementById(id);if(now&&next)now.replaceWith(next);}
function poll(){
var list=document.getElementById('results');
if(document.hidden||(list&&list.contains(document.activeElement))){return setTimeout(poll,${LIVE_POLL_MS});}
fetch(location.href,{headers:{'if-none-match':etag||'',accept:'text/html'},credentials:'same-origin'}).then(function(r){
if(r.status!==200)return;
etag=r.headers.get('etag');
return r.text().then(function(html){
var doc=new DOMParser().parseFromString(html,'text/html');
swap(doc,'counts');swap(doc,'results');swap(doc,'pager');swap(doc,'excluded');
if(status)status.textContent='Updated '+new Date().toLocaleTimeString();
});
}).catch(function(){}).then(function(){setTimeout(poll,${LIVE_POLL_MS});});
}
setTimeout(poll,${LIVE_POLL_MS});
})();`;

/**
 * A list page that updates itself (leads, accounts): `main` is versioned by its hash, answered 304 to the
 * live script's poll while unchanged, and sent with that script and its version on `<html data-etag>`.
 */
export async function renderLiveList(request: Request, title: string, css: string, dashboardPath: string, main: string): Promise<Response> {
  const etag = `"${(await sha256Base64(main)).slice(0, 27)}"`;
  const headers = { ...(await getPageHeaders(css, LIVE_SCRIPT)), etag };
  if (request.headers.get('if-none-match') === etag)
    return new Response(null, { status: 304, headers: { etag, 'cache-control': 'no-store' } });
  const body = `${renderBar(dashboardPath)}<main class="wrap">${main}</main>`;
  return htmlResponse(
    renderPage(`Inkling — ${title.toLowerCase()}`, css, body, LIVE_SCRIPT).replace(
      '<html lang="en">',
      `<html lang="en" data-etag="${escapeHtml(etag)}">`,
    ),
    200,
    headers,
  );
}
