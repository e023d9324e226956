// The benchmark's scenarios. The fakes run in this process; the bot runs as its own process (the built
// `node dist/src/main.js` of `npm start`, or tsx in a smoke run), as in production, where Discord's and useapi's work
// is not on the bot's event loop. (With the bot in this process too, the fakes' own work during a burst of 100
// interactions took more time than the bot's and was counted as the bot's.) The fakes do as little as they can while
// the clock runs: the fake Discord checks the bodies against Discord's spec after the timed phase (benchDiscord), and
// slices uploads out of their multipart bodies without copying them.
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Events, GatewayIntentBits, REST, Routes } from 'discord.js';
import { type BotProcess, freePort, ROOT, spawnBot } from '../dev/bot-process.js';
import { signCdnUrl } from '../dev/fakes/cdn.js';
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  type FakeMessage,
  type InteractionHandle,
  startFakeDiscord,
} from '../dev/fakes/fake-discord.js';
import { type FakeUseapi, prngOf, startFakeUseapi } from '../dev/fakes/fake-useapi.js';
import {
  ACCOUNT_CHANNEL,
  baseEnv,
  CHANNEL,
  GUILD,
  isSeedReply,
  isSeedVisible,
  MEMBER,
} from '../dev/fixtures.js';
import { deleteRedisPrefixes, probeRedis, REDIS_TEST_URL } from '../dev/redis.js';
import { createJobIndex } from '../src/seed/lookup/job-index.js';
import type { SeedRecord } from '../src/seed/model/types.js';
import type { UpstreamJob } from '../src/seed/upstream.js';
import { createStorage } from '../src/storage/index.js';
import { cpuSeconds, latencyRow, type Row, round } from './stats.js';

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
  /** Run the bot from the build (dist/) rather than through tsx. */
  built: boolean;
  /** Grid cuts timed one after another, and cuts run at once while memory is sampled (bench/grid.ts). */
  gridCuts: number;
  gridConcurrent: number;
  /** `--profile <dir>`: every bot process writes a V8 CPU profile there (`node --cpu-prof`) when it stops. */
  profileDir?: string | undefined;
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
  gridCuts: 50,
  gridConcurrent: 20,
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
  gridCuts: 3,
  gridConcurrent: 4,
};

