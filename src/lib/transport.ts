// The one HTTP transport of the upstream clients: one attempt (the client's headers, a timeout, the caller's abort),
// and the retries around it: bounded, with the project's backoff, honouring Retry-After, and only where the client's
// reading of the failure says repeating is safe. Domain-free: what an answer means is the client's to say.
import { backoffMs } from './backoff.js';
import { sleep as timerSleep } from './sleep.js';

export interface Answer {
  status: number;
  text: string;
}

/** What the transport needs of a request; a client's own request type adds what its reading of answers needs. */
export interface HttpRequest {
  /** The client's name for the route, passed to `onCall`. */
  endpoint: string;
  method: 'GET' | 'POST';
  /** Relative to the base URL. */
  path: string;
  query?: Record<string, string> | undefined;
  /** Sent as JSON. */
  body?: unknown;
  signal?: AbortSignal | undefined;
}

/** A client's error as the transport reads it: the status, and the wait the upstream asked for. */
interface UpstreamFailureError extends Error {
  readonly status?: number | undefined;
  readonly retryAfterMs?: number | undefined;
}

/** One failed attempt: the error to throw and whether repeating the call is safe and useful. */
export interface Failure<E> {
  error: E;
  retryable: boolean;
}

/** How a client reads a failed attempt into its own error. */
export interface FailureReader<R, E> {
  /** A non-2xx answer; `retryAfter` is the raw header. */
  failureOfStatus(req: R, answer: Answer, retryAfter: string | null): Failure<E>;
  /** A rejection of fetch or of reading the body; `status` when the headers had come. */
  failureOfRejection(
    req: R,
    error: unknown,
    timeoutSignal: AbortSignal,
    status: number | undefined,
  ): Failure<E>;
}

/** One attempt, for metrics. */
export interface CallInfo<Endpoint extends string> {
  endpoint: Endpoint;
  status: number | 'error';
  ms: number;
  attempt: number;
}

/** The hooks every upstream client takes; each client's options add its own settings and retry defaults. */
export interface HttpClientHooks<Endpoint extends string, E> {
  fetch?: typeof fetch;
  /** Pause between attempts; must reject when `signal` aborts. Default: a timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** The clock (Retry-After dates, call durations). Default Date.now. */
  now?: () => number;
  /** Random numbers in [0, 1) for the backoff's jitter. Default Math.random. */
  random?: () => number;
  /** Called after every attempt, for metrics. */
  onCall?: (info: CallInfo<Endpoint>) => void;
  /** Called once for every call that ends in the client's error (after its retries), for metrics. */
  onError?: (error: E) => void;
}

/** How a client retries; each client's `retry` option says its defaults. */
export interface RetryOptions {
  /** Attempts in total, the first included. */
  maxAttempts?: number;
  /** Backoff cap before jitter for the first retry; doubles each time. */
  baseDelayMs?: number;
  /** Upper bound of one pause. A longer Retry-After is not waited for: the error is thrown. */
  maxDelayMs?: number;
}

/** What every upstream client is built from; each adds its own settings. */
export interface UpstreamClientOptions<Endpoint extends string, E> extends HttpClientHooks<Endpoint, E> {
  /** The upstream's base URL, with or without a trailing slash. */
  baseUrl: string;
  token: string;
  retry?: RetryOptions | undefined;
}

/** A client's retry options over its defaults. */
export const retrySettings = (
  retry: RetryOptions | undefined,
  defaults: Required<RetryOptions>,
): Required<RetryOptions> => ({
  maxAttempts: Math.max(1, retry?.maxAttempts ?? defaults.maxAttempts),
  baseDelayMs: retry?.baseDelayMs ?? defaults.baseDelayMs,
  maxDelayMs: retry?.maxDelayMs ?? defaults.maxDelayMs,
});

export interface TransportOptions<R extends HttpRequest, E extends UpstreamFailureError> {
  /** The base URL, the retry settings and the hooks. */
  client: UpstreamClientOptions<R['endpoint'], E>;
  retryDefaults: Required<RetryOptions>;
  /** Sent with every attempt (the credentials); Accept and Content-Type are the transport's. */
  headers: Record<string, string>;
  /** Per attempt, headers and body included. */
  timeoutMs: (req: R) => number;
  /** Attempts in total, the first included, when a request has its own figure. Default: the retry settings'. */
  attempts?: ((req: R) => number) | undefined;
  /** A retryable failure the caller said it waits out itself: thrown at once. */
  callerWaits?: ((req: R, error: E) => boolean) | undefined;
  failures: FailureReader<R, E>;
}

