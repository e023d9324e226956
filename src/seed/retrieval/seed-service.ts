// The core of the product: from a jobid to its seed and four images. It orchestrates its parts: the cache (storage),
// single-flight.ts (one retrieval per job, in this process and across processes), the fair queue and the fleet-wide
// slot, starter.ts (seed_async, waits after 429/504) or follower.ts (polls, woken by callbacks), and the store.
// No discord.js and no fetch here: the upstream is reached through the core's port (upstream.ts).
import type { Logger } from 'pino';
import { z } from 'zod';
import { abortable } from '../../lib/wakeups.js';
import { isUpstreamError, SeedError } from '../errors.js';
import type { GuardedLease } from '../lease-guard.js';
import type { JobIndex } from '../lookup/job-index.js';
import { recordFrom, withParentMessage } from '../model/seed-record.js';
import { KEEP_SEEDS_MS, type SeedRecord } from '../model/types.js';
import type { Holds } from '../moderation/holds.js';
import type { Lease, Storage } from '../ports.js';
import { FINAL_STATUSES, seedJobVerb, type Upstream, type UpstreamJob } from '../upstream.js';
import type { FairQueue } from './fair-queue.js';
import { createFollower, type Follower, StaleSeedJobError } from './follower.js';
import { createHoldGuard } from './hold-guard.js';
import type { RetrieveOptions } from './retrieve-options.js';
import { createSingleFlight, type SingleFlight } from './single-flight.js';
import { createStarter, type Starter } from './starter.js';

export type { RetrieveOptions, SeedStatus } from './retrieve-options.js';

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
  upstream: Upstream;
  storage: Storage;
  index: JobIndex;
  holds: Holds;
  queue: FairQueue;
  log: Logger;
  pollIntervalMs: number;
  deadlineMs: number;
  maxJobs: number;
  /** Set when the upstream can reach us: seed requests carry it and polling slows down. */
  replyUrl?: string | undefined;
  now?: () => number;
  /** Random numbers in [0, 1) for the jitter of the waits after a 429. Default Math.random. */
  random?: () => number;
  /** Called on each 429 and 596, for metrics. */
  onUpstreamSignal?: ((signal: 'busy' | 'pending_moderation') => void) | undefined;
  /** After a 429 without Retry-After, the first wait (the vendor advises 10-30 s); see starter.ts. Default 10000. */
  busyWaitMs?: number | undefined;
  /** The flight lock lasts this long between renewals; see single-flight.ts. Default 60000. */
  lockTtlMs?: number | undefined;
}

const SLOTS = 'useapi:seed-jobs';
const JOB_TOPIC = 'job-changed';
const JOB_ENDED_TOPIC = 'job-ended';
const STORED_TOPIC = 'seed-stored';
const CLOSE_GRACE_MS = 5_000;

/** A marker or slot of a dead process lapses a minute after the longest a retrieval may take. */
const flightTtlOf = (deadlineMs: number) => deadlineMs + 60_000;

