// Failures, in the core's terms: SeedError for what the core itself decides, UpstreamError for what an upstream
// answered (each adapter maps its own answers onto these kinds). Each kind has a localized message; call sites switch
// on `kind`, never on message text.

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

/** Kinds where trying the same call again later can succeed. */
const RETRYABLE_KINDS: ReadonlySet<UpstreamErrorKind> = new Set([
  'busy',
  'unavailable',
  'untrackable',
  'network',
  'timeout',
  'seed_pending',
]);

/** Kinds that put the account on hold: nothing more goes upstream for it until it is back. */
const HOLD_KINDS: ReadonlySet<UpstreamErrorKind> = new Set(['pending_moderation', 'account_unavailable']);

/** An account in trouble: the answer puts its channel on hold. */
export const isHoldError = (error: unknown): boolean => isUpstreamError(error) && HOLD_KINDS.has(error.kind);

/**
 * The one table of what waiting can fix: a request that meets one of these stays open and is asked again with
 * capped backoff until its deadline. Everything else (400, 401, 402, 404, video, the deadline itself) ends it.
 */
export function isTransient(error: unknown): boolean {
  if (isStorageUnavailable(error)) return true;
  return isUpstreamError(error) && RETRYABLE_KINDS.has(error.kind);
}
