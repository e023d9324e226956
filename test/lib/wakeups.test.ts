import { describe, expect, it } from 'vitest';
import { createWakeups } from '../../src/lib/wakeups.js';

describe('wakeups', () => {
  it('a wait on a key ends early when that key is woken, and only that key', async () => {
    const w = createWakeups();
    const a = w.wait(['a'], 60_000);
    const b = w.wait(['b'], 20);
    expect(w.wake('a')).toBe(true);
    expect(w.wake('c')).toBe(false);
    await expect(a).resolves.toBe(true);
    await expect(b).resolves.toBe(false);
    // Nothing is left registered once the waits are over.
    expect(w.wake('a')).toBe(false);
    expect(w.wake('b')).toBe(false);
  });

  it('a wait on several keys ends when any of them is woken; wakeAll ends every wait', async () => {
    const w = createWakeups();
    const many = w.wait(['x', 'y'], 60_000);
    w.wake('y');
    await expect(many).resolves.toBe(true);
    const none = w.wait([], 60_000);
    const keyed = w.wait(['z'], 60_000);
    w.wakeAll();
    await expect(none).resolves.toBe(true);
    await expect(keyed).resolves.toBe(true);
  });

  it('a watch keeps a wake that came while it was not waiting, once', async () => {
    const w = createWakeups();
    const watch = w.watch(['job']);
    expect(w.wake('job')).toBe(true);
    await expect(watch.wait(60_000)).resolves.toBe(true);
    await expect(watch.wait(10)).resolves.toBe(false);
    watch.close();
    expect(w.wake('job')).toBe(false);
  });

  it('an abort rejects with its reason even when a wake is pending', async () => {
    const w = createWakeups();
    const controller = new AbortController();
    const reason = new Error('closing');
    const waiting = w.wait(['k'], 60_000, controller.signal);
    controller.abort(reason);
    await expect(waiting).rejects.toBe(reason);
    const watch = w.watch(['k']);
    w.wake('k');
    await expect(watch.wait(60_000, controller.signal)).rejects.toBe(reason);
    watch.close();
  });
});
