// The request processor on its own (memory storage, a scripted seed service, a recording notifier): the open index
// written and cleared around each request, transient failures waited out and final ones ending the request, resumed
// work ordered before waiting work, a lost lease stopping the work before it answers, and a state that storage could
// not take kept until storage answers.

import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SeedRecord, SeedRequest } from '../../../src/seed/model/types.js';
import type { Lease, Notifier, Storage } from '../../../src/seed/ports.js';
import { createRequestProcessor, type NewRequest } from '../../../src/seed/requests/processor.js';
import type { RetrieveOptions, SeedService } from '../../../src/seed/retrieval/seed-service.js';
import { createStorage } from '../../../src/storage/index.js';
import { UseapiError } from '../../../src/useapi/errors.js';
import { silentLogger } from '../../helpers/builders.js';

const log = silentLogger;
const JOBID = 'job:20241218021941022-user:1308-channel:1316232391072944131-bot:midjourney';
const record = (seed: number): SeedRecord => ({
  jobid: JOBID,
  seed,
  images: [],
  retrievedAt: 1,
  source: 'useapi',
});

type Retrieve = (jobid: string, options: RetrieveOptions) => Promise<SeedRecord>;
function seedsOf(retrieve: Retrieve): SeedService {
  return {
    cached: async () => undefined,
    retrieve,
    seedJobChanged: async () => false,
    jobEnded: async () => {},
    stats: () => ({ waiting: 0, running: 0, inflight: 0 }),
    close: async () => {},
  };
}

function recordingNotifier() {
  const events: { kind: 'progress' | 'deliver' | 'fail'; id: string; detail: unknown }[] = [];
  const notifier: Notifier = {
    progress: async (r, p) => {
      events.push({ kind: 'progress', id: r.id, detail: p });
    },
    deliver: async (r, rec) => {
      events.push({ kind: 'deliver', id: r.id, detail: rec.seed });
      return 'edit';
    },
    fail: async (r, e) => {
      events.push({ kind: 'fail', id: r.id, detail: e });
      return 'edit';
    },
  };
  return { notifier, events };
}

const request = (id: string, extra: Partial<NewRequest> = {}): NewRequest => ({
  id,
  correlationId: `c${id}`,
  jobid: JOBID,
  applicationId: '1',
  interactionToken: 't',
  userId: `u${id}`,
  locale: 'en-US',
  ephemeral: false,
  ...extra,
});

const opened: Storage[] = [];
afterEach(async () => {
  await Promise.allSettled(opened.splice(0).map((s) => s.close()));
});
async function memory() {
  const storage = await createStorage('memory://');
  opened.push(storage);
  return storage;
}

function processor(
  storage: Storage,
  retrieve: Retrieve,
  notifier: Notifier,
  extra: { lockTtlMs?: number } = {},
) {
  return createRequestProcessor({
    storage,
    seeds: seedsOf(retrieve),
    notifier,
    holds: { onChange: async () => async () => {} },
    log,
    deadlineMs: 60_000,
    lockTtlMs: extra.lockTtlMs ?? 10_000,
    sweepEveryMs: 60_000,
    retry: { baseMs: 10, maxMs: 40 },
    random: () => 1,
    progressIntervalMs: 0,
  });
}

/** A retrieve that answers when the test says so, and stops (as the real one does) when its signal aborts. */
function held() {
  let answer: (r: SeedRecord) => void = () => {};
  let asked = 0;
  const retrieve: Retrieve = (_jobid, options) =>
    new Promise<SeedRecord>((resolve, reject) => {
      asked++;
      answer = resolve;
      options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
    });
  return {
    retrieve,
    asked: () => asked,
    release: async (r: SeedRecord) => {
      await vi.waitFor(() => expect(asked).toBeGreaterThan(0));
      answer(r);
    },
  };
}

const stored = (storage: Storage, id: string) =>
  storage.requests.get(`req:${id}`) as Promise<SeedRequest | undefined>;

