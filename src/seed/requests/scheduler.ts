// Scheduling the requests of this process: accept (store, then claim), claim (the request's lease), resume what is
// open and nobody works on, sweep for the requests of a process that died, drain on shutdown. It owns what runs here
// (`running`) and whether new work is taken (`draining`); running one request is run-request.ts's.
import { setTimeout as timeout } from 'node:timers/promises';
import type { Logger } from 'pino';
import { SeedError } from '../errors.js';
import { guardLease } from '../lease-guard.js';
import { KEEP_SEEDS_MS, type KnownSeed, OPEN_STATES, type SeedRequest } from '../model/types.js';
import type { Holds } from '../moderation/holds.js';
import type { Lease, Storage } from '../ports.js';
import type { SeedService } from '../retrieval/seed-service.js';
import { type NewRequest, promptRecord } from './known-seed.js';
import { type createRequestStore, RESUME_BATCH, readOpenRequests } from './request-store.js';
import type { RunRequest } from './run-request.js';

export interface RequestProcessor {
  /** Store the request and start working on it. Resolves once it is stored. */
  accept(request: NewRequest): Promise<SeedRequest>;
  /**
   * Resume what is open, then keep sweeping: every `sweepEveryMs` the requests of a process that died are taken
   * over once their leases lapse, and a moderator's reset (a hold cleared, in any process) re-runs what it held.
   */
  start(): Promise<void>;
  /** Pick up every open request nobody is working on. Reads the open index only, never the whole table. */
  resumeOpen(filter?: (request: SeedRequest) => boolean): Promise<number>;
  /** Requests this process is working on now. */
  active(): number;
  /**
   * Stop taking work. Requests that only wait (in the queue, or for the upstream) are left at once: they are stored and
   * resume on the next start. Replies being written are let finish until the deadline.
   */
  drain(deadlineMs: number): Promise<{ finished: number; left: number }>;
  /** The open requests, oldest first, from the open index. */
  openRequests(): Promise<SeedRequest[]>;
}

export interface SchedulerDeps {
  storage: Storage;
  seeds: Pick<SeedService, 'cached'>;
  holds: Pick<Holds, 'onChange'>;
  store: ReturnType<typeof createRequestStore>;
  run: RunRequest;
  log: Logger;
  lockTtlMs: number;
  sweepEveryMs: number;
  now: () => number;
}

interface Running {
  promise: Promise<void>;
  abort: AbortController;
  request: SeedRequest;
}

