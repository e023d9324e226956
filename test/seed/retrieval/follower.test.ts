import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/seed/ports.js';
import {
  createFollower,
  type FollowerDeps,
  StaleSeedJobError,
} from '../../../src/seed/retrieval/follower.js';
import { createStorage } from '../../../src/storage/index.js';
import { UseapiError } from '../../../src/useapi/errors.js';
import { useapiJobids } from '../../../src/useapi/jobid.js';
import type { Job } from '../../../src/useapi/port.js';
import { seedJob } from '../../helpers/builders.js';
import { openGuard, silent } from '../parts.js';

let storage: Storage;
beforeEach(async () => {
  storage = await createStorage('memory://');
});
afterEach(() => storage.close());

/** getJob answers from the list in turn (the last one for ever); `looks` counts the calls. */
function follower(answers: (Job | Error)[], over: Partial<FollowerDeps> = {}) {
  const state = { looks: 0, ended: [] as string[] };
  const f = createFollower({
    getJob: async () => {
      const answer = answers[Math.min(state.looks++, answers.length - 1)];
      if (!answer || answer instanceof Error) throw answer ?? new Error('no answer');
      return answer;
    },
    source: { name: 'useapi', jobids: useapiJobids },
    flights: storage.flights,
    guard: openGuard(),
    onEnded: (id) => state.ended.push(id),
    pollIntervalMs: 5,
    callbacks: false,
    deadlineMs: 60_000,
    now: Date.now,
    ...over,
  });
  return { f, state };
}

describe('follower', () => {
  it('polls until the seed job completes and builds the record of the parent job', async () => {
    const { f, state } = follower([
      seedJob('s1', 'started'),
      seedJob('s1', 'progress'),
      seedJob('s1', 'completed'),
    ]);
    const statuses: string[] = [];
    const record = await f.follow('parent', 's1', {
      log: silent,
      resumed: false,
      onStatus: (s) => statuses.push(s.phase === 'waiting' ? s.jobStatus : s.phase),
    });
    expect(record).toMatchObject({ jobid: 'parent', seed: 42, seedJobId: 's1', prompt: 'a cat' });
    expect(statuses).toEqual(['started', 'progress', 'completed']);
    expect(state.ended).toEqual(['s1']);
  });

  it('a callback wakes it long before the next poll, and only for its own seed job', async () => {
    const { f, state } = follower([seedJob('s1', 'completed')], { pollIntervalMs: 60_000, callbacks: true });
    const following = f.follow('parent', 's1', { log: silent, resumed: false });
    expect(f.wake('other')).toBe(false);
    expect(f.wake('s1')).toBe(true);
    await expect(following).resolves.toMatchObject({ seed: 42 });
    expect(state.looks).toBe(1);
    expect(f.wake('s1')).toBe(false);
  });

  it('looks at once when its callback came before it started following', async () => {
    const { f } = follower([seedJob('s1', 'completed')], { pollIntervalMs: 60_000, callbacks: true });
    await expect(
      f.follow('parent', 's1', { log: silent, resumed: false, woken: true }),
    ).resolves.toMatchObject({
      seed: 42,
    });
  });

  it('waits out transient failures and an odd body, keeping the job', async () => {
    const { f, state } = follower([
      new UseapiError('unavailable', 'down'),
      new UseapiError('bad_response', 'odd'),
      seedJob('s1', 'completed'),
    ]);
    await expect(f.follow('parent', 's1', { log: silent, resumed: false })).resolves.toMatchObject({
      seed: 42,
    });
    expect(state.looks).toBe(3);
  });

  it('a seed job found already failed with 596 after a restart is stale; a new 596 puts the channel on hold', async () => {
    const failed = seedJob('s1', 'failed', { code: 596 });
    await expect(
      follower([failed]).f.follow('parent', 's1', { log: silent, resumed: true }),
    ).rejects.toBeInstanceOf(StaleSeedJobError);
    const guard = openGuard();
    const fresh = follower([seedJob('s1', 'started'), failed], { guard });
    await expect(fresh.f.follow('parent', 's1', { log: silent, resumed: false })).rejects.toMatchObject({
      kind: 'held',
    });
    expect(guard.placed).toEqual(['parent']);
  });

  it('a seed job over without a seed forgets the flight marker, so the next attempt starts a new one', async () => {
    await storage.flights.set('parent', { seedJobId: 's1' });
    const { f } = follower([seedJob('s1', 'failed', { error: 'boom' })]);
    await expect(f.follow('parent', 's1', { log: silent, resumed: false })).rejects.toMatchObject({
      kind: 'job_failed',
    });
    expect(await storage.flights.get('parent')).toBeUndefined();
  });

  it('gives up at the deadline on the injected clock', async () => {
    let clock = 0;
    const { f } = follower([seedJob('s1', 'progress')], {
      deadlineMs: 1_000,
      getJob: async () => {
        clock += 600;
        return seedJob('s1', 'progress');
      },
      now: () => clock,
    });
    await expect(f.follow('parent', 's1', { log: silent, resumed: false })).rejects.toMatchObject({
      kind: 'deadline',
    });
  });

  it('stops waiting when its signal aborts', async () => {
    const { f } = follower([seedJob('s1', 'progress')], { pollIntervalMs: 60_000 });
    const controller = new AbortController();
    const following = f.follow('parent', 's1', { log: silent, resumed: false, signal: controller.signal });
    const reason = new Error('closing');
    controller.abort(reason);
    await expect(following).rejects.toBe(reason);
  });
});
