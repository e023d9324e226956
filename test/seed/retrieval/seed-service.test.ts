// The seed service against the fake useapi over real HTTP (the real client), on memory storage: resuming a seed job
// already started, and waiting after a 429 for one of the executing jobs to end.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeUseapi, startFakeUseapi } from '../../../dev/fakes/fake-useapi.js';
import { createJobIndex } from '../../../src/seed/lookup/job-index.js';
import { createHolds } from '../../../src/seed/moderation/holds.js';
import type { Storage } from '../../../src/seed/ports.js';
import { createFairQueue } from '../../../src/seed/retrieval/fair-queue.js';
import { createSeedService, type SeedService } from '../../../src/seed/retrieval/seed-service.js';
import { createStorage } from '../../../src/storage/index.js';
import { createUseapiUpstream } from '../../../src/useapi/adapter.js';
import { createUseapiClient } from '../../../src/useapi/http-client.js';
import { silentLogger } from '../../helpers/builders.js';

const CHANNEL = '1316232391072944131';
let useapi: FakeUseapi;
let storage: Storage;
const services: SeedService[] = [];

beforeEach(async () => {
  useapi = await startFakeUseapi({ seedDurationMs: 60_000 });
  useapi.addAccount({ channel: CHANNEL, maxJobs: 3 });
  storage = await createStorage('memory://');
});
afterEach(async () => {
  await Promise.allSettled(services.splice(0).map((s) => s.close(100)));
  await storage.close();
  await useapi.close();
});

function service(options: { maxJobs?: number; busyWaitMs?: number; storage?: Storage } = {}): SeedService {
  const s = createSeedService({
    upstream: createUseapiUpstream(
      createUseapiClient({ baseUrl: useapi.url, token: useapi.token, timeoutMs: 5_000 }),
    ),
    storage: options.storage ?? storage,
    index: createJobIndex({ jobs: storage.jobs, recent: storage.recent }),
    holds: createHolds({
      store: storage.holds,
      index: storage.heldChannels,
      coordinator: storage.coordinator,
    }),
    queue: createFairQueue(options.maxJobs ?? 3),
    log: silentLogger,
    pollIntervalMs: 200,
    deadlineMs: 60_000,
    maxJobs: options.maxJobs ?? 3,
    busyWaitMs: options.busyWaitMs,
  });
  services.push(s);
  return s;
}

const imagine = (seedValue: number) =>
  useapi.addJob({ verb: 'imagine', channel: CHANNEL, prompt: `prompt ${seedValue}`, seedValue }).jobid;

describe('resuming a seed job already started', () => {
  it('follows the stored seed job instead of starting a second one, even when the flight marker is gone', async () => {
    const jobid = imagine(5150);
    const before = service();
    let seedJobId: string | undefined;
    const stored = new Promise<string>((resolve) => {
      void before
        .retrieve(jobid, {
          user: 'u1',
          onSeedJob: (id) => {
            seedJobId = id;
            resolve(id);
          },
        })
        .catch(() => {});
    });
    await stored;
    // The process goes away; what it kept in storage about the flight is lost too.
    await before.close(100);
    await storage.flights.delete(jobid);
    if (!seedJobId) throw new Error('no seed job');

    const after = service();
    const record = after.retrieve(jobid, { user: 'u1', seedJobId });
    // A callback for it is recognised as ours again (the marker is written back when following resumes).
    await expect.poll(() => storage.flights.get(jobid)).toEqual({ seedJobId });
    expect(await after.seedJobChanged(seedJobId, jobid, 'progress')).toBe(true);
    useapi.completeNow(seedJobId);
    expect((await record).seed).toBe(5150);
    expect(useapi.count('POST', '/v2/jobs/seed_async')).toBe(1);
    expect(await after.seedJobChanged('job:someone-else', jobid, 'completed')).toBe(false);
  });

  it('starts a new seed job when useapi no longer knows the stored one', async () => {
    useapi.setSeedDuration(50);
    const jobid = imagine(6160);
    const record = await service().retrieve(jobid, {
      user: 'u1',
      seedJobId: `job:20200101000000000-user:1308-channel:${CHANNEL}-bot:midjourney`,
    });
    expect(record.seed).toBe(6160);
    expect(useapi.count('POST', '/v2/jobs/seed_async')).toBe(1);
  });
});

