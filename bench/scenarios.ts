// The benchmark's scenarios. Everything runs against the fakes on loopback: the real bot (createBot, as `npm start`)
// in this process for the latency and throughput figures, and as a child process for memory and start-up.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createJobIndex } from '../src/seed/job-index.js';
import type { SeedRecord } from '../src/seed/types.js';
import { createStorage } from '../src/storage/index.js';
import { signCdnUrl } from '../test/fakes/cdn.js';
import { type FakeDiscord, type InteractionHandle, startFakeDiscord } from '../test/fakes/fake-discord.js';
import { type FakeUseapi, startFakeUseapi } from '../test/fakes/fake-useapi.js';
import { deleteRedisPrefixes, probeRedis, REDIS_TEST_URL } from '../test/helpers/backends.js';
import { freePort, ROOT, spawnBot } from '../test/helpers/bot-process.js';
import {
  ACCOUNT_CHANNEL,
  baseEnv,
  CHANNEL,
  GUILD,
  type Harness,
  isSeedReply,
  MEMBER,
  startHarness,
} from '../test/helpers/harness.js';
import { latencyRow, type Row, round } from './stats.js';

export interface Sizes {
  concurrent: number;
  imageBytes: number;
  completionJobs: number;
  /** Seed job durations for figure 3, uniform in [min, max] ms. */
  completionDurations: [number, number];
  naivePollMs: number;
  throughputJobs: number;
  storedSeeds: number;
  startRuns: number;
  /** Run the child processes from the build (dist/) rather than through tsx. */
  built: boolean;
}

export const FULL: Sizes = {
  concurrent: 100,
  imageBytes: 256 * 1024,
  completionJobs: 15,
  completionDurations: [4_000, 20_000],
  naivePollMs: 10_000,
  throughputJobs: 150,
  storedSeeds: 10_000,
  startRuns: 5,
  built: true,
};

export const SMOKE: Sizes = {
  concurrent: 10,
  imageBytes: 16 * 1024,
  completionJobs: 3,
  completionDurations: [300, 1_000],
  naivePollMs: 1_000,
  throughputJobs: 15,
  storedSeeds: 200,
  startRuns: 1,
  built: false,
};

