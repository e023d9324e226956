import { describe, expect, it } from 'vitest';
import { sleep } from '../../src/lib/sleep.js';

describe('sleep', () => {
  it('resolves after the time', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
  });

  it('rejects with the abort reason, not an AbortError, while sleeping or when already aborted', async () => {
    const controller = new AbortController();
    const reason = new Error('stop');
    const sleeping = sleep(60_000, controller.signal);
    controller.abort(reason);
    await expect(sleeping).rejects.toBe(reason);
    await expect(sleep(1, controller.signal)).rejects.toBe(reason);
  });
});
