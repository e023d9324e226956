// The grid cut (src/images/grid.ts): a 2048x2048 PNG grid, as Midjourney posts one (~6 MB: noise blurred to the
// compressibility of a real render), cut into its four images one after another, then 20 at once (as the bot cuts:
// one per core at a time, the others waiting) while the process's memory is sampled.
import sharp from 'sharp';
import { createGridCutter } from '../src/images/grid.js';
import { clock, type Sizes } from './scenarios.js';
import { latencyRow, type Row, round } from './stats.js';

const SIDE = 2048;

async function realisticGrid(): Promise<Buffer> {
  const noise = await sharp({
    create: {
      width: SIDE,
      height: SIDE,
      channels: 3,
      background: { r: 0, g: 0, b: 0 },
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .png()
    .toBuffer();
  return sharp(noise).blur(3).png().toBuffer();
}

const mb = (bytes: number) => round(bytes / 1024 ** 2, 0);

export async function gridFigures(sizes: Sizes): Promise<Row[]> {
  const grid = await realisticGrid();
  const size = `${SIDE}x${SIDE} PNG, ${round(grid.length / 1024 ** 2, 1)} MB`;
  // As the bot cuts: at most one grid per core at a time, the others waiting their turn.
  const { cut } = createGridCutter();
  await cut(grid, 'grid'); // warm-up: sharp's first call loads libvips' codecs
  const times: number[] = [];
  for (let i = 0; i < sizes.gridCuts; i++) {
    const t0 = clock();
    await cut(grid, 'grid');
    times.push(clock() - t0);
  }

  // Memory while `gridConcurrent` cuts run at once: sampled every 5 ms, peaks kept.
  global.gc?.();
  const before = process.memoryUsage();
  let rssPeak = before.rss;
  let heapPeak = before.heapUsed;
  let externalPeak = before.external;
  const sample = setInterval(() => {
    const m = process.memoryUsage();
    rssPeak = Math.max(rssPeak, m.rss);
    heapPeak = Math.max(heapPeak, m.heapUsed);
    externalPeak = Math.max(externalPeak, m.external);
  }, 5);
  const t0 = clock();
  await Promise.all(Array.from({ length: sizes.gridConcurrent }, () => cut(grid, 'grid')));
  const allMs = clock() - t0;
  clearInterval(sample);
  const at = `${sizes.gridConcurrent} cuts at once`;
  return [
    latencyRow(
      {
        id: 'G1',
        figure: `cut one grid into its four images (${size})`,
        note: `${sizes.gridCuts} cuts in a row`,
      },
      times,
    ),
    {
      id: 'G2',
      figure: `process RSS at its peak during ${at}`,
      unit: 'MB',
      value: mb(rssPeak),
      note: `+${mb(rssPeak - before.rss)} MB over the ${mb(before.rss)} MB before; all done in ${round(allMs / 1000, 1)} s`,
    },
    {
      id: 'G3',
      figure: `JS heap and Buffers at their peak during ${at}`,
      unit: 'MB',
      value: mb(heapPeak),
      note:
        `heap ${mb(before.heapUsed)} MB before; Buffers (external) peak ${mb(externalPeak)} MB, ` +
        `${mb(before.external)} MB before: the ${sizes.gridConcurrent} results, kept until all are done, and the grids being cut`,
    },
  ];
}
