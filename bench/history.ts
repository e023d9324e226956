// Cost with history (issue 10): what a week of stored requests, seeds and index entries costs the bot, compared with
// the same bot on empty storage: process start → gateway READY, the acknowledgement of a burst of /seed, CPU while
// idle, and `/midjourney status`. And the storm: a thousand members asking at once for seeds already stored.
// Like scenarios.ts, the fakes run in this process and the bot as its own process.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BotProcess, spawnBot } from '../dev/bot-process.js';
import type { FakeDiscord, InteractionHandle } from '../dev/fakes/fake-discord.js';
import { type FakeUseapi, startFakeUseapi } from '../dev/fakes/fake-useapi.js';
import { ACCOUNT_CHANNEL, baseEnv, CHANNEL, GUILD, isSeedReply, MODERATOR } from '../dev/fixtures.js';
import { deleteRedisPrefixes, probeRedis, REDIS_TEST_URL } from '../dev/redis.js';
import { createJobIndex } from '../src/seed/lookup/job-index.js';
import type { RequestState, SeedRequest } from '../src/seed/model/types.js';
import { createStorage } from '../src/storage/index.js';
import {
  benchDiscord,
  checkBuild,
  childArgs,
  clock,
  discordSeed,
  indexedImagineJob,
  lastEditAt,
  memberId,
  redisUrl,
  runsAs,
  type Sizes,
  seedRecord,
  stopSignal,
  storedJobid,
} from './scenarios.js';
import { cpuSeconds, latencyRow, type Row, round } from './stats.js';

export interface HistorySizes {
  /** Stored requests, seeds and job-index entries (this many of each) in the storage "with history". */
  stored: number;
  /** Open requests stored besides the closed ones. */
  open: number;
  idleSeconds: number;
  /** The burst of /seed whose acknowledgements are measured. */
  concurrent: number;
  statusRuns: number;
  /** Process starts measured per storage (the measured bot's own start included). */
  startRuns: number;
  /** Members asking at once for stored seeds in the storm. */
  storm: number;
  /** Longest wait after READY for the bot's start-up work to end before anything else is measured. */
  settleMs: number;
}

export const HISTORY_FULL: HistorySizes = {
  stored: 100_000,
  open: 5,
  idleSeconds: 60,
  concurrent: 100,
  statusRuns: 5,
  startRuns: 5,
  storm: 1_000,
  settleMs: 120_000,
};

export const HISTORY_SMOKE: HistorySizes = {
  stored: 500,
  open: 2,
  idleSeconds: 2,
  concurrent: 10,
  statusRuns: 1,
  startRuns: 1,
  storm: 50,
  settleMs: 10_000,
};

type Backend = 'sqlite' | 'redis';

/** How long the bot keeps a closed request: createRequestProcessor's default (src/bot.ts sets no other). */
const DONE_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Writes in flight at once while filling: one by one through keyv is slow, all at once floods the driver. */
const FILL_BATCH = 500;
const WARM = Array.from({ length: 20 }, (_, i) => 900_000 + i);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const count = (n: number) => n.toLocaleString('en');

const requestId = (i: number) => String(1_250_000_000_000_000_000n + BigInt(i));

/** A request as the processor stores it: closed ones over the last six days (a few failed), open ones just now. */
function storedRequest(i: number, applicationId: string, state: RequestState, now: number): SeedRequest {
  const open = state !== 'done' && state !== 'failed';
  const createdAt = open ? now - 60_000 : now - ((i * 5_183) % (6 * 86_400_000));
  return {
    id: requestId(i),
    correlationId: `bench${i.toString(36)}`,
    jobid: storedJobid(i),
    accountChannel: ACCOUNT_CHANNEL,
    applicationId,
    interactionToken: `bench-history-token-${i}`,
    guildId: GUILD,
    channelId: CHANNEL,
    userId: memberId(i % 5_000),
    locale: 'en-US',
    ephemeral: false,
    messageId: String(1_300_000_000_000_000_000n + BigInt(i)),
    state,
    seedJobId: open
      ? undefined
      : `job:2025${String(1_000_000_000_000 + i)}-user:1308-channel:${ACCOUNT_CHANNEL}-bot:midjourney`,
    createdAt,
    updatedAt: open ? createdAt : createdAt + 20_000,
    attempts: 1,
    lastError: state === 'failed' ? 'not_found' : undefined,
    deliveredVia: open ? undefined : 'edit',
  };
}

