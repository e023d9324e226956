// A local HTTP server that behaves like trueai-org/midjourney-proxy as /work/shared/reference/midjourney-proxy.md
// describes it (read from its source): the task routes the bot uses with their envelope and codes, a blocking
// image-seed whose behaviour each task can script, accounts that can die, 401 plain text, notifyHook callbacks, and
// faults (injected answers, 5xx outages, refused connections). Every request is recorded and counted per route.
// The parts live in ./midjourney-proxy/: task (the TaskInfo shape), store (tasks, seed plans, accounts), seeds (the
// retrievals and their slots), notify (callbacks), routes (TaskController), http (recording, faults, auth).
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FakeDiscord, FakeMessage } from './fake-discord.js';
import { type OutageMode, startLocalServer, switchOutage } from './http/local-server.js';
import { gridContent, MIDJOURNEY_BOT_ID } from './midjourney.js';
import { createFront, type InjectedReply, type RecordedProxyRequest } from './midjourney-proxy/http.js';
import { createNotifier, type FakeNotification } from './midjourney-proxy/notify.js';
import { createRoutes, type ProxyRoute } from './midjourney-proxy/routes.js';
import { createSeedRetriever } from './midjourney-proxy/seeds.js';
import { createTaskStore, type SeedPlan, type TaskStore } from './midjourney-proxy/store.js';
import {
  type FakeTask,
  type FakeTaskStatus,
  gridFilename,
  type ImagineTaskInput,
} from './midjourney-proxy/task.js';

export { UNAUTHORIZED_TEXT } from './midjourney-proxy/http.js';
export { TEXT as PROXY_TEXT } from './midjourney-proxy/routes.js';
export type { FakeTask, ImagineTaskInput, SeedPlan };

export interface FakeMidjourneyProxyOptions {
  token?: string;
  /** The proxy-wide notifyHook (`Setting.NotifyHook`); a task's own wins. */
  notifyHook?: string;
  /** The account (its Discord channel id) of tasks added without one. */
  instanceId?: string;
  /** How long image-seed waits for a retrieval before answering `未找到 seed`. Default 60000, as the proxy. */
  seedWaitMs?: number;
  /** Seed retrievals at once per account; the rest queue. Default 12, as the proxy. */
  seedSlotsPerAccount?: number;
}

