// The four images are downloaded and attached to the reply, so they still show after Discord's CDN links expire
// (~24 h). Expired stored links are refreshed first through POST /attachments/refresh-urls. When nobody gave the four
// images separately (a seed from the prompt, an upstream that returns only the grid), the grid is downloaded the same
// way and cut into them (src/images/grid.ts); what cannot be cut is linked as it is.
import type { REST } from 'discord.js';
import type { Logger } from 'pino';
import { request } from 'undici';
import { createGridCutter, GridError, type GridKind, isGridError } from '../images/grid.js';
import type { GridSource, SeedRecord } from '../seed/model/types.js';
import { type AttachedImage, type ImagesOutcome, safeFilename } from './replies.js';

export const DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024;
/** Upload limit by server boost tier (Discord: tier 2 → 50 MiB, tier 3 → 100 MiB). */
export const uploadLimitForTier = (tier: number | undefined): number =>
  tier === 3 ? 100 * 1024 * 1024 : tier === 2 ? 50 * 1024 * 1024 : DEFAULT_UPLOAD_LIMIT;

export interface ImageFetcher {
  /**
   * The record's four images as files to attach: its separate images, else the cells of its grid. Never throws:
   * what cannot be attached is linked. `log`: the request's logger (bound to its correlation id), for the warnings.
   */
  prepare(
    record: Pick<SeedRecord, 'seed' | 'images' | 'grid'>,
    uploadLimitBytes: number,
    log?: Logger,
  ): Promise<ImagesOutcome>;
}

export interface ImageFetcherDeps {
  rest: REST;
  log: Logger;
  timeoutMs?: number;
  /** Bytes of recently downloaded images kept in memory (many people ask for the same seed). */
  cacheBytes?: number;
  /** Bytes of recently cut grids kept in memory: a grid is cut once however many ask for it. */
  cutCacheBytes?: number;
  /** A grid larger than this (bytes) or than this many pixels is linked, not decoded. */
  maxGridBytes?: number;
  maxGridPixels?: number;
  now?: () => number;
}

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

/** A map that forgets its oldest entries past `limit` bytes. */
function lruBytes<V>(limit: number, sizeOf: (value: V) => number) {
  const map = new Map<string, V>();
  let total = 0;
  return {
    get(key: string): V | undefined {
      const hit = map.get(key);
      if (hit === undefined) return undefined;
      // Refresh its place in the LRU.
      map.delete(key);
      map.set(key, hit);
      return hit;
    },
    set(key: string, value: V) {
      const size = sizeOf(value);
      if (size > limit || map.has(key)) return;
      map.set(key, value);
      total += size;
      for (const [k, v] of map) {
        if (total <= limit) break;
        map.delete(k);
        total -= sizeOf(v);
      }
    },
  };
}

const expiresAt = (url: string): number | undefined => {
  try {
    const ex = new URL(url).searchParams.get('ex');
    return ex ? Number.parseInt(ex, 16) * 1000 : undefined;
  } catch {
    return undefined;
  }
};
const cacheKey = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return url;
  }
};