/**
 * The storage at `url` as a week of use leaves it, written through the project's storage module: `stored` closed
 * requests (kept as the processor keeps them), `open` open ones, `stored` seeds and `stored` job-index entries;
 * plus the seeds the warm-up asks for. Resolves with the seconds it took.
 */
async function fillHistory(
  url: string,
  sizes: { stored: number; open: number },
  cdnOrigin: string,
  applicationId: string,
  label: string,
): Promise<number> {
  // A bulk load, not an interactive path: writes queue far longer than the bot's own deadline.
  const storage = await createStorage(url, { timeoutMs: 300_000 });
  const index = createJobIndex({ jobs: storage.jobs, recent: storage.recent });
  const t0 = Date.now();
  const now = Date.now();
  // The processor's key for a request (src/seed/requests/request-store.ts).
  const putRequest = (request: SeedRequest, ttl: number | undefined) =>
    storage.requests.set(`req:${request.id}`, request, ttl);
  try {
    let reported = 0;
    for (let start = 0; start < sizes.stored; start += FILL_BATCH) {
      const end = Math.min(sizes.stored, start + FILL_BATCH);
      await Promise.all(
        Array.from({ length: end - start }, async (_, k) => {
          const i = start + k;
          const seed = seedRecord(cdnOrigin, i);
          const request = storedRequest(i, applicationId, i % 20 === 0 ? 'failed' : 'done', now);
          await Promise.all([
            storage.seeds.set(seed.jobid, seed),
            putRequest(request, DONE_TTL_MS - (now - request.createdAt)),
            index.recordJob(indexedImagineJob(i)),
          ]);
        }),
      );
      if (end - reported >= sizes.stored / 10 || end === sizes.stored) {
        reported = end;
        const seconds = round((Date.now() - t0) / 1000);
        process.stdout.write(
          `  filling ${label}: ${count(end)} / ${count(sizes.stored)} of each (${seconds} s)\n`,
        );
      }
    }
    // Open requests for seeds already stored: the bot resumes them at start and answers from storage.
    // Indexed first, as the processor does (src/seed/requests/scheduler.ts accept()).
    for (let i = 0; i < sizes.open; i++) {
      const request = storedRequest(i, applicationId, 'accepted', now);
      await storage.openRequests.add(request.id, request.createdAt);
      await putRequest(request, undefined);
    }
    await fillSeeds(storage, WARM, cdnOrigin);
  } finally {
    await storage.close();
  }
  return (Date.now() - t0) / 1000;
}

async function fillSeeds(
  storage: Awaited<ReturnType<typeof createStorage>>,
  indexes: number[],
  cdnOrigin: string,
): Promise<void> {
  for (let start = 0; start < indexes.length; start += FILL_BATCH) {
    await Promise.all(
      indexes.slice(start, start + FILL_BATCH).map((i) => {
        const seed = seedRecord(cdnOrigin, i);
        return storage.seeds.set(seed.jobid, seed);
      }),
    );
  }
}

/** The last thing the bot said before it went quiet: its last error line, or its last line. */
function lastWords(bot: BotProcess): string {
  const serious =
    bot.logs.filter((l) => typeof l.level === 'number' && l.level >= 50).at(-1) ?? bot.logs.at(-1);
  if (!serious) return 'no log line';
  const err = serious.err as { message?: string } | undefined;
  return [serious.msg, err?.message].filter(Boolean).join(': ').slice(0, 160);
}

class BotExited extends Error {}

