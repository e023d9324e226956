// Seed retrieval as the proxy runs it (TaskService.SubmitSeed + DiscordService): a call for a task without a stored
// seed starts a retrieval (the proxy's `/show` + ✉️ in the account's DM with Midjourney) unless one is running, at
// most `slotsPerAccount` at once per account (12 in the proxy; the rest queue), and the HTTP call waits for it at most
// `waitMs` (60 s in the proxy) before answering `未找到 seed`; a seed that arrives later is stored and answered at once
// next time. Each task's SeedPlan scripts what "Midjourney" does: how long it takes, whether it fails, or how many
// retrievals end with no seed (answered `未找到 seed` as soon as they end, rather than after the whole wait).
import { setTimeout as sleep } from 'node:timers/promises';
import type { TaskStore } from './store.js';
import { type FakeTask, newSnowflake } from './task.js';

export type SeedOutcome = { seed: string } | { failure: string } | 'not_found';

export interface SeedRetriever {
  /** Waits for the task's retrieval (starting one if none runs), at most waitMs. */
  retrieve(task: FakeTask): Promise<SeedOutcome>;
  running(): number;
  maxRunning(): number;
  resetMax(): void;
  /** Resolves once no retrieval runs. */
  settle(): Promise<void>;
}

export function createSeedRetriever(
  store: TaskStore,
  options: { waitMs: number; slotsPerAccount: number; closing: AbortSignal },
): SeedRetriever {
  const { waitMs, slotsPerAccount, closing } = options;
  const retrievals = new Map<string, Promise<void>>();
  const accounts = new Map<string, { busy: number; queue: (() => void)[] }>();
  let runningCount = 0;
  let maxRunning = 0;

  const slotsOf = (instanceId: string) => {
    let slots = accounts.get(instanceId);
    if (slots === undefined) {
      slots = { busy: 0, queue: [] };
      accounts.set(instanceId, slots);
    }
    return slots;
  };

  const acquire = async (instanceId: string): Promise<void> => {
    const slots = slotsOf(instanceId);
    if (slots.busy < slotsPerAccount) {
      slots.busy += 1;
      return;
    }
    await new Promise<void>((resolve) => slots.queue.push(resolve));
  };

  const release = (instanceId: string): void => {
    const slots = slotsOf(instanceId);
    const next = slots.queue.shift();
    if (next !== undefined) next();
    else slots.busy -= 1;
  };

  /** What "Midjourney" does for one retrieval: store the seed or the error, or nothing. */
  const run = async (task: FakeTask): Promise<void> => {
    const extras = store.extras.get(task.id);
    if (extras === undefined) return;
    await acquire(task.instanceId);
    runningCount += 1;
    maxRunning = Math.max(maxRunning, runningCount);
    try {
      extras.retrievals += 1;
      const attempt = extras.retrievals;
      const { plan } = extras;
      if ((plan.blockMs ?? 0) > 0) await sleep(plan.blockMs, undefined, { signal: closing });
      if (plan.failure !== undefined) task.seedError = plan.failure;
      else if (attempt > (plan.notFoundTimes ?? 0)) {
        task.seed = String(extras.seed);
        task.seedMessageId = newSnowflake();
      }
    } finally {
      runningCount -= 1;
      release(task.instanceId);
    }
  };

  const start = (task: FakeTask): Promise<void> => {
    const running = retrievals.get(task.id);
    if (running !== undefined) return running;
    const retrieval = run(task)
      .catch(() => undefined)
      .finally(() => retrievals.delete(task.id));
    retrievals.set(task.id, retrieval);
    return retrieval;
  };

  return {
    async retrieve(task) {
      task.seedError = null;
      const waited = new AbortController();
      const ended = start(task).then(() => 'ended' as const);
      const gaveUp = sleep(waitMs, 'gave_up' as const, {
        signal: AbortSignal.any([waited.signal, closing]),
      }).catch(() => 'gave_up' as const);
      await Promise.race([ended, gaveUp]);
      waited.abort();
      if (task.seed !== null && task.seed !== '') return { seed: task.seed };
      if (task.seedError !== null && task.seedError !== '') return { failure: task.seedError };
      return 'not_found';
    },
    running: () => runningCount,
    maxRunning: () => maxRunning,
    resetMax() {
      maxRunning = runningCount;
    },
    async settle() {
      while (retrievals.size > 0) await Promise.allSettled([...retrievals.values()]);
    },
  };
}
