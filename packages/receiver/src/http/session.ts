/**
 * Dashboard sessions. A person opens the dashboard once with `?key=<api key>` (or types the key into the sign-in
 * form); the receiver answers with a redirect to the same address without the key and an HttpOnly,
 * SameSite=Strict cookie scoped to the page's path. The key never stays in the address bar, the history or a
 * bookmark. The cookie holds an expiry and an HMAC of it keyed by the API key: nothing is stored on the server,
 * and rotating the API key ends every session.
 */
import { timingSafeEqual } from '../webhooks/verify.js';

/** The cookie's name. */
export const SESSION_COOKIE = 'inkling_session';
/** A working day and then some: a salesperson signs in once in the morning. */
export const SESSION_TTL_MS = 12 * 3600 * 1000;

const encoder = new TextEncoder();

async function sign(apiKey: string, expires: number): Promise<string> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(apiKey), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, encoder.encode(`inkling-session:${expires}`)));
  let binary = '';
  for (const b of mac) binary += String.fromCharCode(b);
  return btoa(binary).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
}

/** The `Set-Cookie` value of a new session for `path`, valid for {@link SESSION_TTL_MS}. */
export async function createSessionCookie(apiKey: string, path: string, secure: boolean, now: number): Promise<string> {
  const expires = now + SESSION_TTL_MS;
  const value = `${expires}.${await sign(apiKey, expires)}`;
  return `${SESSION_COOKIE}=${value}; Path=${path}; Max-Age=${SESSION_TTL_MS / 1000}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** The `Set-Cookie` value that ends the session for `path`. */
export function clearSessionCookie(path: string, secure: boolean): string {
  return `${SESSION_COOKIE}=; Path=${path}; Max-Age=0; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** True when the request carries an unexpired session cookie signed with `apiKey`. */
export async function hasSession(request: Request, apiKey: string, now: number): Promise<boolean> {
  const cookies = request.headers.get('cookie') ?? '';
  const value = cookies
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${SESSION_COOKIE}=`))
    ?.slice(SESSION_COOKIE.length + 1);
  const match = value ? /^(\d{1,15})\.([A-Za-z0-9_-]+)$/.exec(value) : null;
  if (!match) return false;
  const expires = Number(match[1]);
  if (expires <= now) return false;
  return timingSafeEqual(encoder.encode(match[2]!), encoder.encode(await sign(apiKey, expires)));
}
