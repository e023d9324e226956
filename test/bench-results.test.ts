// bench/results.json, merged row by row: a run replaces the rows it measured and keeps every other one with the run it
// comes from, so partial runs (`--only`), and rows other checkouts add, never wipe anything.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mergeResults, type Results, type Run, readResults, resultsTable } from '../bench/results.js';
import type { Machine, Row } from '../bench/stats.js';

const dir = mkdtempSync(join(tmpdir(), 'seed-bot-bench-results-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const machine = (load: number): Machine => ({
  cpu: 'AMD EPYC',
  cores: 2,
  memoryGb: 24,
  node: 'v20.20.2',
  platform: 'linux x64',
  loadAtStart: load,
});
const run = (ranAt: string, groups: string[], load = 0.5): Run => ({
  ranAt,
  mode: 'full',
  groups,
  seconds: 10,
  machine: machine(load),
});
const row = (id: string, median: number): Row => ({ id, figure: `figure ${id}`, unit: 'ms', median });

const full = mergeResults(
  { runs: [], rows: [] },
  run('2026-12-01T08:00:00.000Z', ['interactions', 'storm']),
  [row('1', 30), row('2', 800), row('S1', 900)],
);

describe('bench/results.json', () => {
  it('names the run of every row of a full run', () => {
    expect(full.runs.map((r) => r.ranAt)).toEqual(['2026-12-01T08:00:00.000Z']);
    expect(full.rows.map((r) => [r.id, r.run])).toEqual([
      ['1', '2026-12-01T08:00:00.000Z'],
      ['2', '2026-12-01T08:00:00.000Z'],
      ['S1', '2026-12-01T08:00:00.000Z'],
    ]);
  });

  it('replaces only the rows a partial run measured, puts its new rows after their neighbours, keeps the rest', () => {
    const partial = run('2026-12-02T09:00:00.000Z', ['interactions'], 2.3);
    const merged = mergeResults(full, partial, [row('1', 25), row('2v', 150), row('2', 500)]);

    expect(merged.rows.map((r) => [r.id, r.median, r.run])).toEqual([
      ['1', 25, partial.ranAt],
      ['2v', 150, partial.ranAt],
      ['2', 500, partial.ranAt],
      ['S1', 900, '2026-12-01T08:00:00.000Z'],
    ]);
    expect(merged.runs.map((r) => r.machine.loadAtStart)).toEqual([0.5, 2.3]);
  });

  it('forgets a run once none of its rows is left', () => {
    const again = mergeResults(full, run('2026-12-03T10:00:00.000Z', ['interactions', 'storm']), [
      row('1', 20),
      row('2', 400),
      row('S1', 700),
    ]);
    expect(again.runs.map((r) => r.ranAt)).toEqual(['2026-12-03T10:00:00.000Z']);
  });

  it('reads a file written before rows named their run: a last full run and the partial ones after it', () => {
    const file = join(dir, 'legacy.json');
    writeFileSync(
      file,
      JSON.stringify({
        ranAt: '2026-12-01T08:46:25.053Z',
        mode: 'full',
        seconds: 69,
        machine: machine(0.45),
        rows: [row('1', 32), row('S1', 1082)],
        partialRuns: [
          {
            groups: ['storm'],
            rows: ['S1'],
            ranAt: '2026-12-01T23:16:34.654Z',
            mode: 'full run, only storm',
            seconds: 753,
            machine: machine(1.29),
          },
        ],
      }),
    );
    const read: Results = readResults(file, ['interactions', 'storm']);

    expect(read.rows.map((r) => [r.id, r.run])).toEqual([
      ['1', '2026-12-01T08:46:25.053Z'],
      ['S1', '2026-12-01T23:16:34.654Z'],
    ]);
    expect(read.runs.map((r) => [r.groups, r.mode, r.machine.loadAtStart])).toEqual([
      [['interactions', 'storm'], 'full', 0.45],
      [['storm'], 'full', 1.29],
    ]);
    expect(readResults(join(dir, 'none.json'), [])).toEqual({ runs: [], rows: [] });
  });

  it("prints every row with its run's letter, and each run with its machine and load", () => {
    const merged = mergeResults(full, run('2026-12-02T09:00:00.000Z', ['interactions'], 2.3), [row('1', 25)]);
    const text = resultsTable(merged);

    expect(text).toContain(
      '- run A: 2026-12-01 08:00 UTC, full-size run of interactions, storm (10 s); AMD EPYC',
    );
    expect(text).toContain('- run B: 2026-12-02 09:00 UTC, full-size run of interactions (10 s)');
    expect(text).toContain('load 2.3 at start');
    expect(text).toMatch(/^\| 1 \| B \| figure 1 \|/m);
    expect(text).toMatch(/^\| S1 \| A \| figure S1 \|/m);
  });
});
