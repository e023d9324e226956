// The progress pacer on its own, with a clock the test moves: the first edit at once, the same phase again at most
// once per interval, a new phase after a second, always the latest state, nothing after stop() or an abort, and
// stop() waiting for the edit already on its way.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Progress } from '../../../src/seed/ports.js';
import { createPacer } from '../../../src/seed/requests/progress-pacer.js';
import { silentLogger } from '../../helpers/builders.js';

const INTERVAL = 5_000;
/** Lets the edit the pacer queued (a promise chain) run. */
const tick = () => vi.advanceTimersByTimeAsync(0);

function pacerWith(notify: (p: Progress) => Promise<void> = async () => {}) {
  const sent: Progress[] = [];
  const abort = new AbortController();
  const pacer = createPacer({
    notify: async (p) => {
      sent.push(p);
      await notify(p);
    },
    now: () => Date.now(),
    intervalMs: INTERVAL,
    log: silentLogger,
    signal: abort.signal,
  });
  return { pacer, sent, abort };
}

describe('progress pacer', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows the first progress at once', async () => {
    const { pacer, sent } = pacerWith();
    pacer.push({ phase: 'accepted' });
    await tick();
    expect(sent).toEqual([{ phase: 'accepted' }]);
  });

  it('shows a new queue position at most once per interval, and then the latest one', async () => {
    const { pacer, sent } = pacerWith();
    pacer.push({ phase: 'queued', position: 5 });
    pacer.push({ phase: 'queued', position: 4 });
    pacer.push({ phase: 'queued', position: 3 });
    await tick();
    expect(sent).toEqual([{ phase: 'queued', position: 5 }]);
    await vi.advanceTimersByTimeAsync(INTERVAL - 1);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([
      { phase: 'queued', position: 5 },
      { phase: 'queued', position: 3 },
    ]);
  });

  it('shows a new phase after a second, not after the whole interval', async () => {
    const { pacer, sent } = pacerWith();
    pacer.push({ phase: 'queued', position: 2 });
    pacer.push({ phase: 'asking' });
    await vi.advanceTimersByTimeAsync(999);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent.at(-1)).toEqual({ phase: 'asking' });
  });

  it('does not repeat a phase that says nothing new, but does repeat the waiting time', async () => {
    const { pacer, sent } = pacerWith();
    pacer.push({ phase: 'asking' });
    await vi.advanceTimersByTimeAsync(INTERVAL);
    pacer.push({ phase: 'asking' });
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(sent).toEqual([{ phase: 'asking' }]);
    pacer.push({ phase: 'waiting', jobStatus: 'started', startedAt: 1 });
    await vi.advanceTimersByTimeAsync(INTERVAL);
    pacer.push({ phase: 'waiting', jobStatus: 'started', startedAt: 1 });
    await vi.advanceTimersByTimeAsync(INTERVAL);
    expect(sent.filter((p) => p.phase === 'waiting')).toHaveLength(2);
  });

  it('shows each retry after the short gap, even in the same phase', async () => {
    const { pacer, sent } = pacerWith();
    pacer.push({ phase: 'retrying', attempt: 1, retryInMs: 1000 });
    pacer.push({ phase: 'retrying', attempt: 2, retryInMs: 2000 });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent.map((p) => (p.phase === 'retrying' ? p.attempt : 0))).toEqual([1, 2]);
  });

  it('sends nothing after stop(), and stop() waits for the edit already on its way', async () => {
    let release: () => void = () => {};
    const inFlight = new Promise<void>((resolve) => {
      release = resolve;
    });
    const { pacer, sent } = pacerWith(() => inFlight);
    pacer.push({ phase: 'accepted' });
    pacer.push({ phase: 'asking' });
    let stopped = false;
    const stopping = pacer.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(10);
    expect(stopped).toBe(false);
    release();
    await stopping;
    await vi.advanceTimersByTimeAsync(INTERVAL * 2);
    pacer.push({ phase: 'queued', position: 1 });
    expect(sent).toEqual([{ phase: 'accepted' }]);
  });

  it('sends nothing once the work was aborted', async () => {
    const { pacer, sent, abort } = pacerWith();
    pacer.push({ phase: 'accepted' });
    pacer.push({ phase: 'asking' });
    abort.abort();
    await vi.advanceTimersByTimeAsync(INTERVAL);
    pacer.push({ phase: 'queued', position: 1 });
    expect(sent).toEqual([{ phase: 'accepted' }]);
  });

  it('keeps going after an edit fails', async () => {
    const { pacer, sent } = pacerWith(async (p) => {
      if (p.phase === 'accepted') throw new Error('discord said no');
    });
    pacer.push({ phase: 'accepted' });
    await vi.advanceTimersByTimeAsync(1_000);
    pacer.push({ phase: 'asking' });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(sent.map((p) => p.phase)).toEqual(['accepted', 'asking']);
  });
});
