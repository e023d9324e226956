// The benchmark's smoke run (`npm run bench -- --smoke`): every figure runs, small, and lands in the table and the
// results file. Its numbers are not checked here: speed figures belong to the full benchmark.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { ROOT } from '../dev/bot-process.js';

const dir = mkdtempSync(join(tmpdir(), 'seed-bot-bench-smoke-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ROWS = [
  ...['1', '2v', '2', 'R1', 'R2', '3a', '3b', '3c', '4', '1r', '2vr', '2r', '4r', '5a', '5b', '5c', '6'],
  ...['H1', 'H2', 'H3', 'H4', 'H1r', 'H2r', 'H3r', 'H4r', 'S1', 'S2', 'S1r', 'S2r', 'G1', 'G2', 'G3'],
  ...['M1', 'M2', 'M3'],
];

it('runs every figure of the benchmark and reports each in the table and in the results file', async () => {
  const out = join(dir, 'results.json');
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', '--smoke', '--out', out], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
  });
  let output = '';
  child.stdout.on('data', (d) => {
    output += String(d);
  });
  child.stderr.on('data', (d) => {
    output += String(d);
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  expect(code, output).toBe(0);

  expect(output).toMatch(/Machine: .+, \d+ cores, .*Node v\d+/);
  const tableRows = output.split('\n').filter((l) => /^\| \S+ \| /.test(l) && !/^\| (#|---) /.test(l));
  expect(tableRows.map((l) => l.split(' | ')[0]?.slice(2))).toEqual(ROWS);

  const results = JSON.parse(readFileSync(out, 'utf8')) as {
    runs: { ranAt: string; machine: { cpu: string; cores: number; node: string } }[];
    rows: { id: string; run: string; median?: number; p99?: number; value?: number; note?: string }[];
  };
  // One run measured every row, and each row says so.
  expect(results.runs).toHaveLength(1);
  expect(results.runs[0]?.machine.cores).toBeGreaterThan(0);
  expect(results.rows.map((r) => r.id)).toEqual(ROWS);
  expect(results.rows.every((r) => r.run === results.runs[0]?.ranAt)).toBe(true);
  for (const row of results.rows) {
    // Every figure has a number, except Redis's when no Redis runs here (the row then says why).
    const measured = [row.median, row.p99, row.value].some(
      (n) => typeof n === 'number' && Number.isFinite(n),
    );
    expect(measured || (/r$|^5c$/.test(row.id) && /skipped/.test(row.note ?? '')), JSON.stringify(row)).toBe(
      true,
    );
  }
}, 300_000);