// One closure that wires the parts (single flight, starter, follower, wakeups) and holds the orchestration.
export function createSeedService(deps: SeedServiceDeps): SeedService {
  const { storage, queue } = deps;
  const now = deps.now ?? Date.now;
  const logOf = (options: RetrieveOptions) => options.log ?? deps.log;
  const cached = (jobid: string) => storage.seeds.get(jobid);
  const flightTtl = () => flightTtlOf(deps.deadlineMs);
  const parentSource = { index: deps.index, getJob: deps.upstream.getJob.bind(deps.upstream) };
  const { guard, starter, follower } = createUpstreamParts(deps, now);
  const flight = createSingleFlight({
    ...deps,
    coordinator: storage.coordinator,
    flights: storage.flights,
    cached,
    lead,
    lockTtlMs: deps.lockTtlMs ?? 60_000,
    now,
  });
  const unsubscribers = subscribeTopics(storage.coordinator, { starter, follower, flight });

  /** Under the flight lease: cache → fair queue → fleet-wide slot → start or follow → store. */
  async function lead(jobid: string, options: RetrieveOptions, lease: GuardedLease): Promise<SeedRecord> {
    const existing = await cached(jobid);
    if (existing) return existing;
    const known = await storage.flights.get(jobid);
    // The request's own record of its seed job wins: the flight marker may have expired or been lost.
    const seedJobId = options.seedJobId ?? known?.seedJobId;
    await guard.check(jobid);
    // A seed job already running upstream holds an account slot whatever we do: follow it first.
    const { ticket, reportPosition, unwatch } = enterQueue(queue, options, seedJobId !== undefined);
    let slot: Lease | undefined;
    let obtained: SeedRecord;
    try {
      reportPosition();
      await abortable(ticket.turn, options.signal);
      unwatch();
      // The whole fleet shares the account's maxJobs; a dead holder's slot returns after the deadline.
      slot = await storage.coordinator.acquireSlot(SLOTS, deps.maxJobs, flightTtl(), options.signal);
      obtained = await obtain(jobid, seedJobId, options, lease);
    } finally {
      // The seed job has ended upstream: its turn and account slot go to the next one now, not after our writes.
      unwatch();
      ticket.done();
      if (slot) {
        await slot.release();
        // A slot of ours is free: a wait after a 429 may try again now.
        starter.wakeBusy();
      }
    }
    const record = await withParentMessage(obtained, parentSource, options.signal, logOf(options));
    await storage.seeds.set(record.jobid, record, KEEP_SEEDS_MS);
    await storage.coordinator.publish(STORED_TOPIC, record.jobid);
    await storage.flights.delete(jobid);
    return record;
  }

  /** Follow the seed job already started (after a restart, or from a dead process) if it still exists; else start one. */
  async function obtain(
    jobid: string,
    seedJobId: string | undefined,
    options: RetrieveOptions,
    lease: GuardedLease,
  ) {
    const log = logOf(options);
    if (seedJobId) {
      // The marker is written again so that callbacks for it are recognised as ours.
      await storage.flights.set(jobid, { seedJobId }, flightTtl());
      await options.onSeedJob?.(seedJobId);
      try {
        return await follower.follow(jobid, seedJobId, { ...options, log, resumed: true });
      } catch (error) {
        // The upstream no longer knows that seed job (older than its retention), or it had failed for moderation
        // before a reset: start a new one.
        const gone = isUpstreamError(error) && error.kind === 'not_found';
        if (!gone && !(error instanceof StaleSeedJobError)) throw error;
        log.info({ jobid, seedJobId }, 'stored seed job is gone upstream; starting a new one');
      }
    }
    // Marks the flight before the call, so a callback that outruns seed_async's answer is recognised.
    await storage.flights.set(jobid, {}, flightTtl());
    const { job, early } = await starter.start(jobid, { ...options, log }, lease);
    return startedJob(jobid, job, early, options);
  }

  async function startedJob(
    jobid: string,
    job: UpstreamJob,
    early: ReadonlySet<string>,
    options: RetrieveOptions,
  ) {
    const log = logOf(options);
    if (job.verb !== seedJobVerb && job.seed) {
      // Already retrieved (or retrieved in one blocking call): the upstream answered with the original job and its seed.
      await deps.index.recordJob(job, { hasSeed: true });
      return recordFrom(jobid, job, undefined, now(), deps.upstream);
    }
    const seedJobId = job.jobid;
    log.debug({ jobid, seedJobId }, 'seed job started');
    // The request keeps the id first (it survives a storage outage in memory); the marker only lets callbacks be
    // recognised, and following works without it.
    await options.onSeedJob?.(seedJobId);
    await storage.flights
      .set(jobid, { seedJobId }, flightTtl())
      .catch((error: unknown) => log.warn({ err: error, jobid }, 'could not mark the seed job; polling it'));
    const woken = early.has(seedJobId);
    return follower.follow(jobid, seedJobId, { ...options, log, resumed: false, woken });
  }

  return {
    cached,
    async retrieve(jobid, options) {
      return (await cached(jobid)) ?? flight.retrieve(jobid, options);
    },
    async seedJobChanged(seedJobId, parentJobId, status) {
      if (!parentJobId) return false;
      const marker = await storage.flights.get(parentJobId);
      // Ours: the seed job we follow, or any of a parent whose seed_async has not answered yet (used if it matches).
      if (!marker || (marker.seedJobId !== undefined && marker.seedJobId !== seedJobId)) return false;
      // A status that is not final changes nothing for the follower; the body is a hint and is not acted on.
      if (status !== undefined && !FINAL_STATUSES.has(status as UpstreamJob['status'])) return true;
      await storage.coordinator.publish(JOB_TOPIC, JSON.stringify({ seedJobId, parentJobId }));
      return true;
    },
    async jobEnded(jobid) {
      await storage.coordinator.publish(JOB_ENDED_TOPIC, jobid);
    },
    stats: () => ({ waiting: queue.waiting, running: queue.running, inflight: flight.size }),
    async close(graceMs = CLOSE_GRACE_MS) {
      // Waits end at once; a seed_async on its way is let finish (its job is stored, followed after the restart).
      await flight.close(new SeedError('shutting_down', 'the bot is shutting down'), () =>
        starter.stop(graceMs),
      );
      for (const u of unsubscribers) await (await u)();
    },
  };
}

