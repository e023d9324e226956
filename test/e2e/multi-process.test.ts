// Two bot processes (real child processes) on one Redis, behind the fake useapi and a fake Discord that serves
// two shards: process A runs shard 0, process B shard 1 (DISCORD_SHARD_COUNT=2, DISCORD_SHARD_IDS=0 / 1), and each
// test guild lives on one shard. They share one Midjourney account: one seed_async per job, USEAPI_MAX_JOBS for the
// whole fleet, callbacks received by either process, and the requests of a process that dies finished by the other.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { type BotProcess, freePort, spawnBot } from '../../dev/bot-process.js';
import {
  type FakeDiscord,
  type InteractionHandle,
  shardOf,
  startFakeDiscord,
} from '../../dev/fakes/fake-discord.js';
import { type FakeUseapi, startFakeUseapi } from '../../dev/fakes/fake-useapi.js';
import { addImagineJob } from '../../dev/fakes/midjourney.js';
import { readOpenRequests } from '../../src/seed/requests/request-store.js';
import { createStorage } from '../../src/storage/index.js';
import { describeBackend, redis } from '../helpers/backends.js';
import { ACCOUNT_CHANNEL, baseEnv, GUILD, isSeedReply, MEMBER } from '../helpers/harness.js';

const SECRET = 'multi-process-callback-secret-0123456789';

/** A guild id that Discord's sharding formula puts on `shard` of 2. */
const guildOnShard = (shard: number) => {
  let id = BigInt(GUILD);
  while (shardOf(id.toString(), 2) !== shard) id += 1n << 22n;
  return id.toString();
};
const GUILDS = [guildOnShard(0), guildOnShard(1)] as const;
const CHANNELS = ['833333333333333301', '833333333333333302'] as const;

interface Fleet {
  useapi: FakeUseapi;
  discord: FakeDiscord;
  storageUrl: string;
  dir: string;
  a: BotProcess;
  b: BotProcess;
  /** Port of A's HTTP server: both processes give it to useapi as PUBLIC_URL when callbacks are on. */
  callbackPort: number;
}

let fleet: Fleet | undefined;

afterEach(async () => {
  if (!fleet) return;
  const f = fleet;
  fleet = undefined;
  await Promise.allSettled([f.a.kill('SIGKILL'), f.b.kill('SIGKILL')]);
  await f.discord.close();
  await f.useapi.close();
  rmSync(f.dir, { recursive: true, force: true });
});
afterAll(() => redis.cleanup());

async function startFleet(env: Record<string, string>, options: { callbacks: boolean }): Promise<Fleet> {
  const useapi = await startFakeUseapi({ seedDurationMs: 300 });
  // maxJobs 15 at the fake, so that only the bots' own fleet-wide limit keeps them at USEAPI_MAX_JOBS.
  useapi.addAccount({ channel: ACCOUNT_CHANNEL, maxJobs: 15 });
  const discord = await startFakeDiscord({ shards: 2 });
  GUILDS.forEach((id, i) => {
    discord.addGuild({ id, name: `Shard ${i} server`, channels: [{ id: CHANNELS[i] as string }] });
  });
  const dir = mkdtempSync(join(tmpdir(), 'seed-bot-fleet-'));
  const storageUrl = redis.freshUrl();
  const ports = [await freePort(), await freePort()];
  const callbackPort = ports[0] as number;
  const spawnOne = (shard: number) =>
    spawnBot(shard === 0 ? 'A' : 'B', {
      ...baseEnv(useapi, discord, dir),
      STORAGE_URL: storageUrl,
      DISCORD_SHARD_COUNT: '2',
      DISCORD_SHARD_IDS: String(shard),
      HTTP_PORT: String(ports[shard]),
      STORAGE_LEASE_MS: '2000',
      ...(options.callbacks
        ? { PUBLIC_URL: `http://127.0.0.1:${callbackPort}`, CALLBACK_SECRET: SECRET }
        : {}),
      ...env,
    });
  const a = spawnOne(0);
  const b = spawnOne(1);
  fleet = { useapi, discord, storageUrl, dir, a, b, callbackPort };
  await Promise.all([a.ready, b.ready]);
  await Promise.all([discord.waitForReady({ shard: 0 }), discord.waitForReady({ shard: 1 })]);
  return fleet;
}

function imagineJob(f: Fleet, seedValue?: number): string {
  return addImagineJob(f.useapi, {
    accountChannel: ACCOUNT_CHANNEL,
    guildId: GUILD,
    ownerId: MEMBER.id,
    seedValue,
  }).jobid;
}

/** /seed on shard `shard`'s guild: the fake Discord hands it to the process that runs that shard. */
const slashSeed = (f: Fleet, shard: 0 | 1, jobid: string, user: string): InteractionHandle =>
  f.discord.slash({
    name: 'seed',
    options: [{ name: 'job', type: 3, value: jobid }],
    guildId: GUILDS[shard],
    channelId: CHANNELS[shard],
    user: { ...MEMBER, id: user },
  });

