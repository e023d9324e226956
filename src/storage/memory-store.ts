// Values kept in this process's memory only, each for its time to live: the rate-limit windows on SQLite or memory
// storage. Unlike keyv's in-memory Map, which drops an expired value only when its key is read again (a member who
// asked once would stay for good), expired values are swept out as writes come, at most once a minute: what is kept
// is what is live plus at most a minute of writes.
import type { Store } from '../seed/ports.js';

const SWEEP_EVERY_MS = 60_000;

export function createMemoryStore(options: { now?: () => number } = {}): Store<unknown> & {
  readonly size: number;
} {
  const now = options.now ?? Date.now;
  const values = new Map<string, { value: unknown; expires: number }>();
  let nextSweep = now() + SWEEP_EVERY_MS;
  const live = (key: string) => {
    const entry = values.get(key);
    if (!entry) return undefined;
    if (entry.expires <= now()) {
      values.delete(key);
      return undefined;
    }
    return entry.value;
  };
  const sweep = (t: number) => {
    if (t < nextSweep) return;
    nextSweep = t + SWEEP_EVERY_MS;
    for (const [key, entry] of values) if (entry.expires <= t) values.delete(key);
  };
  return {
    get: async (key) => live(key),
    getMany: async (keys) => keys.map(live),
    set: async (key, value, ttlMs) => {
      const t = now();
      sweep(t);
      values.set(key, { value, expires: ttlMs === undefined ? Number.POSITIVE_INFINITY : t + ttlMs });
    },
    delete: async (key) => values.delete(key),
    async *entries() {
      for (const key of [...values.keys()]) {
        const value = live(key);
        if (value !== undefined) yield [key, value];
      }
    },
    get size() {
      return values.size;
    },
  };
}
