// The core of the product: from a jobid to its seed and four images. It answers from storage when it can, shares one
// upstream call between everyone asking for the same job (in this process and, through the coordinator, across
// processes), waits for a free slot on the account, calls seed_async, and follows the seed job to its end, woken early
// by callbacks when they arrive. No discord.js and no fetch here: useapi is reached through its port.
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { isUseapiError, UseapiError } from '../useapi/errors.js';
import { FINAL_STATUSES, type Job, type UseapiClient } from '../useapi/port.js';
import { isTransient, SeedError } from './errors.js';
import type { FairQueue } from './fair-queue.js';
import type { Holds } from './holds.js';
import { type JobIndex, promptOf } from './job-index.js';
import { channelOfJobid } from './jobid.js';
import { type GuardedLease, guardLease, LeaseLostError } from './lease-guard.js';
import type { Lease, Storage } from './ports.js';
import { type ImageMeta, SEED_TTL_MS, type SeedRecord } from './types.js';

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
  /** The request's logger (bound to its correlation id); the service's own otherwise. A shared flight uses the first. */
  log?: Logger | undefined;
}

export interface SeedService {
  cached(jobid: string): Promise<SeedRecord | undefined>;
  retrieve(jobid: string, options: RetrieveOptions): Promise<SeedRecord>;
  /**
   * A hint (callback) that a seed job changed. When it is a job we started, whoever follows it (in any process)
   * wakes and re-reads it with GET. Returns false for jobs we did not ask for.
   */
  seedJobChanged(seedJobId: string, parentJobId: string | undefined, status?: string): Promise<boolean>;
  /**
   * A hint (callback) that a job on the account reached a final status: whoever waits after a 429 that named it
   * among the executing jobs asks again now. Nothing is fetched on its word.
   */
  jobEnded(jobid: string): Promise<void>;
  stats(): { waiting: number; running: number; inflight: number };
  /**
   * Stop: waits are abandoned at once (what they wait for is stored and resumes on the next start); a seed_async
   * already sent is given up to `graceMs` to answer, so its job id is stored rather than lost.
   */
  close(graceMs?: number): Promise<void>;
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
  /**
   * After a 429, how long to wait before asking again when none of the executing jobs ends first; it grows by half
   * on each further 429, up to three times this (the vendor advises 10-30 s). Default 10000.
   */
  busyWaitMs?: number | undefined;
  /**
   * The lock that makes one process lead a job lasts this long between renewals: when the leader dies, a process
   * waiting for the same job takes over after it. Default 60000.
   */
  lockTtlMs?: number | undefined;
}

export const SLOTS = 'useapi:seed-jobs';
const JOB_TOPIC = 'job-changed';
const JOB_ENDED_TOPIC = 'job-ended';
const STORED_TOPIC = 'seed-stored';
/** After a 429, the vendor advises waiting 10-30 s. */
const BUSY_WAIT_MS = 10_000;
const CLOSE_GRACE_MS = 5_000;

interface Flight {
  promise: Promise<SeedRecord>;
  listeners: Set<(status: SeedStatus) => void>;
}