const QUIET = { LOG_LEVEL: 'info', USEAPI_POLL_INTERVAL_MS: '15000' };
const SECRET = 'bench-callback-secret-0123456789abcdef';
const memberId = (i: number) => `85555555555${String(1_000_000 + i)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A deterministic PRNG (mulberry32), so every run uses the same job durations. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const lastEditAt = (h: InteractionHandle) => {
  const edits = h.events.filter((e) => e.kind === 'edit' || (e.kind === 'callback' && e.type === 4));
  return edits.at(-1)?.at ?? Number.NaN;
};

/** A stored seed whose four images the fake useapi's CDN serves. */
function seedRecord(cdnOrigin: string, i: number): SeedRecord {
  const expires = Math.floor(Date.now() / 1000) + 86_400;
  const jobid = `job:2024${String(1_000_000_000_000 + i)}-user:1308-channel:${ACCOUNT_CHANNEL}-bot:midjourney`;
  return {
    jobid,
    seed: 100_000 + i,
    prompt: `a stored prompt number ${i}`,
    seedJobId: `job:2025${String(1_000_000_000_000 + i)}-user:1308-channel:${ACCOUNT_CHANNEL}-bot:midjourney`,
    server: GUILD,
    channel: CHANNEL,
    messageId: String(1_300_000_000_000_000_000n + BigInt(i)),
    accountChannel: ACCOUNT_CHANNEL,
    images: [1, 2, 3, 4].map((n) => {
      const name = `fakeuser_a_stored_prompt_${i}_${n}.png`;
      return {
        url: signCdnUrl(`${cdnOrigin}/cdn/attachments/${ACCOUNT_CHANNEL}/${9_000_000 + i * 4 + n}/${name}`, expires),
        filename: name,
        width: 1024,
        height: 1024,
        size: 1,
        contentType: 'image/png',
      };
    }),
    retrievedAt: Date.now(),
    source: 'useapi',
  };
}

/** Figures 1 and 2, and what discord.js's default global REST limit (50 requests/s) would make of them. */
export async function interactionFigures(sizes: Sizes): Promise<Row[]> {
  const rows: Row[] = [];
  for (const limiter of ['ours', 'default'] as const) {
    const ours = limiter === 'ours';
    const note = ours ? undefined : "discord.js's default global limit, 50 req/s";
    // The bot as configured, or with @discordjs/rest's default global limit put back for comparison.
    const start = async () => {
      const h = await startHarness({ env: QUIET, useapi: { imageBytes: sizes.imageBytes } });
      if (!ours) h.bot.client.rest.options.globalRequestsPerSecond = 50;
      return h;
    };

    // 1: new jobs (each will need useapi), acknowledged at once.
    let h = await start();
    try {
      const acks = Array.from({ length: sizes.concurrent }, (_, i) =>
        h.slashSeed(h.imagineJob().jobid, { ...MEMBER, id: memberId(i) }),
      );
      const ackTimes = await Promise.all(acks.map(async (a) => (await a.waitForCallback(10_000)).at - a.sentAt));
      rows.push(
        latencyRow(
          {
            id: ours ? '1' : '1*',
            figure: `interaction → acknowledgement, ${sizes.concurrent} concurrent /seed`,
            target: ours ? 'p99 < 50 ms' : undefined,
            note,
          },
          ackTimes,
          ours ? (r) => r.p99 < 50 : undefined,
        ),
      );
    } finally {
      await h.stop();
    }

    // 2: seeds already stored, answered with their four images downloaded and attached.
    h = await start();
    try {
      const records = Array.from({ length: sizes.concurrent }, (_, i) => seedRecord(h.useapi.origin, i));
      for (const r of records) await h.bot.storage.seeds.set(r.jobid, r);
      const finals = records.map((r, i) => h.slashSeed(r.jobid, { ...MEMBER, id: memberId(i) }));
      await Promise.all(
        finals.map((f) => f.waitForEdit((m) => isSeedReply(m) && m.attachments.length === 4, 30_000)),
      );
      if (h.discord.violations.length) throw new Error(`fake Discord refused: ${h.discord.violations[0]}`);
      rows.push(
        latencyRow(
          {
            id: ours ? '2' : '2*',
            figure: `interaction → final reply, known seeds, 4 × ${sizes.imageBytes / 1024} KiB images, ${sizes.concurrent} concurrent`,
            target: ours ? 'p99 < 1 s' : undefined,
            note,
          },
          finals.map((f) => lastEditAt(f) - f.sentAt),
          ours ? (r) => r.p99 < 1_000 : undefined,
        ),
      );
    } finally {
      await h.stop();
    }
  }
  return rows;
}

/** Complete each seed job `delay(i)` ms after it was created, and remember when. */
function completer(useapi: FakeUseapi, durations: number[]) {
  const completedAt = new Map<string, number>();
  const timers: NodeJS.Timeout[] = [];
  return {
    completedAt,
    schedule(seedJobId: string, i: number) {
      const job = useapi.getJob(seedJobId);
      const created = job ? Date.parse(job.created) : Date.now();
      const wait = Math.max(0, created + (durations[i] ?? 0) - Date.now());
      timers.push(
        setTimeout(() => {
          completedAt.set(seedJobId, Date.now());
          useapi.completeNow(seedJobId);
        }, wait),
      );
    },
    cancel: () => {
      for (const t of timers) clearTimeout(t);
    },
  };
}

/** Wait until the bot has stored the seed job id of a request. */
async function seedJobOf(h: Harness, interactionId: string, timeoutMs = 30_000): Promise<string> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const request = await h.bot.storage.requests.get(`req:${interactionId}`);
    if (request?.seedJobId) return request.seedJobId;
    await sleep(10);
  }
  throw new Error(`no seed job for interaction ${interactionId}`);
}

/** Figure 3 for the bot: from the fake useapi marking a seed job completed to the fake Discord getting the answer. */
async function botCompletion(sizes: Sizes, durations: number[], callbacks: boolean): Promise<number[]> {
  const port = await freePort();
  const env: Record<string, string> = {
    ...QUIET,
    USEAPI_MAX_JOBS: '15',
    ...(callbacks
      ? { HTTP_PORT: String(port), PUBLIC_URL: `http://127.0.0.1:${port}`, CALLBACK_SECRET: SECRET }
      : {}),
  };
  const h = await startHarness({ env, useapi: { seedDurationMs: 3_600_000, imageBytes: sizes.imageBytes } });
  h.useapi.addAccount({ channel: ACCOUNT_CHANNEL, maxJobs: 15 });
  const done = completer(h.useapi, durations);
  try {
    const handles = durations.map((_, i) => h.slashSeed(h.imagineJob().jobid, { ...MEMBER, id: memberId(i) }));
    const seedJobs = await Promise.all(handles.map((x) => seedJobOf(h, x.id)));
    seedJobs.forEach((id, i) => {
      done.schedule(id, i);
    });
    const timeout = sizes.completionDurations[1] + 60_000;
    await Promise.all(handles.map((x) => x.waitForEdit(isSeedReply, timeout)));
    return handles.map((x, i) => lastEditAt(x) - (done.completedAt.get(seedJobs[i] as string) ?? Number.NaN));
  } finally {
    done.cancel();
    await h.stop();
  }
}

