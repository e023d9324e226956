// The HTTP implementation of the useapi port. Every body goes through a schema from schemas.ts; every failure
// becomes a UseapiError whose kind follows errors.ts. Retries are bounded, jittered, and only where a repeat
// cannot start a second job.
import type { z } from 'zod';
import { backoffMs } from '../lib/backoff.js';
import { errorCodes, isConnectFailure, parseJson, parseRetryAfter } from '../lib/http.js';
import { sleep as defaultSleep } from '../lib/sleep.js';
import { retryDecision } from '../seed/errors.js';
import { isUseapiError, UseapiError, type UseapiErrorDetails, type UseapiErrorKind } from './errors.js';
import type { CallOptions, Job, MidjourneyAccount, SeedAsyncOptions, UseapiClient } from './port.js';
import {
  accountMapSchema,
  accountSchema,
  type ErrorBody,
  errorBodySchema,
  executingJobsSchema,
  jobSchema,
  seedAsyncResponseSchema,
} from './schemas.js';

export type UseapiEndpoint = 'seed_async' | 'get_job' | 'list_jobs' | 'accounts' | 'account' | 'reset';

export interface UseapiCallInfo {
  endpoint: UseapiEndpoint;
  status: number | 'error';
  ms: number;
  attempt: number;
}

export interface UseapiRetryOptions {
  /** Attempts in total, the first included. Default 4. */
  maxAttempts?: number;
  /** Backoff cap before jitter for the first retry; doubles each time. Default 1000 ms. */
  baseDelayMs?: number;
  /** Upper bound of one pause. A Retry-After longer than this is not waited for: the error is thrown. Default 30000 ms. */
  maxDelayMs?: number;
}

export interface UseapiClientOptions {
  /** e.g. `https://api.useapi.net/v2`, with or without a trailing slash. */
  baseUrl: string;
  token: string;
  /** Per attempt, headers and body included. Default 15000 ms. */
  timeoutMs?: number;
  fetch?: typeof fetch;
  retry?: UseapiRetryOptions;
  /** Pause between attempts; must reject when `signal` aborts. Default: a timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock (Retry-After dates, call durations). Default Date.now. */
  now?: () => number;
  /** Random numbers in [0, 1) for the backoff's jitter. Default Math.random. */
  random?: () => number;
  /** Called after every attempt, for metrics. */
  onCall?: (info: UseapiCallInfo) => void;
  /** Called once for every call that ends in a UseapiError (after its retries), for metrics. */
  onError?: (error: UseapiError) => void;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const DEFAULT_MAX_ATTEMPTS = 4;
const DEFAULT_BASE_DELAY_MS = 1_000;
const DEFAULT_MAX_DELAY_MS = 30_000;
const UPSTREAM_TEXT_LIMIT = 300;

interface Request {
  endpoint: UseapiEndpoint;
  method: 'GET' | 'POST';
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal | undefined;
  /** Repeating the call cannot do anything twice (everything but seed_async). */
  idempotent: boolean;
  /** false: a 429 is the caller's to wait for (SeedAsyncOptions.retryBusy). */
  retryBusy?: boolean;
  /** The job asked about, for error details (and the channel of a 596). */
  jobid?: string;
  /** The account channel asked about. */
  channel?: string;
}

interface Answer {
  status: number;
  text: string;
}

/** One failed attempt: the error to throw and whether repeating the call is safe. */
interface Failure {
  error: UseapiError;
  retryable: boolean;
}

/** The channel id inside a v2 (`...-channel:<id>...`) or v3 (`j...-u<n>-c<id>-bot:...`) jobid. */
const channelOfJobid = (jobid: string | undefined): string | undefined => {
  if (jobid === undefined) return undefined;
  return /(?:^|-)channel:(\d+)/.exec(jobid)?.[1] ?? /^j\d+[iv]-u\d+-c(\d+)-bot:/.exec(jobid)?.[1];
};

/** Which error kind a 400 message means. `verb` is set for unsupported jobs. */
const classify400 = (message: string): { kind: UseapiErrorKind; verb?: string } => {
  if (/jobid not provided/i.test(message) || /^\W*jobid\b.*\bis missing/i.test(message)) {
    return { kind: 'jobid_missing' };
  }
  if (/is too long/i.test(message)) return { kind: 'too_long' };
  if (/parent job must be completed/i.test(message)) return { kind: 'parent_not_completed' };
  const unsupported = /job of type\s+\W*([\w-]+)\W*\s+(?:is\s+)?not supported/i.exec(message);
  if (unsupported) return { kind: 'unsupported_job', verb: unsupported[1] ?? '' };
  if (/^\W*(discord|channel)\b.*\bis missing/i.test(message)) return { kind: 'account_missing' };
  return { kind: 'bad_request' };
};

const kindOfStatus = (status: number): UseapiErrorKind => {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 402) return 'no_subscription';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status === 422) return 'moderated';
  if (status === 429) return 'busy';
  if (status === 504) return 'untrackable';
  if (status === 596) return 'pending_moderation';
  if (status >= 500) return 'unavailable';
  return 'bad_request';
};

