import { lookup as dnsLookup } from 'node:dns';
import type { LookupAddress, LookupOptions } from 'node:dns';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP } from 'node:net';
import { InklingError } from '../errors.js';
import type { WebhookRequest, WebhookResponse } from './sender.js';
import { isPrivateAddress } from './ssrf.js';

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

function blocked(host: string, address: string): InklingError {
  return new InklingError(
    'ssrf_blocked',
    502,
    `webhook URL: ${host} resolves to ${address}, a private, loopback or link-local address; set allowPrivateNetworks to allow it`,
  );
}

/**
 * Resolves like `dns.lookup`, then refuses private addresses. The check runs on the very addresses the socket
 * connects to, so a DNS answer that changes between a check and the connection (DNS rebinding) cannot slip through.
 */
function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(blocked(hostname, bad.address) as NodeJS.ErrnoException, []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

/** The built-in sender: `node:http(s)` with the SSRF guard, no redirects followed (a 3xx is a failure), a hard timeout. */
export function sendWithNode(request: WebhookRequest): Promise<WebhookResponse> {
  return new Promise((resolve, reject) => {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return reject(
        new InklingError('invalid_url', 502, `webhook URL: expected an absolute http(s) URL, got ${JSON.stringify(request.url)}`),
      );
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      return reject(new InklingError('invalid_url', 502, `webhook URL: expected http: or https:, got ${url.protocol}`));
    }
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (!request.allowPrivateNetworks && isIP(host) && isPrivateAddress(host)) return reject(blocked(host, host));

    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
      ...(request.allowPrivateNetworks ? {} : { lookup: guardedLookup as never }),
    });
    const timer = setTimeout(
      () => req.destroy(new InklingError('timeout', 504, `webhook: no answer within ${request.timeoutMs} ms`)),
      request.timeoutMs,
    );
    req.on('response', (res) => {
      clearTimeout(timer);
      // The answer's body is not used; reading it frees the socket for keep-alive.
      res.resume();
      const retryAfter = res.headers['retry-after'];
      resolve({ status: res.statusCode ?? 0, retryAfter: retryAfter ?? null });
    });
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error instanceof InklingError ? error : new InklingError('network_error', 502, `webhook: ${error.message}`));
    });
    req.end(request.body);
  });
}
