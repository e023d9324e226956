// The HTTP implementation of the proxy port: the endpoints. answers.ts reads every answer into a ProxyError whose
// kind follows errors.ts (every body through a schema from schemas.ts); transport.ts makes the attempts and retries
// them. The token travels as `Mj-Api-Secret: <token>`, bare: the proxy compares the header raw (an `Authorization:
// Bearer …` would never match). Only what cannot start a second seed retrieval is repeated: `image-seed` only when
// the caller asks.
import {
  createTransport,
  type RetryOptions,
  reportingFailures,
  retrySettings,
  type UpstreamClientOptions,
} from '../lib/transport.js';
import { createAnswerReader, type Request } from './answers.js';
import { isProxyError, type ProxyEndpoint, type ProxyError } from './errors.js';
import type { ImageSeedOptions, MidjourneyProxyClient, ProxyCallOptions, ProxyTask } from './port.js';
import { fetchedTaskSchema, taskListSchema } from './schemas.js';

export type { ProxyCallInfo } from './answers.js';

export interface MidjourneyProxyClientOptions extends UpstreamClientOptions<ProxyEndpoint, ProxyError> {
  /** e.g. `http://127.0.0.1:8080`: the routes are under `/mj/…` below it. */
  baseUrl: string;
  /** Per attempt of every call but `image-seed`, headers and body included. Default 15000 ms. */
  timeoutMs?: number;
  /** Per attempt of `image-seed`, which blocks up to 60 s on the proxy: keep it longer than that. Default 75000 ms. */
  seedTimeoutMs?: number;
  /** `maxAttempts` counts for the reading calls (fetch, list-by-ids, ping). Defaults: 3 attempts, 500 ms, 30000 ms. */
  retry?: RetryOptions;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_SEED_TIMEOUT_MS = 75_000;
const RETRY_DEFAULTS = { maxAttempts: 3, baseDelayMs: 500, maxDelayMs: 30_000 };

/** A task id that cannot exist: `ping` reads it (the proxy answers 204 for an unknown id once the token passes). */
const PING_TASK_ID = '0000000000000000';

/** The proxy's task ids are digits (Unix ms + 3); anything else could escape the route's path. */
const TASK_ID = /^\d{1,32}$/;

export function createMidjourneyProxyClient(options: MidjourneyProxyClientOptions): MidjourneyProxyClient {
  const token = options.token;
  // A header value: printable ASCII, and the proxy compares it raw, so no `Bearer ` or stray spaces either.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new Error('midjourney-proxy token must be printable ASCII without whitespace');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const seedTimeoutMs = options.seedTimeoutMs ?? DEFAULT_SEED_TIMEOUT_MS;
  const { maxAttempts } = retrySettings(options.retry, RETRY_DEFAULTS);
  const answers = createAnswerReader({ token, now: options.now ?? Date.now });
  const { fail, parse, seedOf } = answers;
  const call = createTransport({
    client: options,
    retryDefaults: RETRY_DEFAULTS,
    headers: { 'Mj-Api-Secret': token },
    timeoutMs: (req: Request) => req.timeoutMs,
    attempts: (req) => req.attempts,
    failures: answers,
  });
  const reported = reportingFailures(isProxyError, options.onError);

  const taskRequest = (
    endpoint: 'fetch' | 'image_seed' | 'ping',
    id: string,
    signal: AbortSignal | undefined,
  ): Request => {
    const isSeed = endpoint === 'image_seed';
    return {
      endpoint,
      method: 'GET',
      path: `mj/task/${id}/${isSeed ? 'image-seed' : 'fetch'}`,
      signal,
      taskId: endpoint === 'ping' ? undefined : id,
      timeoutMs: isSeed ? seedTimeoutMs : timeoutMs,
      attempts: isSeed ? 1 : maxAttempts,
      idempotent: !isSeed,
    };
  };

  /** A task id that is not digits is no task of the proxy's; it never reaches a URL. */
  const checkId = (req: Request, id: string): void => {
    if (!TASK_ID.test(id)) throw fail('not_found', req, 'a proxy task id is digits (Unix ms + 3)');
  };

  /** `fetch`: the task, or `not_found` for the 204 (or null, or empty body) the proxy answers for an unknown id. */
  const readTask = async (req: Request): Promise<ProxyTask | undefined> => {
    const answer = await call(req);
    if (answer.status === 204 || answer.text.trim() === '') return undefined;
    return parse(req, fetchedTaskSchema, answer) ?? undefined;
  };

  return {
    fetchTask(id: string, opts: ProxyCallOptions = {}): Promise<ProxyTask> {
      const req = taskRequest('fetch', id, opts.signal);
      return reported(async () => {
        checkId(req, id);
        const task = await readTask(req);
        if (task === undefined) throw fail('not_found', req, 'the proxy has no such task', { status: 204 });
        return task;
      });
    },

    imageSeed(id: string, opts: ImageSeedOptions = {}): Promise<number> {
      const req = {
        ...taskRequest('image_seed', id, opts.signal),
        attempts: Math.max(1, opts.attempts ?? 1),
      };
      return reported(async () => {
        checkId(req, id);
        return seedOf(req, await call(req));
      });
    },

    listByIds(ids: readonly string[], opts: ProxyCallOptions = {}): Promise<ProxyTask[]> {
      const req: Request = {
        endpoint: 'list_by_ids',
        method: 'POST',
        path: 'mj/task/list-by-ids',
        body: { ids },
        signal: opts.signal,
        timeoutMs,
        attempts: maxAttempts,
        idempotent: true,
      };
      return reported(async () => (ids.length === 0 ? [] : parse(req, taskListSchema, await call(req))));
    },

    async ping(opts: ProxyCallOptions = {}): Promise<void> {
      await reported(() => readTask(taskRequest('ping', PING_TASK_ID, opts.signal)));
    },
  };
}
