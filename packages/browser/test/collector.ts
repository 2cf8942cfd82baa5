// A collector for unit tests: msw answers the tracker's requests and records the batches it received.
import type { Batch } from '@inkling/core';
import { validateBatch } from '@inkling/core';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';

export const ENDPOINT = 'https://collect.test/i';

export interface Collector {
  batches: Batch[];
  requests: Request[];
  /** Messages of batches that did not validate: must stay empty. */
  invalid: string[];
  /** Statuses to answer, in order, before answering 202; with optional headers. */
  script: Array<number | [number, Record<string, string>]>;
  events(): Batch['events'];
}

export function startCollector(): Collector & { close(): void; reset(): void } {
  const collector = {
    batches: [] as Batch[],
    requests: [] as Request[],
    invalid: [] as string[],
    script: [] as Collector['script'],
    events: () => collector.batches.flatMap((b) => b.events),
    reset() {
      collector.batches.length = 0;
      collector.requests.length = 0;
      collector.invalid.length = 0;
      collector.script.length = 0;
    },
    close: () => server.close(),
  };
  const server = setupServer(
    http.post(ENDPOINT, async ({ request }) => {
      collector.requests.push(request.clone());
      const body = JSON.parse(await request.text());
      const next = collector.script.shift();
      const [status, headers] = Array.isArray(next) ? next : [next ?? 202, {}];
      // Every batch the tracker sends must be valid wire format, whatever the collector answers.
      const result = validateBatch(body);
      if (!result.ok) {
        collector.invalid.push(result.message);
        return new HttpResponse(result.message, { status: 400 });
      }
      if (status >= 200 && status < 300) collector.batches.push(body);
      return new HttpResponse(null, { status, headers });
    }),
  );
  server.listen({ onUnhandledRequest: 'error' });
  return collector;
}
