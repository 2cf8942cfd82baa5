import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook, WebhookVerificationError } from './verify.js';

// The Standard Webhooks test vector (docs/architecture.md, "Webhooks"), which the reference verifier also checks.
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const ID = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
const TIMESTAMP = 1614265330;
const BODY = '{"test": 2432232314}';
const SIGNATURE = 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=';
const NEW_SECRET = 'whsec_c2Vjb25kLXNlY3JldC1mb3Itcm90YXRpb24=';

const headers = (signature = SIGNATURE, timestamp = TIMESTAMP) => ({
  'webhook-id': ID,
  'webhook-timestamp': String(timestamp),
  'webhook-signature': signature,
});
const at = { nowMs: TIMESTAMP * 1000 };

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(WebhookVerificationError);
  return (error as WebhookVerificationError).code;
}

describe('signWebhook', () => {
  it('reproduces the Standard Webhooks test vector', async () => {
    expect(await signWebhook(ID, TIMESTAMP, BODY, SECRET)).toBe(SIGNATURE);
  });

  it('signs with every secret, space-separated, for key rotation', async () => {
    const signature = await signWebhook(ID, TIMESTAMP, BODY, [SECRET, NEW_SECRET]);
    const [first, second] = signature.split(' ');
    expect(first).toBe(SIGNATURE);
    expect(second).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(second).not.toBe(SIGNATURE);
  });
});

describe('verifyWebhook', () => {
  it('accepts the test vector and returns the id, timestamp and parsed body', async () => {
    expect(await verifyWebhook(BODY, headers(), SECRET, at)).toEqual({ id: ID, timestamp: TIMESTAMP, payload: { test: 2432232314 } });
  });

  it('accepts the body as bytes and headers as a Fetch Headers object, in any case', async () => {
    const fetchHeaders = new Headers({ 'Webhook-Id': ID, 'WEBHOOK-TIMESTAMP': String(TIMESTAMP), 'webhook-signature': SIGNATURE });
    expect((await verifyWebhook(new TextEncoder().encode(BODY), fetchHeaders, SECRET, at)).id).toBe(ID);
    expect(
      (await verifyWebhook(BODY, { 'Webhook-Id': ID, 'Webhook-Timestamp': String(TIMESTAMP), 'Webhook-Signature': SIGNATURE }, SECRET, at))
        .id,
    ).toBe(ID);
  });

  it('rejects a wrong signature', async () => {
    expect(await codeOf(verifyWebhook(BODY, headers('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OA='), SECRET, at))).toBe(
      'invalid_signature',
    );
  });

  it('rejects a signature made with another secret', async () => {
    expect(await codeOf(verifyWebhook(BODY, headers(), NEW_SECRET, at))).toBe('invalid_signature');
  });

  it('rejects a changed body', async () => {
    expect(await codeOf(verifyWebhook('{"test": 2432232315}', headers(), SECRET, at))).toBe('invalid_signature');
  });

  it('rejects an old timestamp', async () => {
    expect(await codeOf(verifyWebhook(BODY, headers(), SECRET, { nowMs: (TIMESTAMP + 301) * 1000 }))).toBe('timestamp_too_old');
  });

  it('rejects a future timestamp', async () => {
    expect(await codeOf(verifyWebhook(BODY, headers(), SECRET, { nowMs: (TIMESTAMP - 301) * 1000 }))).toBe('timestamp_too_new');
  });

  it('applies a configured tolerance', async () => {
    const later = { nowMs: (TIMESTAMP + 100) * 1000 };
    expect((await verifyWebhook(BODY, headers(), SECRET, later)).id).toBe(ID);
    expect(await codeOf(verifyWebhook(BODY, headers(), SECRET, { ...later, toleranceS: 60 }))).toBe('timestamp_too_old');
  });

  it('rejects missing headers, naming the header', async () => {
    const error = await verifyWebhook(BODY, { 'webhook-id': ID, 'webhook-timestamp': String(TIMESTAMP) }, SECRET, at).catch(
      (e: WebhookVerificationError) => e,
    );
    expect(error).toBeInstanceOf(WebhookVerificationError);
    expect((error as WebhookVerificationError).code).toBe('missing_header');
    expect((error as WebhookVerificationError).message).toContain('webhook-signature');
  });

  it('rejects a timestamp that is not unix seconds', async () => {
    expect(await codeOf(verifyWebhook(BODY, headers(SIGNATURE, 'yesterday' as unknown as number), SECRET, at))).toBe('invalid_timestamp');
  });

  it('accepts a rotated key: a message signed with old and new secrets verifies with either', async () => {
    const signature = await signWebhook(ID, TIMESTAMP, BODY, [SECRET, NEW_SECRET]);
    expect((await verifyWebhook(BODY, headers(signature), NEW_SECRET, at)).id).toBe(ID);
    expect((await verifyWebhook(BODY, headers(signature), SECRET, at)).id).toBe(ID);
    // And a consumer holding both secrets accepts a message signed with the new one only.
    const newOnly = await signWebhook(ID, TIMESTAMP, BODY, NEW_SECRET);
    expect((await verifyWebhook(BODY, headers(newOnly), [SECRET, NEW_SECRET], at)).id).toBe(ID);
  });

  it('rejects a secret that is not whsec_ base64', async () => {
    expect(await codeOf(verifyWebhook(BODY, headers(), 'whsec_***', at))).toBe('invalid_secret');
  });
});