export function createImageFetcher(deps: ImageFetcherDeps): ImageFetcher {
  const now = deps.now ?? Date.now;
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const cache = lruBytes<Downloaded>(deps.cacheBytes ?? 64 * 1024 * 1024, (v) => v.data.length);
  const cuts = lruBytes<Cut>(deps.cutCacheBytes ?? 64 * 1024 * 1024, (c) => c.bytes);
  /** Grids being cut now: everyone asking for one meanwhile shares its cut. */
  const cutting = new Map<string, Promise<Cut>>();
  const maxGridBytes = deps.maxGridBytes ?? 32 * 1024 * 1024;
  const cutter = createGridCutter({ maxBytes: maxGridBytes, maxPixels: deps.maxGridPixels });
  // Members asking at once for one seed share its downloads.
  const inflight = new Map<string, Promise<Downloaded>>();

  async function refresh(urls: string[], log: Logger): Promise<string[]> {
    const stale = urls.filter((u) => (expiresAt(u) ?? Number.POSITIVE_INFINITY) <= now() + 60_000);
    if (stale.length === 0) return urls;
    try {
      const answer = (await deps.rest.post('/attachments/refresh-urls', {
        body: { attachment_urls: stale },
      })) as { refreshed_urls?: { original: string; refreshed: string }[] };
      const fresh = new Map((answer.refreshed_urls ?? []).map((r) => [r.original, r.refreshed]));
      return urls.map((u) => fresh.get(u) ?? u);
    } catch (error) {
      log.warn({ err: error }, 'could not refresh expired image links');
      return urls;
    }
  }

  async function fetchBytes(url: string, maxBytes = Number.POSITIVE_INFINITY): Promise<Downloaded> {
    // undici's request API: Node streams and Buffers end to end (fetch's web streams cost twice the CPU for the same
    // bytes, measured on 400 × 256 KiB).
    const response = await request(url, { signal: AbortSignal.timeout(timeoutMs), maxRedirections: 2 });
    if (response.statusCode < 200 || response.statusCode >= 300) {
      await response.body.dump();
      throw new Error(`image download answered ${response.statusCode}`);
    }
    const header = (name: string) => {
      const value = response.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    const contentType = header('content-type');
    const tooLarge = (bytes: number) =>
      new GridError('too_large', `the image is over ${bytes} bytes (at most ${maxBytes})`);
    const length = Number(header('content-length') ?? Number.NaN);
    if (length > maxBytes) {
      // Read nothing and close it (a bare destroy() would raise an unhandled AbortError on the body).
      await response.body.dump({ limit: 0 }).catch(() => {});
      throw tooLarge(length);
    }
    if (maxBytes === Number.POSITIVE_INFINITY)
      return { data: Buffer.from(await response.body.arrayBuffer()), contentType };
    // Read no further than the limit, whatever the length the server announced (or did not).
    const chunks: Buffer[] = [];
    let read = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      read += chunk.length;
      // Leaving the loop closes the download.
      if (read > maxBytes) throw tooLarge(read);
      chunks.push(chunk);
    }
    return { data: Buffer.concat(chunks), contentType };
  }

  async function download(url: string): Promise<Downloaded> {
    const key = cacheKey(url);
    const hit = cache.get(key);
    if (hit) return hit;
    const running = inflight.get(key);
    if (running) return running;
    const started = fetchBytes(url)
      .then((value) => {
        cache.set(key, value);
        return value;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, started);
    return started;
  }

  /** The grid's cells, cut once per grid (its bytes are not kept: the cells are what is asked for again). */
  function cut(url: string, kind: GridKind): Promise<Cut> {
    const key = `${kind}:${cacheKey(url)}`;
    const hit = cuts.get(key);
    if (hit) return Promise.resolve(hit);
    const running = cutting.get(key);
    if (running) return running;
    const work = (async () => {
      const { data } = await fetchBytes(url, maxGridBytes);
      const cells = await cutter.cut(data, kind);
      const done: Cut = { cells, bytes: cells.reduce((n, c) => n + c.data.length, 0) };
      cuts.set(key, done);
      return done;
    })().finally(() => cutting.delete(key));
    cutting.set(key, work);
    return work;
  }

  async function prepareGrid(
    grid: GridSource,
    seed: number,
    uploadLimitBytes: number,
    log: Logger,
  ): Promise<ImagesOutcome> {
    const [url = grid.url] = await refresh([grid.url], log);
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
  }

  return {
    async prepare({ images, grid, seed }, uploadLimitBytes, log = deps.log) {
      if (images.length === 0) return grid ? prepareGrid(grid, seed, uploadLimitBytes, log) : { files: [] };
      const urls = await refresh(
        images.map((i) => i.url),
        log,
      );
      const knownSize = images.reduce((n, i) => n + (i.size ?? 0), 0);
      if (knownSize > uploadLimitBytes) return { files: [], linkedBecause: 'tooLarge', urls };
      try {
        const downloaded = await Promise.all(urls.map((u) => download(u)));
        const total = downloaded.reduce((n, d) => n + d.data.length, 0);
        if (total > uploadLimitBytes) return { files: [], linkedBecause: 'tooLarge', urls };
        const files: AttachedImage[] = downloaded.map((d, i) => ({
          name: safeFilename(images[i]?.filename ?? '', i),
          data: d.data,
          contentType: d.contentType ?? images[i]?.contentType,
        }));
        // Two images with one name would break attachment:// links.
        const seen = new Set<string>();
        for (const [i, f] of files.entries()) {
          if (seen.has(f.name)) f.name = `${i + 1}_${f.name}`;
          seen.add(f.name);
        }
        return { files, urls };
      } catch (error) {
        log.warn({ err: error }, 'could not download the seed images; linking them instead');
        return { files: [], linkedBecause: 'download', urls };
      }
    },
  };
}

interface Downloaded {
  data: Buffer;
  contentType?: string | undefined;
}
