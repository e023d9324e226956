import { describe, expect, it } from 'vitest';
import { backoffMs } from '../../src/lib/backoff.js';

describe('backoffMs', () => {
  it('doubles by default from the base and stops at the cap', () => {
    const policy = { baseMs: 100, maxMs: 500, jitter: 'none' } as const;
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(n, policy))).toEqual([100, 200, 400, 500, 500]);
  });

  it('grows by the given factor', () => {
    const policy = { baseMs: 1_000, maxMs: 10_000, factor: 1.5, jitter: 'none' } as const;
    expect([1, 2, 3].map((n) => backoffMs(n, policy))).toEqual([1_000, 1_500, 2_250]);
  });

  it('full jitter picks from zero to the step', () => {
    const at = (r: number) => backoffMs(3, { baseMs: 100, maxMs: 1_000, jitter: 'full', random: () => r });
    expect(at(0)).toBe(0);
    expect(at(0.5)).toBe(200);
    expect(at(0.999)).toBeLessThan(400);
  });

  it('half jitter waits at least half the step', () => {
    const at = (r: number) => backoffMs(2, { baseMs: 100, maxMs: 1_000, jitter: 'half', random: () => r });
    expect(at(0)).toBe(100);
    expect(at(0.5)).toBe(150);
    expect(at(0.999)).toBeLessThan(200);
  });

  it('a range jitter spreads around the step, after the cap', () => {
    const policy = { baseMs: 1_000, maxMs: 1_000, jitter: [0.75, 1.25] } as const;
    expect(backoffMs(5, { ...policy, random: () => 0 })).toBe(750);
    expect(backoffMs(5, { ...policy, random: () => 0.5 })).toBe(1_000);
    expect(backoffMs(5, { ...policy, random: () => 0.999 })).toBeLessThan(1_250);
  });
});
