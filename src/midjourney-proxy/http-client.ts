// The HTTP implementation of the proxy port. Every body goes through a schema from schemas.ts; every failure becomes
// a ProxyError whose kind follows errors.ts. The token travels as `Mj-Api-Secret: <token>`, bare: the proxy compares
// the header raw (an `Authorization: Bearer …` would never match). Retries are bounded, jittered, honour Retry-After,
// and only repeat what cannot start a second seed retrieval: `image-seed` is repeated only when the caller asks.
import type { z } from 'zod';
import { backoffMs } from '../lib/backoff.js';
import { errorCodes, isConnectFailure, parseJson, parseRetryAfter } from '../lib/http.js';
import { sleep as defaultSleep } from '../lib/sleep.js';
import {
  isProxyError,
  isTransientProxyKind,
  type ProxyEndpoint,
  ProxyError,
  type ProxyErrorDetails,
  type ProxyErrorKind,
} from './errors.js';
import type { ImageSeedOptions, MidjourneyProxyClient, ProxyCallOptions, ProxyTask } from './port.js';
import {
  type Envelope,
  envelopeSchema,
  fetchedTaskSchema,
  seedValueSchema,
  taskListSchema,
} from './schemas.js';

export interface ProxyCallInfo {
  endpoint: ProxyEndpoint;
  status: number | 'error';
  ms: number;
  attempt: number;
}

