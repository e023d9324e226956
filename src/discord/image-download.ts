// Downloading an image: bounded in bytes and time, and shared (members asking at once for one seed share its
// downloads, and recent ones are kept in memory: many people ask for the same seed).
import { request } from 'undici';
import { GridError } from '../images/grid.js';

export interface Downloaded {
  data: Buffer;
  contentType?: string | undefined;
}

/** A map that forgets its oldest entries past `limit` bytes. */
export function lruBytes<V>(limit: number, sizeOf: (value: V) => number) {
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

/** One image whatever its link's signature: a refreshed link names the same file. */
export const cacheKey = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname}`;
  } catch {
    return url;
  }
};

const tooLarge = (bytes: number, maxBytes: number) =>
  new GridError('too_large', `the image is over ${bytes} bytes (at most ${maxBytes})`);

/** Reads no further than the limit, whatever the length the server announced (or did not). */
async function readAtMost(body: AsyncIterable<Buffer>, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let read = 0;
  for await (const chunk of body) {
    read += chunk.length;
    // Leaving the loop closes the download.
    if (read > maxBytes) throw tooLarge(read, maxBytes);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** One download, never cached; over `maxBytes` it stops and throws GridError 'too_large'. */
export async function fetchImage(
  url: string,
  limits: { timeoutMs: number; maxBytes?: number },
): Promise<Downloaded> {
  const maxBytes = limits.maxBytes ?? Number.POSITIVE_INFINITY;
  // undici's request API: Node streams and Buffers end to end (fetch's web streams cost twice the CPU for the same
  // bytes, measured on 400 × 256 KiB).
  const response = await request(url, { signal: AbortSignal.timeout(limits.timeoutMs), maxRedirections: 2 });
  if (response.statusCode < 200 || response.statusCode >= 300) {
    await response.body.dump();
    throw new Error(`image download answered ${response.statusCode}`);
  }
  const header = (name: string) => {
    const value = response.headers[name];
    return Array.isArray(value) ? value[0] : value;
  };
  const contentType = header('content-type');
  const length = Number(header('content-length') ?? Number.NaN);
  if (length > maxBytes) {
    // Read nothing and close it (a bare destroy() would raise an unhandled AbortError on the body).
    await response.body.dump({ limit: 0 }).catch(() => {});
    throw tooLarge(length, maxBytes);
  }
  if (maxBytes === Number.POSITIVE_INFINITY)
    return { data: Buffer.from(await response.body.arrayBuffer()), contentType };
  return { data: await readAtMost(response.body as AsyncIterable<Buffer>, maxBytes), contentType };
}

/** Downloads shared by whoever asks for one image at once, and kept (up to `cacheBytes`) for who asks next. */
export function createImageDownloads(deps: { timeoutMs: number; cacheBytes: number }) {
  const cache = lruBytes<Downloaded>(deps.cacheBytes, (v) => v.data.length);
  const inflight = new Map<string, Promise<Downloaded>>();
  return (url: string): Promise<Downloaded> => {
    const key = cacheKey(url);
    const hit = cache.get(key);
    if (hit) return Promise.resolve(hit);
    const running = inflight.get(key);
    if (running) return running;
    const started = fetchImage(url, { timeoutMs: deps.timeoutMs })
      .then((value) => {
        cache.set(key, value);
        return value;
      })
      .finally(() => inflight.delete(key));
    inflight.set(key, started);
    return started;
  };
}