describe('after a 429', () => {
  it('asks again as soon as one of the executing jobs ends, not after the full wait, one POST per 429', async () => {
    // The account runs one job; the bot thinks two: the second seed_async is refused while the first runs.
    useapi.addAccount({ channel: CHANNEL, maxJobs: 1 });
    const s = service({ maxJobs: 2, busyWaitMs: 60_000 });
    const first = imagine(1);
    const second = imagine(2);
    let firstSeedJob: string | undefined;
    const one = s.retrieve(first, {
      user: 'a',
      onSeedJob: (id) => {
        firstSeedJob = id;
      },
    });
    await expect.poll(() => firstSeedJob).toBeDefined();
    const statuses: string[] = [];
    const two = s.retrieve(second, { user: 'b', onStatus: (st) => statuses.push(st.phase) });
    await expect.poll(() => statuses).toContain('busy');
    expect(useapi.count('POST', '/v2/jobs/seed_async')).toBe(2);

    useapi.setSeedDuration(50);
    useapi.completeNow(firstSeedJob as string);
    expect((await one).seed).toBe(1);
    // Woken by the end of the executing job: far sooner than the 60-120 s the wait would have lasted.
    expect((await two).seed).toBe(2);
    expect(useapi.count('POST', '/v2/jobs/seed_async')).toBe(3);
  }, 15_000);
});

describe('a 504 from seed_async', () => {
  it('asks again after a long pause instead of failing, and gets the seed', async () => {
    const jobid = imagine(504504);
    useapi.setSeedDuration(50);
    useapi.failNext({ method: 'POST', path: '/v2/jobs/seed_async' }, [
      { status: 504, body: { error: 'Gateway timeout', code: 504 } },
    ]);
    const statuses: string[] = [];
    const record = await service({ busyWaitMs: 100 }).retrieve(jobid, {
      user: 'u1',
      onStatus: (st) => statuses.push(st.phase),
    });
    expect(record.seed).toBe(504504);
    expect(useapi.count('POST', '/v2/jobs/seed_async')).toBe(2);
    expect(statuses).toContain('busy');
  });
});

describe('the account slot', () => {
  it('goes to the next seed job as soon as one has ended upstream, before its seed is written', async () => {
    useapi.setSeedDuration(50);
    const [first, second] = [imagine(7001), imagine(7002)];
    // The first seed's write waits until the test lets it go.
    let letWrite: () => void = () => {};
    const writeHeld = new Promise<void>((resolve) => {
      letWrite = resolve;
    });
    const seeds = {
      ...storage.seeds,
      set: async (...args: Parameters<Storage['seeds']['set']>) => {
        if (args[0] === first) await writeHeld;
        return storage.seeds.set(...args);
      },
    };
    const s = service({ maxJobs: 1, storage: { ...storage, seeds } });
    const asked = () =>
      useapi.requests
        .filter((r) => r.path === '/v2/jobs/seed_async')
        .map((r) => (r.body as { jobid?: string }).jobid);
    const firstDone = s.retrieve(first, { user: 'u1' });
    await expect.poll(asked, { timeout: 5_000 }).toEqual([first]);
    const secondDone = s.retrieve(second, { user: 'u2' });
    // With one slot, the second seed job starts while the first seed's write is still held.
    await expect.poll(asked, { timeout: 5_000 }).toEqual([first, second]);
    expect((await secondDone).seed).toBe(7002);
    letWrite();
    expect((await firstDone).seed).toBe(7001);
    expect((await storage.seeds.get(first))?.seed).toBe(7001);
  });
});