/** How useapi's pages announce the end of its Midjourney API ("Midjourney support was discontinued on June 24, 2026"). */
const DISCONTINUED = /\bdiscontinued\b|\bno longer (?:supported|available|offered)\b/i;

/**
 * useapi no longer serving Midjourney for this token: 410 Gone on any route, 404 on the account list (which exists
 * whenever the Midjourney API is served, even with no account), or an error text saying so.
 */
const isDiscontinued = (req: Request, status: number, upstream: string | undefined): boolean =>
  status === 410 || (status === 404 && req.endpoint === 'accounts') || DISCONTINUED.test(upstream ?? '');

export function createUseapiClient(options: UseapiClientOptions): UseapiClient {
  const token = options.token;
  if (token.trim() === '' || /[\s]/.test(token)) {
    throw new Error('useapi token must be a non-empty string without whitespace');
  }
  const base = `${options.baseUrl.replace(/\/+$/, '')}/`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const doFetch = options.fetch ?? globalThis.fetch;
  const maxAttempts = Math.max(1, options.retry?.maxAttempts ?? DEFAULT_MAX_ATTEMPTS);
  const baseDelayMs = options.retry?.baseDelayMs ?? DEFAULT_BASE_DELAY_MS;
  const maxDelayMs = options.retry?.maxDelayMs ?? DEFAULT_MAX_DELAY_MS;
  const sleep = options.sleep ?? defaultSleep;
  const random = options.random ?? Math.random;
  const now = options.now ?? Date.now;
  const onCall = options.onCall;

  /** Upstream text and our messages pass through here, so a token echoed by anyone never reaches a log. */
  const redact = (text: string): string => text.split(token).join('[redacted]');

  const fail = (kind: UseapiErrorKind, req: Request, summary: string, details: UseapiErrorDetails = {}) => {
    const upstream = details.upstream === undefined ? undefined : redact(details.upstream);
    const status = details.status === undefined ? 'no response' : `HTTP ${details.status}`;
    const subject = req.jobid ? ` ${req.jobid}` : req.channel ? ` channel ${req.channel}` : '';
    const message = redact(
      `useapi ${req.endpoint} (${req.method}${subject}): ${status} ${kind}${summary ? `: ${summary}` : ''}${
        upstream ? ` (upstream: ${upstream})` : ''
      }`,
    );
    return new UseapiError(kind, message, {
      endpoint: req.endpoint,
      jobid: req.jobid,
      ...details,
      upstream,
      moderationText: details.moderationText === undefined ? undefined : redact(details.moderationText),
    });
  };

  const urlOf = (req: Request): string => {
    const url = new URL(req.path, base);
    for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, value);
    return url.toString();
  };

  /** Retried when the core's table says waiting can fix it and the transport says repeating the call is safe. */
  const failure = (error: UseapiError, safeToRepeat: boolean): Failure => ({
    error,
    retryable: safeToRepeat && retryDecision(error) === 'retry',
  });

  /** Turns a non-2xx answer into a failure. */
  const failureOfStatus = (req: Request, answer: Answer, retryAfterHeader: string | null): Failure => {
    const { status, text } = answer;
    const json = parseJson(text);
    const parsed = json.ok ? errorBodySchema.safeParse(json.value) : undefined;
    const body: ErrorBody | undefined = parsed?.success ? parsed.data : undefined;
    const upstream =
      body?.error ?? (text.trim() === '' ? undefined : text.trim().slice(0, UPSTREAM_TEXT_LIMIT));
    const details: UseapiErrorDetails = { status, upstream };
    let kind = kindOfStatus(status);

    if (isDiscontinued(req, status, upstream)) {
      kind = 'discontinued';
    } else if (status === 400) {
      const classified = classify400(upstream ?? '');
      kind = classified.kind;
      details.verb = classified.verb;
    } else if (status === 429) {
      details.executingJobs = body?.executingJobs;
      details.retryAfterMs = parseRetryAfter(retryAfterHeader, now());
    } else if (status === 596) {
      details.channel = body?.channel ?? req.channel ?? channelOfJobid(body?.jobid ?? req.jobid);
      details.moderationText = body?.errorDetails ?? body?.error;
    } else if (status >= 500) {
      details.retryAfterMs = parseRetryAfter(retryAfterHeader, now());
    }

    // What waiting can fix is the core's table (596 is a human's job, 4xx final). On top, the transport's rule: a 504
    // means useapi queued a job it cannot track, so repeating seed_async could start a second one; other 5xx and 429
    // are answered before any job starts.
    return failure(fail(kind, req, '', details), status !== 504 || req.idempotent);
  };

  /** Turns a rejection of fetch or of reading the body into a failure. */
  const failureOfRejection = (
    req: Request,
    error: unknown,
    timeoutSignal: AbortSignal,
    status: number | undefined,
  ): Failure => {
    // A status of 429/5xx already says no job started, even if its body was lost.
    const statusSaysNoJob =
      status !== undefined && (status === 429 || (status >= 500 && status !== 596 && status !== 504));
    if (timeoutSignal.aborted) {
      // After seed_async timed out, useapi may well have started the job.
      const timedOut = fail('timeout', req, `no answer within ${timeoutMs} ms`, { status, cause: error });
      return failure(timedOut, req.idempotent || statusSaysNoJob);
    }
    const codes = errorCodes(error);
    const beforeRequest = isConnectFailure(codes);
    const cause = redact(String(error)) === String(error) ? error : undefined;
    const summary = `connection failed${codes.length > 0 ? ` [${codes.join(', ')}]` : ''}`;
    // A reset after the request was sent is as ambiguous for seed_async as a timeout.
    return failure(
      fail('network', req, summary, { status, cause }),
      req.idempotent || beforeRequest || statusSaysNoJob,
    );
  };

  /** One attempt. Rejects only with the caller's abort reason. */
  const attempt = async (req: Request): Promise<{ answer: Answer } | Failure> => {
    const timeoutSignal = AbortSignal.timeout(timeoutMs);
    const signal = req.signal ? AbortSignal.any([req.signal, timeoutSignal]) : timeoutSignal;
    const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
    if (req.body !== undefined) headers['Content-Type'] = 'application/json';
    let status: number | undefined;
    try {
      const response = await doFetch(urlOf(req), {
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

  // Full jitter: a call waits up to its step, so clients that failed together spread out the most.
  const backoff = (failedAttempt: number): number =>
    backoffMs(failedAttempt, { baseMs: baseDelayMs, maxMs: maxDelayMs, jitter: 'full', random });

  const call = async (req: Request): Promise<Answer> => {
    for (let n = 1; ; n++) {
      const started = now();
      const outcome = await attempt(req).catch((reason: unknown) => {
        onCall?.({ endpoint: req.endpoint, status: 'error', ms: now() - started, attempt: n });
        throw reason;
      });
      const status = 'answer' in outcome ? outcome.answer.status : (outcome.error.status ?? 'error');
      onCall?.({ endpoint: req.endpoint, status, ms: now() - started, attempt: n });
      if ('answer' in outcome) return outcome.answer;

      const { error, retryable } = outcome;
      const retryAfterMs = error.retryAfterMs;
      const waitTooLong = retryAfterMs !== undefined && retryAfterMs > maxDelayMs;
      const busyIsCallers = error.kind === 'busy' && req.retryBusy === false;
      if (!retryable || n >= maxAttempts || waitTooLong || busyIsCallers) {
        if (n > 1) error.message = `${error.message} after ${n} attempts`;
        throw error;
      }
      await sleep(Math.max(backoff(n), retryAfterMs ?? 0), req.signal);
    }
  };

  const parse = <T>(req: Request, schema: z.ZodType<T>, answer: Answer): T => {
    const json = parseJson(answer.text);
    if (!json.ok) {
      throw fail('bad_response', req, 'body is not JSON', {
        status: answer.status,
        upstream: answer.text.slice(0, UPSTREAM_TEXT_LIMIT),
      });
    }
    const result = schema.safeParse(json.value);
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
      if (isUseapiError(error)) options.onError?.(error);
      throw error;
    }
  };

  const request = <T>(req: Request, schema: z.ZodType<T>): Promise<T> =>
    reported(async () => parse(req, schema, await call(req)));

  return {
    seedAsync(jobid: string, opts: SeedAsyncOptions = {}): Promise<Job> {
      const body: Record<string, string> = { jobid };
      if (opts.replyUrl !== undefined) body.replyUrl = opts.replyUrl;
      if (opts.replyRef !== undefined) body.replyRef = opts.replyRef;
      return request(
        {
          endpoint: 'seed_async',
          method: 'POST',
          path: 'jobs/seed_async',
          body,
          signal: opts.signal,
          jobid,
          idempotent: false,
          retryBusy: opts.retryBusy,
        },
        seedAsyncResponseSchema,
      );
    },

    getJob(jobid: string, opts: CallOptions = {}): Promise<Job> {
      return request(
        {
          endpoint: 'get_job',
          method: 'GET',
          path: 'jobs/',
          query: { jobid },
          signal: opts.signal,
          jobid,
          idempotent: true,
        },
        jobSchema,
      );
    },

    getExecutingJobs(opts: CallOptions = {}): Promise<string[]> {
      return request(
        { endpoint: 'list_jobs', method: 'GET', path: 'jobs', signal: opts.signal, idempotent: true },
        executingJobsSchema,
      );
    },

    getAccounts(opts: CallOptions = {}): Promise<MidjourneyAccount[]> {
      return request(
        {
          endpoint: 'accounts',
          method: 'GET',
          path: 'account/midjourney',
          signal: opts.signal,
          idempotent: true,
        },
        accountMapSchema,
      );
    },

    getAccount(channel: string, opts: CallOptions = {}): Promise<MidjourneyAccount> {
      return request(
        {
          endpoint: 'account',
          method: 'GET',
          path: `account/midjourney/${encodeURIComponent(channel)}`,
          signal: opts.signal,
          channel,
          idempotent: true,
        },
        accountSchema(channel),
      );
    },

    async resetAccount(channel: string, opts: CallOptions = {}): Promise<void> {
      await reported(() =>
        call({
          endpoint: 'reset',
          method: 'POST',
          path: `account/midjourney/${encodeURIComponent(channel)}/reset`,
          signal: opts.signal,
          channel,
          idempotent: true,
        }),
      );
    },
  };
}
