import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
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
export async function serveNode(receiver: Receiver, req: IncomingMessage, res: ServerResponse, body: Uint8Array | undefined, clientIp: string | undefined): Promise<void> {
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
 * Serves a receiver with `node:http`.
 *
 * @example
 * const { url } = await listen(createReceiver({ database: 'inkling.db' }), { port: 8787 });
 */
export async function listen(receiver: Receiver, options: ListenOptions = {}): Promise<Listening> {
  // Imported here, not at the top, so that importing the package stays free of Node-only modules.
  const { createServer } = await import('node:http');
  const server = createServer(createNodeHandler(receiver));
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
