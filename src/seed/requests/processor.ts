// Accepted requests are stored before anything goes upstream, move through their states in storage, and are resumed
// on start (or by another process) until they are answered. Replies go through the Notifier port, which needs only
// what is stored (application id + interaction token, or the channel), so any process can answer any request.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from 'pino';
import { isSeedError, isTransient, isUpstreamError, SeedError } from '../errors.js';
import { type GuardedLease, guardLease, isLeaseLost, LeaseLostError } from '../lease-guard.js';
import {
  KEEP_SEEDS_MS,
  type KnownSeed,
  OPEN_STATES,
  type SeedRecord,
  type SeedRequest,
} from '../model/types.js';
import type { Holds } from '../moderation/holds.js';
import { type DeliveredVia, isStorageUnavailable, type Notifier, type Storage } from '../ports.js';
import type { SeedService } from '../retrieval/seed-service.js';
import { logUpstreamFailure } from '../severity.js';
import { createPacer, type Pacer } from './progress-pacer.js';
import { createRequestStore, RESUME_BATCH, readOpenRequests } from './request-store.js';

export interface NewRequest
  extends Omit<SeedRequest, 'state' | 'createdAt' | 'updatedAt' | 'attempts' | 'deliveredVia' | 'lastError'> {
  /**
   * A seed already known from the message (`--seed N` in the prompt): answered at once, images follow. With the
   * message's own image (`grid`), everything is known: the four images are cut from it and nothing goes upstream.
   */
  knownSeed?: KnownSeed | undefined;
}

/** The answer a message gives by itself: the seed written in its prompt, the images of its own grid. */
const promptRecord = (
  request: Pick<SeedRequest, 'jobid' | 'messageId' | 'guildId' | 'channelId'>,
  known: KnownSeed,
  at: number,
): SeedRecord => ({
  jobid: request.jobid,
  seed: known.seed,
  prompt: known.prompt,
  messageId: request.messageId,
  server: request.guildId,
  channel: known.channelId ?? request.channelId,
  images: [],
  grid: known.grid,
  retrievedAt: at,
  source: 'prompt',
});

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
   * Stop taking work. Requests that only wait (in the queue, or for useapi) are left at once: they are stored and
   * resume on the next start. Replies being written are let finish until the deadline.
   */
  drain(deadlineMs: number): Promise<{ finished: number; left: number }>;
  /** The open requests, oldest first, from the open index. */
  openRequests(): Promise<SeedRequest[]>;
}

export interface RequestProcessorDeps {
  storage: Storage;
  seeds: SeedService;
  notifier: Notifier;
  holds: Pick<Holds, 'onChange'>;
  log: Logger;
  /** A request that meets only transient failures is retried until this long after it was accepted. */
  deadlineMs: number;
  /** A process's claim on a request lasts this long between renewals: after a crash, others take over after it. */
  lockTtlMs: number;
  /** How often open requests nobody works on are looked for (a dead process's, once its leases lapse). */
  sweepEveryMs: number;
  /** Backoff between attempts after a transient failure: base doubling up to max, with jitter. */
  retry?: { baseMs?: number; maxMs?: number } | undefined;
  random?: () => number;
  /** Minimum time between two progress edits of one reply. */
  progressIntervalMs?: number;
  now?: () => number;
  /** Done requests are kept this long for status pages, then expire. */
  doneTtlMs?: number;
  onOutcome?: (outcome: 'done' | 'failed' | 'held' | 'left' | 'retried') => void;
}

