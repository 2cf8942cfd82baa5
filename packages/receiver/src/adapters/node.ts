import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { OptionsError } from '../errors.js';
import type { Receiver } from '../receiver.js';
import { getRequestUrl } from '../http/request-url.js';

/** A `node:http` request handler. */
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Reads a raw body, stopping one byte past `maxBytes`: the receiver then answers 413 from what it got, and the
 * rest of an oversized upload is never buffered.
 */
export function readNodeBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = () => {
      req.off('data', onData);
      resolve(Buffer.concat(chunks));
    };
    const onData = (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size > maxBytes) {
        req.pause();
        finish();
      }
    };
    req.on('data', onData);
    req.once('end', finish);
    req.once('error', reject);
  });
}

function toHeaders(req: IncomingMessage): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else headers.set(name, value);
  }
  return headers;
}

/** Builds a Fetch `Request` from a Node request and an already-read body. */
export function toRequest(req: IncomingMessage, body: Uint8Array | undefined, url: string): Request {
  const init: RequestInit = { method: req.method ?? 'GET', headers: toHeaders(req) };
  if (body && req.method !== 'GET' && req.method !== 'HEAD') init.body = body as Uint8Array<ArrayBuffer>;
  return new Request(url, init);
}

/** Writes a Fetch `Response` to a Node response. */
export async function writeResponse(response: Response, res: ServerResponse, closeConnection: boolean): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  // An upload cut short cannot be read to its end; closing the connection stops the client sending the rest.
  if (closeConnection) headers['connection'] = 'close';
  res.writeHead(response.status, headers);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/** Serves a request through the receiver; used by the Node and Express adapters. */
export async function serveNode(
  receiver: Receiver,
  req: IncomingMessage,
  res: ServerResponse,
  body: Uint8Array | undefined,
  clientIp: string | undefined,
): Promise<void> {
  const request = toRequest(req, body, getRequestUrl(req.url));
  const response = await receiver.fetch(request, clientIp === undefined ? {} : { clientIp });
  await writeResponse(response, res, body !== undefined && body.length > receiver.limits.maxBodyBytes);
}

/**
 * A `node:http` handler for the receiver: reads the raw body with the receiver's size cap and answers every route
 * (other paths get 404).
 *
 * @example
 * http.createServer(createNodeHandler(receiver)).listen(8787, '127.0.0.1');
 */
export function createNodeHandler(receiver: Receiver): NodeHandler {
  return (req, res) => {
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    const body = hasBody ? readNodeBody(req, receiver.limits.maxBodyBytes) : Promise.resolve(undefined);
    body
      .then((bytes) => serveNode(receiver, req, res, bytes, req.socket.remoteAddress))
      .catch(() => {
        // The client went away mid-upload or mid-answer; there is no one left to answer.
        if (!res.headersSent) res.writeHead(400, { connection: 'close' }).end();
      });
  };
}

/** Options of {@link listen}. */
export interface ListenOptions {
  /** @default 8787 */
  port?: number;
  /** Bind address; `0.0.0.0` to accept other machines. @default '127.0.0.1' */
  host?: string;
  /**
   * How long a client may take to send a request's headers; past it the answer is 408 and the connection closes.
   * A browser sends its headers in one packet, so this only ever cuts off a stalled or hostile client.
   * @default 10000
   */
  headersTimeoutMs?: number;
  /**
   * How long a client may take to send a whole request, headers and body: a 64 KiB batch takes well under a second
   * even on a slow mobile link, so 30 s leaves room for the worst link while bounding a body sent a byte at a time.
   * At least `headersTimeoutMs`.
   * @default 30000
   */
  requestTimeoutMs?: number;
  /**
   * How long an idle connection is kept open for the client's next request. The SDK sends a batch at most every
   * 5 s while a page is open, so a longer wait mostly holds sockets for clients that have gone.
   * @default 5000
   */
  keepAliveTimeoutMs?: number;
  /**
   * Open connections one client address may hold; a connection past the cap is closed at once, before it is read.
   * A browser opens at most 6 connections to a host, so 64 leaves room for about ten busy browsers behind one NAT
   * address at the same instant. Behind a proxy every connection comes from the proxy: use 0 (no cap) there and
   * let the proxy limit clients.
   * @default 64
   */
  maxConnectionsPerAddress?: number;
}

/** The resolved timeouts and cap of {@link listen}, checked. */
function resolveServerLimits(options: ListenOptions): Required<Omit<ListenOptions, 'port' | 'host'>> {
  const check = (name: keyof ListenOptions, value: number | undefined, fallback: number, min: number): number => {
    if (value === undefined) return fallback;
    if (!Number.isInteger(value) || value < min)
      throw new OptionsError(name, `expected a whole number of at least ${min}, got ${String(value)}`);
    return value;
  };
  const limits = {
    headersTimeoutMs: check('headersTimeoutMs', options.headersTimeoutMs, 10_000, 1),
    requestTimeoutMs: check('requestTimeoutMs', options.requestTimeoutMs, 30_000, 1),
    keepAliveTimeoutMs: check('keepAliveTimeoutMs', options.keepAliveTimeoutMs, 5000, 1),
    maxConnectionsPerAddress: check('maxConnectionsPerAddress', options.maxConnectionsPerAddress, 64, 0),
  };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new OptionsError(
      'headersTimeoutMs',
      `${limits.headersTimeoutMs} is longer than requestTimeoutMs (${limits.requestTimeoutMs}); the whole request includes its headers, so raise requestTimeoutMs or lower headersTimeoutMs`,
    );
  }
  return limits;
}

/** Closes each connection past `max` from one address as soon as it opens (0: no cap). */
function capConnectionsPerAddress(server: Server, max: number): void {
  if (!max) return;
  const open = new Map<string, number>();
  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const count = (open.get(address) ?? 0) + 1;
    if (count > max) {
      socket.destroy();
      return;
    }
    open.set(address, count);
    socket.once('close', () => {
      const left = (open.get(address) ?? 1) - 1;
      if (left) open.set(address, left);
      else open.delete(address);
    });
  });
}

/** A running server. */
export interface Listening {
  server: Server;
  /** `http://host:port`, with the port actually bound (useful with `port: 0`). */
  url: string;
  /** Stops accepting connections, then closes the receiver. */
  close(): Promise<void>;
}

/**
 * Serves a receiver with `node:http`, with explicit timeouts for slow clients and a cap on connections per address
 * (Node's own defaults hold a stalled header for a minute and a stalled body for five). Throws an `OptionsError`
 * naming a bad option.
 *
 * @example
 * const { url } = await listen(createReceiver({ database: 'inkling.db' }), { port: 8787 });
 */
export async function listen(receiver: Receiver, options: ListenOptions = {}): Promise<Listening> {
  // Imported here, not at the top, so that importing the package stays free of Node-only modules.
  const limits = resolveServerLimits(options);
  const { createServer } = await import('node:http');
  const server = createServer(
    {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Node looks for expired requests on this interval (30 s by default), so a timeout fires at most this late.
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
    createNodeHandler(receiver),
  );
  server.keepAliveTimeout = limits.keepAliveTimeoutMs;
  capConnectionsPerAddress(server, limits.maxConnectionsPerAddress);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 8787, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      resolve({
        server,
        url: `http://${host}:${address.port}`,
        close: async () => {
          await new Promise<void>((done) => {
            server.close(() => done());
            server.closeIdleConnections();
          });
          await receiver.close();
        },
      });
    });
  });
}
