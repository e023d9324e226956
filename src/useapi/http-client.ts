// The HTTP implementation of the useapi port: the endpoints. answers.ts reads every answer into a UseapiError
// whose kind follows errors.ts (and every body through a schema from schemas.ts); transport.ts makes the attempts
// and retries them: bounded, jittered, and only where a repeat cannot start a second job.
import type { z } from 'zod';
import {
  createTransport,
  type RetryOptions,
  reportingFailures,
  type UpstreamClientOptions,
} from '../lib/transport.js';
import { createAnswerReader, type Request, type UseapiEndpoint } from './answers.js';
import { isUseapiError, type UseapiError } from './errors.js';
import type { SeedAsyncOptions, UseapiClient } from './port.js';
import {
  accountMapSchema,
  accountSchema,
  executingJobsSchema,
  jobSchema,
  seedAsyncResponseSchema,
} from './schemas.js';

export type { UseapiCallInfo } from './answers.js';

export interface UseapiClientOptions extends UpstreamClientOptions<UseapiEndpoint, UseapiError> {
  /** e.g. `https://api.useapi.net/v2`. */
  baseUrl: string;
  /** Per attempt, headers and body included. Default 15000 ms. */
  timeoutMs?: number;
  /** Defaults: 4 attempts, 1000 ms, 30000 ms. */
  retry?: RetryOptions;
}

const DEFAULT_TIMEOUT_MS = 15_000;
const RETRY_DEFAULTS = { maxAttempts: 4, baseDelayMs: 1_000, maxDelayMs: 30_000 };

type Signal = AbortSignal | undefined;

/** Each endpoint's request: its route, and whether repeating it is safe (everything but seed_async). */
const requestOf = {
  seedAsync(jobid: string, opts: SeedAsyncOptions): Request {
    const body: Record<string, string> = { jobid };
    if (opts.replyUrl !== undefined) body.replyUrl = opts.replyUrl;
    if (opts.replyRef !== undefined) body.replyRef = opts.replyRef;
    const { signal, retryBusy } = opts;
    const path = 'jobs/seed_async';
    return {
      endpoint: 'seed_async',
      method: 'POST',
      path,
      body,
      signal,
      jobid,
      idempotent: false,
      retryBusy,
    };
  },
  getJob: (jobid: string, signal: Signal): Request => ({
    endpoint: 'get_job',
    method: 'GET',
    path: 'jobs/',
    query: { jobid },
    signal,
    jobid,
    idempotent: true,
  }),
  listJobs: (signal: Signal): Request => ({
    endpoint: 'list_jobs',
    method: 'GET',
    path: 'jobs',
    signal,
    idempotent: true,
  }),
  accounts: (signal: Signal): Request => ({
    endpoint: 'accounts',
    method: 'GET',
    path: 'account/midjourney',
    signal,
    idempotent: true,
  }),
  account: (channel: string, signal: Signal): Request => ({
    endpoint: 'account',
    method: 'GET',
    path: `account/midjourney/${encodeURIComponent(channel)}`,
    signal,
    channel,
    idempotent: true,
  }),
  reset: (channel: string, signal: Signal): Request => ({
    endpoint: 'reset',
    method: 'POST',
    path: `account/midjourney/${encodeURIComponent(channel)}/reset`,
    signal,
    channel,
    idempotent: true,
  }),
};

export function createUseapiClient(options: UseapiClientOptions): UseapiClient {
  const token = options.token;
  if (token.trim() === '' || /[\s]/.test(token)) {
    throw new Error('useapi token must be a non-empty string without whitespace');
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const now = options.now ?? Date.now;
  const answers = createAnswerReader({ token, timeoutMs, now });
  const call = createTransport({
    client: options,
    retryDefaults: RETRY_DEFAULTS,
    headers: { Authorization: `Bearer ${token}` },
    timeoutMs: () => timeoutMs,
    callerWaits: (req, error) => error.kind === 'busy' && req.retryBusy === false,
    failures: answers,
  });
  const reported = reportingFailures(isUseapiError, options.onError);
  const request = <T>(req: Request, schema: z.ZodType<T>): Promise<T> =>
    reported(async () => answers.parse(req, schema, await call(req)));

  return {
    seedAsync: (jobid, opts = {}) => request(requestOf.seedAsync(jobid, opts), seedAsyncResponseSchema),
    getJob: (jobid, opts = {}) => request(requestOf.getJob(jobid, opts.signal), jobSchema),
    getExecutingJobs: (opts = {}) => request(requestOf.listJobs(opts.signal), executingJobsSchema),
    getAccounts: (opts = {}) => request(requestOf.accounts(opts.signal), accountMapSchema),
    getAccount: (channel, opts = {}) =>
      request(requestOf.account(channel, opts.signal), accountSchema(channel)),
    async resetAccount(channel, opts = {}) {
      await reported(() => call(requestOf.reset(channel, opts.signal)));
    },
  };
}
