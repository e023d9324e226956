// The fake proxy's state: its tasks, how each one's seed retrieval behaves, and which accounts are alive. Every
// status or progress change goes through `update`, which tells the notifier (as the proxy does on each change).
import type { Notifier } from './notify.js';
import {
  discordGridUrl,
  type FakeTask,
  type FakeTaskStatus,
  finishTask,
  freshJobUuid,
  type ImagineTaskInput,
  jobUuidIn,
  newSnowflake,
  randomSeed,
  submittedTask,
} from './task.js';

/** What "Midjourney" does when the proxy retrieves this task's seed (see seeds.ts). */
export interface SeedPlan {
  /** This many retrievals end with no seed (answered `未找到 seed`) before one finds it. Default 0. */
  notFoundTimes?: number;
  /** Each retrieval takes this long; past the proxy's wait the call answers `未找到 seed` and the seed is stored later. Default 0. */
  blockMs?: number;
  /** The retrieval fails: code 9 with this text, stored as the task's seedError. */
  failure?: string;
}

interface TaskExtras {
  /** The seed Midjourney would reveal. */
  seed: number;
  plan: SeedPlan;
  /** Retrievals started so far. */
  retrievals: number;
  /** What finishing the task fills in (known from the start, so the Discord message can exist before SUCCESS). */
  pending: {
    imageUrl: string | undefined;
    jobUuid: string;
    messageId: string;
    channelId: string;
    guildId: string | undefined;
    imageUrls: ImagineTaskInput['imageUrls'];
  };
}

export interface TaskStore {
  tasks: Map<string, FakeTask>;
  extras: Map<string, TaskExtras>;
  addImagineTask(input: ImagineTaskInput): FakeTask;
  /** Applies a change; the notifier hears of it when status or progress moved. SUCCESS fills in the Midjourney job. */
  update(id: string, change: { status?: FakeTaskStatus; progress?: string; failReason?: string }): FakeTask;
  setSeedPlan(id: string, plan: SeedPlan): void;
  setAccountAlive(alive: boolean, instanceId?: string): void;
  isAccountAlive(instanceId: string): boolean;
  defaultInstanceId: string;
}

export function createTaskStore(options: { defaultInstanceId: string; notifier: Notifier }): TaskStore {
  const { defaultInstanceId, notifier } = options;
  const tasks = new Map<string, FakeTask>();
  const extras = new Map<string, TaskExtras>();
  const deadAccounts = new Set<string>();

  const extrasOf = (id: string): TaskExtras => {
    const found = extras.get(id);
    if (found === undefined) throw new Error(`fake midjourney-proxy: no task ${id}`);
    return found;
  };

  const complete = (task: FakeTask): void => {
    const { pending } = extrasOf(task.id);
    const prompt = task.prompt;
    const jobUuid = pending.jobUuid;
    finishTask(
      task,
      {
        imageUrl: pending.imageUrl ?? discordGridUrl(pending.channelId, prompt, jobUuid),
        jobUuid,
        messageId: pending.messageId,
        finalPrompt: prompt,
      },
      pending.imageUrls,
    );
  };

  const update: TaskStore['update'] = (id, change) => {
    const task = tasks.get(id);
    if (task === undefined) throw new Error(`fake midjourney-proxy: no task ${id}`);
    if (change.status === 'SUCCESS' && task.status !== 'SUCCESS') complete(task);
    if (change.status !== undefined) {
      task.status = change.status;
      task.isCompleted = ['SUCCESS', 'FAILURE', 'CANCEL'].includes(change.status);
      if (change.status === 'IN_PROGRESS') task.startTime ??= Date.now();
      if (change.status === 'FAILURE' || change.status === 'CANCEL') task.finishTime = Date.now();
    }
    if (change.progress !== undefined) task.progress = change.progress;
    if (change.failReason !== undefined) task.failReason = change.failReason;
    notifier.taskChanged(task);
    return task;
  };

  return {
    tasks,
    extras,
    defaultInstanceId,
    addImagineTask(input) {
      const seed = input.seed ?? randomSeed();
      const prompt = input.prompt ?? 'a lighthouse at dusk --ar 1:1';
      const instanceId = input.instanceId ?? defaultInstanceId;
      const task = submittedTask({
        prompt,
        instanceId,
        botType: input.botType ?? 'MID_JOURNEY',
        notifyHook: input.notifyHook,
        seed: input.seedKnown ? String(seed) : null,
      });
      tasks.set(task.id, task);
      extras.set(task.id, {
        seed,
        plan: {},
        retrievals: 0,
        pending: {
          imageUrl: input.imageUrl,
          jobUuid: (input.imageUrl === undefined ? undefined : jobUuidIn(input.imageUrl)) ?? freshJobUuid(),
          messageId: input.messageId ?? newSnowflake(),
          channelId: input.channelId ?? instanceId,
          guildId: input.guildId,
          imageUrls: input.imageUrls,
        },
      });
      const status = input.status ?? 'SUCCESS';
      if (status === 'SUBMITTED') notifier.taskChanged(task);
      else update(task.id, { status, ...(status === 'IN_PROGRESS' ? { progress: '0%' } : {}) });
      return task;
    },
    update,
    setSeedPlan(id, plan) {
      extrasOf(id).plan = { ...plan };
    },
    setAccountAlive(alive, instanceId = defaultInstanceId) {
      if (alive) deadAccounts.delete(instanceId);
      else deadAccounts.add(instanceId);
    },
    isAccountAlive: (instanceId) => !deadAccounts.has(instanceId),
  };
}
