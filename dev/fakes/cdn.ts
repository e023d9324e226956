// Discord CDN links as both fakes understand them: `?ex=<hex unix seconds>&is=<hex>&hm=<hex>`.
// The fake useapi serves the images and answers 404 once `ex` has passed; the fake Discord refreshes links
// (POST /attachments/refresh-urls) by signing them again.
import { createHash } from 'node:crypto';

export const signCdnUrl = (url: string, expiresAtSec: number): string => {
  const u = new URL(url);
  const issued = Math.floor(Date.now() / 1000);
  u.searchParams.set('ex', expiresAtSec.toString(16));
  u.searchParams.set('is', issued.toString(16));
  u.searchParams.set(
    'hm',
    createHash('sha256').update(`${u.pathname}:${expiresAtSec}`).digest('hex').slice(0, 32),
  );
  return u.toString();
};

const cdnExpiry = (url: string): number | undefined => {
  const ex = new URL(url).searchParams.get('ex');
  return ex ? Number.parseInt(ex, 16) : undefined;
};

export const isCdnUrlExpired = (url: string, nowSec = Math.floor(Date.now() / 1000)): boolean => {
  const ex = cdnExpiry(url);
  return ex !== undefined && ex <= nowSec;
};

/** A valid 1x1 PNG, padded to `size` bytes with a tEXt-free trailer so sizes can be chosen in tests. */
export const pngBytes = (size = 256): Buffer => {
  const base = Buffer.from(
    '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
      '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
    'hex',
  );
  return size <= base.length ? base : Buffer.concat([base, Buffer.alloc(size - base.length)]);
};
