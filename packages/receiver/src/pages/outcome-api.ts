import { RequestError } from '../errors.js';
import { readBody } from '../http/body.js';
import { jsonResponse } from '../http/responses.js';
import { OutcomeFieldError, parseOutcome } from '../outcomes/parse-outcome.js';
import type { Store } from '../store/types.js';

/** An outcome is a few fields: 4 KiB holds the longest note with room to spare. */
const MAX_OUTCOME_BYTES = 4096;

/**
 * `POST /leads/:id/outcome` with `{ "outcome": "converted" | "lost", "at"?: ISO date, "value"?: number, "note"?: text }`:
 * records what became of the lead (replacing an earlier outcome) and answers 200 `{ outcome }`. 400 names the bad
 * field, 404 an unknown lead.
 */
export async function handleOutcome(request: Request, leadId: string, store: Store, nowMs: number): Promise<Response> {
  if (request.method !== 'POST') {
    throw new RequestError('method_not_allowed', 405, `method: expected POST, got ${request.method}`, { headers: { allow: 'POST' } });
  }
  const text = new TextDecoder().decode(await readBody(request, MAX_OUTCOME_BYTES));
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new RequestError('invalid_json', 400, 'body: expected JSON such as {"outcome":"converted","at":"2026-11-01T14:30:00Z"}');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new RequestError('invalid_outcome', 400, 'body: expected a JSON object with "outcome" and optionally "at", "value" and "note"');
  }
  let fields;
  try {
    fields = parseOutcome(body as Record<string, unknown>, nowMs);
  } catch (error) {
    if (error instanceof OutcomeFieldError) throw new RequestError('invalid_outcome', 400, error.message);
    throw error;
  }
  const outcome = await store.recordOutcome({ leadId, ...fields, source: 'api', recordedAt: nowMs });
  if (!outcome) throw new RequestError('lead_not_found', 404, `lead: no lead with id ${JSON.stringify(leadId.slice(0, 64))}`);
  return jsonResponse({ outcome });
}