/**
 * A place in the fair queue. Its position is told to the member (reportPosition, then on every change) until the
 * turn comes.
 */
function enterQueue(queue: FairQueue, options: RetrieveOptions, priority: boolean) {
  const ticket = queue.enter(options.user, { priority });
  const reportPosition = () => {
    if (!ticket.started) options.onStatus?.({ phase: 'queued', position: ticket.position() + 1 });
  };
  return { ticket, reportPosition, unwatch: queue.onChange(reportPosition) };
}

/** What other processes (and this one) announce: a seed job changed, an account slot freed, a seed stored. */
function subscribeTopics(
  coordinator: Storage['coordinator'],
  parts: {
    starter: Pick<Starter, 'noteEarly' | 'wakeBusy'>;
    follower: Pick<Follower, 'wake'>;
    flight: Pick<SingleFlight, 'stored'>;
  },
) {
  const { starter, follower, flight } = parts;
  return [
    coordinator.subscribe(JOB_TOPIC, (message) => {
      const changed = parseJobMessage(message);
      if (changed && !follower.wake(changed.seedJobId) && changed.parentJobId)
        starter.noteEarly(changed.parentJobId, changed.seedJobId);
    }),
    coordinator.subscribe(JOB_ENDED_TOPIC, (jobid) => starter.wakeBusy(jobid)),
    coordinator.subscribe(STORED_TOPIC, (jobid) => flight.stored(jobid)),
  ];
}

/** The parts that talk to the upstream, sharing one hold guard: the starter (seed_async), the follower (polls). */
function createUpstreamParts(deps: SeedServiceDeps, now: () => number) {
  const { storage } = deps;
  const guard = createHoldGuard({ ...deps, jobids: deps.upstream.jobids });
  const starter = createStarter({
    requestSeed: (jobid, options) => deps.upstream.requestSeed(jobid, options),
    guard,
    replyUrl: deps.replyUrl,
    deadlineMs: deps.deadlineMs,
    busyWaitMs: deps.busyWaitMs ?? 10_000,
    onBusy: () => deps.onUpstreamSignal?.('busy'),
    now,
    random: deps.random ?? Math.random,
  });
  const follower = createFollower({
    getJob: (jobid, options) => deps.upstream.getJob(jobid, options),
    source: deps.upstream,
    flights: storage.flights,
    guard,
    // Its account slot is free: whoever waits after a 429 naming it may ask again.
    onEnded: (seedJobId) => void storage.coordinator.publish(JOB_ENDED_TOPIC, seedJobId).catch(() => {}),
    // With callbacks, polling is only the safety net for a lost callback.
    pollIntervalMs: deps.replyUrl ? deps.pollIntervalMs * 3 : deps.pollIntervalMs,
    callbacks: Boolean(deps.replyUrl),
    deadlineMs: deps.deadlineMs,
    now,
  });
  return { guard, starter, follower };
}

/** JOB_TOPIC messages are `{seedJobId, parentJobId}` as JSON, possibly from another version: anything else is ignored. */
const jobMessageSchema = z.object({ seedJobId: z.string(), parentJobId: z.string().optional() });

function parseJobMessage(message: string): z.infer<typeof jobMessageSchema> | undefined {
  try {
    const parsed = jobMessageSchema.safeParse(JSON.parse(message));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
