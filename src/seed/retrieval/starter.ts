// Starting a seed job: seed_async, sent only while this process holds the job's flight lease. A 429 (the account's
// queue is full) waits as the vendor advises or until one of the executing jobs it names ends; a 504 (queued but
// untrackable) waits long and asks again. seed_async is not repeatable: once sent it is not cut short by a stop, only
// by the grace period's end.
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { backoffMs } from '../../lib/backoff.js';
import { createWakeups } from '../../lib/wakeups.js';
import { isUpstreamError, retryDecision, SeedError } from '../errors.js';
import type { GuardedLease } from '../lease-guard.js';
import type { Upstream, UpstreamJob } from '../upstream.js';
import type { HoldGuard } from './hold-guard.js';
import type { SeedStatus } from './retrieve-options.js';

export interface StartOptions {
  replyRef?: string | undefined;
  onStatus?: ((status: SeedStatus) => void) | undefined;
  signal?: AbortSignal | undefined;
  log: Logger;
}

export interface Started {
  job: UpstreamJob;
  /** Seed job ids that callbacks named while seed_async was on its way. */
  early: ReadonlySet<string>;
}

export interface Starter {
  start(jobid: string, options: StartOptions, lease: GuardedLease): Promise<Started>;
  /** A callback named a seed job of `parentJobid` before seed_async answered; false when none is on its way. */
  noteEarly(parentJobid: string, seedJobId: string): boolean;
  /** A job on the account ended (`jobid`), or a slot of ours freed (no jobid): waits after a 429 ask again now. */
  wakeBusy(jobid?: string): void;
  /** Give a seed_async on its way up to `graceMs` to answer, then cut it short. */
  stop(graceMs: number): Promise<void>;
}

export interface StarterDeps {
  requestSeed: Upstream['requestSeed'];
  guard: HoldGuard;
  replyUrl?: string | undefined;
  deadlineMs: number;
  /** After a 429 without Retry-After: this, growing by half per further 429, up to three times it, jittered. */
  busyWaitMs: number;
  onBusy?: (() => void) | undefined;
  now: () => number;
  random: () => number;
}

const IDLE = 'idle';

export function createStarter(deps: StarterDeps): Starter {
  const busyMaxMs = deps.busyWaitMs * 3;
  const busy = createWakeups();
  const idle = createWakeups();
  const hardStop = new AbortController();
  setMaxListeners(0, hardStop.signal); // every seed_async on its way listens
  const asking = new Map<string, Set<string>>();
  let posting = 0;

  async function post(jobid: string, options: StartOptions, lease: GuardedLease): Promise<UpstreamJob> {
    // The fence: a process paused past its lease never sends a second seed_async after another took the job over.
    await lease.assertHeld();
    posting++;
    try {
      return await deps.requestSeed(jobid, {
        replyUrl: deps.replyUrl,
        replyRef: options.replyRef,
        signal: hardStop.signal,
        // A 429 is waited for here, knowing which jobs run, not retried blindly after a second.
        retryBusy: false,
      });
    } finally {
      posting--;
      if (posting === 0) idle.wakeAll();
    }
  }

  /** Waits after this failure before the next attempt; rethrows what waiting cannot fix. */
  async function waitAfter(
    error: unknown,
    jobid: string,
    attempt: number,
    startedAt: number,
    options: StartOptions,
  ) {
    if (!isUpstreamError(error)) throw error;
    const decision = retryDecision(error);
    if (decision === 'hold') throw await deps.guard.place(error, jobid);
    if (decision !== 'retry' || deps.now() - startedAt > deps.deadlineMs) throw error;
    if (error.kind === 'untrackable') {
      // 504: useapi queued the job but cannot track it (its maxJobs is set too high). The vendor says to retry
      // after a long pause; a seed already retrieved meanwhile comes back as the original job.
      const wait = error.retryAfterMs ?? busyMaxMs;
      options.onStatus?.({ phase: 'busy', retryInMs: wait });
      options.log.warn({ jobid, waitMs: wait }, 'useapi answered 504 to seed_async; asking again later');
      await busy.wait([], wait, options.signal);
      return;
    }
    // seed_async is not repeated here after other transient failures (a timeout or a reset may have started a job):
    // the request's own retry asks again, and a job already started comes back as the original.
    if (error.kind !== 'busy') throw error;
    deps.onBusy?.();
    // The account's queue is full: wait as the vendor advises, or for one of the executing jobs to end.
    // Slower growth (×1.5, capped at 3×) and jitter around the step (±25%): the vendor advises 10-30 s, and a wait
    // on a full queue is usually cut short by a job ending (wakeBusy), so it need not start small.
    const wait =
      error.retryAfterMs ??
      backoffMs(attempt + 1, {
        baseMs: deps.busyWaitMs,
        maxMs: busyMaxMs,
        factor: 1.5,
        jitter: [0.75, 1.25],
        random: deps.random,
      });
    options.onStatus?.({ phase: 'busy', retryInMs: wait });
    const executing = error.executingJobs ?? [];
    options.log.info(
      { jobid, waitMs: Math.round(wait), executing: error.executingJobs?.length },
      'useapi busy',
    );
    await busy.wait(executing, wait, options.signal);
  }

  async function start(jobid: string, options: StartOptions, lease: GuardedLease): Promise<Started> {
    const early = new Set<string>();
    asking.set(jobid, early);
    const startedAt = deps.now();
    try {
      for (let attempt = 0; ; attempt++) {
        await deps.guard.check(jobid);
        try {
          options.onStatus?.({ phase: 'asking' });
          return { job: await post(jobid, options, lease), early };
        } catch (error) {
          await waitAfter(error, jobid, attempt, startedAt, options);
        }
      }
    } finally {
      asking.delete(jobid);
    }
  }

  return {
    start,
    noteEarly(parentJobid, seedJobId) {
      const set = asking.get(parentJobid);
      set?.add(seedJobId);
      return set !== undefined;
    },
    wakeBusy(jobid) {
      if (jobid === undefined) busy.wakeAll();
      else busy.wake(jobid);
    },
    async stop(graceMs) {
      if (posting > 0) await idle.wait([IDLE], graceMs);
      hardStop.abort(new SeedError('shutting_down', 'the bot is shutting down'));
    },
  };
}
