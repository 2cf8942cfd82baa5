import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Receiver } from '../receiver.js';
import { readNodeBody, serveNode } from './node.js';

/** The parts of an Express 5 request the adapter uses (typed loosely so Express is not a dependency). */
interface ExpressRequest extends IncomingMessage {
  body?: unknown;
  ip?: string;
  _body?: boolean;
  path?: string;
}

/** An Express middleware `(req, res, next)`. */
export type ExpressHandler = (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void) => void;

/** The body a parser that ran before the adapter left, as bytes. */
function getParsedBody(req: ExpressRequest): Uint8Array {
  const body = req.body;
  if (body instanceof Uint8Array) return body;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  return new TextEncoder().encode(JSON.stringify(body ?? null));
}

/**
 * An Express 5 middleware for the receiver. Mount it before `express.json()` so it reads the raw body itself with
 * the receiver's cap; it still works after a body parser (it then uses the parsed body, re-serialised, and that
 * parser's own limit applies). Paths that are not receiver routes go on to `next()`. The client IP is Express's
 * `req.ip`, so Express's `trust proxy` setting applies.
 *
 * @example
 * app.use('/inkling', createExpressHandler(receiver));
 * app.use(express.json());
 */
export function createExpressHandler(receiver: Receiver): ExpressHandler {
  return (incoming, res, next) => {
    const req = incoming as ExpressRequest;
    const pathname = new URL(req.url ?? '/', 'http://x').pathname;
    if (!receiver.handles(pathname)) return next();
    const hasBody = req.method !== 'GET' && req.method !== 'HEAD';
    // A body parser that ran first has consumed the stream and marks the request with `_body`.
    const consumed = req._body === true || req.readableEnded;
    const body = !hasBody
      ? Promise.resolve(undefined)
      : consumed
        ? Promise.resolve(getParsedBody(req))
        : readNodeBody(req, receiver.limits.maxBodyBytes);
    body.then((bytes) => serveNode(receiver, req, res, bytes, req.ip ?? req.socket.remoteAddress)).catch(next);
  };
}
