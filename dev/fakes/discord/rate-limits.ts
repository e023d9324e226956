// Discord's documented rate limits, off unless a test asks for them (FakeDiscordOptions.rateLimits):
// - a global limit per bot token (50 requests per second by default) that interaction routes are exempt from
//   (callbacks and the interaction webhook, which carry no bot token);
// - per-route buckets, one per route and major parameter (channel, guild, or webhook id + token), announced on every
//   answer with X-RateLimit-Limit, -Remaining, -Reset, -Reset-After and -Bucket;
// - past either, 429 with `retry_after` (seconds, fractional) in the body, Retry-After and X-RateLimit-Scope
//   (`global` with X-RateLimit-Global, or `user`).
// https://discord.com/developers/docs/topics/rate-limits
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { Reply } from './common.js';
import type { FakeDiscordOptions } from './types.js';

export interface RateLimitVerdict {
  /** headers for the answer (the bucket's state) */
  headers: Record<string, string>;
  /** the 429 to answer instead of handling the request */
  refused?: Reply & { retryAfterMs: number; scope: 'global' | 'user'; bucket: string };
  bucket?: string;
}

export function createRateLimits(options: FakeDiscordOptions['rateLimits']) {
  const globalPerSecond = options?.globalPerSecond ?? 50;
  const route = options?.route ?? { limit: 5, windowMs: 2_000 };
  let globalStart = 0;
  let globalCount = 0;
  const buckets = new Map<string, { remaining: number; resetAt: number }>();

  const tooMany = (
    scope: 'global' | 'user',
    retryAfterMs: number,
    headers: Record<string, string>,
    bucket: string,
  ): RateLimitVerdict => {
    const seconds = Math.max(0.001, retryAfterMs / 1000);
    return {
      headers,
      bucket,
      refused: {
        status: 429,
        body: { message: 'You are being rate limited.', retry_after: seconds, global: scope === 'global' },
        headers: {
          ...headers,
          'retry-after': String(Math.ceil(seconds)),
          'x-ratelimit-scope': scope,
          ...(scope === 'global' ? { 'x-ratelimit-global': 'true' } : {}),
        },
        retryAfterMs,
        scope,
        bucket,
      },
    };
  };

  /** The verdict on one request to `pattern` (the route, e.g. 'channels/:channel/messages') with its params. */
  const check = (
    method: string,
    pattern: string,
    params: Record<string, string>,
    headers: IncomingHttpHeaders,
    at: number,
  ): RateLimitVerdict | undefined => {
    if (!options) return undefined;
    // An interaction's callback is not limited here: it is answered once, within 3 s.
    if (pattern.startsWith('interactions/')) return undefined;
    const bucket = createHash('sha1').update(`${method} ${pattern}`).digest('hex').slice(0, 16);
    if (String(headers.authorization ?? '').startsWith('Bot ')) {
      if (at - globalStart >= 1_000) {
        globalStart = at;
        globalCount = 0;
      }
      if (globalCount >= globalPerSecond) return tooMany('global', globalStart + 1_000 - at, {}, bucket);
      globalCount++;
    }
    const major =
      params.channel ??
      params.guild ??
      (params.app && params.token ? `${params.app}/${params.token}` : 'global');
    const key = `${bucket}:${major}`;
    let state = buckets.get(key);
    if (!state || at >= state.resetAt) {
      state = { remaining: route.limit, resetAt: at + route.windowMs };
      buckets.set(key, state);
    }
    const limited = state.remaining <= 0;
    if (!limited) state.remaining--;
    const bucketHeaders = {
      'x-ratelimit-limit': String(route.limit),
      'x-ratelimit-remaining': String(state.remaining),
      'x-ratelimit-reset': (state.resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': ((state.resetAt - at) / 1000).toFixed(3),
      'x-ratelimit-bucket': bucket,
    };
    if (limited) return tooMany('user', state.resetAt - at, bucketHeaders, bucket);
    return { headers: bucketHeaders, bucket };
  };
  return { check };
}
