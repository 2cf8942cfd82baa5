/**
 * Standard Webhooks signing and verification with Web Crypto only, so this entry
 * (`@inkling/receiver/verify`) runs on Node, Deno, Bun, Cloudflare Workers and other edge runtimes.
 * Spec: https://github.com/standard-webhooks/standard-webhooks/blob/main/spec/standard-webhooks.md
 *
 * @packageDocumentation
 */
import { WebhookVerificationError } from '../errors.js';

export { WebhookVerificationError } from '../errors.js';
export type { WebhookVerificationCode } from '../errors.js';

/** The spec's default tolerance for `webhook-timestamp`: five minutes either way. */
export const TOLERANCE_S = 300;

const SECRET_PREFIX = 'whsec_';
const encoder = new TextEncoder();

/** Headers as a Fetch `Headers` object or a plain record (any case; Node's arrays allowed). */
export type WebhookHeaders = Headers | Record<string, string | string[] | undefined>;

/** Options of {@link verifyWebhook}. */
export interface VerifyWebhookOptions {
  /**
   * How far `webhook-timestamp` may be from now, in seconds, either way. Replayed messages older than this are
   * refused.
   * @default 300
   */
  toleranceS?: number;
  /** The current time in ms since the epoch, for tests. @default Date.now() */
  nowMs?: number;
}

/** A webhook that verified: its id (dedupe on it), its timestamp and the parsed JSON body. */
export interface VerifiedWebhook<T = unknown> {
  id: string;
  timestamp: number;
  payload: T;
}

function getHeader(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [key, value] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (key.toLowerCase() === name) return Array.isArray(value) ? value.join(' ') : value;
  }
  return undefined;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function encodeBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

function decodeSecret(secret: string): Uint8Array {
  const body = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  let key: Uint8Array;
  try {
    key = decodeBase64(body);
  } catch {
    throw new WebhookVerificationError('invalid_secret', 'secret: expected "whsec_" followed by base64, got something else');
  }
  if (key.length === 0)
    throw new WebhookVerificationError('invalid_secret', 'secret: expected "whsec_" followed by base64, got an empty key');
  return key;
}

/**
 * Compares two byte strings in time that depends only on their lengths, so an attacker cannot learn a valid
 * signature byte by byte from response times.
 */
export function timingSafeEqual(a: Uint8Array, b: Uint8Array): boolean {
  let diff = a.length ^ b.length;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0);
  return diff === 0;
}

async function hmac(key: Uint8Array, content: string): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, [
    'sign',
  ]);
  return new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, encoder.encode(`${content}`)));
}

function toText(body: string | Uint8Array): string {
  return typeof body === 'string' ? body : new TextDecoder().decode(body);
}

/**
 * Signs a message the Standard Webhooks way: `v1,` + base64 HMAC-SHA256 of `id.timestamp.body`, once per
 * secret, space-separated, so a consumer can rotate keys without missing a message.
 *
 * @param secrets - one `whsec_...` secret or several (the newest first is customary).
 * @example
 * await signWebhook('msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw');
 * // 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE='
 */
export async function signWebhook(
  id: string,
  timestampS: number,
  body: string | Uint8Array,
  secrets: string | readonly string[],
): Promise<string> {
  const list = typeof secrets === 'string' ? [secrets] : secrets;
  const content = `${id}.${timestampS}.${toText(body)}`;
  const signatures = await Promise.all(list.map(async (secret) => `v1,${encodeBase64(await hmac(decodeSecret(secret), content))}`));
  return signatures.join(' ');
}

/**
 * Checks that a webhook was signed with one of `secrets` and is recent. Throws a
 * {@link WebhookVerificationError} with a stable `code` otherwise: `missing_header`, `invalid_timestamp`,
 * `timestamp_too_old`, `timestamp_too_new`, `invalid_signature`, `invalid_body`, `invalid_secret`.
 *
 * Pass the raw body exactly as received: re-serialised JSON does not verify.
 *
 * @param secrets - one secret or several during a rotation; any match is accepted.
 * @returns the message id (dedupe on it: a retry carries the same id), the timestamp and the parsed body.
 * @example
 * const { id, payload } = await verifyWebhook(await request.text(), request.headers, process.env.INKLING_WEBHOOK_SECRET);
 */
export async function verifyWebhook<T = unknown>(
  rawBody: string | Uint8Array,
  headers: WebhookHeaders,
  secrets: string | readonly string[],
  options: VerifyWebhookOptions = {},
): Promise<VerifiedWebhook<T>> {
  const id = getHeader(headers, 'webhook-id');
  const timestampText = getHeader(headers, 'webhook-timestamp');
  const signatureList = getHeader(headers, 'webhook-signature');
  for (const [name, value] of [
    ['webhook-id', id],
    ['webhook-timestamp', timestampText],
    ['webhook-signature', signatureList],
  ] as const) {
    if (!value) throw new WebhookVerificationError('missing_header', `${name}: expected a header, got nothing`);
  }
  if (!/^\d{1,12}$/.test(timestampText!)) {
    throw new WebhookVerificationError(
      'invalid_timestamp',
      `webhook-timestamp: expected unix seconds, got ${JSON.stringify(timestampText!.slice(0, 20))}`,
    );
  }
  const timestamp = Number(timestampText);
  const toleranceS = options.toleranceS ?? TOLERANCE_S;
  const nowS = Math.floor((options.nowMs ?? Date.now()) / 1000);
  if (nowS - timestamp > toleranceS)
    throw new WebhookVerificationError(
      'timestamp_too_old',
      `webhook-timestamp: ${nowS - timestamp} s old, more than the ${toleranceS} s tolerance`,
    );
  if (timestamp - nowS > toleranceS)
    throw new WebhookVerificationError(
      'timestamp_too_new',
      `webhook-timestamp: ${timestamp - nowS} s in the future, more than the ${toleranceS} s tolerance`,
    );

  const text = toText(rawBody);
  const expected = (await signWebhook(id!, timestamp, text, secrets)).split(' ').map((s) => encoder.encode(s));
  const given = signatureList!
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => encoder.encode(s));
  // Every pair is compared, so the time taken does not reveal which secret or which signature matched.
  let matched = false;
  for (const e of expected) for (const g of given) matched = timingSafeEqual(e, g) || matched;
  if (!matched)
    throw new WebhookVerificationError('invalid_signature', 'webhook-signature: no v1 signature matches the body with any of the secrets');

  let payload: T;
  try {
    payload = (text === '' ? undefined : JSON.parse(text)) as T;
  } catch {
    throw new WebhookVerificationError('invalid_body', 'body: signed correctly, but not JSON');
  }
  return { id: id!, timestamp, payload };
}
