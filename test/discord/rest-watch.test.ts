import { describe, expect, it } from 'vitest';
import { createInvalidRequestWatch } from '../../src/discord/rest-watch.js';

describe('invalid requests toward Discord’s ban threshold', () => {
  it('says so once when the last 10 minutes pass the threshold, not on every request after', () => {
    let t = 1_700_000_000_000;
    const watch = createInvalidRequestWatch({ threshold: 1_000, now: () => t });
    const due: number[] = [];
    for (let i = 1; i <= 1_500; i++) {
      t += 100; // 1,500 in 2.5 minutes
      if (watch.add()) due.push(i);
    }
    expect(due).toEqual([1_000]);
    expect(watch.count()).toBe(1_500);
  });

  it('forgets what is older than 10 minutes, and warns again after the count came back down', () => {
    let t = 1_700_000_000_000;
    const watch = createInvalidRequestWatch({ threshold: 100, now: () => t });
    for (let i = 0; i < 100; i++) watch.add();
    expect(watch.count()).toBe(100);
    t += 11 * 60_000;
    expect(watch.count()).toBe(0);
    // Spread over 9 minutes, 99 stay under the threshold; the 100th inside the same 10 minutes passes it.
    const due: boolean[] = [];
    for (let i = 0; i < 99; i++) {
      due.push(watch.add());
      if (i % 11 === 10) t += 60_000;
    }
    expect(due.some(Boolean)).toBe(false);
    expect(watch.add()).toBe(true);
  });
});
