import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../src/storage/memory-store.js';

describe('the in-memory store of rate-limit windows', () => {
  it('answers a value until its time to live has passed', async () => {
    let t = 1_000_000;
    const store = createMemoryStore({ now: () => t });
    await store.set('rate:a', [1], 60_000);
    expect(await store.get('rate:a')).toEqual([1]);
    t += 60_000;
    expect(await store.get('rate:a')).toBeUndefined();
  });

  it('lets go of the values of members who never come back, without anyone reading them', async () => {
    let t = 1_000_000;
    const store = createMemoryStore({ now: () => t });
    for (let i = 0; i < 5_000; i++) await store.set(`rate:member${i}`, [t], 60_000);
    expect(store.size).toBe(5_000);
    t += 2 * 60_000;
    // The next write, a minute or more later, sweeps what has expired: only the live value stays.
    await store.set('rate:someone-else', [t], 60_000);
    expect(store.size).toBe(1);
    expect(await store.get('rate:someone-else')).toEqual([t]);
  });
});