export function createSeedService(deps: SeedServiceDeps): SeedService {
  const now = deps.now ?? Date.now;
  const busyMinMs = deps.busyWaitMs ?? BUSY_WAIT_MS;
  const busyMaxMs = busyMinMs * 3;
  const lockTtl = deps.lockTtlMs ?? 60_000;
  const logOf = (options: RetrieveOptions) => options.log ?? deps.log;
  const flights = new Map<string, Flight>();
  const wakers = new Map<string, Set<() => void>>();
  const seedWaiters = new Map<string, Set<() => void>>();
  /** Seed jobs followed here, and those woken while their follower was not pausing (it looks again at once). */
  const following = new Set<string>();
  const pendingWakes = new Set<string>();
  /** Parent jobs whose seed_async is on its way, with the seed job ids callbacks named meanwhile. */
  const asking = new Map<string, Set<string>>();
  /** Waits after a 429, woken when one of the executing jobs they name ends, or when a slot of ours frees. */
  const busyWaiters = new Set<{ jobs: ReadonlySet<string>; wake: () => void }>();
  // Stopping: `closing` ends every wait; `hardStop` ends a seed_async still unanswered after the grace period.
  const closing = new AbortController();
  const hardStop = new AbortController();
  // Every flight listens to these two; a long queue is not a leak.
  setMaxListeners(0, closing.signal, hardStop.signal);
  let posting = 0;
  const postingSettled = new Set<() => void>();

  const wakeBusy = (jobid?: string) => {
    for (const waiter of busyWaiters) if (jobid === undefined || waiter.jobs.has(jobid)) waiter.wake();
  };
  const unsubscribers: Promise<() => Promise<void>>[] = [
    deps.storage.coordinator.subscribe(JOB_TOPIC, (message) => {
      const { seedJobId, parentJobId } = parseJobMessage(message);
      const set = wakers.get(seedJobId);
      if (set?.size) for (const wake of set) wake();
      else if (following.has(seedJobId)) pendingWakes.add(seedJobId);
      else if (parentJobId) asking.get(parentJobId)?.add(seedJobId);
    }),
    deps.storage.coordinator.subscribe(JOB_ENDED_TOPIC, (jobid) => wakeBusy(jobid)),
    deps.storage.coordinator.subscribe(STORED_TOPIC, (jobid) => {
      for (const wake of seedWaiters.get(jobid) ?? []) wake();
    }),
  ];
  // With callbacks, polling is only the safety net for a lost callback.
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
    await deps.storage.seeds.set(record.jobid, record, SEED_TTL_MS);
    await deps.storage.coordinator.publish(STORED_TOPIC, record.jobid);
  }

  async function parentDetails(jobid: string, signal: AbortSignal | undefined, log: Logger) {
    const known = await deps.index.byJobid(jobid);
    // Known already: keep its entry for good now that a seed is stored for it (it would expire after 31 days).
    // Known already: keep its entry as long as the seed now stored for it (it would expire after 31 days).
    try {
      const job = await deps.useapi.getJob(jobid, { signal });
      return await deps.index.recordJob(job, { hasSeed: true });
    } catch (error) {
      // The jump link is a nicety; the seed is what matters.
      log.debug({ err: error, jobid }, 'could not read the parent job');
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
    resumed: boolean,
  ): Promise<SeedRecord> {
    following.add(seedJobId);
    try {
      return await followLoop(parentJobid, seedJobId, options, resumed);
    } finally {
      following.delete(seedJobId);
      pendingWakes.delete(seedJobId);
    }
  }

  async function followLoop(
    parentJobid: string,
    seedJobId: string,
    options: RetrieveOptions,
    resumed: boolean,
  ): Promise<SeedRecord> {
    const startedAt = now();
    // A job found again after a restart is looked at at once (it may have ended meanwhile). Without callbacks the
    // first look comes soon, then backs off toward the interval; with them, a callback wakes us first.
    const firstDelay = deps.replyUrl ? pollInterval : Math.min(2_000, pollInterval);
    let delay = resumed ? 0 : firstDelay;
    let looks = 0;
    for (;;) {
      if (now() - startedAt > deps.deadlineMs) {
        throw new SeedError('deadline', `seed job ${seedJobId} did not finish within ${deps.deadlineMs} ms`);
      }
      if (!pendingWakes.delete(seedJobId)) await pause(delay, seedJobId, wakers, options.signal);
      else if (options.signal?.aborted) throw options.signal.reason;
      delay = delay === 0 ? firstDelay : Math.min(Math.round(delay * 1.6), pollInterval);
      let job: Job;
      try {
        job = await deps.useapi.getJob(seedJobId, { signal: options.signal });
        looks++;
      } catch (error) {
        if (isUseapiError(error) && error.kind === 'pending_moderation') throw await hold(error, parentJobid);
        // A poll is a read: whatever waiting can fix is waited out here (an odd body too, once), with the job kept.
        if (isTransient(error) || (isUseapiError(error) && error.kind === 'bad_response')) {
          logOf(options).warn({ err: error, seedJobId }, 'polling the seed job failed; trying again');
          continue;
        }
        throw error;
      }
      options.onStatus?.({ phase: 'waiting', jobStatus: job.status, startedAt });
      if (!FINAL_STATUSES.has(job.status)) continue;
      // Its account slot is free: whoever waits after a 429 naming it may ask again.
      void deps.storage.coordinator.publish(JOB_ENDED_TOPIC, seedJobId).catch(() => {});
      if (job.status === 'completed') return recordFrom(parentJobid, job, seedJobId);
      // This seed job is over without a seed: the next attempt must start a new one, not follow it again.
      await deps.storage.flights.delete(parentJobid);
      if (job.code === 596) {
        // Found already failed when picked up again (after a moderator's reset, or a restart): that failure is
        // history, not news. Ask again; an account still pending answers seed_async with 596 at once.
        if (resumed && looks === 1) throw new StaleSeedJobError(seedJobId);
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

  /**
   * seed_async is not repeatable: once sent, it is not cut short by a stop (only by the grace period's end). It is
   * sent only while this process still holds the job's flight lease (the fence), so a process that was paused past
   * its lease never sends a second one after another took the job over.
   */
  async function post(jobid: string, options: RetrieveOptions, lease: GuardedLease): Promise<Job> {
    if (!(await lease.holds())) throw lease.signal.reason ?? new LeaseLostError(`seed flight ${jobid}`);
    posting++;
    asking.set(jobid, asking.get(jobid) ?? new Set());
    try {
      return await deps.useapi.seedAsync(jobid, {
        replyUrl: deps.replyUrl,
        replyRef: options.replyRef,
        signal: hardStop.signal,
        // A 429 is waited for here, knowing which jobs run (startSeedJob), not retried blindly after a second.
        retryBusy: false,
      });
    } finally {
      posting--;
      if (posting === 0) for (const settled of postingSettled) settled();
    }
  }

  /** Sleep until `ms` passes, one of `executing` ends, a slot of ours frees, or the signal aborts. */
  function pauseBusy(ms: number, executing: string[] | undefined, signal?: AbortSignal) {
    return new Promise<void>((resolve, reject) => {
      const waiter = { jobs: new Set(executing ?? []), wake: () => finish(resolve) };
      const onAbort = () => finish(() => reject(signal?.reason));
      const timer = setTimeout(() => finish(resolve), ms);
      function finish(then: () => void) {
        clearTimeout(timer);
        busyWaiters.delete(waiter);
        signal?.removeEventListener('abort', onAbort);
        then();
      }
      busyWaiters.add(waiter);
      if (signal?.aborted) onAbort();
      else signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  async function startSeedJob(jobid: string, options: RetrieveOptions, lease: GuardedLease): Promise<Job> {
    const startedAt = now();
    for (let attempt = 0; ; attempt++) {
      await guard(channelOfJobid(jobid));
      try {
        options.onStatus?.({ phase: 'asking' });
        return await post(jobid, options, lease);
      } catch (error) {
        if (!isUseapiError(error)) throw error;
        if (error.kind === 'pending_moderation') throw await hold(error, jobid);
        if (now() - startedAt > deps.deadlineMs) throw error;
        if (error.kind === 'untrackable') {
          // 504: useapi queued the job but cannot track it (its maxJobs is set too high). The vendor says to retry
          // after a long pause; a seed already retrieved meanwhile comes back as the original job.
          const wait = error.retryAfterMs ?? busyMaxMs;
          options.onStatus?.({ phase: 'busy', retryInMs: wait });
          logOf(options).warn(
            { jobid, waitMs: wait },
            'useapi answered 504 to seed_async; asking again later',
          );
          await pauseBusy(wait, undefined, options.signal);
          continue;
        }
        if (error.kind !== 'busy') throw error;
        deps.onUpstreamSignal?.('busy');
        // The account's queue is full: wait as the vendor advises, or for one of the executing jobs to end.
        const wait =
          error.retryAfterMs ??
          Math.min(busyMaxMs, busyMinMs * 1.5 ** attempt) * (0.75 + Math.random() * 0.5);
        options.onStatus?.({ phase: 'busy', retryInMs: wait });
        logOf(options).info(
          { jobid, waitMs: Math.round(wait), executing: error.executingJobs?.length },
          'useapi busy',
        );
        await pauseBusy(wait, error.executingJobs, options.signal);
      }
    }
  }

  async function lead(jobid: string, options: RetrieveOptions, lease: GuardedLease): Promise<SeedRecord> {
    const existing = await cached(jobid);
    if (existing) return existing;
    const flightTtl = deps.deadlineMs + 60_000;
    const known = await deps.storage.flights.get(jobid);
    // The request's own record of its seed job wins: the flight marker may have expired or been lost.
    let seedJobId = options.seedJobId ?? known?.seedJobId;
    await guard(channelOfJobid(jobid));

    // A seed job already running upstream holds an account slot whatever we do: follow it first.
    const ticket = deps.queue.enter(options.user, { priority: seedJobId !== undefined });
    const reportPosition = () => {
      if (!ticket.started) options.onStatus?.({ phase: 'queued', position: ticket.position() + 1 });
    };
    const unwatch = deps.queue.onChange(reportPosition);
    let slot: Awaited<ReturnType<typeof deps.storage.coordinator.acquireSlot>> | undefined;
    try {
      reportPosition();
      await abortable(ticket.turn, options.signal);
      unwatch();
      // The whole fleet shares the account's maxJobs; a dead holder's slot returns after the deadline.
      slot = await deps.storage.coordinator.acquireSlot(SLOTS, deps.maxJobs, flightTtl, options.signal);
      let record: SeedRecord | undefined;
      if (seedJobId) {
        // Resumed (after a restart, or from a dead process): follow the job already started, never a second one.
        // The marker is written again so that callbacks for it are recognised as ours.
        await deps.storage.flights.set(jobid, { seedJobId }, flightTtl);
        await options.onSeedJob?.(seedJobId);
        try {
          record = await follow(jobid, seedJobId, options, true);
        } catch (error) {
          // useapi no longer knows that seed job (older than its retention), or it had failed for moderation
          // before a reset: start a new one.
          const gone = isUseapiError(error) && error.kind === 'not_found';
          if (!gone && !(error instanceof StaleSeedJobError)) throw error;
          logOf(options).info({ jobid, seedJobId }, 'stored seed job is gone at useapi; starting a new one');
          seedJobId = undefined;
        }
      }
      if (!record) {
        // Marks the flight before the call, so a callback that outruns seed_async's answer is recognised.
        await deps.storage.flights.set(jobid, {}, flightTtl);
        let job: Job;
        let early: Set<string> | undefined;
        try {
          job = await startSeedJob(jobid, options, lease);
        } finally {
          early = asking.get(jobid);
          asking.delete(jobid);
        }
        if (job.verb !== 'seed_async' && job.seed) {
          // Already retrieved: useapi answered with the original job and its seed.
          await deps.index.recordJob(job, { hasSeed: true });
          record = recordFrom(jobid, job, undefined);
        } else {
          seedJobId = job.jobid;
          logOf(options).debug({ jobid, seedJobId }, 'seed job started');
          // The request keeps the id first (it survives a storage outage in memory); the marker only lets callbacks
          // be recognised, and following works without it.
          await options.onSeedJob?.(seedJobId);
          await deps.storage.flights
            .set(jobid, { seedJobId }, flightTtl)
            .catch((error) =>
              logOf(options).warn({ err: error, jobid }, 'could not mark the seed job; polling it'),
            );
          // Its callback came before seed_async's answer: look at once.
          if (early?.has(seedJobId)) pendingWakes.add(seedJobId);
          record = await follow(jobid, seedJobId, options, false);
        }
      }
      if (!record.messageId) {
        const parent = await parentDetails(jobid, options.signal, logOf(options));
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
      await deps.storage.flights.delete(jobid);
      return record;
    } finally {
      unwatch();
      ticket.done();
      if (slot) {
        await slot.release();
        // A slot of ours is free: a wait after a 429 may try again now.
        wakeBusy();
      }
    }
  }

  /** Another process leads this job: wait for its result, or take over when its lock lapses. */
  async function joinRemote(jobid: string, options: RetrieveOptions): Promise<SeedRecord | undefined> {
    options.onStatus?.({ phase: 'joined' });
    const startedAt = now();
    while (now() - startedAt < deps.deadlineMs) {
      const record = await cached(jobid);
      if (record) return record;
      const lease = await deps.storage.coordinator.tryLock(`seed-flight:${jobid}`, lockTtl);
      if (lease) return leadLocked(jobid, options, lease);
      await pause(1_000, jobid, seedWaiters, options.signal);
    }
    throw new SeedError('deadline', `waited too long for another process to retrieve ${jobid}`);
  }

  /** Lead the job while holding its flight lease; losing the lease (a pause, an outage) stops the lead. */
  async function leadLocked(jobid: string, options: RetrieveOptions, lock: Lease) {
    const lease = guardLease(lock, {
      ttlMs: lockTtl,
      what: `seed flight ${jobid}`,
      now,
      onLost: () =>
        logOf(options).warn({ jobid }, 'seed flight lease lost: another process takes the job over'),
    });
    const signal = options.signal ? AbortSignal.any([options.signal, lease.signal]) : lease.signal;
    try {
      return await lead(jobid, { ...options, signal }, lease);
    } finally {
      await lease.release();
    }
  }

  async function run(jobid: string, options: RetrieveOptions): Promise<SeedRecord> {
    const lease = await deps.storage.coordinator.tryLock(`seed-flight:${jobid}`, lockTtl);
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
        const seedJob = await deps.storage.flights.get(jobid);
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
      // The flight belongs to the service, not to the first asker: it stops only when the service closes.
      const promise = run(jobid, { ...options, onStatus: broadcast, signal: closing.signal });
      flights.set(jobid, { promise, listeners });
      promise.then(
        () => flights.delete(jobid),
        () => flights.delete(jobid),
      );
      return abortable(promise, options.signal);
    },
    async seedJobChanged(seedJobId, parentJobId, status) {
      if (!parentJobId) return false;
      const flight = await deps.storage.flights.get(parentJobId);
      // Ours: the seed job we follow, or any seed job of a parent whose seed_async has not answered yet (the id is
      // only used if seed_async then names the same one).
      if (!flight || (flight.seedJobId !== undefined && flight.seedJobId !== seedJobId)) return false;
      // A status that is not final changes nothing for the follower; the body is a hint and is not acted on.
      if (status !== undefined && !FINAL_STATUSES.has(status as Job['status'])) return true;
      await deps.storage.coordinator.publish(JOB_TOPIC, JSON.stringify({ seedJobId, parentJobId }));
      return true;
    },
    async jobEnded(jobid) {
      await deps.storage.coordinator.publish(JOB_ENDED_TOPIC, jobid);
    },
    stats: () => ({ waiting: deps.queue.waiting, running: deps.queue.running, inflight: flights.size }),
    async close(graceMs = CLOSE_GRACE_MS) {
      closing.abort(new SeedError('shutting_down', 'the bot is shutting down'));
      // A seed_async on its way is let finish, so the job it starts is stored and followed after the restart.
      if (posting > 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(done, graceMs);
          timer.unref();
          function done() {
            clearTimeout(timer);
            postingSettled.delete(done);
            resolve();
          }
          postingSettled.add(done);
        });
      }
      hardStop.abort(new SeedError('shutting_down', 'the bot is shutting down'));
      await Promise.allSettled([...flights.values()].map((f) => f.promise));
      for (const u of unsubscribers) await (await u)();
    },
  };
}

/** JOB_TOPIC messages are `{seedJobId, parentJobId}` as JSON; anything else is ignored. */
function parseJobMessage(message: string): { seedJobId: string; parentJobId?: string | undefined } {
  try {
    const parsed = JSON.parse(message) as { seedJobId?: unknown; parentJobId?: unknown };
    return {
      seedJobId: typeof parsed.seedJobId === 'string' ? parsed.seedJobId : '',
      parentJobId: typeof parsed.parentJobId === 'string' ? parsed.parentJobId : undefined,
    };
  } catch {
    return { seedJobId: '' };
  }
}

/** A resumed seed job that had already failed with 596: not followed again (internal to this module). */
class StaleSeedJobError extends Error {
  constructor(readonly seedJobId: string) {
    super(`seed job ${seedJobId} had failed for pending moderation before it was picked up again`);
  }
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