/** `work`, or a BotExited as soon as the bot process exits. */
function whileAlive<T>(bot: BotProcess, work: Promise<T>): Promise<T> {
  const exited = bot.exited.then(({ code, signal }) => {
    throw new BotExited(`the bot exited (${code ?? signal}): ${lastWords(bot)}`);
  });
  exited.catch(() => {});
  return Promise.race([work, exited]);
}

/**
 * Wait until the process has used less than 5 % of a core over the last 2 s (its start-up work done), at most
 * `maxMs`. Resolves with how long that took and whether it went quiet.
 */
async function settle(bot: BotProcess, maxMs: number): Promise<{ ms: number; quiet: boolean }> {
  const t0 = clock();
  const samples: { at: number; cpu: number }[] = [];
  while (clock() - t0 < maxMs) {
    samples.push({ at: clock(), cpu: await cpuSeconds(bot.pid) });
    const last = samples.at(-1) as { at: number; cpu: number };
    while (samples.length > 1 && last.at - (samples[1] as { at: number }).at >= 2_000) samples.shift();
    const first = samples[0] as { at: number; cpu: number };
    if (last.at - first.at >= 2_000 && (last.cpu - first.cpu) / ((last.at - first.at) / 1000) < 0.05) {
      return { ms: first.at - t0, quiet: true };
    }
    await sleep(250);
  }
  return { ms: clock() - t0, quiet: false };
}

/**
 * For each interaction: when the fake Discord received its first acknowledgement (accepted or, past 3 s, refused),
 * measured from sending it; Infinity when none came within `timeoutMs`.
 */
async function ackTimes(
  discord: FakeDiscord,
  handles: InteractionHandle[],
  timeoutMs: number,
): Promise<number[]> {
  const first = new Map<string, number>();
  const wanted = new Set(handles.map((h) => h.id));
  let seen = 0;
  const until = clock() + timeoutMs;
  while (first.size < wanted.size && clock() < until) {
    const fresh = discord.rest.slice(seen);
    seen += fresh.length;
    for (const r of fresh) {
      if (r.method !== 'POST' || !r.path.endsWith('/callback')) continue;
      // /interactions/<id>/<token>/callback
      const id = r.path.split('/')[2] ?? '';
      if (wanted.has(id) && !first.has(id)) first.set(id, r.at);
    }
    await sleep(20);
  }
  return handles.map((h) => (first.get(h.id) ?? Number.POSITIVE_INFINITY) - h.sentAt);
}

interface Fakes {
  useapi: FakeUseapi;
  discord: FakeDiscord;
  dir: string;
  storageUrl: string;
  close(): Promise<void>;
}

async function startFakes(backend: Backend, imageBytes: number): Promise<Fakes> {
  const useapi = await startFakeUseapi({ seedDurationMs: 300, imageBytes });
  useapi.addAccount({ channel: ACCOUNT_CHANNEL, maxJobs: 3 });
  // Discord's own heartbeat interval: the fake's default (500 ms, for quick tests) would be most of an idle bot's CPU.
  const discord = await benchDiscord({ heartbeatIntervalMs: 41_250 });
  discord.addGuild({ id: GUILD, channels: [{ id: CHANNEL }] });
  const dir = mkdtempSync(join(tmpdir(), 'seed-bot-bench-history-'));
  const prefix = `bench-history:${process.pid}:${Date.now()}:`;
  const storageUrl = backend === 'redis' ? redisUrl(prefix) : `sqlite://${join(dir, 'bot.sqlite')}`;
  return {
    useapi,
    discord,
    dir,
    storageUrl,
    async close() {
      // The bodies sent while timed, checked against Discord's spec now that the clock is off.
      const spec = discord.checkDeferredSpec();
      await discord.close();
      await useapi.close();
      rmSync(dir, { recursive: true, force: true });
      if (backend === 'redis') await deleteRedisPrefixes([prefix]);
      if (spec.length) throw new Error(`fake Discord refused ${spec.length} bodies, first: ${spec[0]}`);
    },
  };
}