export function createScheduler(deps: SchedulerDeps): RequestProcessor {
  const { now, store } = deps;
  const lockTtl = deps.lockTtlMs;
  const running = new Map<string, Running>();
  let draining = false;
  let sweepTimer: NodeJS.Timeout | undefined;
  let stopHolds: (() => Promise<void>) | undefined;

  /** Claim one request (its lease) and run it here; false when it runs elsewhere, here already, or is closed. */
  async function claim(request: SeedRequest, knownSeed?: KnownSeed): Promise<boolean> {
    if (running.has(request.id)) return false;
    const lock = await deps.storage.coordinator.tryLock(`request:${request.id}`, lockTtl);
    if (!lock) return false;
    const lease = requestLease(lock, request, deps);
    let fresh: SeedRequest;
    try {
      // Re-read under the lock: another process may have finished it meanwhile. A state this process could not
      // store yet is newer than the stored one.
      fresh = (await store.latest(request.id)) ?? request;
    } catch (error) {
      await lease.release();
      throw error;
    }
    if (!OPEN_STATES.has(fresh.state)) {
      await lease.release();
      await deps.storage.openRequests.remove(request.id).catch(() => {});
      return false;
    }
    const abort = new AbortController();
    const signal = AbortSignal.any([abort.signal, lease.signal]);
    const promise = deps
      .run(fresh, signal, lease, knownSeed)
      .catch((error) =>
        deps.log.error({ err: error, cid: request.correlationId, requestId: request.id }, 'request crashed'),
      )
      .finally(async () => {
        running.delete(request.id);
        await lease.release();
      });
    running.set(request.id, { promise, abort, request: fresh });
    return true;
  }

  const readOpen = (limit: number) => readOpenRequests(deps.storage, limit);

  async function resumeOpen(filter?: (request: SeedRequest) => boolean): Promise<number> {
    if (draining) return 0;
    // What could not be stored during an outage goes first: nothing is resumed from a state older than it.
    await store.flush();
    const open = (await readOpen(RESUME_BATCH)).filter((r) => !running.has(r.id) && (!filter || filter(r)));
    // A seed job already running upstream holds an account slot whatever we do: those requests go first, so that
    // waiting ones do not reach seed_async before the resumed jobs have taken their slots back.
    open.sort(
      (a, b) =>
        Number(b.seedJobId !== undefined) - Number(a.seedJobId !== undefined) || a.createdAt - b.createdAt,
    );
    let resumed = 0;
    for (const request of open) if (await claim(request)) resumed++;
    if (resumed) deps.log.info({ resumed }, 'resumed open requests');
    return resumed;
  }

  return {
    async accept(input) {
      const { knownSeed, ...rest } = input;
      const t = now();
      const request: SeedRequest = { ...rest, state: 'accepted', createdAt: t, updatedAt: t, attempts: 0 };
      // Seed and grid known: stored before the request, so whoever answers it (here, or after a crash) reads it and
      // asks no upstream. A stored seed that came with its own four images is kept.
      if (knownSeed?.grid && !(await deps.seeds.cached(request.jobid))?.images.length)
        await deps.storage.seeds.set(request.jobid, promptRecord(request, knownSeed, t), KEEP_SEEDS_MS);
      await store.add(request);
      deps.log.debug(
        { cid: request.correlationId, requestId: request.id, jobid: request.jobid },
        'request stored',
      );
      // Shutting down: the request is kept (as the member is told) and the next start answers it.
      if (draining) throw new SeedError('shutting_down', 'the bot is shutting down');
      await claim(request, knownSeed);
      return request;
    },
    async start() {
      stopHolds = await deps.holds.onChange(({ channel, held }) => {
        if (held || draining) return;
        // A moderator reset the account: everything that waited for it runs again, in any process.
        resumeOpen((r) => r.state === 'held' && r.accountChannel === channel).catch((error) =>
          deps.log.warn({ err: error, channel }, 'could not resume the requests held for the account'),
        );
      });
      await resumeOpen();
      // Requests of a process that died are picked up by whoever is alive, once its claims (leases) lapse.
      sweepTimer = setInterval(() => {
        resumeOpen((r) => r.state !== 'held').catch((error) =>
          // Storage reports its outage once; this says only that the sweep waits for it.
          deps.log.debug({ err: error }, 'sweep for open requests failed; trying again later'),
        );
      }, deps.sweepEveryMs);
      sweepTimer.unref();
    },
    resumeOpen,
    active: () => running.size,
    async drain(deadlineMs) {
      draining = true;
      if (sweepTimer) clearInterval(sweepTimer);
      await stopHolds?.().catch(() => {});
      const all = [...running.values()];
      const reason = new SeedError('shutting_down', 'shutting down');
      // Waiting costs nothing to resume later; a reply half written is finished now.
      for (const r of all) if (r.request.state !== 'delivering') r.abort.abort(reason);
      await settleWithin(all, running, deadlineMs, reason);
      await store
        .flush()
        .catch((error) =>
          deps.log.error(
            { err: error, requests: store.unsaved() },
            'could not store the last states before stopping',
          ),
        );
      const left = all.filter((r) => r.abort.signal.aborted && OPEN_STATES.has(r.request.state)).length;
      return { finished: all.length - left, left };
    },
    async openRequests() {
      return (await readOpen(RESUME_BATCH)).sort((a, b) => a.createdAt - b.createdAt);
    },
  };
}

/** A request's lock, renewed while it runs; losing it stops the request's work (and says so). */
function requestLease(
  lock: Lease,
  request: SeedRequest,
  deps: Pick<SchedulerDeps, 'lockTtlMs' | 'now' | 'log'>,
) {
  return guardLease(lock, {
    ttlMs: deps.lockTtlMs,
    what: `request ${request.id}`,
    now: deps.now,
    onLost: () =>
      deps.log.warn(
        { cid: request.correlationId, requestId: request.id },
        'request lease lost: stopping its work',
      ),
  });
}

/** The requests running at drain get until the deadline; whatever still runs then is aborted and given a second. */
async function settleWithin(
  all: Running[],
  running: Map<string, Running>,
  deadlineMs: number,
  reason: Error,
) {
  const settled = Promise.allSettled(all.map((r) => r.promise)).then(() => 'ok' as const);
  const result = await Promise.race([settled, timeout(deadlineMs, 'timeout' as const, { ref: false })]);
  if (result !== 'timeout') return;
  for (const r of running.values()) r.abort.abort(reason);
  await Promise.race([
    Promise.allSettled([...running.values()].map((r) => r.promise)),
    timeout(1_000, undefined, { ref: false }),
  ]);
}
