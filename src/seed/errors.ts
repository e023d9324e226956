// Failures, in the core's terms: SeedError for what the core itself decides, UpstreamError for what an upstream
// answered (each adapter maps its own answers onto these kinds). Each kind has a localized message; call sites switch
// on `kind`, never on message text.

import { isLeaseLost } from './lease-guard.js';
import { isStorageUnavailable } from './ports.js';
import type { UpstreamName } from './upstream.js';

export type SeedErrorKind =
  /** The account channel is waiting for a moderator (596); the request is kept and runs after the reset. */
  | 'held'
  /** The seed job ended failed / moderated / cancelled. */
  | 'job_failed'
  | 'job_moderated'
  | 'job_cancelled'
  /** Following the job took longer than the deadline. */
  | 'deadline'
  /** The bot is shutting down; the request is stored and resumes on the next start. */
  | 'shutting_down';

export class SeedError extends Error {
  override readonly name = 'SeedError';
  constructor(
    readonly kind: SeedErrorKind,
    message: string,
    readonly details: {
      channel?: string | undefined;
      moderationText?: string;
    } = {},
  ) {
    super(message);
  }
}

export const isSeedError = (e: unknown): e is SeedError => e instanceof SeedError;

export type UpstreamErrorKind =
  /** The request named no job (our bug: a contract matter). */
  | 'jobid_missing'
  /** Our callback URL or reference is too long (PUBLIC_URL, CALLBACK_SECRET). */
  | 'too_long'
  /** The job has not finished: no seed exists yet (useapi 400 `Parent job must be completed`, proxy code 4). */
  | 'parent_not_completed'
  /** The job's kind has no seed (e.g. video jobs); `verb` is set */
  | 'unsupported_job'
  /** No Midjourney account is configured upstream for the job's channel */
  | 'account_missing'
  /** any other refusal of a request the bot believes valid */
  | 'bad_request'
  /** the upstream refused our token (401/403) */
  | 'unauthorized'
  /** useapi 402 */
  | 'no_subscription'
  /** the job (or account) is unknown upstream */
  | 'not_found'
  /** 409 button already executed */
  | 'conflict'
  /** 422 moderated prompt or image */
  | 'moderated'
  /** 429: queue full or rate limited */
  | 'busy'
  /** 5xx other than 504 and 596 */
  | 'unavailable'
  /** 504 job queued but untrackable */
  | 'untrackable'
  /** 596 pending moderation message / CAPTCHA on the account: held until a moderator resets it */
  | 'pending_moderation'
  /**
   * The upstream has no usable Midjourney account right now (the proxy's `无可用的账号实例`): held like a 596, and let
   * run again when the upstream answers again
   */
  | 'account_unavailable'
  /** The upstream looked for the seed and has none yet (the proxy's `未找到 seed`): asked again later */
  | 'seed_pending'
  /** The upstream's retrieval of the seed failed for good (the proxy's code 9); its text is for logs only */
  | 'seed_failed'
  /** no answer within the client's timeout, or the deadline for following a job passed */
  | 'timeout'
  /** connection refused/reset before a response */
  | 'network'
  /** a body that is not JSON or fails the schema */
  | 'bad_response'
  /**
   * the upstream no longer serves Midjourney for this token (useapi: 410, 404 on the account list, or an error text
   * saying it was discontinued, as its docs have said since June 24, 2026)
   */
  | 'discontinued';

export interface UpstreamErrorDetails {
  status?: number | undefined;
  endpoint?: string | undefined;
  /** Upstream error text, for logs. Never shown to users. */
  upstream?: string | undefined;
  retryAfterMs?: number | undefined;
  executingJobs?: string[] | undefined;
  /** Account channel the error concerns (596, no account). */
  channel?: string | undefined;
  /** Moderation text (596 `errorDetails`). */
  moderationText?: string | undefined;
  verb?: string | undefined;
  /** The job involved, when known. */
  jobid?: string | undefined;
  /** Which upstream answered (for the operator's hint). Default useapi. */
  source?: UpstreamName | undefined;
  cause?: unknown;
}