/** The environment of startRig in scenarios.ts: a deployment's defaults. */
const botEnv = (f: Fakes): Record<string, string> => ({
  ...baseEnv(f.useapi, f.discord, f.dir),
  STORAGE_URL: f.storageUrl,
  LOG_LEVEL: 'info',
  USEAPI_POLL_INTERVAL_MS: '15000',
  SEED_USER_LIMIT_PER_MINUTE: '5',
  HTTP_PORT: '0',
});

/** Spawn the bot; resolves once the fake Discord has sent its session READY, with the time that took. */
async function startBot(f: Fakes, sizes: Sizes, name: string): Promise<{ bot: BotProcess; ms: number }> {
  const before = f.discord.sessions().length;
  const t0 = clock();
  const bot = spawnBot(name, botEnv(f), { ...childArgs(sizes), readyTimeoutMs: 300_000 });
  try {
    await whileAlive(bot, f.discord.waitForReady({ count: before + 1, timeoutMs: 120_000 }));
  } catch (error) {
    await bot.kill('SIGKILL');
    throw error;
  }
  return { bot, ms: clock() - t0 };
}

async function warmUp(f: Fakes, bot: BotProcess): Promise<void> {
  const handles = WARM.map((i) => discordSeed(f.discord, storedJobid(i), i));
  await whileAlive(bot, Promise.all(handles.map((x) => x.waitForEdit(isSeedReply, 60_000))));
}

interface Measured {
  fillSeconds?: number;
  starts: number[];
  /** READY → start-up work done. */
  settle?: { ms: number; quiet: boolean };
  cpuPercent?: number;
  /** Requests the bot sent to useapi and to Discord's REST API while idle. */
  idleCalls?: { useapi: number; discord: number };
  status: number[];
  acks: number[];
  failure?: string;
}

/** What is measured on a running bot: its start-up work, CPU while idle, /midjourney status, a burst of /seed. */
async function measureRunning(f: Fakes, bot: BotProcess, h: HistorySizes, label: string, out: Measured) {
  out.settle = await whileAlive(bot, settle(bot, h.settleMs));
  process.stdout.write(
    `  ${label}: start-up work ${out.settle.quiet ? 'done' : 'still going'} ${round(out.settle.ms / 1000)} s after READY\n`,
  );
  await warmUp(f, bot);
  // The warm-up's own tail (uploads, the JIT, garbage collection) is not idle time.
  await whileAlive(bot, settle(bot, 10_000));
  const cpu0 = await cpuSeconds(bot.pid);
  const calls0 = { useapi: f.useapi.requests.length, discord: f.discord.rest.length };
  const t0 = clock();
  await whileAlive(bot, sleep(h.idleSeconds * 1000));
  const cpu1 = await cpuSeconds(bot.pid);
  out.cpuPercent = ((cpu1 - cpu0) / ((clock() - t0) / 1000)) * 100;
  // What an idle bot still asks for explains part of its CPU.
  out.idleCalls = {
    useapi: f.useapi.requests.length - calls0.useapi,
    discord: f.discord.rest.length - calls0.discord,
  };
  process.stdout.write(`  ${label}: ${round(out.cpuPercent, 2)} % of a core over ${h.idleSeconds} idle s\n`);
  for (let run = 0; run < h.statusRuns; run++) {
    const status = f.discord.slash({
      name: 'midjourney',
      subcommand: 'status',
      options: [],
      guildId: GUILD,
      channelId: CHANNEL,
      user: MODERATOR,
    });
    await whileAlive(
      bot,
      status.waitForEdit((m) => m.embeds.length > 0, 300_000),
    );
    out.status.push(lastEditAt(status) - status.sentAt);
  }
  process.stdout.write(`  ${label}: /midjourney status ${out.status.map((t) => round(t)).join(', ')} ms\n`);
  const burst = Array.from({ length: h.concurrent }, (_, i) =>
    discordSeed(
      f.discord,
      f.useapi.addJob({ verb: 'imagine', channel: ACCOUNT_CHANNEL, server: GUILD }).jobid,
      i,
    ),
  );
  out.acks = await whileAlive(bot, ackTimes(f.discord, burst, 30_000));
}

