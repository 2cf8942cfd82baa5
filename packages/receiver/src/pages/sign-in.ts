import { checkApiKey } from '../http/auth.js';
import { htmlResponse } from '../http/responses.js';
import { clearSessionCookie, createSessionCookie, hasSession } from '../http/session.js';
import { escapeHtml, getPageHeaders, renderPage } from './html.js';
import { THEME_CSS } from './theme.js';

const CSS = `${THEME_CSS}
.signin{max-width:24rem;margin:4rem auto;padding:1.5rem;border:1px solid var(--line);border-radius:.5rem;background:var(--card)}
.signin label{display:block;margin:.75rem 0 .25rem}
.signin input{width:100%;box-sizing:border-box;font:inherit;padding:.4rem .5rem;border:1px solid var(--line);border-radius:.35rem;background:var(--bg);color:inherit}
.signin button{margin-top:1rem;font:inherit;padding:.4rem 1rem;border-radius:.35rem;border:0;background:var(--accent);color:#fff;cursor:pointer}
.error{color:#b91c1c}
`;

async function signInPage(path: string, error: string): Promise<Response> {
  const body = `<main class="signin"><h1>Inkling</h1><p class="muted">Enter this receiver's API key to open the dashboard. It is kept in a session cookie, never in the address.</p>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="get" action="${escapeHtml(path)}"><label for="key">API key</label><input id="key" name="key" type="password" autocomplete="current-password" required autofocus><button type="submit">Open the dashboard</button></form></main>`;
  return htmlResponse(renderPage('Inkling — sign in', CSS, body), 401, {
    ...(await getPageHeaders(CSS)),
    'www-authenticate': 'Bearer realm="inkling"',
  });
}

/** Where a page's session cookie is valid, and the clock. */
export interface PageAuthOptions {
  apiKey: string | undefined;
  /** The cookie's `Path`: the dashboard path for its pages, the events path for the events page. */
  cookiePath: string;
  now: number;
}

/**
 * Lets a request into an HTML page, or answers it. Passes with `Authorization: Bearer <key>` or a valid session
 * cookie. A `?key=` is exchanged: a right key gets a 303 to the same address without it and a session cookie; a
 * wrong one, like no credentials at all, gets the sign-in form (401). Without a configured key it throws the
 * API's 401.
 */
export async function authorizePage(request: Request, url: URL, options: PageAuthOptions): Promise<Response | undefined> {
  const { apiKey, cookiePath, now } = options;
  if (apiKey === undefined || request.headers.has('authorization')) {
    checkApiKey(request, url, apiKey, false);
    return undefined;
  }
  const secure = url.protocol === 'https:';
  const key = url.searchParams.get('key');
  if (key !== null) {
    try {
      checkApiKey(new Request(url, { headers: { authorization: `Bearer ${key}` } }), url, apiKey, false);
    } catch {
      return signInPage(url.pathname, 'That is not this receiver’s API key.');
    }
    const clean = new URL(url);
    clean.searchParams.delete('key');
    return new Response(null, {
      status: 303,
      headers: {
        location: clean.pathname + clean.search,
        'set-cookie': await createSessionCookie(apiKey, cookiePath, secure, now),
        'cache-control': 'no-store',
        'referrer-policy': 'no-referrer',
      },
    });
  }
  if (await hasSession(request, apiKey, now)) return undefined;
  return signInPage(url.pathname, '');
}

/** `GET <dashboard>/logout`: ends the session and shows the sign-in form's address. */
export function handleLogout(url: URL, dashboardPath: string): Response {
  return new Response(null, {
    status: 303,
    headers: {
      location: dashboardPath,
      'set-cookie': clearSessionCookie(dashboardPath, url.protocol === 'https:'),
      'cache-control': 'no-store',
    },
  });
}