const SECRET = 'bench-callback-secret-0123456789abcdef';
export const memberId = (i: number) => `85555555555${String(1_000_000 + i)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
export const clock = () => performance.timeOrigin + performance.now();

/**
 * The fake Discord of a benchmark. It answers without checking bodies against Discord's spec (that check costs more
 * than some of the replies it times); `checkSpecAfterwards` checks them all once the timing is over.
 */
export const benchDiscord = (options: FakeDiscordOptions = {}) =>
  startFakeDiscord({ ...options, deferSpecCheck: true });

/** After the timed phase: what the bot sent that Discord would have refused fails the run. */
function checkSpecAfterwards(discord: FakeDiscord): void {
  const found = [...discord.checkDeferredSpec(), ...discord.violations];
  if (found.length) throw new Error(`fake Discord refused ${found.length} bodies, first: ${found[0]}`);
}

/** When an interaction's reply first showed its seed (before its images, or with them). */
const seedVisibleAt = (h: InteractionHandle) =>
  h.events.find((e) => e.kind === 'edit' && isSeedVisible(e.body as FakeMessage))?.at ?? Number.NaN;

export const lastEditAt = (h: InteractionHandle) =>
  h.events.filter((e) => e.kind === 'edit' || (e.kind === 'callback' && e.type === 4)).at(-1)?.at ??
  Number.NaN;

export const storedJobid = (i: number) =>
  `job:2024${String(1_000_000_000_000 + i)}-user:1308-channel:${ACCOUNT_CHANNEL}-bot:midjourney`;

/**
 * The i-th imagine job of the stored history as the upstream describes it: what the bot indexes (JobIndex.recordJob)
 * for every job it reads, so the bench fills the index the way production does.
 */
export const indexedImagineJob = (i: number): UpstreamJob => ({
  jobid: `job:2023${String(1_000_000_000_000 + i)}-user:1308-channel:${ACCOUNT_CHANNEL}-bot:midjourney`,
  verb: 'imagine',
  status: 'completed',
  server: GUILD,
  channel: CHANNEL,
  messageId: String(1_200_000_000_000_000_000n + BigInt(i)),
  prompt: `an indexed prompt number ${i}`,
  attachments: [],
  children: [],
});

/** A stored seed whose four images the fake useapi's CDN serves. */
export function seedRecord(cdnOrigin: string, i: number): SeedRecord {
  const expires = Math.floor(Date.now() / 1000) + 86_400;
  return {
    jobid: storedJobid(i),
    seed: 100_000 + i,
    prompt: `a stored prompt number ${i}`,
    seedJobId: `job:2025${String(1_000_000_000_000 + i)}-user:1308-channel:${ACCOUNT_CHANNEL}-bot:midjourney`,
    server: GUILD,
    channel: CHANNEL,
    messageId: String(1_300_000_000_000_000_000n + BigInt(i)),
    accountChannel: ACCOUNT_CHANNEL,
    images: [1, 2, 3, 4].map((n) => {
      const name = `fakeuser_a_stored_prompt_${i}_${n}.png`;
      const path = `/cdn/attachments/${ACCOUNT_CHANNEL}/${9_000_000 + i * 4 + n}/${name}`;
      return {
        url: signCdnUrl(`${cdnOrigin}${path}`, expires),
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

/** Seeds and index entries written as the bot writes them, into the storage at `url`. */
export async function fill(url: string, seeds: number[], indexEntries: number, cdnOrigin: string) {
  // A bulk load, not an interactive path: writes queue far longer than the bot's own deadline.
  const storage = await createStorage(url, { timeoutMs: 300_000 });
  const index = createJobIndex({ jobs: storage.jobs, recent: storage.recent });
  try {
    for (let start = 0; start < Math.max(seeds.length, indexEntries); start += 200) {
      const batch = Array.from({ length: 200 }, (_, k) => start + k);
      await Promise.all(
        batch.map(async (k) => {
          const i = seeds[k];
          if (i !== undefined) {
            const record = seedRecord(cdnOrigin, i);
            await storage.seeds.set(record.jobid, record);
          }
          if (k < indexEntries) {
            await index.recordJob(indexedImagineJob(k));
          }
        }),
      );
    }
  } finally {
    await storage.close();
  }
}

export const childArgs = (sizes: Sizes) => {
  const profile = sizes.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${sizes.profileDir}`] : [];
  return sizes.built
    ? { entry: 'dist/src/main.js', nodeArgs: profile }
    : { entry: 'src/main.ts', nodeArgs: [...profile, '--import', 'tsx'] };
};
/** How a benchmark stops a bot: a crash, unless it is profiled (node writes the profile only on a clean exit). */
export const stopSignal = (sizes: Sizes): NodeJS.Signals => (sizes.profileDir ? 'SIGTERM' : 'SIGKILL');
export const runsAs = (sizes: Sizes) =>
  sizes.built ? 'node dist/src/main.js' : 'node --import tsx src/main.ts';

interface Rig {
  useapi: FakeUseapi;
  discord: FakeDiscord;
  dir: string;
  bot: BotProcess;
  storageUrl: string;
  newJob(): string;
  slash(jobid: string, member: number): InteractionHandle;
  stop(): Promise<void>;
}

interface RigOptions {
  env?: Record<string, string>;
  seedDurationMs?: number;
  imageBytes?: number;
  accountMaxJobs?: number;
  /** Seeds stored before the bot starts (their indexes). */
  storedSeeds?: number[];
  callbacks?: boolean;
  /** Answer twenty stored seeds before anything is measured: a bot that just started is cold (JIT, connections). */
  warm?: boolean;
  /** Storage: a fresh SQLite file (default), or a fresh key prefix on the Redis of REDIS_TEST_URL. */
  storage?: 'sqlite' | 'redis';
}

export const redisUrl = (prefix: string) => {
  const url = new URL(REDIS_TEST_URL);
  url.searchParams.set('prefix', prefix);
  return url.toString();
};

