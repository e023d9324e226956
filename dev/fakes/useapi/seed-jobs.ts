// Seed jobs as useapi runs them: started by seed_async, advanced by timers ('progress' steps, then completed with the
// four images, or failed 596 when the account got a pending moderation message meanwhile), each change called back.
import { midjourneyFileStem } from '../midjourney-files.js';
import type { CallbackSender } from './callbacks.js';
import type { Images } from './images.js';
import { type FakeJob, type FakeSeed, type Ids, maskDiscord, promptOf, sha256, uuidOf } from './job.js';
import type { Account, JobStore } from './store.js';

/** Timers the fake owns, so close() can clear them; a group lets a seed job drop its own. */
export interface Scheduler {
  schedule(fn: () => void, ms: number, group?: Set<NodeJS.Timeout>): void;
  clear(group?: Set<NodeJS.Timeout>): void;
}

export function createScheduler(): Scheduler {
  const timers = new Set<NodeJS.Timeout>();
  return {
    schedule(fn, ms, group) {
      const timer = setTimeout(() => {
        timers.delete(timer);
        group?.delete(timer);
        fn();
      }, ms);
      timers.add(timer);
      group?.add(timer);
    },
    clear(group) {
      for (const timer of group ?? timers) {
        clearTimeout(timer);
        timers.delete(timer);
      }
    },
  };
}

export interface SeedJobs {
  start(parent: FakeJob, account: Account, replyUrl?: string, replyRef?: string): FakeJob;
  /** Ends a running seed job now: completed (or failed 596 on a held account), or cancelled. */
  finish(jobid: string, outcome?: 'completed' | 'cancelled'): void;
  isRunning(jobid: string): boolean;
  /** Jobids of the seed jobs running on that account. */
  runningOn(channel: string): string[];
  running(): number;
  maxRunning(): number;
  resetMax(): void;
  setDuration(ms: number): void;
  /** Forgets every running job (timers are the scheduler's to clear). */
  clear(): void;
}

/** The seed Midjourney reveals for a parent job: its value (set by a test, else from the jobid) and four images. */
function revealedSeed(parent: FakeJob, deps: { store: JobStore; images: Images }): FakeSeed {
  const value = deps.store.seedValues.get(parent.jobid) ?? sha256(`seed:${parent.jobid}`).readUInt32BE(0);
  const prompt = promptOf(parent);
  const mjJob = uuidOf(`mj:${parent.jobid}`);
  const stem = midjourneyFileStem(prompt, mjJob);
  return {
    value,
    content: `**${prompt}**\n**Job ID**: ${mjJob}\n**seed** ${value}`,
    attachments: [1, 2, 3, 4].map((n) => deps.images.attachment(parent.channel, `${stem}_${n}.png`, 1024)),
  };
}

/** The final state of a seed job: cancelled, failed 596 on a held account, or completed with its parent's seed. */
function settleSeedJob(
  job: FakeJob,
  outcome: 'completed' | 'cancelled',
  deps: { store: JobStore; images: Images },
): void {
  const account = deps.store.accounts.get(job.channel);
  const parent = job.parentJobId === undefined ? undefined : deps.store.jobs.get(job.parentJobId);
  if (outcome === 'cancelled') {
    job.status = 'cancelled';
  } else if (account?.pendingModMessage !== undefined) {
    job.status = 'failed';
    job.error = 'Pending mod message';
    job.errorDetails = account.pendingModMessage;
    job.code = 596;
  } else if (parent === undefined) {
    job.status = 'failed';
    job.error = 'Parent job disappeared';
    job.code = 500;
  } else {
    const seed = revealedSeed(parent, deps);
    job.status = 'completed';
    job.seed = seed;
    job.content = seed.content;
    parent.seed = seed;
    parent.updated = job.updated;
  }
}

/** A seed_async job just started on the parent's channel, as useapi answers it. */
function startedSeedJob(
  parent: FakeJob,
  account: Account,
  reply: { url: string | undefined; ref: string | undefined },
  ids: Ids,
): FakeJob {
  const now = new Date().toISOString();
  const job: FakeJob = {
    jobid: ids.newJobid(parent.channel),
    verb: 'seed_async',
    status: 'started',
    created: now,
    updated: now,
    parentJobId: parent.jobid,
    discord: maskDiscord(account.discord),
    channel: parent.channel,
    attachments: [],
    code: 200,
  };
  if (parent.server !== undefined) job.server = parent.server;
  if (reply.url !== undefined) job.replyUrl = reply.url;
  if (reply.ref !== undefined) job.replyRef = reply.ref;
  return job;
}

export function createSeedJobs(options: {
  store: JobStore;
  ids: Ids;
  images: Images;
  callbacks: CallbackSender;
  scheduler: Scheduler;
  durationMs: number;
  progressSteps: number;
}): SeedJobs {
  const { store, ids, images, callbacks, scheduler, progressSteps } = options;
  const { jobs } = store;
  let durationMs = options.durationMs;
  /** Running seed jobs and their pending timers. */
  const running = new Map<string, Set<NodeJS.Timeout>>();
  let maxRunning = 0;

  const finish: SeedJobs['finish'] = (jobid, outcome = 'completed') => {
    const job = jobs.get(jobid);
    const group = running.get(jobid);
    if (job === undefined || group === undefined) return;
    scheduler.clear(group);
    running.delete(jobid);
    job.updated = new Date().toISOString();
    settleSeedJob(job, outcome, { store, images });
    callbacks.notify(job);
  };

  const scheduleSteps = (job: FakeJob, group: Set<NodeJS.Timeout>): void => {
    const duration = durationMs;
    for (let step = 1; step <= progressSteps; step++) {
      const at = Math.floor((duration * step) / (progressSteps + 1));
      const percent = Math.floor((100 * step) / (progressSteps + 1));
      scheduler.schedule(
        () => {
          job.status = 'progress';
          job.updated = new Date().toISOString();
          job.content = `Retrieving seed (${percent}%)`;
          callbacks.notify(job);
        },
        at,
        group,
      );
    }
    scheduler.schedule(() => finish(job.jobid), duration, group);
  };

  return {
    start(parent, account, replyUrl, replyRef) {
      const job = startedSeedJob(
        parent,
        account,
        { url: replyUrl ?? store.defaultReplyUrl, ref: replyRef },
        ids,
      );
      jobs.set(job.jobid, job);
      const group = new Set<NodeJS.Timeout>();
      running.set(job.jobid, group);
      maxRunning = Math.max(maxRunning, running.size);
      callbacks.notify(job);
      scheduleSteps(job, group);
      return job;
    },
    finish,
    isRunning: (jobid) => running.has(jobid),
    runningOn: (channel) => [...running.keys()].filter((jobid) => jobs.get(jobid)?.channel === channel),
    running: () => running.size,
    maxRunning: () => maxRunning,
    resetMax() {
      maxRunning = running.size;
    },
    setDuration(ms) {
      durationMs = ms;
    },
    clear() {
      running.clear();
    },
  };
}
