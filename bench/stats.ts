// Small helpers of the benchmark: percentiles, the machine it runs on, CPU time of a process, the printed table.
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';

/** Nearest-rank percentile (p in 0..100) of the samples. */
function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}

export interface Row {
  id: string;
  figure: string;
  unit: 'ms' | 's' | 'MB' | 'B' | 'ratio' | '%';
  /** Latencies: median and p99 of `samples` of them. */
  median?: number;
  p99?: number;
  /** Single figures. */
  value?: number;
  samples?: number;
  target?: string;
  /** Whether the target holds; undefined when the row has none. */
  ok?: boolean;
  note?: string;
  /** A figure measured twice, on empty storage and with history; `value` is then their ratio (or the history one). */
  compared?: { unit: 'ms' | '%'; empty?: number; history?: number; ratio?: number };
}

export const latencyRow = (
  base: Omit<Row, 'median' | 'p99' | 'samples' | 'unit'> & { unit?: Row['unit'] },
  samples: number[],
  check?: (r: { median: number; p99: number }) => boolean,
): Row => {
  const median = percentile(samples, 50);
  const p99 = percentile(samples, 99);
  return {
    unit: 'ms',
    ...base,
    median: round(median),
    p99: round(p99),
    samples: samples.length,
    ...(check ? { ok: check({ median, p99 }) } : {}),
  };
};

export const round = (n: number, digits = 1): number => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

const CLK_TCK = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * CPU time (user + system, all threads) the process has used so far, in seconds. On a machine other work shares,
 * the CPU a phase cost the bot says more than its latencies, which include waiting for a core.
 */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started: other work on the machine skews latencies. */
  loadAtStart: number;
}

export const machine = (): Machine => ({
  cpu: cpus()[0]?.model.trim() ?? 'unknown',
  cores: cpus().length,
  memoryGb: round(totalmem() / 1024 ** 3, 0),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  loadAtStart: round(loadavg()[0] ?? 0, 2),
});

const show = (n: number | undefined, unit: Row['unit']) => {
  if (n === undefined || Number.isNaN(n)) return '';
  if (unit === 'ms' && n >= 10_000) return `${round(n / 1000, 1)} s`;
  return unit === 'ratio' ? n.toFixed(3) : `${n} ${unit}`;
};

/** The results as a Markdown table (what the README shows). */
export function table(rows: Row[], m: Machine, mode: string): string {
  const lines = [
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node} (${m.platform}), ` +
      `load ${m.loadAtStart} at start; ${mode}`,
    '',
    '| # | figure | median | p99 | value | target | ok |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.id} | ${r.figure}${r.note ? ` (${r.note})` : ''} | ${show(r.median, r.unit)} | ${show(r.p99, r.unit)} | ` +
        `${show(r.value, r.unit)} | ${r.target ?? ''} | ${r.ok === undefined ? '' : r.ok ? 'yes' : 'NO'} |`,
    );
  }
  return lines.join('\n');
}