describe('the request processor', () => {
  it('indexes a request while it is open and clears it once answered', async () => {
    const storage = await memory();
    const upstream = held();
    const { notifier, events } = recordingNotifier();
    const p = processor(storage, upstream.retrieve, notifier);
    await p.accept(request('1'));
    expect(await storage.openRequests.list(10)).toEqual(['1']);
    await upstream.release(record(7));
    await vi.waitFor(async () => expect((await stored(storage, '1'))?.state).toBe('done'));
    expect(await storage.openRequests.list(10)).toEqual([]);
    expect(events.filter((e) => e.kind === 'deliver')).toEqual([{ kind: 'deliver', id: '1', detail: 7 }]);
  });

  it('waits out transient failures, telling the member, and answers when upstream returns', async () => {
    const storage = await memory();
    const { notifier, events } = recordingNotifier();
    let calls = 0;
    const p = processor(
      storage,
      async () => {
        calls++;
        if (calls <= 3)
          throw new UseapiError(calls === 1 ? 'network' : 'unavailable', 'down', { status: 503 });
        return record(9);
      },
      notifier,
    );
    await p.accept(request('2'));
    await vi.waitFor(async () => expect((await stored(storage, '2'))?.state).toBe('done'));
    expect(calls).toBe(4);
    const retries = events.filter(
      (e) => e.kind === 'progress' && (e.detail as { phase: string }).phase === 'retrying',
    );
    expect(retries.length).toBeGreaterThan(0);
    expect(events.some((e) => e.kind === 'fail')).toBe(false);
  });

  it('ends a request on a failure waiting cannot fix, and says so once', async () => {
    const storage = await memory();
    const { notifier, events } = recordingNotifier();
    let calls = 0;
    const p = processor(
      storage,
      async () => {
        calls++;
        throw new UseapiError('not_found', 'gone', { status: 404 });
      },
      notifier,
    );
    await p.accept(request('3'));
    await vi.waitFor(async () => expect((await stored(storage, '3'))?.state).toBe('failed'));
    expect(calls).toBe(1);
    expect(events.filter((e) => e.kind === 'fail')).toHaveLength(1);
    expect(await storage.openRequests.list(10)).toEqual([]);
  });

  it('resumes requests whose seed job already runs before those still waiting', async () => {
    const storage = await memory();
    const order: string[] = [];
    const put = async (id: string, createdAt: number, seedJobId?: string) => {
      await storage.openRequests.add(id, createdAt);
      await storage.requests.set(`req:${id}`, {
        ...request(id),
        state: seedJobId ? 'running' : 'accepted',
        seedJobId,
        createdAt,
        updatedAt: createdAt,
        attempts: 0,
      });
    };
    await put('old-waiting', 1);
    await put('resumed', 2, 'seed-job-1');
    await put('newer-waiting', 3);
    const { notifier } = recordingNotifier();
    const p = processor(
      storage,
      async (_jobid, options) => {
        order.push(options.replyRef?.split(':')[0] ?? '');
        return record(1);
      },
      notifier,
    );
    expect(await p.resumeOpen()).toBe(3);
    await vi.waitFor(() => expect(order).toHaveLength(3));
    expect(order).toEqual(['resumed', 'old-waiting', 'newer-waiting']);
  });

  it('drops index entries whose request is closed or gone, without resuming them', async () => {
    const storage = await memory();
    await storage.openRequests.add('ghost', 1);
    await storage.openRequests.add('closed', 2);
    await storage.requests.set('req:closed', {
      ...request('closed'),
      state: 'done',
      createdAt: 2,
      updatedAt: 2,
      attempts: 1,
    });
    const { notifier } = recordingNotifier();
    const retrieve = vi.fn(async () => record(1));
    const p = processor(storage, retrieve, notifier);
    expect(await p.resumeOpen()).toBe(0);
    await vi.waitFor(async () => expect(await storage.openRequests.list(10)).toEqual([]));
    expect(retrieve).not.toHaveBeenCalled();
  });

  it('stops without answering when its lease is lost, and writes nothing more', async () => {
    const storage = await memory();
    let extendAnswer = true;
    // A coordinator whose locks say "not yours" once the test decides another process took them.
    const tryLock = storage.coordinator.tryLock.bind(storage.coordinator);
    storage.coordinator.tryLock = async (key, ttl) => {
      const lease = await tryLock(key, ttl);
      if (!lease) return undefined;
      const guarded: Lease = {
        release: () => lease.release(),
        extend: async (t) => extendAnswer && lease.extend(t),
      };
      return guarded;
    };
    const upstream = held();
    const { notifier, events } = recordingNotifier();
    const p = processor(storage, upstream.retrieve, notifier, { lockTtlMs: 300 });
    await p.accept(request('4'));
    await vi.waitFor(() => expect(upstream.asked()).toBe(1));
    const before = await stored(storage, '4');
    extendAnswer = false;
    await vi.waitFor(() => expect(p.active()).toBe(0), { timeout: 2_000 });
    await new Promise((r) => setTimeout(r, 50));
    expect(events.some((e) => e.kind === 'deliver' || e.kind === 'fail')).toBe(false);
    expect((await stored(storage, '4'))?.updatedAt).toBe(before?.updatedAt);
    expect(await storage.openRequests.list(10)).toEqual(['4']);
  });

  it('keeps a state storage could not take, and writes it before resuming anything', async () => {
    const storage = await memory();
    const set = storage.requests.set.bind(storage.requests);
    let failing = false;
    storage.requests.set = async (k, v, ttl) => {
      if (failing) throw new Error('storage away');
      return set(k, v, ttl);
    };
    const { notifier } = recordingNotifier();
    const p = processor(
      storage,
      async (_jobid, options) => {
        failing = true;
        await options.onSeedJob?.('seed-job-kept');
        return record(3);
      },
      notifier,
    );
    await p.accept(request('5'));
    await vi.waitFor(() => expect(p.active()).toBe(0));
    // Storage took neither the seed job nor the answer; the processor still knows both.
    expect((await stored(storage, '5'))?.state).not.toBe('done');
    failing = false;
    await p.resumeOpen();
    const after = await stored(storage, '5');
    expect(after?.state).toBe('done');
    expect(after?.seedJobId).toBe('seed-job-kept');
    expect(await storage.openRequests.list(10)).toEqual([]);
  });
});