/**
 * One bot on one storage, empty or with history: start → READY, its start-up work, warm-up, CPU over the idle
 * seconds, `/midjourney status` one after another, a burst of /seed for new jobs; then more starts.
 */
async function measure(backend: Backend, history: boolean, sizes: Sizes, h: HistorySizes): Promise<Measured> {
  const f = await startFakes(backend, 2048);
  const out: Measured = { starts: [], status: [], acks: [] };
  const label = `${backend}, ${history ? `${count(h.stored)} stored` : 'empty'}`;
  try {
    if (history) {
      out.fillSeconds = await fillHistory(f.storageUrl, h, f.useapi.origin, f.discord.applicationId, label);
    } else {
      const storage = await createStorage(f.storageUrl);
      await fillSeeds(storage, WARM, f.useapi.origin).finally(() => storage.close());
    }
    process.stdout.write(`  ${label}: starting the bot\n`);
    const started = await startBot(f, sizes, `bench-history-${backend}`).catch((error: unknown) => {
      if (!(error instanceof BotExited)) throw error;
      out.failure = `before READY: ${error.message}`;
      return undefined;
    });
    if (started) {
      const { bot, ms } = started;
      out.starts.push(ms);
      process.stdout.write(`  ${label}: READY after ${round(ms)} ms\n`);
      try {
        await measureRunning(f, bot, h, label, out);
      } catch (error) {
        if (!(error instanceof BotExited)) throw error;
        out.failure = error.message;
      } finally {
        await bot.kill('SIGKILL');
      }
    }
    for (let run = 1; run < h.startRuns; run++) {
      await sleep(300);
      try {
        const again = await startBot(f, sizes, `bench-history-start-${backend}`);
        out.starts.push(again.ms);
        await again.bot.kill('SIGKILL');
      } catch (error) {
        if (!(error instanceof BotExited)) throw error;
        out.failure = [out.failure, `start ${run + 1}, before READY: ${error.message}`]
          .filter(Boolean)
          .join('; ');
        break;
      }
    }
    if (out.failure) process.stdout.write(`  ${label}: ${out.failure}\n`);
    return out;
  } finally {
    await f.close();
  }
}

const median = (xs: number[]) => {
  if (xs.length === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
};
const p99 = (xs: number[]) => {
  const finite = xs.filter(Number.isFinite);
  if (finite.length === 0 || finite.length < xs.length)
    return finite.length ? Number.POSITIVE_INFINITY : undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.ceil(0.99 * sorted.length)) - 1];
};

const shown = (n: number | undefined, unit: 'ms' | '%') => {
  if (n === undefined) return 'not measured';
  if (!Number.isFinite(n)) return 'none within 30 s';
  if (unit === 'ms' && n >= 10_000) return `${round(n / 1000, 1)} s`;
  return `${round(n, unit === '%' ? 2 : 1)} ${unit}`;
};

/** A figure on empty storage and with history: the row's value is their ratio. */
function comparedRow(
  base: { id: string; figure: string },
  unit: 'ms' | '%',
  empty: number | undefined,
  history: number | undefined,
  h: HistorySizes,
  extra: string[],
): Row {
  const ratio =
    empty !== undefined && history !== undefined && Number.isFinite(history) && empty > 0
      ? round(history / empty, 3)
      : undefined;
  return {
    ...base,
    unit: 'ratio',
    ...(ratio === undefined ? {} : { value: ratio }),
    target: '≤ 1.2',
    ok: ratio !== undefined && ratio <= 1.2,
    note: [`empty ${shown(empty, unit)}, with ${count(h.stored)}: ${shown(history, unit)}`, ...extra].join(
      '; ',
    ),
    compared: {
      unit,
      ...(empty === undefined ? {} : { empty: round(empty, 2) }),
      ...(history === undefined || !Number.isFinite(history) ? {} : { history: round(history, 2) }),
      ...(ratio === undefined ? {} : { ratio }),
    },
  };
}