// One closure of named helpers (retrieve, work, settle, start, resumeOpen) sharing the running map and the store.
export function createRequestProcessor(deps: RequestProcessorDeps): RequestProcessor {
  const now = deps.now ?? Date.now;
  const random = deps.random ?? Math.random;
  const lockTtl = deps.lockTtlMs;
  const progressInterval = deps.progressIntervalMs ?? 5_000;
  const doneTtl = deps.doneTtlMs ?? 7 * 24 * 60 * 60 * 1000;
  const retryBase = deps.retry?.baseMs ?? 1_000;
  const retryMax = deps.retry?.maxMs ?? 30_000;
  const running = new Map<string, { promise: Promise<void>; abort: AbortController; request: SeedRequest }>();
  let draining = false;
  let sweepTimer: NodeJS.Timeout | undefined;
  let stopHolds: (() => Promise<void>) | undefined;

  const store = createRequestStore({ storage: deps.storage, now, doneTtlMs: doneTtl });
  const { save, noteError } = store;
  const pacer = (request: SeedRequest, log: Logger, signal: AbortSignal) =>
    createPacer({
      notify: (p) => deps.notifier.progress(request, p),
      now,
      intervalMs: progressInterval,
      log,
      signal,
    });
  /** Capped exponential backoff with jitter (half to all of the step), so many waiting requests do not ask at once. */
  const backoff = (attempt: number) =>
    Math.min(retryMax, retryBase * 2 ** (attempt - 1)) * (0.5 + random() / 2);

  /** Ask the seed service; transient failures are waited out with backoff until the request's deadline. */
  async function retrieve(request: SeedRequest, signal: AbortSignal, progress: Pacer, log: Logger) {
    // Nothing is written once the work stopped here (another process may own the request now).
    const saveQuietly = async (patch: Partial<SeedRequest>) => {
      if (!signal.aborted) await save(request, patch, log);
    };
    for (let attempt = 1; ; attempt++) {
      try {
        return await deps.seeds.retrieve(request.jobid, {
          user: request.userId,
          replyRef: `${request.id}:${request.correlationId}`,
          seedJobId: request.seedJobId,
          signal,
          log,
          // Stored even when the request was left (shutting down): the next start follows this job, not a new one.
          onSeedJob: async (seedJobId) => {
            if (request.seedJobId !== seedJobId) await saveQuietly({ seedJobId });
          },
          onStatus: (status) => {
            if (signal.aborted) return;
            if (status.phase === 'queued' && request.state !== 'queued')
              void saveQuietly({ state: 'queued' });
            if (status.phase === 'asking' && request.state !== 'running')
              void saveQuietly({ state: 'running' });
            progress.push(status);
          },
        });
      } catch (error) {
        if (signal.aborted) throw error;
        // The job's flight lease was lost (another process leads it now): asking again joins that one.
        if (!isTransient(error) && !isLeaseLost(error)) throw error;
        const left = request.createdAt + deps.deadlineMs - now();
        if (left <= 0) throw error;
        const wait = Math.round(Math.min(left, backoff(attempt)));
        const kind = kindOf(error);
        log.warn({ kind, attempt, waitMs: wait }, 'upstream not answering: request kept, asking again later');
        deps.onOutcome?.('retried');
        noteError(request, kind);
        progress.push({
          phase: 'retrying',
          attempt: attempt + 1,
          retryInMs: wait,
          // The upstream answered: it has not found the seed yet, which is news of progress, not of trouble.
          seedPending: kind === 'seed_pending',
          upstream: isUpstreamError(error) ? error.source : undefined,
        });
        await saveQuietly({ lastError: kind });
        await sleep(wait, undefined, { signal });
      }
    }
  }

  async function work(
    request: SeedRequest,
    signal: AbortSignal,
    lease: GuardedLease,
    knownSeed?: NewRequest['knownSeed'],
  ) {
    const log = deps.log.child({ cid: request.correlationId, requestId: request.id, jobid: request.jobid });
    // With the seed already shown (from the prompt), progress lines would replace it: only the images follow.
    const progress: Pacer = knownSeed
      ? { push: () => {}, stop: async () => {} }
      : pacer(request, log, signal);
    /** The fence before every write the member sees as an answer: only the holder of the request writes it. */
    const fence = async () => {
      if (!(await lease.holds())) throw signal.reason ?? new LeaseLostError(`request ${request.id}`);
    };
    const shown: SeedRecord | undefined = knownSeed && promptRecord(request, knownSeed, now());
    // A failure after the seed was shown keeps the seed on screen (without images) instead of an error line.
    const tell = async (error: unknown) => {
      await fence();
      return shown
        ? deps.notifier.deliver(request, shown, { partial: false })
        : deps.notifier.fail(request, error);
    };
    try {
      if (shown) await deps.notifier.deliver(request, shown, { partial: true });
      // A state is written while the work it names goes on (a stored seed is read meanwhile, the seed shown): one
      // connection writes them in order, and the next state waits for it.
      const running = save(request, { state: 'running', attempts: request.attempts + 1 }, log);
      const record = await retrieve(request, signal, progress, log).finally(() => running);
      await progress.stop();
      await fence();
      const delivering = save(request, { state: 'delivering' }, log);
      const via = await deps.notifier.deliver(request, record, { partial: false }).finally(() => delivering);
      await save(request, { state: 'done', deliveredVia: via }, log);
      deps.onOutcome?.('done');
      log.info({ via, seed: record.seed }, 'request answered');
    } catch (error) {
      await progress.stop();
      await settle(request, error, signal, log, tell);
    }
  }

  /** After a failed attempt: left to another process or the next start, held until a reset, or failed for good. */
  async function settle(
    request: SeedRequest,
    error: unknown,
    signal: AbortSignal,
    log: Logger,
    tell: (error: unknown) => Promise<DeliveredVia>,
  ) {
    if (signal.aborted || isLeaseLost(error)) {
      deps.onOutcome?.('left');
      // Taken over by another process (this one was paused or cut off past its lease): that one answers; nothing
      // more is written from here. Shutting down: the request stays open and resumes on the next start.
      if (isLeaseLost(signal.reason) || isLeaseLost(error))
        log.warn({ state: request.state }, 'lost the request to another process; stopped here');
      else log.info({ state: request.state }, 'request left for the next start');
      return;
    }
    const kind = kindOf(error);
    noteError(request, kind);
    if (isSeedError(error) && error.kind === 'held') {
      // Kept: it runs again by itself when a moderator resets the account.
      const wasHeld = request.state === 'held';
      await save(
        request,
        {
          state: 'held',
          lastError: kind,
          accountChannel: error.details.channel ?? request.accountChannel,
          // That seed job ended (or will) without a seed: after the reset a new one is asked for.
          seedJobId: undefined,
        },
        log,
      );
      if (!wasHeld) await tell(error).catch((e) => log.warn({ err: e }, 'could not tell the member'));
      deps.onOutcome?.('held');
      log.warn({ channel: error.details.channel }, 'request held: account pending moderation');
      return;
    }
    if (kind === 'internal') log.error({ err: error }, 'request failed');
    else logUpstreamFailure(log, error, { kind }, 'request failed');
    let via: DeliveredVia = 'none';
    try {
      via = await tell(error);
    } catch (e) {
      if (isLeaseLost(e)) {
        log.warn('lost the request to another process before telling the member; stopped here');
        return;
      }
      log.warn({ err: e }, 'could not tell the member');
    }
    await save(request, { state: 'failed', lastError: kind, deliveredVia: via }, log);
    deps.onOutcome?.('failed');
  }

  async function start(request: SeedRequest, knownSeed?: NewRequest['knownSeed']): Promise<boolean> {
    if (running.has(request.id)) return false;
    const lock = await deps.storage.coordinator.tryLock(`request:${request.id}`, lockTtl);
    if (!lock) return false;
    const lease = guardLease(lock, {
      ttlMs: lockTtl,
      what: `request ${request.id}`,
      now,
      onLost: () =>
        deps.log.warn(
          { cid: request.correlationId, requestId: request.id },
          'request lease lost: stopping its work',
        ),
    });
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
    const promise = work(fresh, signal, lease, knownSeed)
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
    for (const request of open) if (await start(request)) resumed++;
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
      await start(request, knownSeed);
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
      const settled = Promise.allSettled(all.map((r) => r.promise)).then(() => 'ok' as const);
      const result = await Promise.race([settled, sleep(deadlineMs, 'timeout' as const, { ref: false })]);
      if (result === 'timeout') {
        for (const r of running.values()) r.abort.abort(reason);
        await Promise.race([
          Promise.allSettled([...running.values()].map((r) => r.promise)),
          sleep(1_000, undefined, { ref: false }),
        ]);
      }
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

const kindOf = (error: unknown): string =>
  isSeedError(error) || isUpstreamError(error) || isStorageUnavailable(error) ? error.kind : 'internal';
