// `npm run bench [-- --smoke] [-- --only <groups>] [-- --out <file>]`: the benchmark against the fakes. Prints a table
// with the machine it ran on and writes the rows to bench/results.json, each with the run that measured it (a smoke
// run to bench/tmp/results-smoke.json, so the published figures stay). --smoke runs every figure small and fast (for
// CI); its figures are not meant to be compared with the targets. --only runs some groups (comma-separated names, see
// GROUPS) and replaces only their rows in the results file, keeping the others with the run they come from.
// --profile <dir> has every bot process write a CPU profile there and prints a summary.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ROOT } from '../dev/bot-process.js';
import { gridFigures } from './grid.js';
import { HISTORY_FULL, HISTORY_SMOKE, type HistorySizes, historyFigures, stormFigures } from './history.js';
import { MEMORY_FULL, MEMORY_SMOKE, memoryFigures } from './memory.js';
import { profileSummary } from './profile.js';
import { mergeResults, type Run, readResults, resultsTable } from './results.js';
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
import { machine, type Row, table } from './stats.js';

/**
 * Every group of figures, in the order of a full run. A new group is one line here: its name (for --only) and a
 * function of the sizes that resolves to its rows (each with an id of its own; the results file is keyed by it).
 */
const GROUPS: [string, (s: Sizes, h: HistorySizes) => Promise<Row[]>][] = [
  ['interactions', (s) => interactionFigures(s)],
  ['limiter', limiterFigures],
  ['completion', completionFigures],
  ['throughput', (s) => throughputFigure(s)],
  ['redis', redisFigures],
  ['processes', processFigures],
  ['history', historyFigures],
  ['storm', stormFigures],
  ['grid', (s) => gridFigures(s)],
  ['memory', (s) => memoryFigures(s, s.built ? MEMORY_FULL : MEMORY_SMOKE)],
];
const names = GROUPS.map(([name]) => name);

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const smoke = process.argv.includes('--smoke');
  if (process.argv.includes('--table')) {
    // The README's table: every row of the results file, with the run it comes from.
    const file = option('--out') ?? join(ROOT, 'bench', 'results.json');
    process.stdout.write(`${resultsTable(readResults(file, names))}\n`);
    return;
  }
  const profileDir = option('--profile');
  if (profileDir) mkdirSync(profileDir, { recursive: true });
  const sizes: Sizes = { ...(smoke ? SMOKE : FULL), profileDir };
  // bench/results.json holds the published figures: a smoke run (small sizes) writes beside it, in bench/tmp/.
  const out =
    option('--out') ??
    (smoke ? join(ROOT, 'bench', 'tmp', 'results-smoke.json') : join(ROOT, 'bench', 'results.json'));
  mkdirSync(dirname(out), { recursive: true });
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
  const run: Run = {
    ranAt: new Date(started).toISOString(),
    mode: smoke ? 'smoke' : 'full',
    groups: groups.map(([name]) => name),
    seconds: Math.round((Date.now() - started) / 1000),
    machine: m,
  };
  writeFileSync(out, `${JSON.stringify(mergeResults(readResults(out, names), run, rows), null, 2)}\n`);
  process.stdout.write(`wrote ${out}\n`);
  if (profileDir) process.stdout.write(`\n${profileSummary(profileDir)}\n`);
}

await main();
// Fakes and timers may keep handles open; the run is over.
process.exit(0);
