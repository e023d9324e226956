// The four images are downloaded and attached to the reply, so they still show after Discord's CDN links expire
// (~24 h). Expired stored links are refreshed first through POST /attachments/refresh-urls.
import type { REST } from 'discord.js';
import type { Logger } from 'pino';
import { request } from 'undici';
import type { ImageMeta } from '../seed/model/types.js';
import { type AttachedImage, type ImagesOutcome, safeFilename } from './replies.js';

export const DEFAULT_UPLOAD_LIMIT = 10 * 1024 * 1024;
/** Upload limit by server boost tier (Discord: tier 2 → 50 MiB, tier 3 → 100 MiB). */
export const uploadLimitForTier = (tier: number | undefined): number =>
  tier === 3 ? 100 * 1024 * 1024 : tier === 2 ? 50 * 1024 * 1024 : DEFAULT_UPLOAD_LIMIT;

export interface ImageFetcher {
  /** `log`: the request's logger (bound to its correlation id), for the warnings. */
  prepare(images: ImageMeta[], uploadLimitBytes: number, log?: Logger): Promise<ImagesOutcome>;
}

export interface ImageFetcherDeps {
  rest: REST;
  log: Logger;
  timeoutMs?: number;
  /** Bytes of recently downloaded images kept in memory (many people ask for the same seed). */
  cacheBytes?: number;
  now?: () => number;
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
  const cacheLimit = deps.cacheBytes ?? 64 * 1024 * 1024;
  const cache = new Map<string, Downloaded>();
  // Members asking at once for one seed share its downloads.
  const inflight = new Map<string, Promise<Downloaded>>();
  let cached = 0;

  const remember = (key: string, value: Downloaded) => {
    if (value.data.length > cacheLimit) return;
    cache.set(key, value);
    cached += value.data.length;
    for (const [k, v] of cache) {
      if (cached <= cacheLimit) break;
      cache.delete(k);
      cached -= v.data.length;
    }
  };

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

  async function download(url: string): Promise<Downloaded> {
    const key = cacheKey(url);
    const hit = cache.get(key);
    if (hit) {
      // Refresh its place in the LRU.
      cache.delete(key);
      cache.set(key, hit);
      return hit;
    }
    const running = inflight.get(key);
    if (running) return running;
    const started = get(url, timeoutMs)
      .then((value) => {
        remember(key, value);
        return value;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, started);
    return started;
  }

  return {
    async prepare(images, uploadLimitBytes, log = deps.log) {
      if (images.length === 0) return { files: [] };
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

/**
 * One image, through undici's request API: Node streams and Buffers end to end (fetch's web streams cost twice the CPU
 * for the same bytes, measured on 400 × 256 KiB).
 */
async function get(url: string, timeoutMs: number): Promise<Downloaded> {
  const response = await request(url, { signal: AbortSignal.timeout(timeoutMs), maxRedirections: 2 });
  if (response.statusCode < 200 || response.statusCode >= 300) {
    await response.body.dump();
    throw new Error(`image download answered ${response.statusCode}`);
  }
  const type = response.headers['content-type'];
  return {
    data: Buffer.from(await response.body.arrayBuffer()),
    contentType: Array.isArray(type) ? type[0] : type,
  };
}
