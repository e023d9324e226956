// Coordination inside one process: used with SQLite and memory storage, where one bot process owns the data.
import { EventEmitter } from 'node:events';
import type { Coordinator, Lease } from '../seed/ports.js';

interface Waiter {
  resolve: (lease: Lease) => void;
  reject: (error: unknown) => void;
  ttlMs: number;
  limit: number;
}

export function createLocalCoordinator(): Coordinator {
  const locks = new Map<string, { token: symbol; until: number }>();
  const slots = new Map<string, Set<symbol>>();
  const waiters = new Map<string, Waiter[]>();
  const bus = new EventEmitter();
  bus.setMaxListeners(0);

  const inUse = (name: string) => {
    let set = slots.get(name);
    if (!set) {
      set = new Set();
      slots.set(name, set);
    }
    return set;
  };

  const grant = (name: string, ttlMs: number): Lease => {
    const token = Symbol(name);
    const set = inUse(name);
    set.add(token);
    // A slot whose holder never releases it comes back after ttlMs, as with Redis.
    let timer = setTimeout(() => release(), ttlMs);
    timer.unref();
    let released = false;
    const extend = async (next: number) => {
      if (released) return false;
      clearTimeout(timer);
      timer = setTimeout(() => release(), next);
      timer.unref();
      return true;
    };
    const release = async () => {
      if (released) return;
      released = true;
      clearTimeout(timer);
      set.delete(token);
      const queue = waiters.get(name);
      while (queue?.length && set.size < (queue[0]?.limit ?? 0)) {
        const next = queue.shift();
        if (next) next.resolve(grant(name, next.ttlMs));
      }
    };
    return { release, extend };
  };

  return {
    async tryLock(key, ttlMs) {
      const now = Date.now();
      const held = locks.get(key);
      if (held && held.until > now) return undefined;
      const token = Symbol(key);
      locks.set(key, { token, until: now + ttlMs });
      return {
        async release() {
          if (locks.get(key)?.token === token) locks.delete(key);
        },
        async extend(next) {
          const current = locks.get(key);
          if (current?.token !== token) return false;
          current.until = Date.now() + next;
          return true;
        },
      };
    },
    acquireSlot(name, limit, ttlMs, signal) {
      if (signal?.aborted) return Promise.reject(signal.reason);
      const queue = waiters.get(name) ?? [];
      if (inUse(name).size < limit && queue.length === 0) return Promise.resolve(grant(name, ttlMs));
      return new Promise<Lease>((resolve, reject) => {
        const waiter: Waiter = { resolve, reject, ttlMs, limit };
        queue.push(waiter);
        waiters.set(name, queue);
        signal?.addEventListener(
          'abort',
          () => {
            const i = queue.indexOf(waiter);
            if (i >= 0) queue.splice(i, 1);
            reject(signal.reason);
          },
          { once: true },
        );
      });
    },
    async publish(topic, message) {
      bus.emit(topic, message);
    },
    async subscribe(topic, handler) {
      bus.on(topic, handler);
      return async () => {
        bus.off(topic, handler);
      };
    },
  };
}
