// `npm run bench [-- --smoke] [-- --only <groups>] [-- --out <file>]`: the benchmark against the fakes. Prints a table
// with the machine it ran on and writes the rows to bench/results.json. --smoke runs every figure small and fast (for
// CI); its figures are not meant to be compared with the targets. --only runs some groups (comma-separated names, see
// GROUPS) and replaces only their rows in the results file, keeping the others and noting the partial run.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../dev/bot-process.js';
import { HISTORY_FULL, HISTORY_SMOKE, type HistorySizes, historyFigures, stormFigures } from './history.js';
import { profileSummary } from './profile.js';
import {
  completionFigures,
  FULL,
  interactionFigures,
  limiterFigures,
  processFigures,
  redisFigures,
  type Sizes,
  SMOKE,
  throughputFigure,
} from './scenarios.js';
import { type Machine, machine, type Row, table } from './stats.js';

/** Every group of figures, in the order of a full run. */
const GROUPS: [string, (s: Sizes, h: HistorySizes) => Promise<Row[]>][] = [
  ['interactions', (s) => interactionFigures(s)],
  ['limiter', limiterFigures],
  ['completion', completionFigures],
  ['throughput', (s) => throughputFigure(s)],
  ['redis', redisFigures],
  ['processes', processFigures],
  ['history', historyFigures],
  ['storm', stormFigures],
];

interface Results {
  ranAt: string;
  mode: 'smoke' | 'full';
  seconds: number;
  machine: Machine;
  rows: Row[];
  /** Runs with --only since the last complete one: which rows they replaced, when, on what. */
  partialRuns?: {
    groups: string[];
    rows: string[];
    ranAt: string;
    mode: string;
    seconds: number;
    machine: Machine;
  }[];
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const smoke = process.argv.includes('--smoke');
  const profileDir = option('--profile');
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const sizes: Sizes = { ...(smoke ? SMOKE : FULL), profileDir };
  const out = option('--out') ?? join(ROOT, 'bench', 'results.json');
  const only = option('--only')
    ?.split(',')
    .map((g) => g.trim());
  const unknown = only?.filter((g) => !GROUPS.some(([name]) => name === g)) ?? [];
  if (unknown.length) {
    throw new Error(`unknown group ${unknown.join(', ')}; --only takes ${GROUPS.map(([n]) => n).join(', ')}`);
  }
  const groups = GROUPS.filter(([name]) => !only || only.includes(name));
  const history = smoke ? HISTORY_SMOKE : HISTORY_FULL;
  const mode =
    (smoke ? 'smoke run (small sizes: not comparable with the targets)' : 'full run') +
    (only ? `, only ${only.join(', ')}` : '');
  if (sizes.built) {
    process.stdout.write('building (npm run build) for the child-process figures…\n');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }
  const m = machine();
  const rows: Row[] = [];
  const started = Date.now();
  for (const [name, figures] of groups) {
    process.stdout.write(`running ${name}…\n`);
    const t0 = Date.now();
    rows.push(...(await figures(sizes, history)));
    process.stdout.write(`  ${name}: ${Math.round((Date.now() - t0) / 1000)} s\n`);
  }
  process.stdout.write(`\n${table(rows, m, mode)}\n\n`);
  const run: Results = {
    ranAt: new Date().toISOString(),
    mode: smoke ? 'smoke' : 'full',
    seconds: Math.round((Date.now() - started) / 1000),
    machine: m,
    rows,
  };
  writeFileSync(out, `${JSON.stringify(only ? merged(out, run, only) : run, null, 2)}\n`);
  process.stdout.write(`wrote ${out}\n`);
  if (profileDir) process.stdout.write(`\n${profileSummary(profileDir)}\n`);
}

/** The results file with the rows of a partial run in place of their earlier versions (new ones at the end). */
function merged(file: string, run: Results, groups: string[]): Results {
  if (!existsSync(file)) return run;
  const before = JSON.parse(readFileSync(file, 'utf8')) as Results;
  const fresh = new Map(run.rows.map((r) => [r.id, r]));
  const rows = before.rows.map((r) => fresh.get(r.id) ?? r);
  for (const r of run.rows) if (!before.rows.some((b) => b.id === r.id)) rows.push(r);
  const { rows: replaced, ...about } = run;
  return {
    ...before,
    rows,
    partialRuns: [...(before.partialRuns ?? []), { groups, rows: replaced.map((r) => r.id), ...about }],
  };
}

await main();
// Fakes and timers may keep handles open; the run is over.
process.exit(0);
