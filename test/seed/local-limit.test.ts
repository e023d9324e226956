import { describe, expect, it } from 'vitest';
import { createLocalLimit } from '../../src/seed/local-limit.js';

const deferred = () => {
  let resolve: () => void = () => {};
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
};

describe('createLocalLimit', () => {
  it('runs at most `limit` at once, the rest in arrival order', async () => {
    const limit = createLocalLimit(2);
    const gates = [deferred(), deferred(), deferred(), deferred()];
    const started: number[] = [];
    const runs = gates.map((g, i) =>
      limit.run(async () => {
        started.push(i);
        await g.promise;
        return i;
      }),
    );
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual([0, 1]);
    gates[1]?.resolve();
    await new Promise((r) => setTimeout(r, 10));
    expect(started).toEqual([0, 1, 2]);
    for (const g of gates) g.resolve();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3]);
  });

  it('lets a waiter leave when its signal aborts, without taking a turn', async () => {
    const limit = createLocalLimit(1);
    const gate = deferred();
    const first = limit.run(() => gate.promise);
    const abort = new AbortController();
    let ran = false;
    const second = limit.run(async () => {
      ran = true;
    }, abort.signal);
    abort.abort(new Error('stop'));
    await expect(second).rejects.toThrow('stop');
    gate.resolve();
    await first;
    expect(ran).toBe(false);
    expect(await limit.run(async () => 'next')).toBe('next');
  });
});
