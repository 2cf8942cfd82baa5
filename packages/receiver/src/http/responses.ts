import type { ValidationIssue } from '@inkling/core';
import { InklingError, RequestError } from '../errors.js';

/** Headers every answer carries: no sniffing, nothing cached (answers hold lead data or per-request results). */
const BASE_HEADERS = { 'x-content-type-options': 'nosniff', 'cache-control': 'no-store' };

/** A JSON answer. */
export function jsonResponse(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { ...BASE_HEADERS, 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** An HTML page. */
export function htmlResponse(body: string, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(body, { status, headers: { ...BASE_HEADERS, 'content-type': 'text/html; charset=utf-8', ...headers } });
}

/** The JSON body of every error answer. */
export interface ErrorBody {
  error: { code: string; message: string; issues?: ValidationIssue[] };
}

/**
 * Maps an error to its answer: `{ error: { code, message, issues? } }` with the error's status. Anything that is
 * not an {@link InklingError} is a bug or an outage: 500 with a generic message (details go to `onError`, never to
 * the client).
 */
export function errorResponse(error: unknown, headers: Record<string, string> = {}): Response {
  if (error instanceof InklingError) {
    const body: ErrorBody = { error: { code: error.code, message: error.message } };
    if (error instanceof RequestError && error.issues) body.error.issues = error.issues;
    const extra = error instanceof RequestError ? error.headers : {};
    return jsonResponse(body, error.status, { ...headers, ...extra });
  }
  return jsonResponse({ error: { code: 'internal', message: 'the receiver failed to handle this request; see its logs' } }, 500, headers);
}
