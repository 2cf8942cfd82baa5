/** One HTTP request of a webhook delivery. */
export interface WebhookRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  /** Abort after this long; the attempt counts as failed. */
  timeoutMs: number;
  /** Allow loopback, private and link-local destinations (tests, local demos). */
  allowPrivateNetworks: boolean;
}

/** What a delivery attempt needs from the answer. */
export interface WebhookResponse {
  status: number;
  /** `Retry-After`, when the consumer sent one. */
  retryAfter: string | null;
}

/**
 * Sends one webhook request. The built-in sender uses `node:http` with a DNS guard; a runtime without it can pass
 * its own (and then owns the guard against private addresses). Throws an `InklingError` with code `ssrf_blocked`,
 * `timeout` or `network_error` when no answer came.
 */
export type WebhookSender = (request: WebhookRequest) => Promise<WebhookResponse>;