/** The four cost-with-history rows of one backend. */
async function historyRows(backend: Backend, sizes: Sizes, h: HistorySizes): Promise<Row[]> {
  const tag = backend === 'redis' ? 'r' : '';
  const on = backend === 'redis' ? 'Redis' : 'SQLite';
  const empty = await measure(backend, false, sizes, h);
  const full = await measure(backend, true, sizes, h);
  const failed = [
    empty.failure && `empty: ${empty.failure}`,
    full.failure && `with history: ${full.failure}`,
  ].filter((x): x is string => Boolean(x));
  const stored = `${count(h.stored)} stored requests + ${count(h.stored)} seeds + ${count(h.stored)} index entries`;
  const settled = full.settle
    ? `start-up work ${full.settle.quiet ? 'ended' : 'still going'} ${round(full.settle.ms / 1000)} s after READY`
    : undefined;
  const rows: Row[] = [
    comparedRow(
      {
        id: `H1${tag}`,
        figure: `cost with history (${on}): process start → gateway READY, median of ${h.startRuns} (${runsAs(sizes)})`,
      },
      'ms',
      median(empty.starts),
      median(full.starts),
      h,
      [`history: ${stored}, filled in ${round(full.fillSeconds ?? Number.NaN)} s`],
    ),
    comparedRow(
      {
        id: `H2${tag}`,
        figure: `cost with history (${on}): interaction → acknowledgement p99, ${h.concurrent} concurrent /seed`,
      },
      'ms',
      p99(empty.acks),
      p99(full.acks),
      h,
      failed,
    ),
  ];
  const cpuRatio =
    empty.cpuPercent !== undefined && full.cpuPercent !== undefined && empty.cpuPercent > 0
      ? round(full.cpuPercent / empty.cpuPercent, 2)
      : undefined;
  rows.push({
    id: `H3${tag}`,
    figure: `cost with history (${on}): CPU of the bot over ${h.idleSeconds} idle s, % of one core, with history`,
    unit: '%',
    ...(full.cpuPercent === undefined ? {} : { value: round(full.cpuPercent, 2) }),
    target: `< 1 % at ${count(h.stored)}`,
    ok: full.cpuPercent !== undefined && full.cpuPercent < 1,
    note: [
      `empty ${shown(empty.cpuPercent, '%')}, with ${count(h.stored)}: ${shown(full.cpuPercent, '%')}` +
        (cpuRatio === undefined ? '' : `, ratio ${cpuRatio}`),
      settled,
      full.idleCalls &&
        `calls while idle: useapi ${empty.idleCalls?.useapi ?? '?'} empty / ${full.idleCalls.useapi} with history, ` +
          `Discord REST ${empty.idleCalls?.discord ?? '?'} / ${full.idleCalls.discord}`,
      ...failed,
    ]
      .filter(Boolean)
      .join('; '),
    compared: {
      unit: '%',
      ...(empty.cpuPercent === undefined ? {} : { empty: round(empty.cpuPercent, 3) }),
      ...(full.cpuPercent === undefined ? {} : { history: round(full.cpuPercent, 3) }),
      ...(cpuRatio === undefined ? {} : { ratio: cpuRatio }),
    },
  });
  rows.push(
    comparedRow(
      {
        id: `H4${tag}`,
        figure: `cost with history (${on}): /midjourney status → its reply, median of ${h.statusRuns}`,
      },
      'ms',
      median(empty.status),
      median(full.status),
      h,
      failed,
    ),
  );
  return rows;
}

const skippedRows = (ids: string[], reason: string): Row[] =>
  ids.map((id) => ({
    id,
    figure: `${id} on Redis storage`,
    unit: 'ms' as const,
    note: `skipped: ${reason}`,
  }));

