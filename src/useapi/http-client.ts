// The HTTP implementation of the useapi port: the endpoints. answers.ts reads every answer into a UseapiError
// whose kind follows errors.ts (and every body through a schema from schemas.ts); transport.ts makes the attempts
// and retries them: bounded, jittered, and only where a repeat cannot start a second job.
import type { z } from 'zod';
import { sleep as defaultSleep } from '../lib/sleep.js';
import { createAnswerReader, type Request, type UseapiCallInfo } from './answers.js';
import { isUseapiError, type UseapiError } from './errors.js';
import type { CallOptions, Job, MidjourneyAccount, SeedAsyncOptions, UseapiClient } from './port.js';
import {
  accountMapSchema,
  accountSchema,
  executingJobsSchema,
  jobSchema,
  seedAsyncResponseSchema,
} from './schemas.js';
import { createTransport } from './transport.js';

export type { UseapiCallInfo } from './answers.js';

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

  const answers = createAnswerReader({ token, timeoutMs, now });
  const { parse } = answers;
  const call = createTransport({
    base,
    token,
    timeoutMs,
    doFetch,
    maxAttempts,
    baseDelayMs,
    maxDelayMs,
    sleep,
    random,
    now,
    onCall,
    answers,
  });

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
