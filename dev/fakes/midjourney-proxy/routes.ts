// The proxy's task routes the bot uses, answering as TaskController does: fetch (the task, or 204 for an unknown id),
// image-seed (the envelope and its codes, blocking while "Midjourney" answers), list-by-ids, list.

import type { SeedRetriever } from './seeds.js';
import type { TaskStore } from './store.js';
import type { FakeTask } from './task.js';

/** The routes the fake counts calls of. */
export type ProxyRoute = 'fetch' | 'image-seed' | 'list-by-ids' | 'list' | 'cancel' | 'other';

export interface Reply {
  status: number;
  /** A string is sent as plain text (as the proxy's middlewares write), anything else as JSON; none: empty. */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteRequest {
  method: string;
  path: string;
  body: unknown;
}

const PREFIX = '^/(?:mj-(?:fast|turbo|relax)/)?mj/task';
const TASK_ROUTE = new RegExp(`${PREFIX}/([^/]+)/(fetch|image-seed|cancel)$`);
const LIST_ROUTE = new RegExp(`${PREFIX}/(list-by-ids|list-by-condition|list)$`);

/** Which route a request is for (before auth, so refused calls are counted too). */
export const routeOf = (method: string, path: string): ProxyRoute => {
  const task = TASK_ROUTE.exec(path);
  if (task?.[2] === 'fetch' && method === 'GET') return 'fetch';
  if (task?.[2] === 'image-seed' && method === 'GET') return 'image-seed';
  if (task?.[2] === 'cancel' && method === 'POST') return 'cancel';
  const list = LIST_ROUTE.exec(path)?.[1];
  if (list === 'list' && method === 'GET') return 'list';
  if (list !== undefined && list !== 'list' && method === 'POST') return 'list-by-ids';
  return 'other';
};

/** `SubmitResultVO` */
const envelope = (code: number, description: string, result: unknown = null) => ({
  code,
  description,
  result,
  properties: {},
});

export const TEXT = {
  success: '成功',
  taskUnknown: '关联任务不存在或已失效',
  taskState: '关联任务状态错误',
  noAccount: '无可用的账号实例',
  seedNotFound: '未找到 seed',
} as const;

export interface Routes {
  handle(route: ProxyRoute, req: RouteRequest): Reply | Promise<Reply>;
  /** image-seed calls being answered right now (waiting on a retrieval), and the most at once. */
  seedCallsInFlight(): number;
  maxSeedCallsInFlight(): number;
  resetMax(): void;
}

export function createRoutes(store: TaskStore, seeds: SeedRetriever): Routes {
  let inFlight = 0;
  let maxInFlight = 0;

  const taskIdOf = (path: string): string => decodeURIComponent(TASK_ROUTE.exec(path)?.[1] ?? '');

  /** `TaskService.SubmitSeed`: the account must be alive; then wait for the retrieval, at most the proxy's wait. */
  const submitSeed = async (task: FakeTask): Promise<Reply> => {
    if (!store.isAccountAlive(task.instanceId)) return { status: 200, body: envelope(3, TEXT.noAccount) };
    const outcome = await seeds.retrieve(task);
    if (outcome === 'not_found') return { status: 200, body: envelope(3, TEXT.seedNotFound) };
    if ('failure' in outcome) return { status: 200, body: envelope(9, outcome.failure) };
    return { status: 200, body: envelope(1, TEXT.success, outcome.seed) };
  };

  const imageSeed = async (id: string): Promise<Reply> => {
    const task = store.tasks.get(id);
    if (task === undefined) return { status: 404, body: envelope(3, TEXT.taskUnknown) };
    if (task.seed !== null && task.seed !== '')
      return { status: 200, body: envelope(1, TEXT.success, task.seed) };
    if (typeof task.properties.messageHash !== 'string')
      return { status: 400, body: envelope(4, TEXT.taskState) };
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      return await submitSeed(task);
    } finally {
      inFlight -= 1;
    }
  };

  const idsOf = (body: unknown): string[] => {
    const ids = typeof body === 'object' && body !== null ? (body as { ids?: unknown }).ids : undefined;
    return Array.isArray(ids)
      ? ids.filter((v): v is string => typeof v === 'string').map((v) => v.trim())
      : [];
  };

  return {
    handle(route, req) {
      switch (route) {
        case 'fetch': {
          const task = store.tasks.get(taskIdOf(req.path));
          // ASP.NET answers an action's null with 204 No Content.
          return task === undefined ? { status: 204 } : { status: 200, body: task };
        }
        case 'image-seed':
          return imageSeed(taskIdOf(req.path));
        case 'list-by-ids': {
          const ids = new Set(idsOf(req.body));
          return { status: 200, body: [...store.tasks.values()].filter((t) => ids.has(t.id)) };
        }
        case 'list':
          return {
            status: 200,
            body: [...store.tasks.values()].sort((a, b) => b.submitTime - a.submitTime).slice(0, 100),
          };
        case 'cancel': {
          const task = store.tasks.get(taskIdOf(req.path));
          if (task !== undefined && !task.isCompleted) {
            store.update(task.id, { status: 'FAILURE', failReason: '取消任务' });
          }
          return { status: 200 };
        }
        default:
          return { status: 404 };
      }
    },
    seedCallsInFlight: () => inFlight,
    maxSeedCallsInFlight: () => maxInFlight,
    resetMax() {
      maxInFlight = inFlight;
    },
  };
}