export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly status: number | undefined;
  readonly endpoint: string | undefined;
  readonly upstream: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly executingJobs: string[] | undefined;
  readonly channel: string | undefined;
  readonly moderationText: string | undefined;
  readonly verb: string | undefined;
  readonly jobid: string | undefined;
  readonly source: UpstreamName;

  constructor(
    readonly kind: UpstreamErrorKind,
    message: string,
    details: UpstreamErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.endpoint = details.endpoint;
    this.upstream = details.upstream;
    this.retryAfterMs = details.retryAfterMs;
    this.executingJobs = details.executingJobs;
    this.channel = details.channel;
    this.moderationText = details.moderationText;
    this.verb = details.verb;
    this.jobid = details.jobid;
    this.source = details.source ?? 'useapi';
  }
}

export const isUpstreamError = (error: unknown): error is UpstreamError => error instanceof UpstreamError;

/**
 * What waiting can fix, per kind: the one table. `transient`: asking again later can succeed (a request stays open
 * and is asked again with capped backoff until its deadline). `reread`: only a read may be repeated (a garbled body;
 * a poll looks again, nothing is started twice). `hold`: the account is in trouble; nothing goes upstream for it
 * until a moderator (or the upstream) brings it back. `final`: ends the request (400, 401, 402, 404, video, ...).
 */
const UPSTREAM_KINDS: Readonly<Record<UpstreamErrorKind, 'transient' | 'reread' | 'hold' | 'final'>> = {
  busy: 'transient',
  unavailable: 'transient',
  untrackable: 'transient',
  network: 'transient',
  timeout: 'transient',
  seed_pending: 'transient',
  bad_response: 'reread',
  pending_moderation: 'hold',
  account_unavailable: 'hold',
  jobid_missing: 'final',
  too_long: 'final',
  parent_not_completed: 'final',
  unsupported_job: 'final',
  account_missing: 'final',
  bad_request: 'final',
  unauthorized: 'final',
  no_subscription: 'final',
  not_found: 'final',
  conflict: 'final',
  moderated: 'final',
  seed_failed: 'final',
  discontinued: 'final',
};

/**
 * What to do after a failure, read from the table: `retry` (wait and ask again), `hold` (put the account on hold),
 * `lost` (another process took the work over: stop here, it answers), `final` (end it). `reading`: the failed call
 * was a read, which may also be repeated after a body it could not read.
 */
export type RetryDecision = 'retry' | 'hold' | 'lost' | 'final';

export function retryDecision(error: unknown, options: { reading?: boolean } = {}): RetryDecision {
  if (isLeaseLost(error)) return 'lost';
  if (isStorageUnavailable(error)) return 'retry';
  return isUpstreamError(error) ? decisionOfKind(error.kind, options) : 'final';
}

/** The table's answer for one kind: for an adapter's client, which decides before its own error is mapped. */
export function decisionOfKind(kind: UpstreamErrorKind, options: { reading?: boolean } = {}): RetryDecision {
  const row = UPSTREAM_KINDS[kind];
  if (row === 'transient' || (row === 'reread' && options.reading)) return 'retry';
  return row === 'hold' ? 'hold' : 'final';
}

/** An account in trouble: the answer puts its channel on hold. */
export const isHoldError = (error: unknown): boolean => retryDecision(error) === 'hold';

/** What a failure is called in logs and stored requests: its kind (core, upstream or storage), else `internal`. */
export const failureKind = (error: unknown): string =>
  isSeedError(error) || isUpstreamError(error) || isStorageUnavailable(error) ? error.kind : 'internal';

/**
 * Only what an upstream answered: its kind; anything else (storage, the core's own) is `internal`. This is the reason
 * moderators are shown when the upstream could not be read.
 */
export const upstreamFailureKind = (error: unknown): string =>
  isUpstreamError(error) ? error.kind : 'internal';
