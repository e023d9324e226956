// `npm run bench [-- --smoke] [-- --only <groups>] [-- --out <file>]`: the benchmark against the fakes. Prints a table
// with the machine it ran on and writes the rows to bench/results.json, each with the run that measured it. --smoke
// runs every figure small and fast (for CI); its figures are not meant to be compared with the targets. --only runs
// some groups (comma-separated names, see GROUPS) and replaces only their rows in the results file, keeping the others
// with the run they come from. --profile <dir> has every bot process write a CPU profile there and prints a summary.
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
];

/** One run of the benchmark: when, how, on what. Rows name the run that measured them. */
interface Run {
  ranAt: string;
  mode: 'smoke' | 'full';
  /** The groups it ran (all of them, or those of --only). */
  groups: string[];
  seconds: number;
  machine: Machine;
}

/**
 * bench/results.json: every row with the run that measured it. Written row by row: a run replaces the rows it measured
 * and keeps every other one (a partial run, or rows another checkout's groups add) with the run they come from.
 */
interface Results {
  runs: Run[];
  rows: (Row & { run: string })[];
}

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const smoke = process.argv.includes('--smoke');
  if (process.argv.includes('--table')) {
    // The README's table: every row of the results file, with the run it comes from.
    const file = option('--out') ?? join(ROOT, 'bench', 'results.json');
    process.stdout.write(`${resultsTable(readResults(file))}\n`);
    return;
  }
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
  const run: Run = {
    ranAt: new Date(started).toISOString(),
    mode: smoke ? 'smoke' : 'full',
    groups: groups.map(([name]) => name),
    seconds: Math.round((Date.now() - started) / 1000),
    machine: m,
  };
  writeFileSync(out, `${JSON.stringify(merged(out, run, rows), null, 2)}\n`);
  process.stdout.write(`wrote ${out}\n`);
  if (profileDir) process.stdout.write(`\n${profileSummary(profileDir)}\n`);
}

/** Every row with the run it comes from (a letter), and the runs: when, what, on which machine at which load. */
function resultsTable({ runs, rows }: Results): string {
  const letter = (ranAt: string) => String.fromCharCode(65 + runs.findIndex((r) => r.ranAt === ranAt));
  const legend = runs.map(
    (r) =>
      `- run ${letter(r.ranAt)}: ${r.ranAt.slice(0, 16).replace('T', ' ')} UTC, ` +
      `${r.mode === 'smoke' ? 'smoke (small sizes)' : 'full-size'} run of ` +
      `${r.groups.join(', ')} (${r.seconds} s); ${r.machine.cpu}, ${r.machine.cores} cores, ` +
      `${r.machine.memoryGb} GB, Node ${r.machine.node}, load ${r.machine.loadAtStart} at start`,
  );
  const lines = table(rows, runs[0]?.machine ?? machine(), 'every row of bench/results.json').split('\n');
  // The table's own header line names one machine; the legend names each run's.
  const body = lines.slice(2).map((line, i) => {
    if (i === 0) return line.replace('| # |', '| # | run |');
    if (i === 1) return line.replace('| --- |', '| --- | --- |');
    const row = rows[i - 2];
    return row ? line.replace(/^\| ([^|]+) \|/, `| $1 | ${letter(row.run)} |`) : line;
  });
  return [...legend, '', ...body].join('\n');
}

/** The results file with this run's rows in place of their earlier versions, new ones in the run's order. */
function merged(file: string, run: Run, rows: Row[]): Results {
  const before = existsSync(file) ? readResults(file) : { runs: [], rows: [] };
  const fresh = new Map(rows.map((r) => [r.id, { ...r, run: run.ranAt }]));
  const all = before.rows.map((r) => fresh.get(r.id) ?? r);
  // A new row goes after the row this run measured before it (the first rows of a new group at the end).
  let after = -1;
  for (const r of fresh.values()) {
    const known = all.findIndex((b) => b.id === r.id);
    if (known >= 0) {
      after = known;
      continue;
    }
    const index = after >= 0 ? after + 1 : all.length;
    all.splice(index, 0, r);
    after = index;
  }
  // Runs no row comes from any more are dropped.
  const runs = [...before.runs, run].filter((x) => all.some((r) => r.run === x.ranAt));
  return { runs, rows: all };
}

/** The results file; one written before rows named their run (a last run plus partial ones) is read as such. */
function readResults(file: string): Results {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<Results> & {
    ranAt?: string;
    mode?: Run['mode'];
    seconds?: number;
    machine?: Machine;
    partialRuns?: (Omit<Run, 'mode'> & { mode: string; rows: string[] })[];
  };
  if (data.runs) return { runs: data.runs, rows: data.rows ?? [] };
  const last: Run = {
    ranAt: data.ranAt ?? '',
    mode: data.mode ?? 'full',
    groups: GROUPS.map(([name]) => name),
    seconds: data.seconds ?? 0,
    machine: data.machine as Machine,
  };
  const partial = (data.partialRuns ?? []).map(({ rows, ...r }) => ({
    run: { ...r, mode: (r.mode.startsWith('smoke') ? 'smoke' : 'full') as Run['mode'] },
    rows,
  }));
  const runOf = (id: string) => partial.findLast((p) => p.rows.includes(id))?.run ?? last;
  const rows = (data.rows ?? []).map((r) => ({ ...r, run: runOf(r.id).ranAt }));
  const runs = [last, ...partial.map((p) => p.run)].filter((x) => rows.some((r) => r.run === x.ranAt));
  return { runs, rows };
}

await main();
// Fakes and timers may keep handles open; the run is over.
process.exit(0);
