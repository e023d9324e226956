// The core of the product: from a jobid to its seed and four images. It answers from storage when it can, shares one
// upstream call between everyone asking for the same job (in this process and, through the coordinator, across
// processes), waits for a free slot on the account, calls seed_async, and follows the seed job to its end, woken early
// by callbacks when they arrive. No discord.js and no fetch here: useapi is reached through its port.
import type { Logger } from 'pino';
import type { Storage } from '../storage/port.js';
import { isUseapiError, UseapiError } from '../useapi/errors.js';
import { FINAL_STATUSES, type Job, type UseapiClient } from '../useapi/port.js';
import { SeedError } from './errors.js';
import type { FairQueue } from './fair-queue.js';
import type { Holds } from './holds.js';
import { type JobIndex, promptOf } from './job-index.js';
import { channelOfJobid } from './jobid.js';
import type { ImageMeta, SeedRecord } from './types.js';

export type SeedStatus =
  | { phase: 'queued'; position: number }
  | { phase: 'asking' }
  | { phase: 'waiting'; jobStatus: string; startedAt: number }
  | { phase: 'busy'; retryInMs: number }
  | { phase: 'joined' };

export interface RetrieveOptions {
  /** Who asked: the fair queue serves users in turn. */
  user: string;
  replyRef?: string | undefined;
  onStatus?: ((status: SeedStatus) => void) | undefined;
  /** The seed job already started for this request (after a restart): follow it instead of starting another. */
  seedJobId?: string | undefined;
  /** Told the seed job's id as soon as useapi gives it, so it can be stored before we wait. */
  onSeedJob?: ((seedJobId: string) => void | Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
}

export interface SeedService {
  cached(jobid: string): Promise<SeedRecord | undefined>;
  retrieve(jobid: string, options: RetrieveOptions): Promise<SeedRecord>;
  /**
   * A hint (callback) that a seed job changed. When it is a job we started, whoever follows it (in any process)
   * wakes and re-reads it with GET. Returns false for jobs we did not ask for.
   */
  seedJobChanged(seedJobId: string, parentJobId: string | undefined): Promise<boolean>;
  stats(): { waiting: number; running: number; inflight: number };
  close(): Promise<void>;
}

export interface SeedServiceDeps {
  useapi: UseapiClient;
  storage: Storage;
  index: JobIndex;
  holds: Holds;
  queue: FairQueue;
  log: Logger;
  pollIntervalMs: number;
  deadlineMs: number;
  maxJobs: number;
  /** Set when useapi can reach us: seed_async carries it and polling slows down. */
  replyUrl?: string | undefined;
  now?: () => number;
  /** Called on each 429 and 596, for metrics. */
  onUpstreamSignal?: ((signal: 'busy' | 'pending_moderation') => void) | undefined;
}

export const SLOTS = 'useapi:seed-jobs';
const JOB_TOPIC = 'job-changed';
const SEED_TOPIC = 'seed-stored';
/** After a 429, the vendor advises waiting 10-30 s. */
const BUSY_MIN_MS = 10_000;
const BUSY_MAX_MS = 30_000;

interface Flight {
  promise: Promise<SeedRecord>;
  listeners: Set<(status: SeedStatus) => void>;
}

export function createSeedService(deps: SeedServiceDeps): SeedService {
  const now = deps.now ?? Date.now;
  const flights = new Map<string, Flight>();
  const wakers = new Map<string, Set<() => void>>();
  const seedWaiters = new Map<string, Set<() => void>>();
  const unsubscribers: Promise<() => Promise<void>>[] = [
    deps.storage.coordinator.subscribe(JOB_TOPIC, (jobid) => {
      for (const wake of wakers.get(jobid) ?? []) wake();
    }),
    deps.storage.coordinator.subscribe(SEED_TOPIC, (jobid) => {
      for (const wake of seedWaiters.get(jobid) ?? []) wake();
    }),
  ];
  const pollInterval = deps.replyUrl ? deps.pollIntervalMs * 3 : deps.pollIntervalMs;

  const cached = (jobid: string) => deps.storage.seeds.get(jobid);

  async function guard(channel: string | undefined) {
    if (!channel) return;
    const hold = await deps.holds.get(channel);
    if (hold) {
      throw new SeedError('held', `account channel ${channel} is held for moderation`, {
        channel,
        moderationText: hold.moderationText,
      });
    }
  }

  async function hold(error: UseapiError | { channel?: string; moderationText?: string }, jobid: string) {
    deps.onUpstreamSignal?.('pending_moderation');
    const channel = error.channel ?? channelOfJobid(jobid);
    if (channel) await deps.holds.place(channel, error.moderationText);
    return new SeedError('held', `account channel ${channel ?? 'unknown'} is pending moderation`, {
      channel,
      moderationText: error.moderationText,
    });
  }

  /** Sleep until `ms` passes, `jobid` changes (callback), or the signal aborts. */
  function pause(
    ms: number,
    key: string | undefined,
    map: Map<string, Set<() => void>>,
    signal?: AbortSignal,
  ) {
    return new Promise<void>((resolve, reject) => {
      const set = key ? (map.get(key) ?? new Set()) : undefined;
      const finish = () => {
        clearTimeout(timer);
        if (key && set) {
          set.delete(finish);
          if (set.size === 0) map.delete(key);
        }
        signal?.removeEventListener('abort', onAbort);
      };
      const onAbort = () => {
        finish();
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        finish();
        resolve();
      }, ms);
      if (key && set) {
        set.add(() => {
          finish();
          resolve();
        });
        map.set(key, set);
      }
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async function store(record: SeedRecord) {
    await deps.storage.seeds.set(record.jobid, record);
    await deps.storage.coordinator.publish(SEED_TOPIC, record.jobid);
  }

  async function parentDetails(jobid: string, signal?: AbortSignal) {
    const known = await deps.index.byJobid(jobid);
    if (known?.messageId) return known;
    try {
      const job = await deps.useapi.getJob(jobid, { signal });
      return await deps.index.recordJob(job, { hasSeed: true });
    } catch (error) {
      // The jump link is a nicety; the seed is what matters.
      deps.log.debug({ err: error, jobid }, 'could not read the parent job');
      return known;
    }
  }

  function recordFrom(parentJobid: string, job: Job, seedJobId: string | undefined): SeedRecord {
    const seed = job.seed;
    if (!seed)
      throw new UseapiError('bad_response', 'completed seed job without a seed', { jobid: job.jobid });
    const images: ImageMeta[] = seed.attachments.slice(0, 4).map((a) => ({
      url: a.url,
      filename: a.filename,
      width: a.width,
      height: a.height,
      size: a.size,
      contentType: a.contentType,
    }));
    return {
      jobid: parentJobid,
      seed: seed.value,
      prompt: job.verb === 'seed_async' ? promptOf(seed.content) : (job.prompt ?? promptOf(job.content)),
      seedJobId,
      server: job.verb === 'seed_async' ? undefined : job.server,
      channel: job.verb === 'seed_async' ? undefined : job.channel,
      messageId: job.verb === 'seed_async' ? undefined : job.messageId,
      accountChannel: channelOfJobid(parentJobid) ?? job.channel,
      images,
      retrievedAt: now(),
      source: 'useapi',
    };
  }

  async function follow(
    parentJobid: string,
    seedJobId: string,
    options: RetrieveOptions,
  ): Promise<SeedRecord> {
    const startedAt = now();
    // First look soon (useapi may already be done), then back off toward the interval.
    let delay = Math.min(2_000, pollInterval);
    for (;;) {
      if (now() - startedAt > deps.deadlineMs) {
        throw new SeedError('deadline', `seed job ${seedJobId} did not finish within ${deps.deadlineMs} ms`);
      }
      await pause(delay, seedJobId, wakers, options.signal);
      delay = Math.min(Math.round(delay * 1.6), pollInterval);
      let job: Job;
      try {
        job = await deps.useapi.getJob(seedJobId, { signal: options.signal });
      } catch (error) {
        if (isUseapiError(error) && error.kind === 'pending_moderation') throw await hold(error, parentJobid);
        if (
          isUseapiError(error) &&
          ['busy', 'unavailable', 'untrackable', 'network', 'timeout', 'bad_response'].includes(error.kind)
        ) {
          deps.log.warn({ err: error, seedJobId }, 'polling the seed job failed; trying again');
          continue;
        }
        throw error;
      }
      options.onStatus?.({ phase: 'waiting', jobStatus: job.status, startedAt });
      if (!FINAL_STATUSES.has(job.status)) continue;
      if (job.status === 'completed') return recordFrom(parentJobid, job, seedJobId);
      if (job.code === 596) {
        throw await hold(
          { channel: job.channel, moderationText: job.errorDetails ?? job.error },
          parentJobid,
        );
      }
      if (job.status === 'moderated')
        throw new SeedError('job_moderated', `seed job ${seedJobId} was moderated`);
      if (job.status === 'cancelled')
        throw new SeedError('job_cancelled', `seed job ${seedJobId} was cancelled`);
      throw new SeedError('job_failed', `seed job ${seedJobId} failed (${job.error ?? 'no reason given'})`);
    }
  }

  async function startSeedJob(jobid: string, options: RetrieveOptions): Promise<Job> {
    const startedAt = now();
    for (let attempt = 0; ; attempt++) {
      await guard(channelOfJobid(jobid));
      try {
        options.onStatus?.({ phase: 'asking' });
        return await deps.useapi.seedAsync(jobid, {
          replyUrl: deps.replyUrl,
          replyRef: options.replyRef,
          signal: options.signal,
        });
      } catch (error) {
        if (!isUseapiError(error)) throw error;
        if (error.kind === 'pending_moderation') throw await hold(error, jobid);
        if (error.kind !== 'busy' || now() - startedAt > deps.deadlineMs) throw error;
        deps.onUpstreamSignal?.('busy');
        // The account's queue is full: wait as the vendor advises, or for one of the executing jobs to end.
        const wait =
          error.retryAfterMs ??
          Math.min(BUSY_MAX_MS, BUSY_MIN_MS * 1.5 ** attempt) * (0.75 + Math.random() * 0.5);
        options.onStatus?.({ phase: 'busy', retryInMs: wait });
        deps.log.info(
          { jobid, waitMs: Math.round(wait), executing: error.executingJobs?.length },
          'useapi busy',
        );
        await pause(wait, error.executingJobs?.[0], wakers, options.signal);
      }
    }
  }

  async function lead(jobid: string, options: RetrieveOptions): Promise<SeedRecord> {
    const existing = await cached(jobid);
    if (existing) return existing;
    const flightKey = `flight:${jobid}`;
    const known = (await deps.storage.meta.get(flightKey)) as { seedJobId?: string } | undefined;
    let seedJobId = options.seedJobId ?? known?.seedJobId;
    await guard(channelOfJobid(jobid));

    const ticket = deps.queue.enter(options.user);
    const positionTimer = setInterval(() => {
      options.onStatus?.({ phase: 'queued', position: ticket.position() + 1 });
    }, 2_000);
    positionTimer.unref();
    let slot: Awaited<ReturnType<typeof deps.storage.coordinator.acquireSlot>> | undefined;
    try {
      if (ticket.position() > 0 || deps.queue.running > deps.maxJobs) {
        options.onStatus?.({ phase: 'queued', position: ticket.position() + 1 });
      }
      await abortable(ticket.turn, options.signal);
      clearInterval(positionTimer);
      // The whole fleet shares the account's maxJobs; a dead holder's slot returns after the deadline.
      slot = await deps.storage.coordinator.acquireSlot(
        SLOTS,
        deps.maxJobs,
        deps.deadlineMs + 60_000,
        options.signal,
      );
      let record: SeedRecord;
      if (!seedJobId) {
        const job = await startSeedJob(jobid, options);
        if (job.verb !== 'seed_async' && job.seed) {
          // Already retrieved: useapi answered with the original job and its seed.
          await deps.index.recordJob(job, { hasSeed: true });
          record = recordFrom(jobid, job, undefined);
        } else {
          seedJobId = job.jobid;
          await deps.storage.meta.set(flightKey, { seedJobId }, deps.deadlineMs + 60_000);
          await options.onSeedJob?.(seedJobId);
          record = await follow(jobid, seedJobId, options);
        }
      } else {
        await options.onSeedJob?.(seedJobId);
        record = await follow(jobid, seedJobId, options);
      }
      if (!record.messageId) {
        const parent = await parentDetails(jobid, options.signal);
        if (parent) {
          record = {
            ...record,
            server: parent.server,
            channel: parent.channel,
            messageId: parent.messageId,
            prompt: record.prompt ?? parent.prompt,
          };
        }
      }
      await store(record);
      await deps.storage.meta.delete(flightKey);
      return record;
    } finally {
      clearInterval(positionTimer);
      ticket.done();
      await slot?.release();
    }
  }

  /** Another process leads this job: wait for its result, or take over when its lock lapses. */
  async function joinRemote(jobid: string, options: RetrieveOptions): Promise<SeedRecord | undefined> {
    options.onStatus?.({ phase: 'joined' });
    const startedAt = now();
    while (now() - startedAt < deps.deadlineMs) {
      const record = await cached(jobid);
      if (record) return record;
      const lease = await deps.storage.coordinator.tryLock(`seed-flight:${jobid}`, 60_000);
      if (lease) return leadLocked(jobid, options, lease);
      await pause(1_000, jobid, seedWaiters, options.signal);
    }
    throw new SeedError('deadline', `waited too long for another process to retrieve ${jobid}`);
  }

  async function leadLocked(
    jobid: string,
    options: RetrieveOptions,
    lease: { release(): Promise<void>; extend(ttl: number): Promise<boolean> },
  ) {
    const keepAlive = setInterval(() => void lease.extend(60_000).catch(() => {}), 20_000);
    keepAlive.unref();
    try {
      return await lead(jobid, options);
    } finally {
      clearInterval(keepAlive);
      await lease.release();
    }
  }

  async function run(jobid: string, options: RetrieveOptions): Promise<SeedRecord> {
    const lease = await deps.storage.coordinator.tryLock(`seed-flight:${jobid}`, 60_000);
    if (lease) return leadLocked(jobid, options, lease);
    const record = await joinRemote(jobid, options);
    if (!record) throw new SeedError('deadline', `no result for ${jobid}`);
    return record;
  }

  return {
    cached,
    async retrieve(jobid, options) {
      const hit = await cached(jobid);
      if (hit) return hit;
      const flight = flights.get(jobid);
      if (flight) {
        // Same job already in flight here: share it.
        if (options.onStatus) flight.listeners.add(options.onStatus);
        options.onStatus?.({ phase: 'joined' });
        const seedJob = (await deps.storage.meta.get(`flight:${jobid}`)) as
          | { seedJobId?: string }
          | undefined;
        if (seedJob?.seedJobId) await options.onSeedJob?.(seedJob.seedJobId);
        try {
          return await abortable(flight.promise, options.signal);
        } finally {
          if (options.onStatus) flight.listeners.delete(options.onStatus);
        }
      }
      const listeners = new Set<(status: SeedStatus) => void>();
      if (options.onStatus) listeners.add(options.onStatus);
      const broadcast = (status: SeedStatus) => {
        for (const l of listeners) l(status);
      };
      const promise = run(jobid, { ...options, onStatus: broadcast, signal: undefined });
      flights.set(jobid, { promise, listeners });
      promise.then(
        () => flights.delete(jobid),
        () => flights.delete(jobid),
      );
      return abortable(promise, options.signal);
    },
    async seedJobChanged(seedJobId, parentJobId) {
      if (!parentJobId) return false;
      const flight = (await deps.storage.meta.get(`flight:${parentJobId}`)) as
        | { seedJobId?: string }
        | undefined;
      if (flight?.seedJobId !== seedJobId) return false;
      await deps.storage.coordinator.publish(JOB_TOPIC, seedJobId);
      return true;
    },
    stats: () => ({ waiting: deps.queue.waiting, running: deps.queue.running, inflight: flights.size }),
    async close() {
      for (const u of unsubscribers) await (await u)();
    },
  };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
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
