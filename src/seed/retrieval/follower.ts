// Following a seed job to its end: GET /jobs soon, then backing off toward the poll interval; a callback wakes the
// follower at once (it re-reads the job with GET: the callback body is only a hint). A poll is a read, so whatever
// waiting can fix is waited out here, with the job kept.
import type { Logger } from 'pino';
import { createWakeups } from '../../lib/wakeups.js';
import { isUpstreamError, retryDecision, SeedError } from '../errors.js';
import { type RecordSource, recordFrom } from '../model/seed-record.js';
import type { FlightMarker, SeedRecord } from '../model/types.js';
import type { Store } from '../ports.js';
import { FINAL_STATUSES, type Upstream, type UpstreamJob } from '../upstream.js';
import type { HoldGuard } from './hold-guard.js';
import type { SeedStatus } from './retrieve-options.js';

/** A resumed seed job that had already failed with 596: not followed again, a new one is started. */
export class StaleSeedJobError extends Error {
  constructor(readonly seedJobId: string) {
    super(`seed job ${seedJobId} had failed for pending moderation before it was picked up again`);
  }
}

export interface FollowOptions {
  signal?: AbortSignal | undefined;
  onStatus?: ((status: SeedStatus) => void) | undefined;
  log: Logger;
  /** Found again after a restart: looked at at once (it may have ended meanwhile). */
  resumed: boolean;
  /** Its callback came before seed_async's answer: look at once. */
  woken?: boolean | undefined;
}

export interface Follower {
  follow(parentJobid: string, seedJobId: string, options: FollowOptions): Promise<SeedRecord>;
  /** A callback named this seed job; false when nobody here follows it. */
  wake(seedJobId: string): boolean;
}

export interface FollowerDeps {
  getJob: Upstream['getJob'];
  /** Which upstream the records come from. */
  source: RecordSource;
  flights: Store<FlightMarker>;
  guard: HoldGuard;
  /** Told when a seed job reached a final status: its account slot is free. */
  onEnded: (seedJobId: string) => void;
  /** The longest pause between two looks. */
  pollIntervalMs: number;
  /** With callbacks the first look waits the whole interval (a callback comes first); without, about 2 s. */
  callbacks: boolean;
  deadlineMs: number;
  now: () => number;
}

export function createFollower(deps: FollowerDeps): Follower {
  const wakeups = createWakeups();
  const firstDelay = deps.callbacks ? deps.pollIntervalMs : Math.min(2_000, deps.pollIntervalMs);

  async function follow(parentJobid: string, seedJobId: string, options: FollowOptions) {
    const watch = wakeups.watch([seedJobId]);
    if (options.woken) wakeups.wake(seedJobId);
    const startedAt = deps.now();
    let delay = options.resumed ? 0 : firstDelay;
    let looks = 0;
    try {
      for (;;) {
        if (deps.now() - startedAt > deps.deadlineMs) {
          throw new SeedError(
            'deadline',
            `seed job ${seedJobId} did not finish within ${deps.deadlineMs} ms`,
          );
        }
        await watch.wait(delay, options.signal);
        delay = delay === 0 ? firstDelay : Math.min(Math.round(delay * 1.6), deps.pollIntervalMs);
        const job = await look(parentJobid, seedJobId, options);
        if (!job) continue;
        looks++;
        options.onStatus?.({ phase: 'waiting', jobStatus: job.status, startedAt });
        if (FINAL_STATUSES.has(job.status))
          return await ended(parentJobid, seedJobId, job, options.resumed && looks === 1);
      }
    } finally {
      watch.close();
    }
  }

  /** One GET; undefined when it failed in a way the next look may fix. */
  async function look(
    parentJobid: string,
    seedJobId: string,
    options: FollowOptions,
  ): Promise<UpstreamJob | undefined> {
    try {
      return await deps.getJob(seedJobId, { signal: options.signal });
    } catch (error) {
      // A poll is a read: a body it could not read is looked at again too.
      const decision = retryDecision(error, { reading: true });
      if (decision === 'hold' && isUpstreamError(error)) throw await deps.guard.place(error, parentJobid);
      if (decision === 'retry') {
        options.log.warn({ err: error, seedJobId }, 'polling the seed job failed; trying again');
        return undefined;
      }
      throw error;
    }
  }

  async function ended(
    parentJobid: string,
    seedJobId: string,
    job: UpstreamJob,
    firstLookAfterResume: boolean,
  ): Promise<SeedRecord> {
    deps.onEnded(seedJobId);
    if (job.status === 'completed') return recordFrom(parentJobid, job, seedJobId, deps.now(), deps.source);
    // This seed job is over without a seed: the next attempt must start a new one, not follow it again.
    await deps.flights.delete(parentJobid);
    if (job.code === 596) {
      // Found already failed when picked up again (after a moderator's reset, or a restart): that failure is
      // history, not news. Ask again; an account still pending answers seed_async with 596 at once.
      if (firstLookAfterResume) throw new StaleSeedJobError(seedJobId);
      throw await deps.guard.place(
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

  return { follow, wake: (seedJobId) => wakeups.wake(seedJobId) };
}