/** The fakes, and the bot as its own process on a fresh SQLite file (or Redis prefix). */
async function startRig(sizes: Sizes, options: RigOptions = {}): Promise<Rig> {
  const useapi = await startFakeUseapi({
    seedDurationMs: options.seedDurationMs ?? 300,
    imageBytes: options.imageBytes ?? sizes.imageBytes,
  });
  useapi.addAccount({ channel: ACCOUNT_CHANNEL, maxJobs: options.accountMaxJobs ?? 3 });
  const discord = await benchDiscord();
  discord.addGuild({ id: GUILD, channels: [{ id: CHANNEL }] });
  const dir = mkdtempSync(join(tmpdir(), 'seed-bot-bench-'));
  const redisPrefix = `mjbench:${process.pid}:${Date.now()}:`;
  const storageUrl =
    options.storage === 'redis' ? redisUrl(redisPrefix) : `sqlite://${join(dir, 'bot.sqlite')}`;
  const warmSeeds = options.warm ? Array.from({ length: 20 }, (_, i) => 900_000 + i) : [];
  const stored = [...(options.storedSeeds ?? []), ...warmSeeds];
  if (stored.length) await fill(storageUrl, stored, 0, useapi.origin);
  // Only a bot that gives useapi its PUBLIC_URL needs to know its port before it starts.
  const port = options.callbacks ? await freePort() : 0;
  const env: Record<string, string> = {
    ...baseEnv(useapi, discord, dir),
    STORAGE_URL: storageUrl,
    // The defaults a deployment has: logs at info, polling every 15 s, 5 requests per member and minute.
    LOG_LEVEL: 'info',
    USEAPI_POLL_INTERVAL_MS: '15000',
    SEED_USER_LIMIT_PER_MINUTE: '5',
    HTTP_PORT: String(port),
    ...(options.callbacks ? { PUBLIC_URL: `http://127.0.0.1:${port}`, CALLBACK_SECRET: SECRET } : {}),
    ...options.env,
  };
  const bot = spawnBot('bench-bot', env, childArgs(sizes));
  await bot.ready;
  const slash = (jobid: string, member: number) =>
    discord.slash({
      name: 'seed',
      options: [{ name: 'job', type: 3, value: jobid }],
      guildId: GUILD,
      channelId: CHANNEL,
      user: { ...MEMBER, id: memberId(member) },
    });
  const rig: Rig = {
    useapi,
    discord,
    dir,
    bot,
    storageUrl,
    newJob: () => useapi.addJob({ verb: 'imagine', channel: ACCOUNT_CHANNEL, server: GUILD }).jobid,
    slash,
    async stop() {
      await bot.kill(stopSignal(sizes));
      const spec = (() => {
        try {
          checkSpecAfterwards(discord);
        } catch (error) {
          return error;
        }
      })();
      await discord.close();
      await useapi.close();
      rmSync(dir, { recursive: true, force: true });
      if (options.storage === 'redis') await deleteRedisPrefixes([redisPrefix]);
      if (spec) throw spec;
    },
  };
  if (options.warm) {
    const handles = warmSeeds.map((i) => slash(storedJobid(i), i));
    await Promise.all(handles.map((x) => x.waitForEdit(isSeedReply, 30_000)));
  }
  return rig;
}

export function checkBuild(sizes: Sizes) {
  if (sizes.built && !existsSync(join(ROOT, 'dist/src/main.js'))) {
    throw new Error('dist/src/main.js is missing: run `npm run build` first');
  }
}

