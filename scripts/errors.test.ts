// The production script tag says an error's code and links its heading in docs/errors.md; the debug build of the
// same source says it in full. Both are run as built, against a stand-in page whose script tag has a bad attribute.
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';

/** Runs a built script tag with these data- attributes and returns what it logged as errors. */
function runScript(file: string, dataset: Record<string, string>): string[] {
  const errors: string[] = [];
  const document = { currentScript: { dataset } };
  const window = {
    document,
    location: { href: 'https://site.example/', hostname: 'site.example' },
    console: { error: (m: string) => errors.push(m) },
  };
  runInNewContext(readFileSync(`packages/browser/dist/${file}`, 'utf8'), { ...window, window, self: window, TextEncoder, URL });
  return errors;
}

const docs = readFileSync('docs/errors.md', 'utf8');

describe('a bad attribute on the script tag', () => {
  it('logs its code, the attribute and the link to its explanation from inkling.min.js', () => {
    const [message, ...more] = runScript('inkling.min.js', { endpoint: 'https://collect.example/i', site: 'a b' });
    expect(more).toEqual([]);
    const [, code, anchor] = /^Inkling (E\d+): data-site; see https:\/\/inkling\.dev\/docs\/errors\.md#(e\d+)$/.exec(message ?? '') ?? [];
    expect(code, message).toBe('E3');
    expect(anchor).toBe('e3');
    expect(docs).toContain(`\n## ${code}\n`);
    expect(docs.split(`\n## ${code}\n`)[1]).toMatch(/^\n```text\nInkling: option "site" must be up to 128 letters/);
  });

  it('logs the message in full from inkling.debug.min.js', () => {
    expect(runScript('inkling.debug.min.js', { endpoint: 'https://collect.example/i', site: 'a b' })).toEqual([
      'Inkling: data-site must be up to 128 letters, digits, ".", ":", "-" or "_"; got "a b"',
    ]);
    expect(runScript('inkling.debug.min.js', {})).toEqual([
      'Inkling: data-endpoint is missing: add data-endpoint="https://your-collector.example/i" to the script tag',
    ]);
  });

  it('is explained in docs/errors.md with the message the full builds give', () => {
    expect(runScript('inkling.min.js', {})).toEqual(['Inkling E20: see https://inkling.dev/docs/errors.md#e20']);
    expect(docs).toContain('Inkling: option "endpoint" is missing: add data-endpoint="https://your-collector.example/i" to the script tag');
  });
});
