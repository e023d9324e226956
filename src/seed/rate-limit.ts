// A per-user limit on seed requests that need useapi: a sliding window of one minute, shared by the fleet
// through storage.
import type { Store } from '../storage/port.js';

export interface RateLimiter {
  /** Count one request for `user`; `ok: false` with the wait when over the limit. */
  take(user: string): Promise<{ ok: true } | { ok: false; retryInMs: number }>;
}

export function createRateLimiter(deps: {
  store: Store<unknown>;
  perMinute: number;
  now?: () => number;
}): RateLimiter {
  const now = deps.now ?? Date.now;
  const windowMs = 60_000;
  return {
    async take(user) {
      if (deps.perMinute <= 0) return { ok: true };
      const key = `rate:${user}`;
      const t = now();
      const stamps = (((await deps.store.get(key)) as number[] | undefined) ?? []).filter(
        (s) => t - s < windowMs,
      );
      if (stamps.length >= deps.perMinute) {
        return { ok: false, retryInMs: windowMs - (t - (stamps[0] ?? t)) };
      }
      stamps.push(t);
      await deps.store.set(key, stamps, windowMs);
      return { ok: true };
    },
  };
}