/** Figures 1 and 2, on SQLite or on Redis. */
export async function interactionFigures(
  sizes: Sizes,
  storage: 'sqlite' | 'redis' = 'sqlite',
): Promise<Row[]> {
  checkBuild(sizes);
  const rows: Row[] = [];
  const tag = storage === 'redis' ? 'r' : '';
  const on = storage === 'redis' ? ', Redis storage' : '';
  // 1: new jobs (each will need useapi), acknowledged at once.
  let rig = await startRig(sizes, { warm: true, storage });
  try {
    const acks = Array.from({ length: sizes.concurrent }, (_, i) => rig.slash(rig.newJob(), i));
    const times = await Promise.all(acks.map(async (a) => (await a.waitForCallback(10_000)).at - a.sentAt));
    rows.push(
      latencyRow(
        {
          id: `1${tag}`,
          figure: `interaction → acknowledgement, ${sizes.concurrent} concurrent /seed${on}`,
          target: 'p99 < 50 ms',
        },
        times,
        (r) => r.p99 < 50,
      ),
    );
  } finally {
    await rig.stop();
  }
  // 2: seeds already stored, answered with their four images downloaded and attached.
  const known = Array.from({ length: sizes.concurrent }, (_, i) => i);
  rig = await startRig(sizes, { warm: true, storedSeeds: known, storage });
  try {
    const botCpu = await cpuSeconds(rig.bot.pid);
    const fakesCpu = process.cpuUsage();
    const finals = known.map((i) => rig.slash(storedJobid(i), i));
    await Promise.all(
      finals.map((f) => f.waitForEdit((m) => isSeedReply(m) && m.attachments.length === 4, 30_000)),
    );
    // What the answers cost, whatever else the machine runs: the bot's CPU, and the fakes' (this process).
    const perAnswer = (seconds: number) => `${round((seconds * 1000) / sizes.concurrent, 1)} ms`;
    const fakes = process.cpuUsage(fakesCpu);
    const cost =
      `CPU per answer: the bot ${perAnswer((await cpuSeconds(rig.bot.pid)) - botCpu)}, ` +
      `the fakes ${perAnswer((fakes.user + fakes.system) / 1e6)}`;
    rows.push(
      latencyRow(
        {
          id: `2v${tag}`,
          figure: `interaction → seed visible (its images still coming), the same ${sizes.concurrent} known seeds${on}`,
          target: 'p99 < 200 ms',
        },
        finals.map((f) => seedVisibleAt(f) - f.sentAt),
        (r) => r.p99 < 200,
      ),
    );
    rows.push(
      latencyRow(
        {
          id: `2${tag}`,
          figure: `interaction → final reply, known seeds, 4 × ${sizes.imageBytes / 1024} KiB images each, ${sizes.concurrent} concurrent${on}`,
          target: 'p99 < 1 s',
          note: cost,
        },
        finals.map((f) => lastEditAt(f) - f.sentAt),
        (r) => r.p99 < 1_000,
      ),
    );
  } finally {
    await rig.stop();
  }
  return rows;
}

/**
 * Does @discordjs/rest's global limiter (50 requests/s unless told otherwise) hold back interaction replies?
 * A bare discord.js client defers `n` interactions; then `n` edits of the original replies go out at once, through
 * REST with the default limit and with the bot's setting. Measured to the fake Discord receiving the last edit.
 */
export async function limiterFigures(sizes: Sizes): Promise<Row[]> {
  const discord = await benchDiscord();
  discord.addGuild({ id: GUILD, channels: [{ id: CHANNEL }] });
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: discord.apiUrl } });
  client.on(Events.InteractionCreate, (i) => {
    if (i.isChatInputCommand()) void i.deferReply();
  });
  const ready = new Promise<void>((r) => client.once(Events.ClientReady, () => r()));
  await client.login(discord.token);
  await ready;
  const rows: Row[] = [];
  try {
    for (const [id, label, limit] of [
      ['R1', "discord.js's default (50 requests/s)", 50],
      ['R2', "the bot's setting (no client-side global limit)", Number.POSITIVE_INFINITY],
    ] as const) {
      const handles = Array.from({ length: sizes.concurrent }, (_, i) =>
        discord.slash({
          name: 'seed',
          guildId: GUILD,
          channelId: CHANNEL,
          user: { ...MEMBER, id: memberId(i) },
        }),
      );
      await Promise.all(handles.map((h) => h.waitForCallback()));
      const rest = new REST({ api: discord.apiUrl, globalRequestsPerSecond: limit }).setToken(discord.token);
      const t0 = clock();
      await Promise.all(
        handles.map((h) =>
          rest.patch(Routes.webhookMessage(discord.applicationId, h.token, '@original'), {
            body: { content: 'seed 42' },
            auth: false,
          }),
        ),
      );
      rows.push(
        latencyRow(
          {
            id,
            figure: `${sizes.concurrent} interaction edits sent at once through @discordjs/rest, ${label}`,
            note: 'time to each edit reaching Discord',
          },
          handles.map((h) => lastEditAt(h) - t0),
        ),
      );
    }
  } finally {
    await client.destroy();
    await discord.close();
  }
  return rows;
}

