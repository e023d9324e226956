// bench/results.json: every row of the benchmark with the run that measured it, merged row by row, and the table of
// them all (`npm run bench -- --table`, what the README shows).
import { existsSync, readFileSync } from 'node:fs';
import { type Machine, machine, type Row, table } from './stats.js';

/** One run of the benchmark: when, how, on what. Rows name the run that measured them. */
export interface Run {
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
export interface Results {
  runs: Run[];
  rows: (Row & { run: string })[];
}

/** Every row with the run it comes from (a letter), and the runs: when, what, on which machine at which load. */
export function resultsTable({ runs, rows }: Results): string {
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

/** The results with this run's rows in place of their earlier versions, new ones in the run's order. */
export function mergeResults(before: Results, run: Run, rows: Row[]): Results {
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

/**
 * The results file (none yet: no rows). One written before rows named their run (a last run of `allGroups` plus
 * partial ones) is read as such.
 */
export function readResults(file: string, allGroups: string[]): Results {
  if (!existsSync(file)) return { runs: [], rows: [] };
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
    groups: allGroups,
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