export interface MidjourneyProxyClientOptions {
  /** e.g. `http://127.0.0.1:8080`: the routes are under `/mj/…` below it. A trailing slash is fine. */
  baseUrl: string;
  token: string;
  fetch?: typeof fetch;
  /** Per attempt of every call but `image-seed`, headers and body included. Default 15000 ms. */
  timeoutMs?: number;
  /** Per attempt of `image-seed`, which blocks up to 60 s on the proxy: keep it longer than that. Default 75000 ms. */
  seedTimeoutMs?: number;
  retry?: {
    /** Attempts in total for the reading calls (fetch, list-by-ids, ping), the first included. Default 3. */
    maxAttempts?: number;
    /** Backoff cap before jitter for the first retry; doubles each time. Default 500 ms. */
    baseDelayMs?: number;
    /** Upper bound of one pause. A longer Retry-After is not waited for: the error is thrown. Default 30000 ms. */
    maxDelayMs?: number;
  };
  /** Pause between attempts; must reject when `signal` aborts. Default: a timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Random numbers in [0, 1) for the backoff's jitter. Default Math.random. */
  random?: () => number;
  /** The clock (Retry-After dates, call durations). Default Date.now. */
  now?: () => number;
  /** Called after every attempt, for metrics. */
  onCall?: (info: ProxyCallInfo) => void;
  /** Called once for every call that ends in a ProxyError (after its retries), for metrics. */
  onError?: (error: ProxyError) => void;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_SEED_TIMEOUT_MS = 75_000;
const DEFAULT_MAX_ATTEMPTS = 3;
const DEFAULT_BASE_DELAY_MS = 500;
const DEFAULT_MAX_DELAY_MS = 30_000;
const UPSTREAM_TEXT_LIMIT = 300;

/** A task id that cannot exist: `ping` reads it (the proxy answers 204 for an unknown id once the token passes). */
const PING_TASK_ID = '0000000000000000';

/** The proxy's task ids are digits (Unix ms + 3); anything else could escape the route's path. */
const TASK_ID = /^\d{1,32}$/;

/** What `image-seed`'s code 3 says, in the proxy's words (`SubmitSeed`, `TaskController.ImageSeed`). */
const SEED_NOT_FOUND = /未找到\s*seed|seed not found/i;
const NO_ACCOUNT = /无可用的账号|no (?:available|live) account/i;
const TASK_UNKNOWN = /不存在|已失效|does not exist|not exist/i;

interface Request {
  endpoint: ProxyEndpoint;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  signal?: AbortSignal | undefined;
  taskId?: string | undefined;
  timeoutMs: number;
  attempts: number;
  /** Repeating cannot start anything (reads); false for `image-seed`, which may start a retrieval in the proxy. */
  idempotent: boolean;
}

interface Answer {
  status: number;
  text: string;
}

interface Failure {
  error: ProxyError;
  retryable: boolean;
}

const clip = (text: string): string | undefined => {
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed.slice(0, UPSTREAM_TEXT_LIMIT);
};

/** The envelope of an answer, when its body is one. */
const envelopeOf = (text: string): Envelope | undefined => {
  const json = parseJson(text);
  if (!json.ok) return undefined;
  const parsed = envelopeSchema.safeParse(json.value);
  return parsed.success ? parsed.data : undefined;
};

/** What `image-seed`'s code 3 means: the description tells the three apart. */
const kindOfCode3 = (description: string | undefined): ProxyErrorKind => {
  const text = description ?? '';
  if (SEED_NOT_FOUND.test(text)) return 'seed_pending';
  if (NO_ACCOUNT.test(text)) return 'no_account';
  if (TASK_UNKNOWN.test(text)) return 'not_found';
  // Any other wording of "not found" at HTTP 200 is read as "not yet": the caller's deadline bounds the asking again.
  return 'seed_pending';
};

export function createMidjourneyProxyClient(options: MidjourneyProxyClientOptions): MidjourneyProxyClient {
  const token = options.token;
  // A header value: printable ASCII, and the proxy compares it raw, so no `Bearer ` or stray spaces either.
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw new Error('midjourney-proxy token must be printable ASCII without whitespace');
  }
  const base = `${options.baseUrl.replace(/\/+$/, '')}/`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const seedTimeoutMs = options.seedTimeoutMs ?? DEFAULT_SEED_TIMEOUT_MS;
  const doFetch = options.fetch ?? globalThis.fetch;
  const maxAttempts = Math.max(1, options.retry?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const baseDelayMs = options.retry?.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const maxDelayMs = options.retry?.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;

  /** Every text of ours or the proxy's passes here, so a token echoed by anyone never reaches a log. */
  const redact = (text: string): string => text.split(token).join('[redacted]');

  const fail = (kind: ProxyErrorKind, req: Request, summary: string, details: ProxyErrorDetails = {}) => {
    const upstream = details.upstream === undefined ? undefined : redact(details.upstream);
    const seedError = details.seedError === undefined ? undefined : redact(details.seedError);
    const status = details.status === undefined ? 'no response' : `HTTP ${details.status}`;
    const code = details.code === undefined ? '' : ` code ${details.code}`;
    const subject = req.taskId === undefined ? '' : ` task ${req.taskId}`;
    const message = redact(
      `midjourney-proxy ${req.endpoint} (${req.method}${subject}): ${status}${code} ${kind}${
        summary ? `: ${summary}` : ''
      }${upstream ? ` (upstream: ${upstream})` : ''}`,
    );
    return new ProxyError(kind, message, {
      endpoint: req.endpoint,
      taskId: req.taskId,
      ...details,
      upstream,
      seedError,
    });
  };

  /** Retried when the core's table says waiting can fix it and the transport says repeating the call is safe. */
  const failure = (error: ProxyError, safeToRepeat: boolean): Failure => ({
    error,
    retryable: safeToRepeat && isTransientProxyKind(error.kind),
  });

  /** A non-2xx answer. */
  const failureOfStatus = (req: Request, answer: Answer, retryAfter: string | null): Failure => {
    const { status, text } = answer;
    const envelope = envelopeOf(text);
    const details: ProxyErrorDetails = {
      status,
      code: envelope?.code,
      upstream: envelope?.description ?? clip(text),
    };
    if (status === 401 || status === 403) {
      return failure(fail('unauthorized', req, 'the token was refused', details), false);
    }
    if (status === 429 || status >= 500) {
      details.retryAfterMs = parseRetryAfter(retryAfter, now());
      const kind = status === 429 ? 'busy' : 'unavailable';
      // A 429 is answered before any work; a 5xx of image-seed may come after a retrieval started.
      return failure(fail(kind, req, '', details), status === 429 || req.idempotent);
    }
    // Not repeated here: a 404's "no seed yet" (code 3) is asked again by the core, within its deadline.
    if (status === 404) {
      const kind = envelope?.code === 3 ? kindOfCode3(envelope.description) : 'not_found';
      const summary = envelope === undefined ? 'no such task or route (is MJ_PROXY_URL the proxy?)' : '';
      return failure(fail(kind, req, summary, details), false);
    }
    if (status === 400 && req.endpoint === 'image_seed' && envelope?.code === 4) {
      return failure(fail('not_finished', req, 'the task has no Midjourney job yet', details), false);
    }
    return failure(fail('bad_response', req, 'an answer the proxy does not document', details), false);
  };

  /** A rejection of fetch or of reading the body. */
  const failureOfRejection = (
    req: Request,
    error: unknown,
    timeoutSignal: AbortSignal,
    status: number | undefined,
  ): Failure => {
    if (timeoutSignal.aborted) {
      return failure(
        fail('timeout', req, `no answer within ${req.timeoutMs} ms`, { status, cause: error }),
        req.idempotent,
      );
    }
    const codes = errorCodes(error);
    const beforeRequest = isConnectFailure(codes);
    const cause = redact(String(error)) === String(error) ? error : undefined;
    const summary = `connection failed${codes.length > 0 ? ` [${codes.join(', ')}]` : ''}`;
    return failure(fail('network', req, summary, { status, cause }), req.idempotent || beforeRequest);
  };

  /** One attempt. Rejects only with the caller's abort reason. */
  const attempt = async (req: Request): Promise<{ answer: Answer } | Failure> => {
    const timeoutSignal = AbortSignal.timeout(req.timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeoutSignal]) : timeoutSignal;
    const headers: Record<string, string> = { 'Mj-Api-Secret': token, Accept: 'application/json' };
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    let status: number | undefined;
    try {
      const response = await doFetch(new URL(req.path, base), {
        method: req.method,
        headers,
        body: req.body === undefined ? undefined : JSON.stringify(req.body),
        signal,
      });
      status = response.status;
      const text = await response.text();
      if (response.ok) return { answer: { status, text } };
      return failureOfStatus(req, { status, text }, response.headers.get('retry-after'));
    } catch (error) {
      if (req.signal?.aborted) throw req.signal.reason;
      return failureOfRejection(req, error, timeoutSignal, status);
    }
  };