/** Complete each seed job `durations[i]` ms after it was created, and remember when. */
function completer(useapi: FakeUseapi, durations: number[]) {
  const completedAt = new Map<string, number>();
  const timers: NodeJS.Timeout[] = [];
  return {
    completedAt,
    schedule(seedJobId: string, i: number) {
      const job = useapi.getJob(seedJobId);
      const created = job ? Date.parse(job.created) : Date.now();
      timers.push(
        setTimeout(
          () => {
            completedAt.set(seedJobId, clock());
            useapi.completeNow(seedJobId);
          },
          Math.max(0, created + (durations[i] ?? 0) - Date.now()),
        ),
      );
    },
    cancel: () => {
      for (const t of timers) clearTimeout(t);
    },
  };
}

/** The seed job useapi runs for each parent job, once the bot has asked for them all. */
async function seedJobsOf(useapi: FakeUseapi, parents: string[], timeoutMs = 30_000): Promise<string[]> {
  const until = Date.now() + timeoutMs;
  const found = new Map<string, string>();
  while (found.size < parents.length) {
    if (Date.now() > until) throw new Error(`only ${found.size} of ${parents.length} seed jobs started`);
    const response = await fetch(`${useapi.url}/jobs`, {
      headers: { authorization: `Bearer ${useapi.token}` },
    });
    for (const id of (await response.json()) as string[]) {
      const parent = useapi.getJob(id)?.parentJobId;
      if (parent) found.set(parent, id);
    }
    await sleep(10);
  }
  return parents.map((p) => found.get(p) as string);
}

/** Figure 3 for the bot: from the fake useapi marking a seed job completed to the fake Discord getting the answer. */
async function botCompletion(sizes: Sizes, durations: number[], callbacks: boolean): Promise<number[]> {
  const rig = await startRig(sizes, {
    seedDurationMs: 3_600_000,
    accountMaxJobs: 15,
    callbacks,
    warm: true,
    env: { USEAPI_MAX_JOBS: '15' },
  });
  const done = completer(rig.useapi, durations);
  try {
    const parents = durations.map(() => rig.newJob());
    const handles = parents.map((jobid, i) => rig.slash(jobid, i));
    const seedJobs = await seedJobsOf(rig.useapi, parents);
    seedJobs.forEach((id, i) => {
      done.schedule(id, i);
    });
    const timeout = sizes.completionDurations[1] + 60_000;
    await Promise.all(handles.map((x) => x.waitForEdit(isSeedReply, timeout)));
    return handles.map((x, i) => lastEditAt(x) - (done.completedAt.get(seedJobs[i] as string) ?? Number.NaN));
  } finally {
    done.cancel();
    await rig.stop();
  }
}

/**
 * Figure 3's reference: the vendor's example approach. seed_async, then GET the job every 10 s; when it is done,
 * post the answer in the channel. Measured to the fake Discord receiving that post.
 */
