// The four images are downloaded and attached to the reply, so they still show after Discord's CDN links expire
// (~24 h). Expired stored links are refreshed first through POST /attachments/refresh-urls. When nobody gave the four
// images separately (a seed from the prompt, an upstream that returns only the grid), the grid is downloaded the same
// way and cut into them (src/images/grid.ts); what cannot be cut is linked as it is.
import type { REST } from 'discord.js';
import type { Logger } from 'pino';
import type { SeedRecord } from '../seed/model/types.js';
import { createGridImages } from './grid-images.js';
import { createImageDownloads, type Downloaded } from './image-download.js';
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

/** When a Discord CDN link expires (its `ex` parameter, hex seconds). */
const expiresAt = (url: string): number | undefined => {
  try {
    const ex = new URL(url).searchParams.get('ex');
    return ex ? Number.parseInt(ex, 16) * 1000 : undefined;
  } catch {
    return undefined;
  }
};

/** The links with those expiring within a minute refreshed; as they were when Discord does not answer. */
function createLinkRefresher(deps: { rest: REST; now: () => number }) {
  return async (urls: string[], log: Logger): Promise<string[]> => {
    const stale = urls.filter((u) => (expiresAt(u) ?? Number.POSITIVE_INFINITY) <= deps.now() + 60_000);
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
  };
}

/** The downloads as files, each under a name of its own: two images with one name would break attachment:// links. */
function attachedFiles(downloaded: Downloaded[], images: SeedRecord['images']): AttachedImage[] {
  const files: AttachedImage[] = downloaded.map((d, i) => ({
    name: safeFilename(images[i]?.filename ?? '', i),
    data: d.data,
    contentType: d.contentType ?? images[i]?.contentType,
  }));
  const seen = new Set<string>();
  for (const [i, f] of files.entries()) {
    if (seen.has(f.name)) f.name = `${i + 1}_${f.name}`;
    seen.add(f.name);
  }
  return files;
}

export function createImageFetcher(deps: ImageFetcherDeps): ImageFetcher {
  const timeoutMs = deps.timeoutMs ?? 15_000;
  const refresh = createLinkRefresher({ rest: deps.rest, now: deps.now ?? Date.now });
  const download = createImageDownloads({ timeoutMs, cacheBytes: deps.cacheBytes ?? 64 * 1024 * 1024 });
  const gridImages = createGridImages({
    timeoutMs,
    cacheBytes: deps.cutCacheBytes ?? 64 * 1024 * 1024,
    maxGridBytes: deps.maxGridBytes ?? 32 * 1024 * 1024,
    maxGridPixels: deps.maxGridPixels,
    refresh,
  });

  return {
    async prepare({ images, grid, seed }, uploadLimitBytes, log = deps.log) {
      if (images.length === 0) return grid ? gridImages(grid, seed, uploadLimitBytes, log) : { files: [] };
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
        return { files: attachedFiles(downloaded, images), urls };
      } catch (error) {
        log.warn({ err: error }, 'could not download the seed images; linking them instead');
        return { files: [], linkedBecause: 'download', urls };
      }
    },
  };
}