/** Cost with history, on SQLite and (when one answers) Redis. */
export async function historyFigures(sizes: Sizes, h: HistorySizes): Promise<Row[]> {
  checkBuild(sizes);
  const rows = await historyRows('sqlite', sizes, h);
  const unavailable = await probeRedis(REDIS_TEST_URL);
  if (unavailable) return [...rows, ...skippedRows(['H1r', 'H2r', 'H3r', 'H4r'], unavailable)];
  return [...rows, ...(await historyRows('redis', sizes, h))];
}

/** The storm on one backend: `h.storm` members at once, each for a seed already stored. */
async function stormRows(backend: Backend, sizes: Sizes, h: HistorySizes): Promise<Row[]> {
  const f = await startFakes(backend, 1024);
  const tag = backend === 'redis' ? 'r' : '';
  const on = backend === 'redis' ? ', Redis' : ', SQLite';
  try {
    const stored = Array.from({ length: h.storm }, (_, i) => i);
    const storage = await createStorage(f.storageUrl);
    await fillSeeds(storage, [...stored, ...WARM], f.useapi.origin).finally(() => storage.close());
    const { bot } = await startBot(f, sizes, `bench-storm-${backend}`);
    try {
      await whileAlive(bot, bot.ready);
      await whileAlive(bot, settle(bot, h.settleMs));
      await warmUp(f, bot);
      await sleep(1_000);
      const handles = stored.map((i) => discordSeed(f.discord, storedJobid(i), i));
      const acks = await whileAlive(bot, ackTimes(f.discord, handles, 30_000));
      // Acknowledged: a deferral Discord accepted (within its 3 s).
      const accepted = handles.filter((x) => x.events.some((e) => e.kind === 'callback')).length;
      const t0 = clock();
      const answered = await whileAlive(
        bot,
        Promise.allSettled(handles.map((x) => x.waitForEdit(isSeedReply, 120_000))),
      );
      const finals = answered.filter((a) => a.status === 'fulfilled').length;
      const late = handles.map(lastEditAt).filter(Number.isFinite);
      const lastAnswer = late.length
        ? round((Math.max(...late) - Math.min(...handles.map((x) => x.sentAt))) / 1000)
        : 0;
      const never = acks.filter((a) => !Number.isFinite(a)).length;
      const share = (accepted / h.storm) * 100;
      return [
        latencyRow(
          {
            id: `S1${tag}`,
            figure: `storm: interaction → acknowledgement, ${count(h.storm)} concurrent /seed for stored seeds${on}`,
            target: 'p99 < 1 s',
            note:
              `${finals} of ${count(h.storm)} answered, the last ${lastAnswer} s after the first was sent` +
              (never ? `; ${never} never acknowledged (left out of the percentiles)` : '') +
              (finals < h.storm ? `; waited ${round((clock() - t0) / 1000)} s for the answers` : ''),
          },
          acks.filter(Number.isFinite),
          (r) => r.p99 < 1_000 && never === 0,
        ),
        {
          id: `S2${tag}`,
          figure: `storm: share of the ${count(h.storm)} acknowledged within Discord's 3 s${on}`,
          unit: '%',
          value: round(share, 1),
          target: '100 %',
          ok: accepted === h.storm,
        },
      ];
    } catch (error) {
      if (!(error instanceof BotExited)) throw error;
      return [
        { id: `S1${tag}`, figure: `storm${on}`, unit: 'ms', ok: false, note: error.message },
        { id: `S2${tag}`, figure: `storm${on}`, unit: '%', ok: false, note: error.message },
      ];
    } finally {
      await bot.kill(stopSignal(sizes));
    }
  } finally {
    await f.close();
  }
}

/** The storm, on SQLite and (when one answers) Redis. */
export async function stormFigures(sizes: Sizes, h: HistorySizes): Promise<Row[]> {
  checkBuild(sizes);
  const rows = await stormRows('sqlite', sizes, h);
  const unavailable = await probeRedis(REDIS_TEST_URL);
  if (unavailable) return [...rows, ...skippedRows(['S1r', 'S2r'], unavailable)];
  return [...rows, ...(await stormRows('redis', sizes, h))];
}