async function naiveCompletion(sizes: Sizes, durations: number[]): Promise<number[]> {
  const useapi = await startFakeUseapi({ seedDurationMs: 3_600_000 });
  useapi.addAccount({ channel: ACCOUNT_CHANNEL, maxJobs: 15 });
  const discord = await benchDiscord();
  discord.addGuild({ id: GUILD, channels: [{ id: CHANNEL }] });
  const done = completer(useapi, durations);
  const headers = { authorization: `Bearer ${useapi.token}`, 'content-type': 'application/json' };
  try {
    const deadline = Date.now() + sizes.completionDurations[1] + 60_000;
    const one = async (i: number): Promise<number> => {
      const parent = useapi.addJob({ verb: 'imagine', channel: ACCOUNT_CHANNEL, server: GUILD });
      const response = await fetch(`${useapi.url}/jobs/seed_async`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ jobid: parent.jobid }),
      });
      const started = (await response.json()) as { jobid: string };
      done.schedule(started.jobid, i);
      while (Date.now() < deadline) {
        await sleep(sizes.naivePollMs);
        const poll = await fetch(`${useapi.url}/jobs/?jobid=${encodeURIComponent(started.jobid)}`, {
          headers,
        });
        const job = (await poll.json()) as { status: string; seed?: { value: number } };
        if (job.status !== 'completed') continue;
        await fetch(`${discord.apiUrl}/v10/channels/${CHANNEL}/messages`, {
          method: 'POST',
          headers: { authorization: `Bot ${discord.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ content: `seed ${job.seed?.value} (request ${i})` }),
        });
        const post = discord.rest.find((r) => JSON.stringify(r.body).includes(`(request ${i})`));
        return (post?.at ?? Number.NaN) - (done.completedAt.get(started.jobid) ?? Number.NaN);
      }
      throw new Error('the naive poller ran out of time');
    };
    return await Promise.all(durations.map((_, i) => one(i)));
  } finally {
    done.cancel();
    await discord.close();
    await useapi.close();
  }
}

/** Figure 3: the three side by side (each with its own fakes; two of them mostly sleep). */
export async function completionFigures(sizes: Sizes): Promise<Row[]> {
  checkBuild(sizes);
  // A seeded PRNG, so every run uses the same job durations.
  const random = prngOf(7);
  const [min, max] = sizes.completionDurations;
  const durations = Array.from({ length: sizes.completionJobs }, () =>
    Math.round(min + random() * (max - min)),
  );
  const [callback, polling, naive] = await Promise.all([
    botCompletion(sizes, durations, true),
    botCompletion(sizes, durations, false),
    naiveCompletion(sizes, durations),
  ]);
  const spread = `${sizes.completionJobs} seed jobs of ${min / 1000}-${max / 1000} s`;
  return [
    latencyRow(
      {
        id: '3a',
        figure: 'useapi completion → final Discord edit, callback mode',
        target: 'median < 100 ms',
        note: spread,
      },
      callback,
      (r) => r.median < 100,
    ),
    latencyRow(
      {
        id: '3b',
        figure: 'useapi completion → final Discord edit, polling mode (USEAPI_POLL_INTERVAL_MS=15000)',
        note: spread,
      },
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
export async function throughputFigure(sizes: Sizes, storage: 'sqlite' | 'redis' = 'sqlite'): Promise<Row[]> {
  checkBuild(sizes);
  const jobMs = 200;
  const maxJobs = 3;
  const rig = await startRig(sizes, {
    seedDurationMs: jobMs,
    imageBytes: 2048,
    callbacks: true,
    warm: true,
    storage,
    env: { USEAPI_MAX_JOBS: String(maxJobs) },
  });
  try {
    const jobs = Array.from({ length: sizes.throughputJobs }, () => rig.newJob());
    rig.useapi.resetStats();
    const t0 = clock();
    const handles = jobs.map((jobid, i) => rig.slash(jobid, i));
    await Promise.all(handles.map((x) => x.waitForEdit(isSeedReply, 120_000)));
    const elapsed = Math.max(...handles.map(lastEditAt)) - t0;
    const ideal = (sizes.throughputJobs / maxJobs) * jobMs;
    const ratio = elapsed / ideal;
    return [
      {
        id: storage === 'redis' ? '4r' : '4',
        figure:
          `throughput: ${sizes.throughputJobs} jobs, USEAPI_MAX_JOBS=${maxJobs}, ${jobMs} ms each at useapi, ` +
          `callbacks${storage === 'redis' ? ', Redis storage' : ''}: ` +
          `${round(elapsed / 1000, 2)} s for an ideal ${ideal / 1000} s`,
        unit: 'ratio',
        value: round(ratio, 3),
        target: '≤ 1.15',
        ok: ratio <= 1.15,
        note: `at most ${rig.useapi.maxRunningSeedJobs()} running at useapi, ${rig.useapi.count('POST', '/v2/jobs/seed_async')} seed_async`,
      },
    ];
  } finally {
    await rig.stop();
  }
}

/** Figures 1, 2 and 4 again with STORAGE_URL=redis://… (one bot process), when a Redis answers. */
export async function redisFigures(sizes: Sizes): Promise<Row[]> {
  const unavailable = await probeRedis(REDIS_TEST_URL);
  if (unavailable) {
    return ['1r', '2vr', '2r', '4r'].map((id) => ({
      id,
      figure: `figure ${id[0]} on Redis storage`,
      unit: 'ms' as const,
      note: `skipped: ${unavailable}`,
    }));
  }
  return [...(await interactionFigures(sizes, 'redis')), ...(await throughputFigure(sizes, 'redis'))];
}

const rssOf = async (pid: number): Promise<number> => {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN) / 1024;
};

const sizeOnDisk = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.startsWith('bot.sqlite') && !f.startsWith('bot.sqlite.lock'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);

/** Figures 5 and 6. */
export async function processFigures(sizes: Sizes): Promise<Row[]> {
  checkBuild(sizes);
  const useapi = await startFakeUseapi();
  useapi.addAccount({ channel: ACCOUNT_CHANNEL });
  const discord = await benchDiscord();
  discord.addGuild({ id: GUILD, channels: [{ id: CHANNEL }] });
  const dir = mkdtempSync(join(tmpdir(), 'seed-bot-bench-'));
  const rows: Row[] = [];
  const env = { ...baseEnv(useapi, discord, dir), LOG_LEVEL: 'warn' };
  try {
    // 6: start to READY, a fresh process each time.
    const starts: number[] = [];
    let emptyRss = Number.NaN;
    for (let run = 0; run < sizes.startRuns; run++) {
      const before = discord.sessions().length;
      const t0 = clock();
      const bot = spawnBot('bench-start', env, childArgs(sizes));
      await discord.waitForReady({ count: before + 1, timeoutMs: 30_000 });
      starts.push(clock() - t0);
      await sleep(300);
      emptyRss = await rssOf(bot.pid);
      await bot.kill('SIGTERM');
    }
    const startRow = latencyRow(
      { id: '6', figure: `process start → gateway READY (${runsAs(sizes)})` },
      starts,
    );

    // 5: the same bot on a storage holding many seeds and index entries, after answering from it.
    rmSync(join(dir, 'bot.sqlite'), { force: true });
    const count = sizes.storedSeeds;
    const all = Array.from({ length: count }, (_, i) => i);
    await fill(`sqlite://${join(dir, 'bot.sqlite')}`, all, count, useapi.origin);
    const bot = spawnBot('bench-memory', env, childArgs(sizes));
    await discord.waitForReady({ count: discord.sessions().length + 1, timeoutMs: 30_000 });
    for (let i = 0; i < 20; i++)
      await discordSeed(discord, storedJobid(i), i).waitForEdit(isSeedReply, 15_000);
    const fullRss = await rssOf(bot.pid);
    await bot.kill('SIGTERM');
    const label = `${count.toLocaleString('en')} seeds + ${count.toLocaleString('en')} index entries`;
    rows.push({
      id: '5a',
      figure: `resident memory with ${label} in SQLite, after 20 answers (${runsAs(sizes)})`,
      unit: 'MB',
      value: round(fullRss),
      note: `just started on empty storage: ${round(emptyRss)} MB`,
    });
    rows.push({
      id: '5b',
      figure: `SQLite size on disk for ${label}`,
      unit: 'MB',
      value: round(sizeOnDisk(dir) / 1024 ** 2, 2),
    });
    rows.push(await redisFootprint(count, useapi.origin, label));
    rows.push(startRow);
  } finally {
    await discord.close();
    await useapi.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}

/** `/seed` for a job from member `member` of the benchmark's guild. */
export const discordSeed = (discord: FakeDiscord, jobid: string, member: number) =>
  discord.slash({
    name: 'seed',
    options: [{ name: 'job', type: 3, value: jobid }],
    guildId: GUILD,
    channelId: CHANNEL,
    user: { ...MEMBER, id: memberId(member) },
  });

/** The same data in Redis: what it adds to Redis's used memory. */
async function redisFootprint(count: number, cdnOrigin: string, label: string): Promise<Row> {
  const row: Row = { id: '5c', figure: `Redis memory used by ${label}`, unit: 'MB' };
  const unavailable = await probeRedis(REDIS_TEST_URL);
  if (unavailable) return { ...row, note: `skipped: ${unavailable}` };
  const { createClient } = await import('@keyv/redis');
  const client = createClient({ url: REDIS_TEST_URL });
  await client.connect();
  const prefix = `mjbench:${process.pid}:`;
  try {
    const used = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))?.[1] ?? Number.NaN);
    const before = await used();
    const all = Array.from({ length: count }, (_, i) => i);
    await fill(redisUrl(prefix), all, count, cdnOrigin);
    return { ...row, value: round(((await used()) - before) / 1024 ** 2, 2) };
  } finally {
    await client.close();
    await deleteRedisPrefixes([prefix]);
  }
}
