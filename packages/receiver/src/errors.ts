import type { ValidationIssue } from '@inkling/core';

/**
 * The base of every error the receiver raises on purpose. `code` is stable (programs switch on it), `status` is
 * the HTTP status the edge maps it to, and `message` names the field and the rule for people.
 */
export class InklingError extends Error {
  /** A stable, machine-readable code such as `invalid_batch` or `rate_limited`. */
  readonly code: string;
  /** The HTTP status this error is answered with. */
  readonly status: number;

  constructor(code: string, status: number, message: string) {
    super(message);
    this.name = 'InklingError';
    this.code = code;
    this.status = status;
  }
}

/** A request the collector refuses: bad JSON, wrong content type, too large, invalid, unknown site, ... */
export class RequestError extends InklingError {
  /** Every validation issue, when the batch broke the wire format. */
  readonly issues: ValidationIssue[] | undefined;
  /** Extra headers the answer needs (`Retry-After` on 429, `Allow` on 405). */
  readonly headers: Record<string, string>;

  constructor(code: string, status: number, message: string, extra: { issues?: ValidationIssue[]; headers?: Record<string, string> } = {}) {
    super(code, status, message);
    this.name = 'RequestError';
    this.issues = extra.issues;
    this.headers = extra.headers ?? {};
  }
}

/**
 * A bad receiver option, thrown by `createReceiver()` and the stores and rate limiters it opens. `path` names the
 * option (`webhooks[0].secret`), `rule` what it must be; the message is both (`path: rule`). The CLI maps `path` to
 * the flag the value came from.
 */
export class OptionsError extends InklingError {
  /** The option, as a path into the options object: `allowedOrigins[1]`, `limits.maxEvents`, `model`. */
  readonly path: string;
  /** What the option must be, and what was given (never a secret). */
  readonly rule: string;

  constructor(path: string, rule: string) {
    super('invalid_option', 500, `${path}: ${rule}`);
    this.name = 'OptionsError';
    this.path = path;
    this.rule = rule;
  }
}

/** A signed webhook that must not be trusted. `code` says why. */
export class WebhookVerificationError extends InklingError {
  /** Why verification failed. */
  override readonly code: WebhookVerificationCode;

  constructor(code: WebhookVerificationCode, message: string) {
    super(code, 401, message);
    this.name = 'WebhookVerificationError';
    this.code = code;
  }
}

/**
 * Why a webhook failed verification: a header is missing, the timestamp is not a number or is outside the
 * tolerance, no signature matched any secret, the signed body is not JSON, or a secret is not `whsec_` + base64.
 */
export type WebhookVerificationCode =
  | 'missing_header'
  | 'invalid_timestamp'
  | 'timestamp_too_old'
  | 'timestamp_too_new'
  | 'invalid_signature'
  | 'invalid_body'
  | 'invalid_secret';