export interface FakeMidjourneyProxy {
  /** The proxy's root, e.g. http://127.0.0.1:12345 (the routes are under /mj/…): what MJ_PROXY_URL holds. */
  url: string;
  token: string;
  /** The default account's Discord channel id. */
  instanceId: string;
  requests: RecordedProxyRequest[];
  /** Requests for that route so far (refused and failed ones included); all requests without one. */
  calls(route?: ProxyRoute): number;
  /**
   * A finished imagine task (or at `status`), as the proxy records it: id of Unix ms + 3 digits, the job UUID as
   * jobId and properties.messageHash and in the grid's file name. Notifies its hook.
   */
  addImagineTask(input?: TaskInput): FakeTask;
  /** The whole life of a task, notifying at each step: SUBMITTED, IN_PROGRESS 0%…, SUCCESS. */
  runImagineTask(input?: TaskInput, pace?: { steps?: number; stepMs?: number }): Promise<FakeTask>;
  /**
   * Makes, in the fake Discord, the message Midjourney posts for the task (now, or for when it succeeds): the task's
   * messageId, the grid attachment named with its job UUID, `--seed N` in the prompt when the proxy appended it; and
   * the task's imageUrl becomes that attachment's URL, as the proxy stores it. Call it before the task succeeds for
   * the notifyHook bodies to carry that URL too. Channel and server default to the task's channelId and guildId.
   */
  showInDiscord(
    discord: Pick<FakeDiscord, 'makeMessage'>,
    id: string,
    where: {
      ownerId: string;
      channelId?: string;
      guildId?: string;
      dispatch?: boolean;
      /** The grid's bytes the fake Discord serves (e.g. dev/fakes/grid-image.ts's makeGrid); a 1x1 PNG otherwise. */
      grid?: { data: Buffer; width: number; height: number };
    },
  ): FakeMessage;
  /** The live stored task. */
  getTask(id: string): FakeTask | undefined;
  /** Moves a task on (notifying); SUCCESS fills in the Midjourney job. */
  advanceTask(
    id: string,
    change: { status?: FakeTaskStatus; progress?: string; failReason?: string },
  ): FakeTask;
  /** How image-seed behaves for this task from now on (its seed not stored yet). */
  setSeedPlan(id: string, plan: SeedPlan): void;
  /** Seed retrievals started for the task (answers of a stored seed not counted). */
  retrievals(id: string): number;
  /** No live account (`无可用的账号实例`) while false. Default account when instanceId is absent. */
  setAccountAlive(alive: boolean, instanceId?: string): void;
  setNotifyHook(url: string | undefined): void;
  /** Callbacks sent, recorded once answered or failed. */
  notifications: FakeNotification[];
  settleNotifications(): Promise<void>;
  /** Queued answers for that route ('*': any), used before auth and routing, one per request. */
  failNext(route: ProxyRoute | '*', replies: InjectedReply[]): void;
  /**
   * 'refuse' closes the listening socket (connections refused, open ones dropped); a status answers every request
   * with it, empty (e.g. 502 from a reverse proxy); 'none' ends it (listening again on the same port).
   */
  outage(mode: OutageMode): Promise<void>;
  /** image-seed calls waiting on a retrieval right now, and the most at once since start or resetStats(). */
  seedCallsInFlight(): number;
  maxSeedCallsInFlight(): number;
  /** Most retrievals running at once (across accounts) since start or resetStats(). */
  maxRetrievalsRunning(): number;
  /** Resolves once no seed retrieval runs (a seed that arrives after its call gave up is stored by then). */
  settleRetrievals(): Promise<void>;
  /** Clears recorded requests and notifications. */
  resetStats(): void;
  close(): Promise<void>;
}

const DEFAULT_TOKEN = 'fake-mj-proxy-token-0123456789';
const DEFAULT_INSTANCE_ID = '1316232391072944555';

type TaskInput = ImagineTaskInput & { seedPlan?: SeedPlan };

/** Stores an imagine task and, when given, how its seed retrieval behaves. */
const addTask = (store: TaskStore, input: TaskInput): FakeTask => {
  const { seedPlan, ...rest } = input;
  const task = store.addImagineTask(rest);
  if (seedPlan !== undefined) store.setSeedPlan(task.id, seedPlan);
  return task;
};

/** A task from SUBMITTED through IN_PROGRESS steps to its final status, each step stored (and so notified). */
async function runTaskLife(
  store: TaskStore,
  input: TaskInput,
  pace: { steps?: number; stepMs?: number },
): Promise<FakeTask> {
  const steps = pace.steps ?? 2;
  const stepMs = pace.stepMs ?? 10;
  const task = addTask(store, { ...input, status: 'SUBMITTED' });
  for (let step = 0; step < steps; step++) {
    await sleep(stepMs);
    store.update(task.id, { status: 'IN_PROGRESS', progress: `${Math.floor((100 * step) / steps)}%` });
  }
  await sleep(stepMs);
  return store.update(task.id, { status: input.status ?? 'SUCCESS' });
}

