// The four images of a record that has only its grid (a seed from the prompt, an upstream that gives only the grid):
// the grid downloaded and cut (src/images/grid.ts) once per grid, and linked as it is when that fails.
import type { Logger } from 'pino';
import { createGridCutter, type GridKind, isGridError } from '../images/grid.js';
import type { GridSource } from '../seed/model/types.js';
import { cacheKey, fetchImage, lruBytes } from './image-download.js';
import { type ImagesOutcome, safeFilename } from './replies.js';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

/** `<Midjourney job UUID>_0.png` … `_3` as Midjourney's CDN numbers them, else `seed_<n>_1.png` … `_4`. */
const cellName = (grid: GridSource, seed: number, index: number, extension: string): string => {
  const uuid = UUID.exec(grid.filename)?.[0];
  return uuid ? `${uuid}_${index}.${extension}` : `seed_${seed}_${index + 1}.${extension}`;
};

interface Cut {
  cells: { data: Buffer; contentType: string; extension: string }[];
  bytes: number;
}

interface GridImagesDeps {
  timeoutMs: number;
  /** Bytes of recently cut grids kept in memory. */
  cacheBytes: number;
  /** A grid larger than this (bytes) or than this many pixels is linked, not decoded. */
  maxGridBytes: number;
  maxGridPixels: number | undefined;
  /** Expired links refreshed (refresh-urls) before the download. */
  refresh(urls: string[], log: Logger): Promise<string[]>;
}

type GridImages = (
  grid: GridSource,
  seed: number,
  uploadLimitBytes: number,
  log: Logger,
) => Promise<ImagesOutcome>;

export function createGridImages(deps: GridImagesDeps): GridImages {
  const cuts = lruBytes<Cut>(deps.cacheBytes, (c) => c.bytes);
  /** Grids being cut now: everyone asking for one meanwhile shares its cut. */
  const cutting = new Map<string, Promise<Cut>>();
  const cutter = createGridCutter({ maxBytes: deps.maxGridBytes, maxPixels: deps.maxGridPixels });

  /** The grid's cells, cut once per grid (its bytes are not kept: the cells are what is asked for again). */
  function cut(url: string, kind: GridKind): Promise<Cut> {
    const key = `${kind}:${cacheKey(url)}`;
    const hit = cuts.get(key);
    if (hit) return Promise.resolve(hit);
    const running = cutting.get(key);
    if (running) return running;
    const work = (async () => {
      const { data } = await fetchImage(url, { timeoutMs: deps.timeoutMs, maxBytes: deps.maxGridBytes });
      const cells = await cutter.cut(data, kind);
      const done: Cut = { cells, bytes: cells.reduce((n, c) => n + c.data.length, 0) };
      cuts.set(key, done);
      return done;
    })().finally(() => cutting.delete(key));
    cutting.set(key, work);
    return work;
  }

  return async (grid, seed, uploadLimitBytes, log) => {
    const [url = grid.url] = await deps.refresh([grid.url], log);
    const urls = [url];
    try {
      const { cells, bytes } = await cut(url, grid.kind);
      if (bytes > uploadLimitBytes) return { files: [], linkedBecause: 'tooLarge', urls };
      const files = cells.map((c, i) => ({
        name: grid.kind === 'single' ? safeFilename(grid.filename, i) : cellName(grid, seed, i, c.extension),
        data: c.data,
        contentType: c.contentType,
      }));
      return { files, urls };
    } catch (error) {
      if (isGridError(error)) {
        log.warn(
          { err: error, kind: error.kind },
          'could not cut the grid into its images; linking the original',
        );
        return { files: [], linkedBecause: 'unreadable', urls };
      }
      log.warn({ err: error }, 'could not download the grid; linking it instead');
      return { files: [], linkedBecause: 'download', urls };
    }
  };
}