  // Full jitter, as useapi's client: calls that failed together spread out the most.
  const backoff = (failedAttempt: number): number =>
    backoffMs(failedAttempt, { baseMs: baseDelayMs, maxMs: maxDelayMs, jitter: 'full', random });

  const call = async (req: Request): Promise<Answer> => {
    for (let n = 1; ; n++) {
      const started = now();
      const outcome = await attempt(req).catch((reason: unknown) => {
        options.onCall?.({ endpoint: req.endpoint, status: 'error', ms: now() - started, attempt: n });
        throw reason;
      });
      const status = 'answer' in outcome ? outcome.answer.status : (outcome.error.status ?? 'error');
      options.onCall?.({ endpoint: req.endpoint, status, ms: now() - started, attempt: n });
      if ('answer' in outcome) return outcome.answer;

      const { error, retryable } = outcome;
      const retryAfterMs = error.retryAfterMs;
      const waitTooLong = retryAfterMs !== undefined && retryAfterMs > maxDelayMs;
      if (!retryable || n >= req.attempts || waitTooLong) {
        if (n > 1) error.message = `${error.message} after ${n} attempts`;
        throw error;
      }
      await sleep(Math.max(backoff(n), retryAfterMs ?? 0), req.signal);
    }
  };

  const parse = <T>(req: Request, schema: z.ZodType<T>, answer: Answer, value?: unknown): T => {
    let input = value;
    if (input === undefined) {
      const json = parseJson(answer.text);
      if (!json.ok) {
        throw fail('bad_response', req, 'body is not JSON', {
          status: answer.status,
          upstream: clip(answer.text),
        });
      }
      input = json.value;
    }
    const result = schema.safeParse(input);
    if (!result.success) {
      const issues = result.error.issues
        .slice(0, 3)
        .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
        .join('; ');
      throw fail('bad_response', req, `unexpected body: ${issues}`, {
        status: answer.status,
        cause: result.error,
      });
    }
    return result.data;
  };

  /** Every failed call is reported once, whichever way it failed (status, no answer, body). */
  const reported = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (isProxyError(error)) options.onError?.(error);
      throw error;
    }
  };

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

  /** The seed out of `image-seed`'s envelope, or the ProxyError its code means. */
  const seedOf = (req: Request, answer: Answer): number => {
    const envelope = parse(req, envelopeSchema, answer);
    const details: ProxyErrorDetails = {
      status: answer.status,
      code: envelope.code,
      upstream: envelope.description,
    };
    switch (envelope.code) {
      case 1:
        return parse(req, seedValueSchema, answer, envelope.result ?? null);
      case 3:
        throw fail(kindOfCode3(envelope.description), req, '', details);
      case 4:
        throw fail('not_finished', req, 'the task has no Midjourney job yet', details);
      case 9:
        throw fail('failed', req, 'the seed retrieval failed', {
          ...details,
          seedError: envelope.description,
        });
      default:
        throw fail('bad_response', req, `a code image-seed does not document`, details);
    }
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
