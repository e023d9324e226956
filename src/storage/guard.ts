// Every storage call gets a deadline, and every failure of the backend becomes one typed, transient error: a Redis
// that went away must not leave an interaction waiting on node-redis's queue, nor reach the member as an internal
// error. The outage itself is logged once when it starts and once when it ends, not once per call.
import type { Coordinator, Lease, OpenIndex, Store } from '../seed/ports.js';
import { StorageUnavailableError } from '../seed/ports.js';

export interface OutageReporter {
  /** A call failed: the first failure of an outage is reported, the rest are counted. */
  failed(error: unknown): void;
  /** A call (or the connection) succeeded again. */
  ok(): void;
  readonly down: boolean;
}

export function createOutageReporter(report: {
  down(error: unknown): void;
  up(info: { failures: number; ms: number }): void;
  now?: () => number;
}): OutageReporter {
  const now = report.now ?? Date.now;
  let since: number | undefined;
  let failures = 0;
  return {
    failed(error) {
      failures++;
      if (since !== undefined) return;
      since = now();
      report.down(error);
    },
    ok() {
      if (since === undefined) return;
      report.up({ failures, ms: now() - since });
      since = undefined;
      failures = 0;
    },
    get down() {
      return since !== undefined;
    },
  };
}

function guardCall<T>(
  call: () => Promise<T>,
  timeoutMs: number,
  outage: OutageReporter,
  what: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new StorageUnavailableError(`storage did not answer ${what} within ${timeoutMs} ms`);
      outage.failed(error);
      reject(error);
    }, timeoutMs);
    timer.unref();
    let started: Promise<T>;
    try {
      started = call();
    } catch (error) {
      started = Promise.reject(error);
    }
    started.then(
      (value) => {
        clearTimeout(timer);
        outage.ok();
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (error instanceof StorageUnavailableError) return reject(error);
        outage.failed(error);
        reject(new StorageUnavailableError(`storage refused ${what}`, { cause: error }));
      },
    );
  });
}

export function guardStore<V>(store: Store<V>, timeoutMs: number, outage: OutageReporter): Store<V> {
  const g = <T>(what: string, call: () => Promise<T>) => guardCall(call, timeoutMs, outage, what);
  return {
    get: (key) => g('a read', () => store.get(key)),
    getMany: (keys) => g('a read', () => store.getMany(keys)),
    set: (key, value, ttlMs) => g('a write', () => store.set(key, value, ttlMs)),
    delete: (key) => g('a delete', () => store.delete(key)),
    entries: () => store.entries(),
  };
}

export function guardOpenIndex(index: OpenIndex, timeoutMs: number, outage: OutageReporter): OpenIndex {
  const g = <T>(call: () => Promise<T>) => guardCall(call, timeoutMs, outage, 'an index call');
  return {
    add: (id, at) => g(() => index.add(id, at)),
    remove: (id) => g(() => index.remove(id)),
    list: (limit) => g(() => index.list(limit)),
  };
}

/** Coordinator calls get the same deadline; a slot wait is bounded by its own signal, each look by the deadline. */
export function guardCoordinator(c: Coordinator, timeoutMs: number, outage: OutageReporter): Coordinator {
  const g = <T>(call: () => Promise<T>) => guardCall(call, timeoutMs, outage, 'a coordinator call');
  const guardLease = (lease: Lease): Lease => ({
    release: () => g(() => lease.release()),
    extend: (ttl) => g(() => lease.extend(ttl)),
  });
  return {
    tryLock: async (key, ttl) => {
      const lease = await g(() => c.tryLock(key, ttl));
      return lease && guardLease(lease);
    },
    acquireSlot: async (name, limit, ttl, signal) => {
      try {
        return guardLease(await c.acquireSlot(name, limit, ttl, signal));
      } catch (error) {
        if (signal?.aborted) throw error;
        outage.failed(error);
        throw new StorageUnavailableError('storage refused a slot wait', { cause: error });
      }
    },
    publish: (topic, message) => g(() => c.publish(topic, message)),
    subscribe: (topic, handler) => c.subscribe(topic, handler),
  };
}