describe('a seed and a grid known from the message', () => {
  const MESSAGE = '700000000000000123';
  const KEY = `message:${MESSAGE}`;
  const grid = {
    kind: 'grid' as const,
    url: 'https://cdn.discordapp.com/attachments/1/2/g.png',
    filename: 'g.png',
  };
  const known = (id: string, jobid = KEY) =>
    request(id, { jobid, messageId: MESSAGE, knownSeed: { seed: 77, prompt: 'a whale --seed 77', grid } });

  it('are stored before the request, so whoever answers it (after a crash too) asks no upstream', async () => {
    const storage = await memory();
    const askedUpstream: string[] = [];
    // As the seed service does: a stored seed first, upstream only without one.
    const retrieve: Retrieve = async (jobid) => {
      const found = await storage.seeds.get(jobid);
      if (found) return found;
      askedUpstream.push(jobid);
      throw new UseapiError('bad_request', 'not a jobid');
    };
    const { notifier, events } = recordingNotifier();
    // A process that takes the request and dies before answering it.
    const dying = await storage.coordinator.tryLock('request:9', 10_000);
    await processor(storage, retrieve, notifier).accept(known('9'));
    expect(await storage.seeds.get(KEY)).toMatchObject({ seed: 77, source: 'prompt', images: [], grid });
    expect((await stored(storage, '9'))?.state).toBe('accepted');
    await dying?.release();

    const next = processor(storage, retrieve, notifier);
    expect(await next.resumeOpen()).toBe(1);
    await vi.waitFor(async () => expect((await stored(storage, '9'))?.state).toBe('done'));
    expect(events.filter((e) => e.kind === 'deliver')).toEqual([{ kind: 'deliver', id: '9', detail: 77 }]);
    expect(askedUpstream).toEqual([]);
  });

  it('never replace a stored seed that came with its own four images', async () => {
    const storage = await memory();
    const withImages: SeedRecord = {
      ...record(77),
      images: [{ url: 'https://cdn.discordapp.com/a/1.png', filename: '1.png' }],
    };
    await storage.seeds.set(JOBID, withImages);
    const { notifier } = recordingNotifier();
    const p = createRequestProcessor({
      storage,
      seeds: { ...seedsOf(async () => withImages), cached: (jobid) => storage.seeds.get(jobid) },
      notifier,
      holds: { onChange: async () => async () => {} },
      log,
      deadlineMs: 60_000,
      lockTtlMs: 10_000,
      sweepEveryMs: 60_000,
    });
    await p.accept(known('10', JOBID));
    await vi.waitFor(async () => expect((await stored(storage, '10'))?.state).toBe('done'));
    expect(await storage.seeds.get(JOBID)).toEqual(withImages);
  });
});
