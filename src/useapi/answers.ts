// Reading useapi's answers: every status and body, and every rejection of fetch, becomes a UseapiError whose kind
// follows errors.ts, with whether the transport may repeat the call. Every text passes the token's redaction.
import type { z } from 'zod';
import { parseJson, parseRetryAfter, readConnectionFailure, schemaIssues } from '../lib/http.js';
import type { Answer, CallInfo, Failure, HttpRequest } from '../lib/transport.js';
import { retryDecision } from '../seed/errors.js';
import { UseapiError, type UseapiErrorDetails, type UseapiErrorKind } from './errors.js';
import { type ErrorBody, errorBodySchema } from './schemas.js';

const UPSTREAM_TEXT_LIMIT = 300;

export type UseapiEndpoint = 'seed_async' | 'get_job' | 'list_jobs' | 'accounts' | 'account' | 'reset';

export type UseapiCallInfo = CallInfo<UseapiEndpoint>;

export interface Request extends HttpRequest {
  endpoint: UseapiEndpoint;
  /** Repeating the call cannot do anything twice (everything but seed_async). */
  idempotent: boolean;
  /** false: a 429 is the caller's to wait for (SeedAsyncOptions.retryBusy). */
  retryBusy?: boolean;
  /** The job asked about, for error details (and the channel of a 596). */
  jobid?: string;
  /** The account channel asked about. */
  channel?: string;
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

/** A non-2xx answer read: its kind, and the details each status carries (Retry-After, 596's channel, …). */
function readStatus(
  req: Request,
  answer: Answer,
  retryAfterHeader: string | null,
  now: () => number,
): { kind: UseapiErrorKind; details: UseapiErrorDetails } {
  const { status, text } = answer;
  const json = parseJson(text);
  const parsed = json.ok ? errorBodySchema.safeParse(json.value) : undefined;
  const body: ErrorBody | undefined = parsed?.success ? parsed.data : undefined;
  const upstream =
    body?.error ?? (text.trim() === '' ? undefined : text.trim().slice(0, UPSTREAM_TEXT_LIMIT));
  const details: UseapiErrorDetails = { status, upstream };
  if (isDiscontinued(req, status, upstream)) return { kind: 'discontinued', details };
  if (status === 400) {
    const { kind, verb } = classify400(upstream ?? '');
    return { kind, details: { ...details, verb } };
  }
  if (status === 429) {
    details.executingJobs = body?.executingJobs;
    details.retryAfterMs = parseRetryAfter(retryAfterHeader, now());
  } else if (status === 596) {
    details.channel = body?.channel ?? req.channel ?? channelOfJobid(body?.jobid ?? req.jobid);
    details.moderationText = body?.errorDetails ?? body?.error;
  } else if (status >= 500) {
    details.retryAfterMs = parseRetryAfter(retryAfterHeader, now());
  }
  return { kind: kindOfStatus(status), details };
}

/** A status of 429/5xx already says no job started, even if its body was lost. */
const statusSaysNoJob = (status: number | undefined): boolean =>
  status !== undefined && (status === 429 || (status >= 500 && status !== 596 && status !== 504));

export function createAnswerReader(options: { token: string; timeoutMs: number; now: () => number }) {
  const { token, timeoutMs, now } = options;
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

  /** Retried when the core's table says waiting can fix it and the transport says repeating the call is safe. */
  const failure = (error: UseapiError, safeToRepeat: boolean): Failure<UseapiError> => ({
    error,
    retryable: safeToRepeat && retryDecision(error) === 'retry',
  });

  /** Turns a non-2xx answer into a failure. */
  const failureOfStatus = (req: Request, answer: Answer, retryAfterHeader: string | null) => {
    const { kind, details } = readStatus(req, answer, retryAfterHeader, now);
    // What waiting can fix is the core's table (596 is a human's job, 4xx final). On top, the transport's rule: a 504
    // means useapi queued a job it cannot track, so repeating seed_async could start a second one; other 5xx and 429
    // are answered before any job starts.
    return failure(fail(kind, req, '', details), answer.status !== 504 || req.idempotent);
  };

  /** Turns a rejection of fetch or of reading the body into a failure. */
  const failureOfRejection = (
    req: Request,
    error: unknown,
    timeoutSignal: AbortSignal,
    status: number | undefined,
  ): Failure<UseapiError> => {
    if (timeoutSignal.aborted) {
      // After seed_async timed out, useapi may well have started the job.
      const timedOut = fail('timeout', req, `no answer within ${timeoutMs} ms`, { status, cause: error });
      return failure(timedOut, req.idempotent || statusSaysNoJob(status));
    }
    const { beforeRequest, summary } = readConnectionFailure(error);
    const cause = redact(String(error)) === String(error) ? error : undefined;
    // A reset after the request was sent is as ambiguous for seed_async as a timeout.
    return failure(
      fail('network', req, summary, { status, cause }),
      req.idempotent || beforeRequest || statusSaysNoJob(status),
    );
  };

  const parse = <T>(req: Request, schema: z.ZodType<T>, answer: Answer): T => {
    const json = parseJson(answer.text);
    if (!json.ok) {
      const upstream = answer.text.slice(0, UPSTREAM_TEXT_LIMIT);
      throw fail('bad_response', req, 'body is not JSON', { status: answer.status, upstream });
    }
    const result = schema.safeParse(json.value);
    if (result.success) return result.data;
    const summary = `unexpected body: ${schemaIssues(result.error)}`;
    throw fail('bad_response', req, summary, { status: answer.status, cause: result.error });
  };

  return { fail, failureOfStatus, failureOfRejection, parse };
}
