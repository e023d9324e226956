// The Discord CDN links useapi hands out for a job's images: signed, expiring like the real ones, and served here
// (one PNG of the configured size for every valid link, 404 once the link expired or when its signature is wrong).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isCdnUrlExpired, pngBytes, signCdnUrl } from '../cdn.js';
import { type FakeAttachment, type Ids, sha256 } from './job.js';
import { send } from './send.js';

const CDN_GONE = 'This content is no longer available.';

export interface Images {
  /** Set once the server listens: the links point at it. */
  origin: string;
  attachment(channel: string, filename: string, width: number): FakeAttachment;
  isImagePath(method: string, path: string): boolean;
  serve(req: IncomingMessage, res: ServerResponse): void;
}

export function createImages(options: { ids: Ids; imageBytes: number; ttlSec: number }): Images {
  const { ids, imageBytes, ttlSec } = options;
  // One image, built once: the fake CDN serves hundreds of them a second in the benchmark.
  let image: Buffer | undefined;
  const images: Images = {
    origin: '',
    attachment(channel, filename, width) {
      const id = ids.snowflake();
      const expires = Math.floor(Date.now() / 1000) + ttlSec;
      const path = `attachments/${channel}/${id}/${encodeURIComponent(filename)}`;
      return {
        id,
        url: signCdnUrl(`${images.origin}/cdn/${path}`, expires),
        proxy_url: signCdnUrl(`${images.origin}/media/${path}`, expires),
        width,
        height: width,
        size: imageBytes,
        placeholder_version: 1,
        placeholder: sha256(filename).toString('base64').slice(0, 24),
        filename,
        content_type: 'image/png',
      };
    },
    isImagePath: (method, path) => method === 'GET' && /^\/(cdn|media)\/attachments\//.test(path),
    serve(req, res) {
      const url = new URL(req.url ?? '/', images.origin);
      const ex = url.searchParams.get('ex');
      const hm = url.searchParams.get('hm');
      const expected =
        ex === null
          ? undefined
          : sha256(`${url.pathname}:${Number.parseInt(ex, 16)}`)
              .toString('hex')
              .slice(0, 32);
      if (ex === null || hm !== expected || isCdnUrlExpired(url.toString())) return send(res, 404, CDN_GONE);
      image ??= pngBytes(imageBytes);
      res.writeHead(200, { 'content-type': 'image/png', 'content-length': image.length.toString() });
      res.end(image);
    },
  };
  return images;
}
