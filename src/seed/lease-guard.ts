// A lease that guards work: renewed every third of its life, and lost when a renewal says so, fails for longer than
// the lease lasts, or comes too late (the process was paused past it). Losing it aborts the work it guards, so a
// process that wakes up after another took over stops before its next upstream call or Discord write; `holds()` is
// the fence right before a write that must happen once.
import type { Lease } from './ports.js';

export class LeaseLostError extends Error {
  override readonly name = 'LeaseLostError';
  constructor(readonly what: string) {
    super(`lost the lease on ${what}: another process may have taken it over`);
  }
}

export const isLeaseLost = (error: unknown): error is LeaseLostError => error instanceof LeaseLostError;

export interface GuardedLease {
  /** Aborts when the lease is lost (reason: LeaseLostError). */
  readonly signal: AbortSignal;
  /** The fence: renews now and tells whether this process still holds the lease (aborts the signal if not). */
  holds(): Promise<boolean>;
  /** The fence as a statement: renews now and throws LeaseLostError when this process no longer holds the lease. */
  assertHeld(): Promise<void>;
  /** Stop renewing and give the lease back. */
  release(): Promise<void>;
}

export function guardLease(
  lease: Lease,
  options: { ttlMs: number; what: string; now?: () => number; onLost?: (error: LeaseLostError) => void },
): GuardedLease {
  const now = options.now ?? Date.now;
  const abort = new AbortController();
  let confirmedAt = now();
  let stopped = false;
  const lose = () => {
    if (abort.signal.aborted) return;
    const error = new LeaseLostError(options.what);
    abort.abort(error);
    options.onLost?.(error);
  };
  const renew = async (): Promise<boolean> => {
    if (abort.signal.aborted) return false;
    // Woken after the lease ran out (a pause, a stalled event loop): someone else may hold it now.
    if (now() - confirmedAt >= options.ttlMs) {
      lose();
      return false;
    }
    const askedAt = now();
    try {
      if (!(await lease.extend(options.ttlMs))) {
        lose();
        return false;
      }
      confirmedAt = askedAt;
      return true;
    } catch {
      // Storage did not answer: the lease still counts until it would have run out.
      if (now() - confirmedAt >= options.ttlMs) lose();
      return !abort.signal.aborted && now() - confirmedAt < options.ttlMs;
    }
  };
  const timer = setInterval(() => void renew(), Math.max(50, Math.floor(options.ttlMs / 3)));
  timer.unref();
  return {
    signal: abort.signal,
    holds: renew,
    async assertHeld() {
      if (!(await renew())) throw abort.signal.reason ?? new LeaseLostError(options.what);
    },
    async release() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      if (!abort.signal.aborted) await lease.release().catch(() => {});
    },
  };
}
