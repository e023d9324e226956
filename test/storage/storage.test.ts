// The storage port on every backend: the same Store semantics (get, set with ttl, delete, entries, getMany) and a
// Coordinator whose locks, slots and pub/sub hold. On Redis the coordination is also checked across two connections,
// which is what two bot processes sharing one Redis see.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { StorageUnavailableError } from '../../src/seed/ports.js';
import { createOutageReporter, guardStore } from '../../src/storage/guard.js';
import { createStorage, type Storage, type StorageOptions } from '../../src/storage/index.js';
import { openSqliteFile } from '../../src/storage/sqlite.js';
import { backends, describeBackend, describeEachBackend, redis } from '../helpers/backends.js';

const opened: Storage[] = [];
const open = async (url: string, leaseMs?: number, options: StorageOptions = {}) => {
  const storage = await createStorage(url, leaseMs === undefined ? options : { ...options, leaseMs });
  opened.push(storage);
  return storage;
};

afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((s) => s.close()));
});
afterAll(async () => {
  for (const b of backends) await b.cleanup();
});

const deferred = <T>() => {
  let resolve: (value: T) => void = () => {};
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

type Coordinator = Storage['coordinator'];

/**
 * How many slots of `name` can be taken right now, asking for up to limit + 1 so that over-admission shows too: each
 * acquisition may wait `waitMs` (a wait that gets nothing is aborted), and every slot taken is released again.
 */
async function freeSlots(c: Coordinator, name: string, limit: number, waitMs = 300): Promise<number> {
  const taken: Awaited<ReturnType<Coordinator['acquireSlot']>>[] = [];
  try {
    while (taken.length <= limit) {
      const lease = await c
        .acquireSlot(name, limit, 10_000, AbortSignal.timeout(waitMs))
        .catch(() => undefined);
      if (!lease) break;
      taken.push(lease);
    }
    return taken.length;
  } finally {
    await Promise.all(taken.map((lease) => lease.release()));
  }
}

describeEachBackend('Store', (backend) => {
  it('gives back what was set, and undefined for what was not', async () => {
    const s = await open(backend.freshUrl());
    const value = [{ jobid: 'j', prompt: 'ünï:cødé [1, "two"]', messageId: 'm', seen: 42 }];
    await s.recent.set('a:b:c', value);
    expect(await s.recent.get('a:b:c')).toEqual(value);
    expect(await s.recent.get('missing')).toBeUndefined();
  });

  it('forgets a value after its ttl and keeps one without ttl', async () => {
    const s = await open(backend.freshUrl());
    await s.lastErrors.set('short', { kind: 'busy', at: 1 }, 150);
    await s.lastErrors.set('forever', { kind: 'busy', at: 2 });
    expect(await s.lastErrors.get('short')).toEqual({ kind: 'busy', at: 1 });
    await vi.waitFor(async () => expect(await s.lastErrors.get('short')).toBeUndefined(), {
      timeout: 3_000,
      interval: 50,
    });
    expect(await s.lastErrors.get('forever')).toEqual({ kind: 'busy', at: 2 });
  });

  it('reads a record that does not fit its schema as absent, and reports it once', async () => {
    const invalid: { store: string; key: string }[] = [];
    const s = await open(backend.freshUrl(), undefined, {
      onInvalid: ({ store, key }) => invalid.push({ store, key }),
    });
    // What an older or newer version might have written: the wrong shape for this version's schema.
    await s.seeds.set('old', { jobid: 'old', seed: 'not a number' } as never);
    await s.seeds.set('good', { jobid: 'good', seed: 1, images: [], retrievedAt: 1, source: 'useapi' });
    expect(await s.seeds.get('old')).toBeUndefined();
    expect(await s.seeds.getMany(['old', 'good'])).toEqual([
      undefined,
      { jobid: 'good', seed: 1, images: [], retrievedAt: 1, source: 'useapi' },
    ]);
    expect(invalid).toEqual([{ store: 'seeds', key: 'old' }]);
  });

  it('keeps the fields a newer version added to a record', async () => {
    const s = await open(backend.freshUrl());
    await s.flights.set('job', { seedJobId: 'seed-1', addedLater: true } as never);
    expect(await s.flights.get('job')).toEqual({ seedJobId: 'seed-1', addedLater: true });
  });

  it('deletes, and says whether there was something to delete', async () => {
    const s = await open(backend.freshUrl());
    await s.seeds.set('job', { jobid: 'job', seed: 1, images: [], retrievedAt: 1, source: 'useapi' });
    expect(await s.seeds.delete('job')).toBe(true);
    expect(await s.seeds.get('job')).toBeUndefined();
    expect(await s.seeds.delete('job')).toBe(false);
  });

  it('lists every live entry of one table with its own keys, and nothing of the other tables', async () => {
    const s = await open(backend.freshUrl());
    const error = (at: number) => ({ kind: 'busy', at });
    for (let i = 0; i < 25; i++) await s.lastErrors.set(`k:${i}`, error(i));
    await s.lastErrors.set('gone', error(99), 1);
    await s.audit.set('k:0', []);
    await vi.waitFor(async () => expect(await s.lastErrors.get('gone')).toBeUndefined());
    const seen = new Map<string, unknown>();
    for await (const [key, value] of s.lastErrors.entries()) seen.set(key, value);
    expect(seen.size).toBe(25);
    expect(seen.get('k:7')).toEqual(error(7));
    expect([...seen.keys()].every((k) => k.startsWith('k:'))).toBe(true);
  });

  it('keeps the records that share the meta table apart', async () => {
    const s = await open(backend.freshUrl());
    await s.flights.set('same', { seedJobId: 'x' });
    await s.recent.set('same', []);
    expect(await s.flights.get('same')).toEqual({ seedJobId: 'x' });
    expect(await s.recent.get('same')).toEqual([]);
    const flights: string[] = [];
    for await (const [key] of s.flights.entries()) flights.push(key);
    expect(flights).toEqual(['same']);
  });

  it('reads many keys at once, in order, with holes for the missing ones', async () => {
    const s = await open(backend.freshUrl());
    await s.lastErrors.set('x', { kind: 'a', at: 1 });
    await s.lastErrors.set('z', { kind: 'c', at: 3 });
    expect(await s.lastErrors.getMany(['x', 'y', 'z'])).toEqual([
      { kind: 'a', at: 1 },
      undefined,
      { kind: 'c', at: 3 },
    ]);
    expect(await s.lastErrors.getMany([])).toEqual([]);
  });

  it('keeps everything across a close and a new start', async () => {
    const url = backend.freshUrl();
    const first = await open(url);
    await first.holds.set('hold:1', { channel: '1', since: 5, incidentId: 'i' });
    await first.close();
    const second = await open(url);
    expect(await second.holds.get('hold:1')).toEqual({ channel: '1', since: 5, incidentId: 'i' });
  });

  it('keeps the data of two storages apart', async () => {
    const a = await open(backend.freshUrl());
    const b = await open(backend.freshUrl());
    await a.flights.set('shared-name', {});
    expect(await b.flights.get('shared-name')).toBeUndefined();
  });
});

/** Coordinator checks that hold for one process on every backend. */
describeEachBackend('Coordinator', (backend) => {
  it('gives a lock to one holder at a time and takes it back on release', async () => {
    const { coordinator: c } = await open(backend.freshUrl());
    const first = await c.tryLock('job-1', 10_000);
    expect(first).toBeDefined();
    expect(await c.tryLock('job-1', 10_000)).toBeUndefined();
    expect(await c.tryLock('job-2', 10_000)).toBeDefined();
    await first?.release();
    expect(await c.tryLock('job-1', 10_000)).toBeDefined();
  });

  it('lets a lock lapse after its ttl; the old holder can neither extend nor release the new one', async () => {
    const { coordinator: c } = await open(backend.freshUrl());
    const old = await c.tryLock('lapse', 150);
    expect(old).toBeDefined();
    let next: Awaited<ReturnType<typeof c.tryLock>>;
    await vi.waitFor(
      async () => {
        next = await c.tryLock('lapse', 10_000);
        expect(next).toBeDefined();
      },
      { timeout: 3_000, interval: 50 },
    );
    expect(await old?.extend(10_000)).toBe(false);
    await old?.release();
    expect(await c.tryLock('lapse', 10_000)).toBeUndefined();
  });

  it('keeps a lock that is extended in time', async () => {
    const { coordinator: c } = await open(backend.freshUrl());
    const lease = await c.tryLock('kept', 300);
    expect(await lease?.extend(10_000)).toBe(true);
    // Well past the first ttl, it is still held.
    await new Promise((r) => setTimeout(r, 500));
    expect(await c.tryLock('kept', 10_000)).toBeUndefined();
  });

  it('never lets more holders than the limit into the slots, and leaks none', async () => {
    const { coordinator: c } = await open(backend.freshUrl());
    let inside = 0;
    let most = 0;
    const work = async () => {
      const lease = await c.acquireSlot('jobs', 3, 10_000);
      inside++;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 10));
      inside--;
      await lease.release();
    };
    await Promise.all(Array.from({ length: 15 }, work));
    expect(most).toBe(3);
    expect(await freeSlots(c, 'jobs', 3)).toBe(3);
  });

  it('admits the limit at once and makes the next one wait until a holder releases', async () => {
    const { coordinator: c } = await open(backend.freshUrl());
    const holders = await Promise.all([1, 2, 3].map(() => c.acquireSlot('n', 3, 10_000)));
    let fourth: Awaited<ReturnType<Coordinator['acquireSlot']>> | undefined;
    const waiting = c.acquireSlot('n', 3, 10_000).then((lease) => {
      fourth = lease;
      return lease;
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(fourth).toBeUndefined();
    await holders[0]?.release();
    const admitted = await waiting;
    await Promise.all([...holders.slice(1), admitted].map((lease) => lease.release()));
    expect(await freeSlots(c, 'n', 3)).toBe(3);
  });

  it('gives a slot back when its lease runs out without a release', async () => {
    const { coordinator: c } = await open(backend.freshUrl());
    // A holder that never releases, as one that crashed.
    await c.acquireSlot('one', 1, 1_000);
    expect(await freeSlots(c, 'one', 1, 100)).toBe(0);
    const next = await c.acquireSlot('one', 1, 10_000);
    expect(await freeSlots(c, 'one', 1, 100)).toBe(0);
    await next.release();
    expect(await freeSlots(c, 'one', 1)).toBe(1);
  });

  it('stops waiting for a slot when the wait is aborted, and takes none later', async () => {
    const { coordinator: c } = await open(backend.freshUrl());
    const held = await c.acquireSlot('abort', 1, 10_000);
    const controller = new AbortController();
    const waiting = c.acquireSlot('abort', 1, 10_000, controller.signal);
    controller.abort(new Error('member left'));
    await expect(waiting).rejects.toThrow('member left');
    await held.release();
    expect(await freeSlots(c, 'abort', 1)).toBe(1);
  });

  it('tells every subscriber, the publisher included, until it unsubscribes', async () => {
    const { coordinator: c } = await open(backend.freshUrl());
    const got = deferred<string>();
    const received: string[] = [];
    const stop = await c.subscribe('topic', (m) => {
      received.push(m);
      got.resolve(m);
    });
    await c.publish('topic', 'hello');
    expect(await got.promise).toBe('hello');
    await stop();
    await c.publish('topic', 'after');
    // A message on another topic proves the bus still runs and 'after' was not delivered before it.
    const other = deferred<string>();
    await c.subscribe('other', (m) => other.resolve(m));
    await c.publish('other', 'ping');
    await other.promise;
    expect(received).toEqual(['hello']);
  });
});

/** What two bot processes sharing one Redis rely on: two connections, one truth. */
describeBackend(redis, 'Coordinator across two connections (redis)', () => {
  it('gives a lock to one process at a time', async () => {
    const url = redis.freshUrl();
    const a = await open(url);
    const b = await open(url);
    const lease = await a.coordinator.tryLock('seed-flight:job', 10_000);
    expect(lease).toBeDefined();
    expect(await b.coordinator.tryLock('seed-flight:job', 10_000)).toBeUndefined();
    await lease?.release();
    expect(await b.coordinator.tryLock('seed-flight:job', 10_000)).toBeDefined();
  });

  it('keeps the slot limit for the whole fleet', async () => {
    const url = redis.freshUrl();
    const processes = [await open(url), await open(url)];
    let inside = 0;
    let most = 0;
    const work = async (i: number) => {
      const c = processes[i % 2]?.coordinator;
      if (!c) throw new Error('no coordinator');
      const lease = await c.acquireSlot('useapi', 3, 10_000);
      inside++;
      most = Math.max(most, inside);
      await new Promise((r) => setTimeout(r, 15));
      inside--;
      await lease.release();
    };
    await Promise.all(Array.from({ length: 24 }, (_, i) => work(i)));
    expect(most).toBe(3);
  });

  it('frees the slot of a process that died well before the lease it asked for', async () => {
    const url = redis.freshUrl();
    const dying = await open(url, 300);
    const alive = await open(url, 300);
    await dying.coordinator.acquireSlot('useapi', 1, 600_000);
    // Renewals keep it while the process lives, well past one lease...
    expect(await freeSlots(alive.coordinator, 'useapi', 1, 700)).toBe(0);
    // ...and stop when it dies (closing stops them as a crash would, without a release).
    await dying.close();
    const lease = await alive.coordinator.acquireSlot('useapi', 1, 10_000);
    expect(await freeSlots(alive.coordinator, 'useapi', 1, 100)).toBe(0);
    await lease.release();
  });

  it('serves waiters in the order they came, whatever process they are in', async () => {
    const url = redis.freshUrl();
    const a = await open(url);
    const b = await open(url);
    const holder = await a.coordinator.acquireSlot('fifo', 1, 10_000);
    const order: string[] = [];
    const waiters: Promise<void>[] = [];
    const queued = () => redisQueueLength(url, 'fifo');
    for (const [name, s] of [
      ['first', b],
      ['second', a],
      ['third', b],
      ['fourth', a],
    ] as const) {
      const before = await queued();
      waiters.push(
        s.coordinator.acquireSlot('fifo', 1, 10_000).then(async (lease) => {
          order.push(name);
          await lease.release();
        }),
      );
      await vi.waitFor(async () => expect(await queued()).toBe(before + 1));
    }
    await holder.release();
    await Promise.all(waiters);
    expect(order).toEqual(['first', 'second', 'third', 'fourth']);
  });

  it('delivers a message published by one process to the other', async () => {
    const url = redis.freshUrl();
    const a = await open(url);
    const b = await open(url);
    const got = deferred<string>();
    await b.coordinator.subscribe('job-changed', (m) => got.resolve(m));
    await a.coordinator.publish('job-changed', 'seed-job-1');
    expect(await got.promise).toBe('seed-job-1');
  });

  it('keeps runs with different prefixes apart, locks included', async () => {
    const a = await open(redis.freshUrl());
    const b = await open(redis.freshUrl());
    expect(await a.coordinator.tryLock('same', 10_000)).toBeDefined();
    expect(await b.coordinator.tryLock('same', 10_000)).toBeDefined();
  });
});

async function redisQueueLength(url: string, name: string): Promise<number> {
  const { createClient } = await import('@keyv/redis');
  const u = new URL(url);
  const prefix = u.searchParams.get('prefix') ?? '';
  u.searchParams.delete('prefix');
  const client = createClient({ url: u.toString() });
  await client.connect();
  try {
    return await client.zCard(`${prefix}slots:${name}:queue`);
  } finally {
    await client.close();
  }
}

describeEachBackend('OpenIndex', (backend) => {
  it('lists open ids oldest first, once each, and forgets removed ones', async () => {
    const s = await open(backend.freshUrl());
    await s.openRequests.add('b', 2);
    await s.openRequests.add('a', 1);
    await s.openRequests.add('c', 3);
    await s.openRequests.add('a', 9); // a second add keeps the first time
    expect(await s.openRequests.list(10)).toEqual(['a', 'b', 'c']);
    expect(await s.openRequests.list(2)).toEqual(['a', 'b']);
    await s.openRequests.remove('b');
    expect(await s.openRequests.list(10)).toEqual(['a', 'c']);
    expect(await s.openRequests.list(100)).toHaveLength(2);
  });

  it('pages through more entries than one page without recursion', async () => {
    const s = await open(backend.freshUrl());
    await Promise.all(
      Array.from({ length: 450 }, (_, i) =>
        s.holds.set(`k${i}`, { channel: String(i), since: i, incidentId: 'x' }),
      ),
    );
    const seen = new Set<string>();
    for await (const [key] of s.holds.entries()) seen.add(key);
    expect(seen.size).toBe(450);
  });
});

describeBackend(backends[0] as (typeof backends)[number], 'SQLite file', () => {
  it('really deletes expired rows, through the expiry index', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seed-bot-purge-'));
    try {
      const file = await openSqliteFile(join(dir, 'bot.sqlite'));
      const seeds = file.store<{ n: number }>('seeds', () => {});
      await Promise.all(Array.from({ length: 1_500 }, (_, i) => seeds.set(`gone${i}`, { n: i }, 1)));
      await seeds.set('kept', { n: 1 });
      await seeds.set('later', { n: 2 }, 60_000);
      await new Promise((r) => setTimeout(r, 20));
      expect(await file.purge()).toBe(1_500);
      const keys: string[] = [];
      for await (const [key] of seeds.entries()) keys.push(key);
      expect(keys.sort()).toEqual(['kept', 'later']);
      expect(await file.purge()).toBe(0);
      await file.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a storage call that does not answer', () => {
  it('fails as unavailable within its deadline, and reports the outage once', async () => {
    const downs: unknown[] = [];
    const ups: number[] = [];
    const outage = createOutageReporter({
      down: (e) => downs.push(e),
      up: ({ failures }) => ups.push(failures),
    });
    const hanging = { ...memoryStore(), get: () => new Promise<undefined>(() => {}) };
    const guarded = guardStore(hanging, 50, outage);
    for (let i = 0; i < 3; i++)
      await expect(guarded.get('x')).rejects.toBeInstanceOf(StorageUnavailableError);
    expect(downs).toHaveLength(1);
    await guarded.set('x', 1);
    expect(ups).toEqual([3]);
  });
});

function memoryStore() {
  const map = new Map<string, unknown>();
  return {
    get: async (k: string) => map.get(k),
    getMany: async (keys: string[]) => keys.map((k) => map.get(k)),
    set: async (k: string, v: unknown) => {
      map.set(k, v);
    },
    delete: async (k: string) => map.delete(k),
    async *entries(): AsyncIterable<[string, unknown]> {
      yield* map.entries();
    },
  };
}