/**
 * Figure 3's reference: the vendor's example approach. seed_async, then GET the job every 10 s; when it is done,
 * post the answer in the channel. Measured to the fake Discord receiving that post.
 */
async function naiveCompletion(sizes: Sizes, durations: number[]): Promise<number[]> {
  const useapi = await startFakeUseapi({ seedDurationMs: 3_600_000 });
  useapi.addAccount({ channel: ACCOUNT_CHANNEL, maxJobs: 15 });
  const discord: FakeDiscord = await startFakeDiscord();
  discord.addGuild({ id: GUILD, channels: [{ id: CHANNEL }] });
  const done = completer(useapi, durations);
  const headers = { authorization: `Bearer ${useapi.token}`, 'content-type': 'application/json' };
  try {
    const deadline = Date.now() + sizes.completionDurations[1] + 60_000;
    const one = async (i: number): Promise<number> => {
      const parent = useapi.addJob({ verb: 'imagine', channel: ACCOUNT_CHANNEL, server: GUILD });
      const started = (await (
        await fetch(`${useapi.url}/jobs/seed_async`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ jobid: parent.jobid }),
        })
      ).json()) as { jobid: string };
      done.schedule(started.jobid, i);
      while (Date.now() < deadline) {
        await sleep(sizes.naivePollMs);
        const job = (await (
          await fetch(`${useapi.url}/jobs/?jobid=${encodeURIComponent(started.jobid)}`, { headers })
        ).json()) as { status: string; seed?: { value: number } };
        if (job.status !== 'completed') continue;
        await fetch(`${discord.apiUrl}/v10/channels/${CHANNEL}/messages`, {
          method: 'POST',
          headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content: `seed ${job.seed?.value} (${i})` }),
        });
        const post = discord.rest.find((r) => JSON.stringify(r.body).includes(`(${i})`));
        return (post?.at ?? Number.NaN) - (done.completedAt.get(started.jobid) ?? Number.NaN);
      }
      throw new Error('naive poller ran out of time');
    };
    return await Promise.all(durations.map((_, i) => one(i)));
  } finally {
    done.cancel();
    await discord.close();
    await useapi.close();
  }
}

export async function completionFigures(sizes: Sizes): Promise<Row[]> {
  const random = prng(7);
  const [min, max] = sizes.completionDurations;
  const durations = Array.from({ length: sizes.completionJobs }, () => Math.round(min + random() * (max - min)));
  // The three run side by side: each has its own fakes, and two of them mostly sleep.
  const [callback, polling, naive] = await Promise.all([
    botCompletion(sizes, durations, true),
    botCompletion(sizes, durations, false),
    naiveCompletion(sizes, durations),
  ]);
  const spread = `${sizes.completionJobs} seed jobs of ${min / 1000}-${max / 1000} s`;
  return [
    latencyRow(
      { id: '3a', figure: 'useapi completion → final Discord edit, callback mode', target: 'median < 100 ms', note: spread },
      callback,
      (r) => r.median < 100,
    ),
    latencyRow(
      { id: '3b', figure: 'useapi completion → final Discord edit, polling mode (USEAPI_POLL_INTERVAL_MS=15000)', note: spread },
      polling,
    ),
    latencyRow(
      {
        id: '3c',
        figure: `reference: the vendor's example, poll every ${sizes.naivePollMs / 1000} s`,
        note: spread,
      },
      naive,
    ),
  ];
}