/** FakeMidjourneyProxy['showInDiscord']: the grid message in the fake Discord, its URL then the task's imageUrl. */
function showTaskInDiscord(
  store: TaskStore,
  discord: Pick<FakeDiscord, 'makeMessage'>,
  id: string,
  where: Parameters<FakeMidjourneyProxy['showInDiscord']>[2],
): FakeMessage {
  const task = store.tasks.get(id);
  const pending = store.extras.get(id)?.pending;
  if (task === undefined || pending === undefined) throw new Error(`fake midjourney-proxy: no task ${id}`);
  const prompt = task.seed === null ? task.prompt : `${task.prompt} --seed ${task.seed}`;
  const guildId = where.guildId ?? pending.guildId;
  const message = discord.makeMessage({
    id: pending.messageId,
    channelId: where.channelId ?? pending.channelId,
    ...(guildId === undefined ? {} : { guildId }),
    author: { id: MIDJOURNEY_BOT_ID, username: 'Midjourney Bot', bot: true },
    content: gridContent(prompt, where.ownerId),
    attachments: [
      {
        filename: gridFilename(task.prompt, pending.jobUuid),
        content_type: 'image/png',
        width: where.grid?.width ?? 2048,
        height: where.grid?.height ?? 2048,
        ...(where.grid ? { data: where.grid.data } : {}),
      },
    ],
    ...(where.dispatch ? { dispatch: true } : {}),
  });
  const url = message.attachments[0]?.url;
  pending.imageUrl = url;
  if (task.status === 'SUCCESS' && url !== undefined) task.imageUrl = url;
  return message;
}

/** The proxy's parts, each handed what it reads: notifier → store → seed retrievals → routes → HTTP front. */
function createProxyParts(options: FakeMidjourneyProxyOptions, closing: AbortSignal) {
  const token = options.token ?? DEFAULT_TOKEN;
  const instanceId = options.instanceId ?? DEFAULT_INSTANCE_ID;
  const notifier = createNotifier(options.notifyHook);
  const store = createTaskStore({ defaultInstanceId: instanceId, notifier });
  const seeds = createSeedRetriever(store, {
    waitMs: options.seedWaitMs ?? 60_000,
    slotsPerAccount: options.seedSlotsPerAccount ?? 12,
    closing,
  });
  const routes = createRoutes(store, seeds);
  const front = createFront({ token, routes, closing });
  return { token, instanceId, notifier, store, seeds, routes, front };
}

/** The proxy's answer when a request fails inside the fake: its error envelope. */
const answerFailure = (res: ServerResponse): void => {
  res.writeHead(500, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify({ success: false, code: -1, message: '操作失败', timestamp: `${Date.now()}` }));
};

export async function startFakeMidjourneyProxy(
  options: FakeMidjourneyProxyOptions = {},
): Promise<FakeMidjourneyProxy> {
  const closing = new AbortController();
  const { token, instanceId, notifier, store, seeds, routes, front } = createProxyParts(
    options,
    closing.signal,
  );
  const server = await startLocalServer({ handle: (req, res) => front.handle(req, res), answerFailure });

  return {
    url: server.origin,
    token,
    instanceId,
    requests: front.requests,
    calls: (route) =>
      route === undefined ? front.requests.length : front.requests.filter((r) => r.route === route).length,
    addImagineTask: (input = {}) => addTask(store, input),
    runImagineTask: (input = {}, pace = {}) => runTaskLife(store, input, pace),
    showInDiscord: (discord, id, where) => showTaskInDiscord(store, discord, id, where),
    getTask: (id) => store.tasks.get(id),
    advanceTask: (id, change) => store.update(id, change),
    setSeedPlan: (id, plan) => store.setSeedPlan(id, plan),
    retrievals: (id) => store.extras.get(id)?.retrievals ?? 0,
    setAccountAlive: (alive, id) => store.setAccountAlive(alive, id),
    setNotifyHook: (url) => notifier.setDefaultHook(url),
    notifications: notifier.sent,
    settleNotifications: () => notifier.settle(),
    failNext: (route, replies) => front.failNext(route, replies),
    outage: (mode) =>
      switchOutage(mode, { server, setOutageStatus: (status) => front.setOutageStatus(status) }),
    seedCallsInFlight: () => routes.seedCallsInFlight(),
    maxSeedCallsInFlight: () => routes.maxSeedCallsInFlight(),
    maxRetrievalsRunning: () => seeds.maxRunning(),
    settleRetrievals: () => seeds.settle(),
    resetStats() {
      front.requests.length = 0;
      notifier.sent.length = 0;
      routes.resetMax();
      seeds.resetMax();
    },
    async close() {
      closing.abort();
      await notifier.close();
      await server.close();
    },
  };
}
