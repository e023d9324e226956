// Running one request that this process has claimed: ask the seed service (waiting out what the one table says
// waiting can fix, until the request's deadline), deliver the answer behind the lease's fence, and settle a failure
// as left, held or failed. Nothing here touches scheduling (what runs, draining): see scheduler.ts.
import type { Logger } from 'pino';
import { backoffMs } from '../../lib/backoff.js';
import { sleep } from '../../lib/sleep.js';
import { failureKind, isSeedError, isUpstreamError, retryDecision } from '../errors.js';
import { type GuardedLease, isLeaseLost } from '../lease-guard.js';
import type { KnownSeed, SeedRecord, SeedRequest } from '../model/types.js';
import type { DeliveredVia, Notifier } from '../ports.js';
import type { SeedService } from '../retrieval/seed-service.js';
import { logUpstreamFailure } from '../severity.js';
import { promptRecord } from './known-seed.js';
import { createPacer, type Pacer } from './progress-pacer.js';
import type { createRequestStore } from './request-store.js';

export interface RunRequestDeps {
  seeds: Pick<SeedService, 'retrieve'>;
  notifier: Notifier;
  store: Pick<ReturnType<typeof createRequestStore>, 'save' | 'noteError'>;
  log: Logger;
  /** A request that meets only transient failures is retried until this long after it was accepted. */
  deadlineMs: number;
  /** Backoff between attempts after a transient failure: base doubling up to max, half jitter. */
  retry: { baseMs: number; maxMs: number };
  random: () => number;
  /** Minimum time between two progress edits of one reply. */
  progressIntervalMs: number;
  now: () => number;
  onOutcome?: ((outcome: 'done' | 'failed' | 'held' | 'left' | 'retried') => void) | undefined;
}

/** Runs one claimed request to its end (answered, held, failed) or until `signal` stops it (left). Never rejects for the request's own failures. */
export type RunRequest = (
  request: SeedRequest,
  signal: AbortSignal,
  lease: GuardedLease,
  knownSeed?: KnownSeed,
) => Promise<void>;

// One closure of named steps (retrieve, work) around one request; settle, below, ends a failed one.
export function createRequestRunner(deps: RunRequestDeps): RunRequest {
  const { now, random } = deps;
  const { save, noteError } = deps.store;
  const pacer = (request: SeedRequest, log: Logger, signal: AbortSignal) =>
    createPacer({
      notify: (p) => deps.notifier.progress(request, p),
      now,
      intervalMs: deps.progressIntervalMs,
      log,
      signal,
    });
  // Half jitter: a request waits at least half its step (its deadline is long, no need to ask sooner), yet many
  // requests that failed together do not all ask again at once.
  const backoff = (attempt: number) =>
    backoffMs(attempt, { baseMs: deps.retry.baseMs, maxMs: deps.retry.maxMs, jitter: 'half', random });

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
        const decision = retryDecision(error);
        if (decision !== 'retry' && decision !== 'lost') throw error;
        const left = request.createdAt + deps.deadlineMs - now();
        if (left <= 0) throw error;
        const wait = Math.round(Math.min(left, backoff(attempt)));
        const kind = failureKind(error);
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
        await sleep(wait, signal);
      }
    }
  }

  async function work(
    request: SeedRequest,
    signal: AbortSignal,
    lease: GuardedLease,
    knownSeed?: KnownSeed,
  ): Promise<void> {
    const log = deps.log.child({ cid: request.correlationId, requestId: request.id, jobid: request.jobid });
    // With the seed already shown (from the prompt), progress lines would replace it: only the images follow.
    const progress: Pacer = knownSeed
      ? { push: () => {}, stop: async () => {} }
      : pacer(request, log, signal);
    /** The fence before every write the member sees as an answer: only the holder of the request writes it. */
    const fence = () => lease.assertHeld();
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
      await settle(deps, request, error, signal, log, tell);
    }
  }

  return work;
}

/** After a failed attempt: left to another process or the next start, held until a reset, or failed for good. */
async function settle(
  deps: RunRequestDeps,
  request: SeedRequest,
  error: unknown,
  signal: AbortSignal,
  log: Logger,
  tell: (error: unknown) => Promise<DeliveredVia>,
) {
  if (signal.aborted || retryDecision(error) === 'lost') {
    deps.onOutcome?.('left');
    // Taken over by another process (this one was paused or cut off past its lease): that one answers; nothing
    // more is written from here. Shutting down: the request stays open and resumes on the next start.
    if (isLeaseLost(signal.reason) || isLeaseLost(error))
      log.warn({ state: request.state }, 'lost the request to another process; stopped here');
    else log.info({ state: request.state }, 'request left for the next start');
    return;
  }
  const kind = failureKind(error);
  deps.store.noteError(request, kind);
  if (isSeedError(error) && error.kind === 'held') {
    // Kept: it runs again by itself when a moderator resets the account.
    const wasHeld = request.state === 'held';
    await deps.store.save(
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
  await deps.store.save(request, { state: 'failed', lastError: kind, deliveredVia: via }, log);
  deps.onOutcome?.('failed');
}
