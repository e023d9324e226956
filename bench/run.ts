// `npm run bench [-- --smoke] [-- --out <file>]`: the benchmark against the fakes. Prints a table with the machine it
// ran on and writes the rows to bench/results.json. --smoke runs every figure small and fast (for CI); its figures
// are not meant to be compared with the targets.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../dev/bot-process.js';
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

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const smoke = process.argv.includes('--smoke');
  const sizes: Sizes = smoke ? SMOKE : FULL;
  const out = option('--out') ?? join(ROOT, 'bench', 'results.json');
  const mode = smoke ? 'smoke run (small sizes: not comparable with the targets)' : 'full run';
  if (sizes.built) {
    process.stdout.write('building (npm run build) for the child-process figures…\n');
    execFileSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  }
  const m = machine();
  const rows: Row[] = [];
  const started = Date.now();
  for (const [name, figures] of [
    ['interactions', (s: Sizes) => interactionFigures(s)],
    ['REST limiter', limiterFigures],
    ['completion', completionFigures],
    ['throughput', (s: Sizes) => throughputFigure(s)],
    ['Redis storage', redisFigures],
    ['processes', processFigures],
  ] as const) {
    process.stdout.write(`running ${name}…\n`);
    rows.push(...(await figures(sizes)));
  }
  process.stdout.write(`\n${table(rows, m, mode)}\n\n`);
  const results = {
    ranAt: new Date().toISOString(),
    mode: smoke ? 'smoke' : 'full',
    seconds: Math.round((Date.now() - started) / 1000),
    machine: m,
    rows,
  };
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`wrote ${out}\n`);
}

await main();
// Fakes and timers may keep handles open; the run is over.
process.exit(0);