const seedOf = (m: { embeds: unknown[] }) =>
  /`--seed (\d+)`/.exec((m.embeds[0] as { description?: string } | undefined)?.description ?? '')?.[1];
const member = (i: number) => `85555555555555${String(1000 + i)}`;
const seedAsyncCalls = (f: Fleet) => f.useapi.requests.filter((r) => r.path === '/v2/jobs/seed_async');

describeBackend(redis, 'two bot processes on one Redis and one account', () => {
  it('sends one seed_async for 20 members asking for one new job through both processes', async () => {
    const f = await startFleet({ USEAPI_POLL_INTERVAL_MS: '5000' }, { callbacks: true });
    const jobid = imagineJob(f, 4242);
    const handles = Array.from({ length: 20 }, (_, i) => slashSeed(f, (i % 2) as 0 | 1, jobid, member(i)));
    const finals = await Promise.all(handles.map((h) => h.waitForEdit(isSeedReply, 20_000)));
    expect(finals.map(seedOf)).toEqual(Array(20).fill('4242'));
    expect(seedAsyncCalls(f)).toHaveLength(1);
    // Both processes took part: each answered its own shard's members.
    const answered = (p: BotProcess) => p.logs.filter((l) => l.msg === 'request answered').length;
    await vi.waitFor(() => expect([answered(f.a), answered(f.b)]).toEqual([10, 10]));
  });

  it('keeps USEAPI_MAX_JOBS=3 for the fleet over 60 jobs, woken by callbacks that reach the other process', async () => {
    // Polling is only a 15 s safety net here (3 x 5 s): finishing 60 jobs of 300 ms in time takes callbacks, and B's
    // callbacks all reach A (one PUBLIC_URL), which wakes B's followers through Redis.
    const f = await startFleet(
      { USEAPI_POLL_INTERVAL_MS: '5000', USEAPI_MAX_JOBS: '3' },
      { callbacks: true },
    );
    const handles: { shard: 0 | 1; handle: InteractionHandle }[] = [];
    for (let i = 0; i < 60; i++) {
      const shard = (i % 2) as 0 | 1;
      handles.push({ shard, handle: slashSeed(f, shard, imagineJob(f, 1000 + i), member(i)) });
    }
    const finals = await Promise.all(handles.map(({ handle }) => handle.waitForEdit(isSeedReply, 45_000)));
    expect(finals.map(seedOf)).toEqual(handles.map((_, i) => String(1000 + i)));
    expect(seedAsyncCalls(f)).toHaveLength(60);
    expect(f.useapi.maxRunningSeedJobs()).toBe(3);
    expect(f.useapi.count('POST', '/v2/jobs/seed_async')).toBe(60);
    // Every callback went to A, and B answered its half.
    await f.useapi.settleCallbacks();
    expect(f.useapi.callbacks.every((c) => c.url.includes(`:${f.callbackPort}/`))).toBe(true);
    const answeredBy = (p: BotProcess) => p.logs.filter((l) => l.msg === 'request answered').length;
    await vi.waitFor(() => expect(answeredBy(f.b)).toBe(30));
    const firstPollIn = 15_000;
    const bIds = new Set(handles.filter((h) => h.shard === 1).map((h) => h.handle.id));
    for (const post of seedAsyncCalls(f)) {
      const ref = String((post.body as { replyRef?: string }).replyRef ?? '');
      if (!bIds.has(ref.split(':')[0] ?? '')) continue;
      const handle = handles.find((h) => h.handle.id === ref.split(':')[0])?.handle;
      const final = handle?.events.filter((e) => e.kind === 'edit').at(-1);
      // Answered long before B's own first poll could have seen the job end.
      expect((final?.at ?? Number.POSITIVE_INFINITY) - post.at).toBeLessThan(firstPollIn);
    }
  }, 60_000);

  it('finishes the requests of a process killed mid-job, without a second seed_async', async () => {
    const f = await startFleet(
      { USEAPI_POLL_INTERVAL_MS: '200', USEAPI_MAX_JOBS: '4' },
      { callbacks: false },
    );
    // The seed jobs end only when the test says so: after the kill.
    f.useapi.setSeedDuration(3_600_000);
    const jobs = [imagineJob(f, 11), imagineJob(f, 12), imagineJob(f, 13), imagineJob(f, 14)];
    // All on A's shard: A acknowledges them, stores them and starts their seed jobs.
    const handles = jobs.map((jobid, i) => slashSeed(f, 0, jobid, member(i)));
    await Promise.all(handles.map((h) => h.waitForCallback()));
    const seedJobs: string[] = [];
    const storage = await createStorage(f.storageUrl);
    try {
      await vi.waitFor(
        async () => {
          const stored = [];
          for await (const [, r] of storage.requests.entries()) stored.push(r);
          const started = stored.filter((r) => r.seedJobId && r.state === 'running');
          expect(started).toHaveLength(4);
          seedJobs.splice(0, seedJobs.length, ...started.map((r) => r.seedJobId as string));
        },
        { timeout: 10_000, interval: 50 },
      );
    } finally {
      await storage.close();
    }
    expect(f.useapi.runningSeedJobs()).toBe(4);
    const killedAt = Date.now();
    await f.a.kill('SIGKILL');
    for (const id of seedJobs) f.useapi.completeNow(id);

    const finals = await Promise.all(handles.map((h) => h.waitForEdit(isSeedReply, 30_000)));
    expect(finals.map(seedOf)).toEqual(['11', '12', '13', '14']);
    // B did it (A is gone), following A's seed jobs rather than starting new ones.
    for (const h of handles) expect(h.events.at(-1)?.at ?? 0).toBeGreaterThan(killedAt);
    expect(seedAsyncCalls(f)).toHaveLength(4);
    // (The log line follows the edit; it may still be on its way through the pipe.)
    await vi.waitFor(() => expect(f.b.logs.filter((l) => l.msg === 'request answered')).toHaveLength(4));
  }, 60_000);

  /** The seed job ids of the open requests, once `count` of them have one. */
  async function storedSeedJobs(f: Fleet, count: number): Promise<string[]> {
    const storage = await createStorage(f.storageUrl);
    try {
      let ids: string[] = [];
      await vi.waitFor(
        async () => {
          ids = (await readOpenRequests(storage)).flatMap((r) => (r.seedJobId ? [r.seedJobId] : []));
          expect(ids).toHaveLength(count);
        },
        { timeout: 10_000, interval: 50 },
      );
      return ids;
    } finally {
      await storage.close();
    }
  }

  describe('a process paused (SIGSTOP) past its lease while it holds two requests', () => {
    /** A starts both seed jobs, is paused, B takes the requests over and answers, then A is woken. */
    async function pauseAndTakeOver(f: Fleet, expire: boolean) {
      f.useapi.setSeedDuration(3_600_000);
      const jobs = [imagineJob(f, 61), imagineJob(f, 62)];
      const handles = jobs.map((jobid, i) => slashSeed(f, 0, jobid, member(40 + i)));
      await Promise.all(handles.map((h) => h.waitForCallback()));
      await vi.waitFor(() => expect(f.useapi.runningSeedJobs()).toBe(2), { timeout: 10_000, interval: 50 });
      expect(seedAsyncCalls(f)).toHaveLength(2);
      const seedJobIds = await storedSeedJobs(f, 2);
      process.kill(f.a.pid, 'SIGSTOP');
      if (expire) for (const h of handles) h.expire();
      // B's sweep (every STORAGE_LEASE_MS = 2 s) takes both over once A's leases lapse; it follows A's seed jobs.
      await vi.waitFor(
        () => expect(f.b.logs.filter((l) => l.msg === 'resumed open requests').length).toBeGreaterThan(0),
        { timeout: 15_000, interval: 100 },
      );
      for (const id of seedJobIds) f.useapi.completeNow(id);
      await vi.waitFor(() => expect(f.b.logs.filter((l) => l.msg === 'request answered')).toHaveLength(2), {
        timeout: 20_000,
        interval: 100,
      });
      process.kill(f.a.pid, 'SIGCONT');
      // A wakes, finds its leases gone and stops: it says so for each request, and writes nothing more.
      await vi.waitFor(
        () =>
          expect(
            f.a.logs.filter((l) => String(l.msg).startsWith('lost the request to another process')),
          ).toHaveLength(2),
        { timeout: 15_000, interval: 100 },
      );
      // Give a late write from A every chance to land before counting.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(f.a.logs.filter((l) => l.msg === 'request answered')).toHaveLength(0);
      expect(seedAsyncCalls(f)).toHaveLength(2);
      return handles;
    }

    it('delivers each request exactly once, and sends one seed_async per job', async () => {
      const f = await startFleet({ USEAPI_POLL_INTERVAL_MS: '200' }, { callbacks: false });
      const handles = await pauseAndTakeOver(f, false);
      for (const h of handles) {
        // The final edit (the one that uploads the four images) went out once.
        const finals = h.events.filter((e) => e.kind === 'edit' && e.files.length === 4);
        expect(finals).toHaveLength(1);
        expect(isSeedReply(h.original())).toBe(true);
      }
    }, 90_000);

    it('posts one channel message per request when the tokens expired meanwhile', async () => {
      const f = await startFleet({ USEAPI_POLL_INTERVAL_MS: '200' }, { callbacks: false });
      await pauseAndTakeOver(f, true);
      const posted = f.discord.channelMessages(CHANNELS[0]);
      for (const i of [40, 41]) {
        expect(posted.filter((m) => m.content.includes(`<@${member(i)}>`))).toHaveLength(1);
      }
    }, 90_000);
  });
});
