import { describe, expect, it } from 'vitest';
import { createFairQueue } from '../../../src/seed/retrieval/fair-queue.js';

describe('createFairQueue', () => {
  it('never runs more than the limit at once', async () => {
    const queue = createFairQueue(2);
    const tickets = Array.from({ length: 5 }, (_, i) => queue.enter(`u${i}`));
    await Promise.resolve();
    expect(queue.running).toBe(2);
    expect(queue.waiting).toBe(3);
    tickets[0]?.done();
    expect(queue.running).toBe(2);
    expect(queue.waiting).toBe(2);
  });

  it('serves users in turn so one member does not starve the rest', async () => {
    const queue = createFairQueue(1);
    const order: string[] = [];
    const first = queue.enter('busy');
    const busy = [queue.enter('busy'), queue.enter('busy'), queue.enter('busy')];
    const other = queue.enter('other');
    for (const t of [...busy, other]) void t.turn.then(() => order.push(`${t.user}`));
    expect(other.position()).toBe(1);
    first.done();
    await Promise.resolve();
    busy[0]?.done();
    await Promise.resolve();
    expect(order).toEqual(['busy', 'other']);
  });

  it('reports the position and forgets a ticket that leaves the queue', () => {
    const queue = createFairQueue(1);
    queue.enter('a');
    const b = queue.enter('b');
    const c = queue.enter('c');
    expect(b.position()).toBe(0);
    expect(c.position()).toBe(1);
    b.done();
    expect(c.position()).toBe(0);
    expect(queue.waiting).toBe(1);
  });
});