/** Where and how one attempt goes. */
interface AttemptTarget<R> {
  base: string;
  headers: Record<string, string>;
  timeoutMs: (req: R) => number;
  doFetch: typeof fetch;
}

const urlOf = (base: string, req: HttpRequest): string => {
  const url = new URL(req.path, base);
  for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, value);
  return url.toString();
};

/** One attempt: the answer, or the client's reading of the failure. Rejects only with the caller's abort reason. */
async function attemptOnce<R extends HttpRequest, E>(
  options: AttemptTarget<R>,
  failures: FailureReader<R, E>,
  req: R,
): Promise<{ answer: Answer } | Failure<E>> {
  const timeoutSignal = AbortSignal.timeout(options.timeoutMs(req));
  const signal = req.signal ? AbortSignal.any([req.signal, timeoutSignal]) : timeoutSignal;
  const headers: Record<string, string> = { ...options.headers, Accept: 'application/json' };
  if (req.body !== undefined) headers['Content-Type'] = 'application/json';
  let status: number | undefined;
  try {
    const response = await options.doFetch(urlOf(options.base, req), {
      method: req.method,
      headers,
      body: req.body === undefined ? undefined : JSON.stringify(req.body),
      signal,
    });
    status = response.status;
    const text = await response.text();
    if (response.ok) return { answer: { status, text } };
    return failures.failureOfStatus(req, { status, text }, response.headers.get('retry-after'));
  } catch (error) {
    if (req.signal?.aborted) throw req.signal.reason;
    return failures.failureOfRejection(req, error, timeoutSignal, status);
  }
}

/** A call: attempts until an answer, a failure not worth repeating, or the last attempt. */
export function createTransport<R extends HttpRequest, E extends UpstreamFailureError>(
  options: TransportOptions<R, E>,
): (req: R) => Promise<Answer> {
  const { client, failures } = options;
  const { maxAttempts, baseDelayMs, maxDelayMs } = retrySettings(client.retry, options.retryDefaults);
  const sleep = client.sleep ?? timerSleep;
  const now = client.now ?? Date.now;
  const target = {
    base: `${client.baseUrl.replace(/\/+$/, '')}/`,
    headers: options.headers,
    timeoutMs: options.timeoutMs,
    doFetch: client.fetch ?? globalThis.fetch,
  };
  // Full jitter: a call waits up to its step, so clients that failed together spread out the most.
  const backoff = (failedAttempt: number): number =>
    backoffMs(failedAttempt, {
      baseMs: baseDelayMs,
      maxMs: maxDelayMs,
      jitter: 'full',
      random: client.random,
    });

  return async (req) => {
    const attempts = options.attempts?.(req) ?? maxAttempts;
    for (let n = 1; ; n++) {
      const started = now();
      const outcome = await attemptOnce(target, failures, req).catch((reason: unknown) => {
        client.onCall?.({ endpoint: req.endpoint, status: 'error', ms: now() - started, attempt: n });
        throw reason;
      });
      const status = 'answer' in outcome ? outcome.answer.status : (outcome.error.status ?? 'error');
      client.onCall?.({ endpoint: req.endpoint, status, ms: now() - started, attempt: n });
      if ('answer' in outcome) return outcome.answer;

      const { error, retryable } = outcome;
      const retryAfterMs = error.retryAfterMs;
      const waitTooLong = retryAfterMs !== undefined && retryAfterMs > maxDelayMs;
      if (!retryable || n >= attempts || waitTooLong || options.callerWaits?.(req, error)) {
        if (n > 1) error.message = `${error.message} after ${n} attempts`;
        throw error;
      }
      await sleep(Math.max(backoff(n), retryAfterMs ?? 0), req.signal);
    }
  };
}

/** Runs a call and reports the client's error once, whichever way the call failed (status, no answer, body). */
export const reportingFailures =
  <E>(isClientError: (error: unknown) => error is E, onError: ((error: E) => void) | undefined) =>
  async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (error) {
      if (isClientError(error)) onError?.(error);
      throw error;
    }
  };
