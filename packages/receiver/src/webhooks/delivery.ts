import { parseRetryAfter } from '@inkling/core';
import { InklingError } from '../errors.js';
import type { OutboxMessage, Store } from '../store/types.js';
import { signWebhook } from './verify.js';
import { getNextAttemptAt, MAX_RETRY_AFTER_MS } from './schedule.js';
import type { WebhookSender } from './sender.js';

/** A webhook endpoint and the secrets to sign for it (several while rotating). */
export interface WebhookEndpoint {
  /** Where intent webhooks are POSTed. */
  url: string;
  /** `whsec_` + base64; with several, every message carries one signature per secret. */
  secret: string | readonly string[];
  /**
   * Send only leads researching one of these topics (one of the lead's three strongest), so each specialist team
   * gets its own leads; a lead may go to several endpoints. Level webhooks and `lead.converted` alike. Compared
   * lower-case. @default every lead
   * @example { url: 'https://payroll.example.com/hooks/inkling', secret: 'whsec_...', topics: ['payroll', 'tax'] }
   */
  topics?: readonly string[];
}

export interface DeliveryOptions {
  store: Store;
  endpoints: readonly WebhookEndpoint[];
  /** Slack incoming-webhook URLs: posted to unsigned (Slack checks nothing), with the same retries. */
  slackUrls?: readonly string[];
  now: () => number;
  random: () => number;
  getSender: () => Promise<WebhookSender>;
  timeoutMs: number;
  allowPrivateNetworks: boolean;
}

/** Messages claimed per round, sent concurrently so one slow endpoint does not hold up the rest. */
const CLAIM_LIMIT = 16;

/** A claim outlives the longest attempt (the timeout) with room to spare, then another worker may retry it. */
const LEASE_MARGIN_MS = 30_000;

/** Sends due outbox messages, records every outcome, and disables endpoints that answer 410. */
export function createDelivery(options: DeliveryOptions): { deliverDue(): Promise<number> } {
  const { store, now } = options;
  const endpoints = new Map(options.endpoints.map((e) => [e.url, typeof e.secret === 'string' ? [e.secret] : [...e.secret]]));
  for (const url of options.slackUrls ?? []) endpoints.set(url, []);

  async function attempt(message: OutboxMessage): Promise<void> {
    const attempts = message.attempts + 1;
    const secrets = endpoints.get(message.endpoint);
    if (!secrets) {
      const at = now();
      await store.recordAttempt(message.id, message.endpoint, {
        status: 'failed',
        attempts: message.attempts,
        nextAttemptAt: at,
        lastStatus: null,
        lastError: 'endpoint is no longer configured',
        at,
      });
      return;
    }
    const sentAt = now();
    const timestamp = Math.floor(sentAt / 1000);
    const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Inkling-Webhooks/1' };
    if (secrets.length > 0) {
      headers['webhook-id'] = message.id;
      headers['webhook-timestamp'] = String(timestamp);
      headers['webhook-signature'] = await signWebhook(message.id, timestamp, message.payload, secrets);
    }
    let status: number | null = null;
    let error: string | null = null;
    let retryAfter: string | null = null;
    try {
      const send = await options.getSender();
      const response = await send({
        url: message.endpoint,
        headers,
        body: message.payload,
        timeoutMs: options.timeoutMs,
        allowPrivateNetworks: options.allowPrivateNetworks,
      });
      status = response.status;
      retryAfter = response.retryAfter;
    } catch (e) {
      error = e instanceof InklingError ? `${e.code}: ${e.message}` : String(e);
    }
    const at = now();
    if (status !== null && status >= 200 && status < 300) {
      await store.recordAttempt(message.id, message.endpoint, {
        status: 'delivered',
        attempts,
        nextAttemptAt: at,
        lastStatus: status,
        lastError: null,
        at,
      });
      return;
    }
    if (status === 410) {
      // 410 Gone: the consumer asks never to be called again (Standard Webhooks).
      await store.recordAttempt(message.id, message.endpoint, {
        status: 'disabled',
        attempts,
        nextAttemptAt: at,
        lastStatus: 410,
        lastError: 'endpoint answered 410 Gone',
        at,
      });
      await store.disableEndpoint(message.endpoint, 'answered 410 Gone', at);
      return;
    }
    const next = getNextAttemptAt(attempts, at, parseRetryAfter(retryAfter, at, MAX_RETRY_AFTER_MS), options.random);
    await store.recordAttempt(message.id, message.endpoint, {
      status: next === undefined ? 'failed' : 'pending',
      attempts,
      nextAttemptAt: next ?? at,
      lastStatus: status,
      lastError: error ?? `endpoint answered ${status}`,
      at,
    });
  }

  return {
    async deliverDue() {
      let count = 0;
      for (;;) {
        const due = await store.claimDueMessages(now(), CLAIM_LIMIT, options.timeoutMs + LEASE_MARGIN_MS);
        if (due.length === 0) return count;
        await Promise.all(due.map(attempt));
        count += due.length;
      }
    },
  };
}
