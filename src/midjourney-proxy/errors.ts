// Every documented outcome of the proxy's routes that is not a success, as one typed error. Call sites switch on
// `kind`, never on message text. `message` is for logs only: it never carries the token, and members never see it
// (the proxy's own descriptions are Chinese and meant for its operator).
import { decisionOfKind, type UpstreamErrorKind } from '../seed/errors.js';

export type ProxyErrorKind =
  /** `image-seed` answered code 3 `未找到 seed`: not found within the proxy's wait; ask again later */
  | 'seed_pending'
  /** 404 / code 3 `关联任务不存在或已失效`, or `fetch` answering no task (204, null, 404) */
  | 'not_found'
  /** 400 / code 4 `关联任务状态错误`: the task has no Midjourney job yet */
  | 'not_finished'
  /** code 9: the seed retrieval failed; `seedError` holds the proxy's text, for logs only */
  | 'failed'
  /** code 3 `无可用的账号实例`: no live Discord account in the proxy for the task */
  | 'no_account'
  /** 401/403: the token is refused (the body is plain text) */
  | 'unauthorized'
  /** 429 (the proxy's IP rate limiting); `retryAfterMs` when it said */
  | 'busy'
  /** 5xx */
  | 'unavailable'
  /** connection refused, DNS, reset before an answer */
  | 'network'
  /** no answer within the client's timeout */
  | 'timeout'
  /** a body that is not JSON, fails the schema, or an envelope code the route does not document */
  | 'bad_response';

export type ProxyEndpoint = 'fetch' | 'image_seed' | 'list_by_ids' | 'ping';

export interface ProxyErrorDetails {
  status?: number | undefined;
  endpoint?: ProxyEndpoint | undefined;
  /** The task asked about. */
  taskId?: string | undefined;
  /** The envelope's `code`, when there was one. */
  code?: number | undefined;
  /** The proxy's text (envelope description, plain-text body), for logs. Never shown to members. */
  upstream?: string | undefined;
  retryAfterMs?: number | undefined;
  /** `failed`: the proxy's stored seedError. For logs only. */
  seedError?: string | undefined;
  cause?: unknown;
}

export class ProxyError extends Error {
  override readonly name = 'ProxyError';
  readonly status: number | undefined;
  readonly endpoint: ProxyEndpoint | undefined;
  readonly taskId: string | undefined;
  readonly code: number | undefined;
  readonly upstream: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly seedError: string | undefined;

  constructor(
    readonly kind: ProxyErrorKind,
    message: string,
    details: ProxyErrorDetails = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.status = details.status;
    this.endpoint = details.endpoint;
    this.taskId = details.taskId;
    this.code = details.code;
    this.upstream = details.upstream;
    this.retryAfterMs = details.retryAfterMs;
    this.seedError = details.seedError;
  }
}

export const isProxyError = (error: unknown): error is ProxyError => error instanceof ProxyError;

/** Each kind in the core's terms (adapter.ts maps errors with it; the client asks the core's one table with it). */
export const CORE_KINDS: Readonly<Record<ProxyErrorKind, UpstreamErrorKind>> = {
  seed_pending: 'seed_pending',
  not_found: 'not_found',
  not_finished: 'parent_not_completed',
  failed: 'seed_failed',
  no_account: 'account_unavailable',
  unauthorized: 'unauthorized',
  busy: 'busy',
  unavailable: 'unavailable',
  network: 'network',
  timeout: 'timeout',
  bad_response: 'bad_response',
};

/** Whether the core's table (src/seed/errors.ts) says asking again later can fix this kind. */
export const isTransientProxyKind = (kind: ProxyErrorKind): boolean =>
  decisionOfKind(CORE_KINDS[kind]) === 'retry';

/**
 * Kinds where asking again later can succeed, read from the core's table: transient ones, and `no_account` (held,
 * and let run again once the proxy's operator revives an account).
 */
export const TRANSIENT_PROXY_KINDS: ReadonlySet<ProxyErrorKind> = new Set(
  (Object.keys(CORE_KINDS) as ProxyErrorKind[]).filter(
    (kind) => decisionOfKind(CORE_KINDS[kind]) !== 'final',
  ),
);
