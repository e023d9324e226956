// One keyed, abortable wait: sleep for a while, or less when someone says the thing waited for has changed. The
// follower waits on its seed job (woken by callbacks), a wait after a 429 on the executing jobs it names (woken when
// one ends, or when any slot of ours frees), a joiner on a job another process leads (woken when its seed is stored).
import { sleep } from './sleep.js';

/** A registered interest in some keys: wakes that arrive while it is not waiting are kept for its next wait. */
export interface Watch {
  /** Resolves true when woken (now or earlier), false when `ms` passed; rejects with the signal's reason. */
  wait(ms: number, signal?: AbortSignal): Promise<boolean>;
  close(): void;
}

export interface Wakeups {
  watch(keys: Iterable<string>): Watch;
  /** One wait: watch, wait, close. */
  wait(keys: Iterable<string>, ms: number, signal?: AbortSignal): Promise<boolean>;
  /** Wake every watch of `key`; false when nobody watches it. */
  wake(key: string): boolean;
  /** Wake every watch, whatever its keys. */
  wakeAll(): void;
}

interface Entry {
  woken: boolean;
  interrupt?: (() => void) | undefined;
}

export function createWakeups(): Wakeups {
  const byKey = new Map<string, Set<Entry>>();
  const all = new Set<Entry>();
  const ring = (entry: Entry) => {
    entry.woken = true;
    entry.interrupt?.();
  };

  const watch = (keys: Iterable<string>): Watch => {
    const entry: Entry = { woken: false };
    const mine = [...new Set(keys)];
    all.add(entry);
    for (const key of mine) {
      const set = byKey.get(key) ?? new Set();
      set.add(entry);
      byKey.set(key, set);
    }
    return {
      async wait(ms, signal) {
        signal?.throwIfAborted();
        if (entry.woken) {
          entry.woken = false;
          return true;
        }
        const woken = new AbortController();
        entry.interrupt = () => woken.abort();
        try {
          await sleep(ms, signal ? AbortSignal.any([signal, woken.signal]) : woken.signal);
          return false;
        } catch (error) {
          if (signal?.aborted || !woken.signal.aborted) throw error;
          entry.woken = false;
          return true;
        } finally {
          entry.interrupt = undefined;
        }
      },
      close() {
        all.delete(entry);
        for (const key of mine) {
          const set = byKey.get(key);
          set?.delete(entry);
          if (set?.size === 0) byKey.delete(key);
        }
      },
    };
  };

  return {
    watch,
    async wait(keys, ms, signal) {
      const w = watch(keys);
      try {
        return await w.wait(ms, signal);
      } finally {
        w.close();
      }
    },
    wake(key) {
      const set = byKey.get(key);
      if (!set?.size) return false;
      for (const entry of set) ring(entry);
      return true;
    },
    wakeAll() {
      for (const entry of all) ring(entry);
    },
  };
}

/** The promise, or the signal's reason as soon as it aborts (the promise itself runs on). */
export function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
