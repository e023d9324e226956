import { describe, expect, it } from 'vitest';
import { createFairQueue } from '../../../src/seed/retrieval/fair-queue.js';

describe('createFairQueue: resumed jobs and position updates', () => {
  it('serves a priority ticket (a seed job already running upstream) before every ordinary one', async () => {
    const queue = createFairQueue(1);
    const running = queue.enter('a');
    const waiting = [queue.enter('b'), queue.enter('c')];
    const resumed = queue.enter('d', { priority: true });
    expect(running.started).toBe(true);
    expect(resumed.started).toBe(false);
    expect(resumed.position()).toBe(0);
    expect(waiting.map((t) => t.position())).toEqual([1, 2]);
    running.done();
    await resumed.turn;
    expect(resumed.started).toBe(true);
    expect(waiting.map((t) => t.started)).toEqual([false, false]);
    expect(queue.running).toBe(1);
  });

  it('tells listeners when the queue moves, and forgets a user whose only ticket left', () => {
    const queue = createFairQueue(1);
    let changes = 0;
    const stop = queue.onChange(() => changes++);
    const a = queue.enter('a');
    const b = queue.enter('b');
    const c = queue.enter('c');
    expect(changes).toBe(3);
    b.done(); // leaves without having run
    expect(changes).toBe(4);
    expect(c.position()).toBe(0);
    a.done();
    expect(c.started).toBe(true);
    expect(queue.waiting).toBe(0);
    stop();
    queue.enter('b');
    expect(changes).toBe(5);
  });

  it('puts a returning user at the back of the rotation rather than where they once were', () => {
    const queue = createFairQueue(1);
    const a1 = queue.enter('a');
    const b1 = queue.enter('b');
    b1.done(); // b leaves the queue entirely
    const c1 = queue.enter('c');
    const b2 = queue.enter('b');
    expect([c1.position(), b2.position()]).toEqual([0, 1]);
    a1.done();
    expect(c1.started).toBe(true);
  });
});