/** Figure 4: many distinct jobs through the account's three slots, each job taking 200 ms at useapi. */
export async function throughputFigure(sizes: Sizes): Promise<Row[]> {
  const port = await freePort();
  const jobMs = 200;
  const maxJobs = 3;
  const h = await startHarness({
    env: {
      ...QUIET,
      USEAPI_MAX_JOBS: String(maxJobs),
      HTTP_PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      CALLBACK_SECRET: SECRET,
    },
    useapi: { seedDurationMs: jobMs, imageBytes: 2048 },
  });
  try {
    const jobs = Array.from({ length: sizes.throughputJobs }, () => h.imagineJob().jobid);
    const t0 = performance.timeOrigin + performance.now();
    // Ten members share the work, as in a busy server.
    const handles = jobs.map((jobid, i) => h.slashSeed(jobid, { ...MEMBER, id: memberId(i % 10) }));
    await Promise.all(handles.map((x) => x.waitForEdit(isSeedReply, 120_000)));
    const elapsed = Math.max(...handles.map(lastEditAt)) - t0;
    const ideal = (sizes.throughputJobs / maxJobs) * jobMs;
    const ratio = elapsed / ideal;
    return [
      {
        id: '4',
        figure: `throughput: ${sizes.throughputJobs} jobs, USEAPI_MAX_JOBS=${maxJobs}, ${jobMs} ms each, callbacks (ideal ${ideal / 1000} s, took ${round(elapsed / 1000, 2)} s)`,
        unit: 'ratio',
        value: round(ratio, 3),
        target: '≤ 1.15',
        ok: ratio <= 1.15,
        note: `max ${h.useapi.maxRunningSeedJobs()} running at useapi, ${h.useapi.count('POST', '/v2/jobs/seed_async')} seed_async`,
      },
    ];
  } finally {
    await h.stop();
  }
}

const rssOf = async (pid: number): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
  return kb / 1024;
};

const sizeOnDisk = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.startsWith('bot.sqlite'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);

/** 10 000 seeds and 10 000 index entries, as the bot writes them. */
async function fill(url: string, count: number, origin: string) {
  const storage = await createStorage(url);
  const index = createJobIndex({ jobs: storage.jobs, meta: storage.meta });
  try {
    for (let start = 0; start < count; start += 200) {
      const batch = Array.from({ length: Math.min(200, count - start) }, (_, k) => start + k);
      await Promise.all(
        batch.map(async (i) => {
          const record = seedRecord(origin, i);
          await storage.seeds.set(record.jobid, record);
          await index.recordLink({
            jobid: `job:2023${String(1_000_000_000_000 + i)}-user:1308-channel:${ACCOUNT_CHANNEL}-bot:midjourney`,
            verb: 'imagine',
            server: GUILD,
            channel: CHANNEL,
            messageId: String(1_200_000_000_000_000_000n + BigInt(i)),
            prompt: `an indexed prompt number ${i}`,
          });
        }),
      );
    }
  } finally {
    await storage.close();
  }
}

const childArgs = (sizes: Sizes) =>
  sizes.built ? { entry: 'dist/src/main.js', nodeArgs: [] } : { entry: 'src/main.ts' };

