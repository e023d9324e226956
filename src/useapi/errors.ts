// Every documented useapi outcome that is not a success, as one typed error. Call sites switch on `kind`,
// never on message text. `message` is for logs only: it never carries a token, and users never see it.

export type UseapiErrorKind =
  /** 400 `<jobid> is missing` / `Query param jobid not provided` */
  | 'jobid_missing'
  /** 400 `<replyRef | replyUrl> is too long` */
  | 'too_long'
  /** 400 `Parent job must be completed` */
  | 'parent_not_completed'
  /** 400 `Job of type <verb> not supported` (e.g. video jobs); `verb` is set */
  | 'unsupported_job'
  /** 400 `<discord | channel> is missing`: no Midjourney account configured for the job's channel */
  | 'account_missing'
  /** any other 400 */
  | 'bad_request'
  /** 401 */
  | 'unauthorized'
  /** 402 */
  | 'no_subscription'
  /** 404 (job unknown or older than useapi's retention, or account channel not configured) */
  | 'not_found'
  /** 409 button already executed */
  | 'conflict'
  /** 422 moderated prompt or image */
  | 'moderated'
  /** 429 queue full (`executingJobs` set) or Discord rate limit on the account */
  | 'busy'
  /** 5xx other than 504 and 596 */
  | 'unavailable'
  /** 504 job queued but untrackable */
  | 'untrackable'
  /** 596 pending moderation message / CAPTCHA on the account */
  | 'pending_moderation'
  /** no answer within the client's timeout, or the deadline for following a job passed */
  | 'timeout'
  /** connection refused/reset before a response */
  | 'network'
  /** a body that is not JSON or fails the schema */
  | 'bad_response'
  /**
   * useapi no longer serves Midjourney for this token: 410 on any route, 404 on the account list (a route that exists
   * whenever the Midjourney API is served), or an error text saying it was discontinued (as its docs have said since
   * June 24, 2026)
   */
  | 'discontinued';

export interface UseapiErrorDetails {
  status?: number | undefined;
  endpoint?: string | undefined;
  /** Upstream error text, for logs. Never shown to users. */
  upstream?: string | undefined;
  retryAfterMs?: number | undefined;
  executingJobs?: string[] | undefined;
  /** Account channel the error concerns (596). */
  channel?: string | undefined;
  /** Moderation text (596 `errorDetails`). */
  moderationText?: string | undefined;
  verb?: string | undefined;
  /** The job involved, when known. */
  jobid?: string | undefined;
  cause?: unknown;
}

export class UseapiError extends Error {
  override readonly name = 'UseapiError';
  readonly status: number | undefined;
  readonly endpoint: string | undefined;
  readonly upstream: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly executingJobs: string[] | undefined;
  readonly channel: string | undefined;
  readonly moderationText: string | undefined;
  readonly verb: string | undefined;
  readonly jobid: string | undefined;

  constructor(
    readonly kind: UseapiErrorKind,
    message: string,
    details: UseapiErrorDetails = {},
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
  }
}

export const isUseapiError = (error: unknown): error is UseapiError => error instanceof UseapiError;

/** Kinds where trying the same call again later can succeed. */
export const RETRYABLE_KINDS: ReadonlySet<UseapiErrorKind> = new Set([
  'busy',
  'unavailable',
  'untrackable',
  'network',
  'timeout',
]);
