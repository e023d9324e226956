// A per-user limit on seed requests that go upstream: a sliding window of one minute, shared by the fleet
// through storage.
import type { Store } from '../ports.js';

export interface RateLimiter {
  /** Count one request for `user`; `ok: false` with the wait when over the limit. */
  take(user: string): Promise<{ ok: true } | { ok: false; retryInMs: number }>;
}

const WINDOW_MS = 60_000;

export function createRateLimiter(deps: {
  store: Store<unknown>;
  perMinute: number;
  now?: () => number;
}): RateLimiter {
  const now = deps.now ?? Date.now;
  // One read-modify-write at a time per user in this process, so a burst of clicks cannot slip past the limit.
  const chains = new Map<string, Promise<unknown>>();

  async function take(user: string): Promise<{ ok: true } | { ok: false; retryInMs: number }> {
    const key = `rate:${user}`;
    const t = now();
    const stored = await deps.store.get(key);
    const stamps = (Array.isArray(stored) ? (stored as number[]) : []).filter((s) => t - s < WINDOW_MS);
    if (stamps.length >= deps.perMinute) {
      return { ok: false, retryInMs: Math.max(1_000, WINDOW_MS - (t - (stamps[0] ?? t))) };
    }
    stamps.push(t);
    await deps.store.set(key, stamps, WINDOW_MS);
    return { ok: true };
  }

  return {
    take(user) {
      if (deps.perMinute <= 0) return Promise.resolve({ ok: true });
      const previous = chains.get(user) ?? Promise.resolve();
      const next = previous.then(
        () => take(user),
        () => take(user),
      );
      chains.set(user, next);
      next
        .finally(() => {
          if (chains.get(user) === next) chains.delete(user);
        })
        .catch(() => {});
      return next;
    },
  };
}
