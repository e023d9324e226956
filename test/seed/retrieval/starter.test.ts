import { describe, expect, it } from 'vitest';
import { createStarter, type StarterDeps } from '../../../src/seed/retrieval/starter.js';
import { UseapiError } from '../../../src/useapi/errors.js';
import type { Job, SeedAsyncOptions } from '../../../src/useapi/port.js';
import { seedJob } from '../../helpers/builders.js';
import { openGuard, silent, testLease } from '../parts.js';

/** seedAsync answers from the list in turn; `calls` keeps what it was asked. */
function starter(answers: (Job | Error | (() => Promise<Job>))[], over: Partial<StarterDeps> = {}) {
  const calls: SeedAsyncOptions[] = [];
  const s = createStarter({
    requestSeed: async (_jobid, options = {}) => {
      calls.push(options);
      const answer = answers[calls.length - 1];
      if (typeof answer === 'function') return answer();
      if (!answer || answer instanceof Error) throw answer ?? new Error('no answer');
      return answer;
    },
    guard: openGuard(),
    deadlineMs: 60_000,
    busyWaitMs: 60_000,
    now: Date.now,
    random: () => 0.5,
    ...over,
  });
  return { s, calls };
}

const busy = (executingJobs: string[]) => new UseapiError('busy', 'queue full', { executingJobs });

describe('starter', () => {
  it('sends seed_async once, without blind busy retries, while the lease holds', async () => {
    const { s, calls } = starter([seedJob('s1', 'created')], { replyUrl: 'https://bot/cb' });
    const lease = testLease();
    const { job: started } = await s.start('parent', { log: silent, replyRef: 'r' }, lease);
    expect(started.jobid).toBe('s1');
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({ replyUrl: 'https://bot/cb', replyRef: 'r', retryBusy: false });
    expect(lease.checks).toBe(1);
  });

  it('never sends seed_async once the lease is lost', async () => {
    const { s, calls } = starter([seedJob('s1', 'created')]);
    const lease = testLease();
    lease.lose();
    await expect(s.start('parent', { log: silent }, lease)).rejects.toThrow('lease lost');
    expect(calls).toHaveLength(0);
  });

  it('after a 429 waits with jitter from the injected random source, until a job it names ends', async () => {
    const { s, calls } = starter([busy(['running-1']), seedJob('s1', 'created')]);
    const waits: number[] = [];
    const starting = s.start(
      'parent',
      { log: silent, onStatus: (st) => st.phase === 'busy' && waits.push(st.retryInMs) },
      testLease(),
    );
    await expect.poll(() => waits.length).toBe(1);
    // random 0.5: the jitter factor is exactly 1, so the first wait is busyWaitMs.
    expect(waits).toEqual([60_000]);
    s.wakeBusy('some-other-job');
    await new Promise((resolve) => setImmediate(resolve));
    expect(calls).toHaveLength(1);
    s.wakeBusy('running-1');
    await expect(starting).resolves.toMatchObject({ job: { jobid: 's1' } });
    expect(calls).toHaveLength(2);
  });

  it('after a 504 waits for Retry-After or a freed slot of ours, then asks again', async () => {
    const { s } = starter([new UseapiError('untrackable', 'queued, untracked'), seedJob('s1', 'created')]);
    const waits: number[] = [];
    const starting = s.start(
      'parent',
      { log: silent, onStatus: (st) => st.phase === 'busy' && waits.push(st.retryInMs) },
      testLease(),
    );
    await expect.poll(() => waits.length).toBe(1);
    expect(waits).toEqual([180_000]);
    s.wakeBusy();
    await expect(starting).resolves.toMatchObject({ job: { jobid: 's1' } });
  });

  it('a 596 puts the channel on hold; other errors end the start at once', async () => {
    const guard = openGuard();
    const held = starter([new UseapiError('pending_moderation', '596')], { guard });
    await expect(held.s.start('parent', { log: silent }, testLease())).rejects.toMatchObject({
      kind: 'held',
    });
    expect(guard.placed).toEqual(['parent']);
    const bad = starter([new UseapiError('bad_request', 'no')]);
    await expect(bad.s.start('parent', { log: silent }, testLease())).rejects.toMatchObject({
      kind: 'bad_request',
    });
  });

  it('keeps the seed job ids callbacks named while seed_async was on its way', async () => {
    let answer: (job: Job) => void = () => {};
    const { s } = starter([() => new Promise<Job>((resolve) => (answer = resolve))]);
    expect(s.noteEarly('parent', 'early')).toBe(false);
    const starting = s.start('parent', { log: silent }, testLease());
    await expect.poll(() => s.noteEarly('parent', 's1')).toBe(true);
    answer(seedJob('s1', 'created'));
    const { early } = await starting;
    expect([...early]).toContain('s1');
    expect(s.noteEarly('parent', 'late')).toBe(false);
  });

  it('stop lets a seed_async on its way answer within the grace period, then cuts it short', async () => {
    let signal: AbortSignal | undefined;
    let answer: (job: Job) => void = () => {};
    const slow = createStarter({
      requestSeed: (_jobid, options) => {
        signal = options?.signal;
        return new Promise<Job>((resolve) => (answer = resolve));
      },
      guard: openGuard(),
      deadlineMs: 60_000,
      busyWaitMs: 60_000,
      now: Date.now,
      random: () => 0.5,
    });
    const starting = slow.start('parent', { log: silent }, testLease());
    await expect.poll(() => signal).toBeDefined();
    const stopping = slow.stop(60_000);
    answer(seedJob('s1', 'created'));
    await stopping;
    await expect(starting).resolves.toMatchObject({ job: { jobid: 's1' } });
    expect(signal?.aborted).toBe(true);
  });
});
