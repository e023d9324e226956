// The delivery hook for grids: a record without separate images but with a grid is downloaded once, cut once and
// attached as four files, however many ask at once; its expired Discord link is refreshed first. A real HTTP server
// serves the grid (and counts), the fake Discord answers refresh-urls.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { REST } from 'discord.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signCdnUrl } from '../../dev/fakes/cdn.js';
import { type FakeDiscord, startFakeDiscord } from '../../dev/fakes/fake-discord.js';
import { centreOf, makeGrid, QUADRANT_COLOURS, type Rgb, sameColour } from '../../dev/fakes/grid-image.js';
import { createImageFetcher } from '../../src/discord/images.js';
import type { GridSource } from '../../src/seed/model/types.js';
import { silent } from '../seed/parts.js';

const LIMIT = 10 * 1024 * 1024;
let server: Server;
let origin: string;
let served: string[];
let files: Map<string, { data: Buffer; type: string }>;
let discord: FakeDiscord;
let rest: REST;

beforeEach(async () => {
  served = [];
  files = new Map();
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    served.push(path);
    const file = files.get(path);
    if (!file) {
      res.writeHead(404).end();
      return;
    }
    if (path.includes('chunked')) {
      // No length announced: the body comes in pieces.
      res.writeHead(200, { 'content-type': file.type });
      res.write(file.data.subarray(0, 500));
      res.end(file.data.subarray(500));
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'content-length': file.data.length }).end(file.data);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  discord = await startFakeDiscord();
  rest = new REST({ api: discord.apiUrl }).setToken(discord.token);
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await discord.close();
});

const serve = (path: string, data: Buffer, type = 'image/png'): GridSource => {
  files.set(path, { data, type });
  return { kind: 'grid', url: `${origin}${path}`, filename: path.split('/').pop() ?? '', contentType: type };
};
const record = (grid: GridSource) => ({ seed: 42, images: [], grid });

describe('prepare with a grid', () => {
  it('cuts a grid once for many askers at once and again later, and attaches its four cells', async () => {
    const fetcher = createImageFetcher({ rest, log: silent });
    const grid = serve('/grid/fox.png', await makeGrid(600, 400, 'png'));
    const outcomes = await Promise.all(
      Array.from({ length: 10 }, () => fetcher.prepare(record(grid), LIMIT)),
    );
    const later = await fetcher.prepare(record(grid), LIMIT);
    expect(served).toEqual(['/grid/fox.png']);
    for (const outcome of [...outcomes, later]) {
      expect(outcome.linkedBecause).toBeUndefined();
      expect(outcome.files.map((f) => f.name)).toEqual([1, 2, 3, 4].map((i) => `seed_42_${i}.png`));
    }
    for (const [i, file] of later.files.entries()) {
      const seen = await centreOf(file.data);
      expect([seen.width, seen.height, file.contentType]).toEqual([300, 200, 'image/png']);
      expect(sameColour(seen.rgb, QUADRANT_COLOURS[i] as Rgb)).toBe(true);
    }
  });

  it('keeps no more cut grids than its byte budget', async () => {
    const fetcher = createImageFetcher({ rest, log: silent, cutCacheBytes: 1_000 });
    const grid = serve('/grid/big.png', await makeGrid(600, 400, 'png'));
    await fetcher.prepare(record(grid), LIMIT);
    await fetcher.prepare(record(grid), LIMIT);
    expect(served).toEqual(['/grid/big.png', '/grid/big.png']);
  });

  it('refreshes an expired Discord link through refresh-urls before downloading the grid', async () => {
    const fetcher = createImageFetcher({ rest, log: silent });
    const grid = serve('/attachments/1/2/fox.png', await makeGrid(400, 400, 'png'));
    const expired = { ...grid, url: signCdnUrl(grid.url, Math.floor(Date.now() / 1000) - 60) };
    const outcome = await fetcher.prepare(record(expired), LIMIT);
    const refresh = discord.rest.filter((r) => r.path === '/attachments/refresh-urls');
    expect(refresh.map((r) => r.body)).toEqual([{ attachment_urls: [expired.url] }]);
    expect(outcome.files).toHaveLength(4);
    expect(outcome.urls?.[0]).not.toBe(expired.url);
  });

  it('shows a single image (an upscale) as itself', async () => {
    const fetcher = createImageFetcher({ rest, log: silent });
    const data = await makeGrid(300, 300, 'webp');
    const single = { ...serve('/up/fox_upscale.webp', data, 'image/webp'), kind: 'single' as const };
    const outcome = await fetcher.prepare(record(single), LIMIT);
    expect(outcome.files).toEqual([{ name: 'fox_upscale.webp', data, contentType: 'image/webp' }]);
  });

  it('links the original grid when the cells are over the upload limit, or it cannot be read or downloaded', async () => {
    const fetcher = createImageFetcher({ rest, log: silent });
    const grid = serve('/grid/fox.png', await makeGrid(400, 400, 'png'));
    expect(await fetcher.prepare(record(grid), 100)).toEqual({
      files: [],
      linkedBecause: 'tooLarge',
      urls: [grid.url],
    });
    const broken = serve('/grid/broken.png', Buffer.from('not a png'));
    expect(await fetcher.prepare(record(broken), LIMIT)).toMatchObject({ linkedBecause: 'unreadable' });
    const gone = { ...grid, url: `${origin}/grid/gone.png` };
    expect(await fetcher.prepare(record(gone), LIMIT)).toMatchObject({ linkedBecause: 'download' });
  });

  it('does not download a grid larger than its byte limit', async () => {
    const fetcher = createImageFetcher({ rest, log: silent, maxGridBytes: 1_000 });
    const grid = serve('/grid/huge.png', await makeGrid(400, 400, 'png'));
    expect(await fetcher.prepare(record(grid), LIMIT)).toMatchObject({ linkedBecause: 'unreadable' });
    // Nor one whose server does not say its size.
    const unsized = serve('/grid/chunked.png', await makeGrid(400, 400, 'png'));
    expect(await fetcher.prepare(record(unsized), LIMIT)).toMatchObject({ linkedBecause: 'unreadable' });
    // Under the limit, a body without a length is read whole.
    const small = createImageFetcher({ rest, log: silent });
    expect((await small.prepare(record(unsized), LIMIT)).files).toHaveLength(4);
  });
});
