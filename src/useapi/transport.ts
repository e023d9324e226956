// The transport to useapi: one attempt (timeout, headers, the token), and the retries around it: bounded, with
// backoff, honouring Retry-After, and only where the answer reader says repeating is safe and useful.
import { backoffMs } from '../lib/backoff.js';
import type { Answer, AnswerReader, Failure, Request, UseapiCallInfo } from './answers.js';

export interface TransportOptions {
  base: string;
  token: string;
  timeoutMs: number;
  doFetch: typeof fetch;
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  now: () => number;
  onCall?: ((info: UseapiCallInfo) => void) | undefined;
  answers: AnswerReader;
}

export function createTransport(options: TransportOptions): (req: Request) => Promise<Answer> {
  const {
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
  } = options;
  const { failureOfStatus, failureOfRejection } = options.answers;
  const urlOf = (req: Request): string => {
    const url = new URL(req.path, base);
    for (const [key, value] of Object.entries(req.query ?? {})) url.searchParams.set(key, value);
    return url.toString();
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

  return call;
}
