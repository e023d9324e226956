import { describe, expect, it } from 'vitest';
import { only } from '../../src/lib/only.js';

describe('only', () => {
  it('keeps the named members, bound to the whole, and nothing else', () => {
    const whole = {
      secret: 'token',
      count: 2,
      twice(n: number) {
        return n * this.count;
      },
      reveal() {
        return this.secret;
      },
    };
    const narrowed = only(whole, ['twice', 'count']);
    expect(Object.keys(narrowed).sort()).toEqual(['count', 'twice']);
    expect(narrowed.twice(5)).toBe(10);
    expect((narrowed as Record<string, unknown>).reveal).toBeUndefined();
    expect((narrowed as Record<string, unknown>).secret).toBeUndefined();
  });
});
