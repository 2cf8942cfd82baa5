// The README's "Size and speed" table quotes docs/benchmarks.md (written by `npm run bench`): these check that each
// number it quotes is the one the benchmark wrote, so a new run cannot leave the README telling an older one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const readme = readFileSync('README.md', 'utf8');
const report = readFileSync('docs/benchmarks.md', 'utf8');

/** The rows of the report's table under `heading`, as SDK name -> cells. */
function table(heading: string): Map<string, string[]> {
  const section = report.split(/^## /m).find((s) => s.startsWith(heading));
  if (!section) throw new Error(`docs/benchmarks.md has no "## ${heading}" section`);
  const rows = section.split('\n').filter((line) => /^\| [A-Z]/.test(line) && !line.startsWith('| SDK'));
  return new Map(rows.map((line) => line.split('|').map((cell) => cell.trim())).map((cells) => [cells[1]!, cells.slice(2)]));
}
/** The first number in a cell (its median, before the spread in brackets). */
const median = (cell: string | undefined) => Number(/-?[\d,.]+/.exec(cell ?? '')?.[0]?.replace(/,/g, '') ?? NaN);

const columns = (() => {
  const header = readme.split('\n').find((line) => line.startsWith('| | Inkling |'));
  if (!header) throw new Error('README.md has no "Size and speed" table');
  return header
    .split('|')
    .map((cell) => cell.trim())
    .slice(2, -1);
})();
/** The README table's row `label`: its cells, one per SDK in {@link columns}, as written. */
function row(label: string): string[] {
  const line = readme.split('\n').find((l) => l.startsWith(`| ${label} |`));
  if (!line) throw new Error(`README.md's table has no "${label}" row`);
  return line
    .split('|')
    .map((cell) => cell.trim())
    .slice(2, -1);
}
/** The README table's row `label`, as SDK name -> the number it quotes. */
function quoted(label: string): Map<string, number> {
  const cells = row(label);
  return new Map(columns.map((sdk, i) => [sdk, median(cells[i])]));
}
const measured = (heading: string, column: number) => new Map(columns.map((sdk) => [sdk, median(table(heading).get(sdk)?.[column])]));

describe('the README quotes the benchmark', () => {
  it('names the SDKs the benchmark measured', () => {
    expect(columns).toHaveLength(7);
    for (const sdk of columns) expect(table('Main thread: start-up').has(sdk), sdk).toBe(true);
  });

  it("quotes each script tag's gzip size in kB, as precise as it is written, and its multiple of Inkling's", () => {
    const cells = row('Script tag, gzip');
    const size = table('Size');
    columns.forEach((sdk, i) => {
      const [, kB, multiple] = /^([\d.]+) kB(?: \(([\d.]+)×\))?$/.exec(cells[i] ?? '') ?? [];
      const measuredRow = size.get(sdk === 'Inkling' ? 'Inkling (script tag)' : sdk);
      expect(kB, `${sdk}: "${cells[i]}"`).toBe((median(measuredRow?.[2]) / 1000).toFixed(kB?.split('.')[1]?.length ?? 0));
      if (sdk !== 'Inkling') expect(`${multiple}×`, sdk).toBe(measuredRow?.[4]);
    });
  });

  it('quotes the script at start-up', () => {
    expect(quoted('Script at start-up')).toEqual(measured('Main thread: start-up', 1));
  });

  it('quotes the script per wheel tick', () => {
    expect(quoted('Script per wheel tick while scrolling')).toEqual(measured('Main thread: continuous scrolling', 1));
  });

  it('quotes the requests of the reading session, and Inkling sending no event twice', () => {
    expect(quoted('Requests, 5-minute 3-page reading session')).toEqual(measured('Network: a 5-minute', 0));
    expect(table('Network: a 5-minute').get('Inkling')?.[6]).toMatch(/^0 of \d+/);
  });

  it("says Inkling's start-up as the multiple of Plausible's the benchmark measured", () => {
    const startUp = measured('Main thread: start-up', 1);
    const ratio = (startUp.get('Inkling')! / startUp.get('Plausible')!).toFixed(1);
    expect(/start-up is\s+([\d.]+)× Plausible's/.exec(readme)?.[1]).toBe(ratio);
  });
});
