// How much an upstream failure matters to the operator, decided once per kind in one exhaustive table: a member's
// mistake (an unknown or unfinished job) is routine and logged at info; our own configuration (the token refused, the
// subscription ended) or the vendor breaking its contract (bodies that no longer match, Midjourney discontinued) is
// an error, logged once per incident so an outage does not bury the log under one line per request.
import type { Logger } from 'pino';
import { isUpstreamError, type UpstreamError, type UpstreamErrorKind } from './errors.js';
import type { UpstreamName } from './upstream.js';

export type Severity = 'info' | 'error';
/** Why it happened, for the metric: whose move it is. */
export type FailureCause = 'member' | 'transient' | 'configuration' | 'vendor' | 'moderation';

export const UPSTREAM_SEVERITY: Record<UpstreamErrorKind, { severity: Severity; cause: FailureCause }> = {
  // We always send a jobid: its absence is our bug, which is a contract matter.
  jobid_missing: { severity: 'error', cause: 'vendor' },
  // Our replyUrl/replyRef: PUBLIC_URL or CALLBACK_SECRET too long.
  too_long: { severity: 'error', cause: 'configuration' },
  parent_not_completed: { severity: 'info', cause: 'member' },
  unsupported_job: { severity: 'info', cause: 'member' },
  // The job belongs to a Midjourney account this token does not have.
  account_missing: { severity: 'info', cause: 'member' },
  // A 400 useapi does not document.
  bad_request: { severity: 'error', cause: 'vendor' },
  unauthorized: { severity: 'error', cause: 'configuration' },
  no_subscription: { severity: 'error', cause: 'configuration' },
  not_found: { severity: 'info', cause: 'member' },
  conflict: { severity: 'info', cause: 'member' },
  moderated: { severity: 'info', cause: 'member' },
  busy: { severity: 'info', cause: 'transient' },
  unavailable: { severity: 'info', cause: 'transient' },
  // useapi's advice for 504: the account's maxJobs is set higher than Midjourney allows.
  untrackable: { severity: 'error', cause: 'configuration' },
  // A human must act; moderators are also alerted in Discord.
  pending_moderation: { severity: 'error', cause: 'moderation' },
  // The proxy has no live Midjourney account: its operator must unlock one; moderators are alerted in Discord too.
  account_unavailable: { severity: 'error', cause: 'moderation' },
  // The proxy is still waiting for Midjourney's seed message: asked again later.
  seed_pending: { severity: 'info', cause: 'transient' },
  // The proxy's own retrieval failed for this job (its text is in the log line).
  seed_failed: { severity: 'info', cause: 'member' },
  timeout: { severity: 'info', cause: 'transient' },
  network: { severity: 'info', cause: 'transient' },
  bad_response: { severity: 'error', cause: 'vendor' },
  discontinued: { severity: 'error', cause: 'vendor' },
};

export const severityOf = (kind: UpstreamErrorKind) => UPSTREAM_SEVERITY[kind];

/** One incident lasts this long: an error-level kind is logged at error once in it, at debug after. */
export const INCIDENT_WINDOW_MS = 60 * 60 * 1000;

export interface UpstreamFailureLog {
  /**
   * Logs an UpstreamError at its kind's severity (error once per kind per incident window, debug after); anything else
   * at info, as a refusal.
   */
  logUpstreamFailure(log: Logger, error: unknown, context?: Record<string, unknown>, message?: string): void;
}

export function createUpstreamFailureLog(
  options: { now?: () => number; windowMs?: number } = {},
): UpstreamFailureLog {
  const now = options.now ?? Date.now;
  const windowMs = options.windowMs ?? INCIDENT_WINDOW_MS;
  const lastLogged = new Map<UpstreamErrorKind, number>();
  return {
    logUpstreamFailure(log, error, context = {}, message = 'upstream failure') {
      // Not an upstream failure (a SeedError: job failed, deadline…): callers log their own bugs; this stays routine.
      if (!isUpstreamError(error)) {
        log.info(context, message);
        return;
      }
      const { severity, cause } = severityOf(error.kind);
      const fields = { ...context, ...describe(error), severity, cause };
      if (severity === 'info') {
        log.info(fields, message);
        return;
      }
      const at = now();
      const last = lastLogged.get(error.kind);
      if (last !== undefined && at - last < windowMs) {
        log.debug({ ...fields, incidentSince: new Date(last).toISOString() }, message);
        return;
      }
      lastLogged.set(error.kind, at);
      log.error({ ...fields, hint: HINTS[error.source][error.kind] }, message);
    },
  };
}

/** What a log line shows of an UpstreamError: its typed fields and message, never a stack or a token. */
const describe = (error: UpstreamError) => ({
  kind: error.kind,
  source: error.source,
  status: error.status,
  endpoint: error.endpoint,
  upstream: error.upstream,
  jobid: error.jobid,
  detail: error.message,
});

/** What the operator should do, on the one error line of an incident. */
const useapiHints: Partial<Record<UpstreamErrorKind, string>> = {
  unauthorized:
    'useapi refused USEAPI_TOKEN: copy the API token again from useapi.net; `npm run doctor` checks it',
  no_subscription: 'the useapi subscription has ended: renew it at https://useapi.net',
  too_long: 'PUBLIC_URL plus CALLBACK_SECRET make a replyUrl over 1024 characters: shorten them',
  untrackable: "useapi answered 504: lower the account's maxJobs at useapi (3 on Basic/Standard plans)",
  bad_response: "useapi's answers no longer match its documented shape: check https://useapi.net/docs/api-v2",
  bad_request: 'useapi refused a request the bot believes valid: check https://useapi.net/docs/api-v2',
  jobid_missing:
    'useapi says the jobid is missing from a request that carried it: check https://useapi.net/docs/api-v2',
  discontinued:
    'useapi no longer serves Midjourney for this token: no seed can be fetched. Run `npm run doctor`; see https://useapi.net/docs/api-v2',
  pending_moderation:
    'a Midjourney account waits for a moderator: acknowledge the message in Discord, then /midjourney reset',
};

const PROXY_HINTS: Partial<Record<UpstreamErrorKind, string>> = {
  unauthorized:
    "midjourney-proxy refused MJ_PROXY_TOKEN (401/403): copy the token again from the proxy's configuration; `npm run doctor` checks it",
  bad_response:
    "midjourney-proxy's answers no longer match the shape the bot reads: check the proxy's version (trueai-org/midjourney-proxy)",
  account_unavailable:
    "midjourney-proxy has no usable Midjourney account: unlock or re-enable one in the proxy's admin page; held requests run again once it answers",
};

const HINTS: Record<UpstreamName, Partial<Record<UpstreamErrorKind, string>>> = {
  useapi: useapiHints,
  'midjourney-proxy': PROXY_HINTS,
};

/**
 * The process's incident memory: an incident is the process's (every request hitting the same refused token is one
 * incident), so the boundaries that log failures (the router, the request processor) share it.
 */
const processLog = createUpstreamFailureLog();

/** Logs an upstream failure at the severity of its kind, once per incident at error level. */
export function logUpstreamFailure(
  log: Logger,
  error: unknown,
  context: Record<string, unknown> = {},
  message = 'upstream failure',
): void {
  processLog.logUpstreamFailure(log, error, context, message);
}