/** Figures 5 and 6: the bot as its own process. */
export async function processFigures(sizes: Sizes): Promise<Row[]> {
  if (sizes.built && !existsSync(join(ROOT, 'dist/src/main.js'))) {
    throw new Error('dist/src/main.js is missing: run `npm run build` first');
  }
  const useapi = await startFakeUseapi();
  useapi.addAccount({ channel: ACCOUNT_CHANNEL });
  const discord = await startFakeDiscord();
  discord.addGuild({ id: GUILD, channels: [{ id: CHANNEL }] });
  const dir = mkdtempSync(join(tmpdir(), 'seed-bot-bench-'));
  const rows: Row[] = [];
  const how = sizes.built ? 'node dist/src/main.js' : 'node --import tsx src/main.ts';
  try {
    // 6: start to READY, as a fresh process each time.
    const starts: number[] = [];
    let emptyRss = Number.NaN;
    for (let run = 0; run < sizes.startRuns; run++) {
      const before = discord.sessions().length;
      const t0 = performance.timeOrigin + performance.now();
      const bot = spawnBot('bench', { ...baseEnv(useapi, discord, dir), LOG_LEVEL: 'warn' }, childArgs(sizes));
      await discord.waitForReady({ count: before + 1, timeoutMs: 30_000 });
      starts.push(performance.timeOrigin + performance.now() - t0);
      await sleep(500);
      emptyRss = await rssOf(bot.pid);
      await bot.kill('SIGTERM');
    }
    rows.push(
      latencyRow({ id: '6', figure: `process start → gateway READY (${how})` }, starts),
    );

    // 5: the same bot on a storage holding many seeds and index entries, after answering from it.
    rmSync(join(dir, 'bot.sqlite'), { force: true });
    await fill(`sqlite://${join(dir, 'bot.sqlite')}`, sizes.storedSeeds, useapi.origin);
    const bot = spawnBot('bench', { ...baseEnv(useapi, discord, dir), LOG_LEVEL: 'warn' }, childArgs(sizes));
    await discord.waitForReady({ count: discord.sessions().length + 1, timeoutMs: 30_000 });
    for (let i = 0; i < 20; i++) {
      const jobid = `job:2024${String(1_000_000_000_000 + i)}-user:1308-channel:${ACCOUNT_CHANNEL}-bot:midjourney`;
      const x = discord.slash({
        name: 'seed',
        options: [{ name: 'job', type: 3, value: jobid }],
        guildId: GUILD,
        channelId: CHANNEL,
        user: { ...MEMBER, id: memberId(i) },
      });
      await x.waitForEdit(isSeedReply, 15_000);
    }
    const fullRss = await rssOf(bot.pid);
    await bot.kill('SIGTERM');
    const label = `${sizes.storedSeeds.toLocaleString('en')} seeds + ${sizes.storedSeeds.toLocaleString('en')} index entries`;
    rows.push({
      id: '5a',
      figure: `resident memory with ${label} in SQLite, after 20 answers (${how})`,
      unit: 'MB',
      value: round(fullRss),
      note: `empty storage: ${round(emptyRss)} MB`,
    });
    rows.push({
      id: '5b',
      figure: `SQLite size on disk for ${label}`,
      unit: 'MB',
      value: round(sizeOnDisk(dir) / 1024 ** 2, 2),
    });
    const redisRow = await redisFootprint(sizes, useapi.origin, label);
    if (redisRow) rows.push(redisRow);
  } finally {
    await discord.close();
    await useapi.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** The same data in Redis: what it adds to Redis's used memory. */
async function redisFootprint(sizes: Sizes, origin: string, label: string): Promise<Row | undefined> {
  const unavailable = await probeRedis(REDIS_TEST_URL);
  if (unavailable) {
    return { id: '5c', figure: `Redis memory for ${label}`, unit: 'MB', note: `skipped: ${unavailable}` };
  }
  const { createClient } = await import('@keyv/redis');
  const client = createClient({ url: REDIS_TEST_URL });
  await client.connect();
  const prefix = `mjbench:${process.pid}:`;
  try {
    const used = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1] ?? Number.NaN);
    const before = await used();
    const url = new URL(REDIS_TEST_URL);
    url.searchParams.set('prefix', prefix);
    await fill(url.toString(), sizes.storedSeeds, origin);
    const after = await used();
    return { id: '5c', figure: `Redis memory for ${label}`, unit: 'MB', value: round((after - before) / 1024 ** 2, 2) };
  } finally {
    await client.close();
    await deleteRedisPrefixes([prefix]);
  }
}

