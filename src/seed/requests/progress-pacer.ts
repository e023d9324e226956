// Progress edits of one reply: the first at once, a new phase after a second, the same phase again (a queue position,
// the seconds waited) at most once per interval, so a long queue moving does not flood Discord; always the latest
// state, and none once the answer is on its way or the work stopped here.
import type { Logger } from 'pino';
import type { Progress } from '../ports.js';

/** Least time between two progress edits of one reply when the phase changes. */
const PHASE_GAP_MS = 1_000;

export interface Pacer {
  push(progress: Progress): void;
  /** No more progress edits; resolves once the last one sent is done (so the answer lands after it). */
  stop(): Promise<void>;
}

export function createPacer(deps: {
  notify: (progress: Progress) => Promise<void>;
  now: () => number;
  intervalMs: number;
  log: Logger;
  signal: AbortSignal;
}): Pacer {
  let last = 0;
  let shown = '';
  let shownPhase = '';
  let latest: Progress | undefined;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let pending: Promise<void> = Promise.resolve();
  const keyOf = (p: Progress) =>
    p.phase === 'queued'
      ? `queued:${p.position}`
      : p.phase === 'retrying'
        ? `retrying:${p.attempt}`
        : p.phase;
  const flush = () => {
    timer = undefined;
    const progress = latest;
    latest = undefined;
    if (stopped || deps.signal.aborted || !progress) return;
    const key = keyOf(progress);
    // The waiting text counts seconds, so it is worth showing again; the others are not.
    if (key === shown && progress.phase !== 'waiting') return;
    shown = key;
    shownPhase = progress.phase;
    last = deps.now();
    pending = pending
      .then(() => deps.notify(progress))
      .catch((error) => deps.log.debug({ err: error }, 'progress update failed'));
  };
  return {
    push(progress) {
      if (stopped || deps.signal.aborted) return;
      latest = progress;
      if (timer) clearTimeout(timer);
      // A retry is news: shown after the usual short gap, whatever was shown before.
      const gap =
        progress.phase === shownPhase && progress.phase !== 'retrying' ? deps.intervalMs : PHASE_GAP_MS;
      const wait = last + gap - deps.now();
      if (wait <= 0) flush();
      else {
        timer = setTimeout(flush, wait);
        timer.unref();
      }
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await pending;
    },
  };
}
