// PRIVACY.md must list every field the wire format can carry: a new field fails this test until the data
// inventory says what it is and why.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getBatchSchema } from '../packages/core/dist/index.js';
import { TABLES } from '../packages/receiver/src/store/schema.js';

const inventory = readFileSync('PRIVACY.md', 'utf8');

function fields(node: unknown, path = '', out = new Set<string>()): Set<string> {
  if (!node || typeof node !== 'object') return out;
  const n = node as { properties?: Record<string, unknown>; items?: unknown; oneOf?: unknown[]; anyOf?: unknown[] };
  for (const [key, child] of Object.entries(n.properties ?? {})) {
    const p = path ? `${path}.${key}` : key;
    out.add(p);
    fields(child, p, out);
  }
  for (const child of [n.items, ...(n.oneOf ?? []), ...(n.anyOf ?? [])]) fields(child, path, out);
  return out;
}

// A row may list sibling fields together: `events.props.utm.source` / `.medium` / ...
const listed = (path: string) => {
  if (inventory.includes(`\`${path}\``)) return true;
  const [, parent, leaf] = /^(.*)\.([^.]+)$/.exec(path) ?? [];
  return new RegExp(`\`${parent!.replace(/\./g, '\\.')}\\.[^\`]+\`[^|\\n]*\`\\.${leaf}\``).test(inventory);
};

describe('PRIVACY.md', () => {
  const all = [...fields(getBatchSchema())];
  it('is checked against the whole wire format', () => expect(all.length).toBeGreaterThan(50));
  it.each(all)('lists %s', (path) => expect(listed(path)).toBe(true));
  it.each(['inkling:<site>', 'inkling:<site>:q:<transport>', 'inkling:<site>:state', 'data-inkling-intent'])(
    'lists the browser storage %s',
    (key) => expect(inventory).toContain(key),
  );
  // And every table the receiver keeps: a new table fails until the inventory says what it holds and for how long.
  it.each(TABLES.map((table) => table.name))('lists the receiver table %s', (name) =>
    expect(inventory).toMatch(new RegExp(`^\\| \`${name}\` \\|`, 'm')),
  );
});
