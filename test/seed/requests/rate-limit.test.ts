// The per-member limit on memory storage with a hand-moved clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Storage } from '../../../src/seed/ports.js';
import { createRateLimiter } from '../../../src/seed/requests/rate-limit.js';
import { createStorage } from '../../../src/storage/index.js';

let storage: Storage;
let clock: number;
const now = () => clock;

beforeEach(async () => {
  storage = await createStorage('memory://');
  clock = 1_000_000;
});
afterEach(async () => {
  await storage.close();
});

describe('createRateLimiter', () => {
  it('lets a member ask perMinute times, then says how long to wait for the oldest to leave the window', async () => {
    const limiter = createRateLimiter({ store: storage.volatile, perMinute: 2, now });
    expect(await limiter.take('ana')).toEqual({ ok: true });
    clock += 10_000;
    expect(await limiter.take('ana')).toEqual({ ok: true });
    clock += 5_000;
    expect(await limiter.take('ana')).toEqual({ ok: false, retryInMs: 45_000 });
  });

  it('counts each member on their own', async () => {
    const limiter = createRateLimiter({ store: storage.volatile, perMinute: 1, now });
    expect(await limiter.take('ana')).toEqual({ ok: true });
    expect(await limiter.take('jonas')).toEqual({ ok: true });
    expect((await limiter.take('ana')).ok).toBe(false);
  });

  it('forgets requests older than a minute', async () => {
    const limiter = createRateLimiter({ store: storage.volatile, perMinute: 1, now });
    expect(await limiter.take('ana')).toEqual({ ok: true });
    clock += 60_000;
    expect(await limiter.take('ana')).toEqual({ ok: true });
  });

  it('never asks a member to wait less than a second', async () => {
    const limiter = createRateLimiter({ store: storage.volatile, perMinute: 1, now });
    await limiter.take('ana');
    clock += 59_900;
    expect(await limiter.take('ana')).toEqual({ ok: false, retryInMs: 1_000 });
  });

  it('lets no burst of simultaneous clicks past the limit', async () => {
    const limiter = createRateLimiter({ store: storage.volatile, perMinute: 3, now });
    const answers = await Promise.all(Array.from({ length: 10 }, () => limiter.take('ana')));
    expect(answers.filter((a) => a.ok)).toHaveLength(3);
  });

  it('is unlimited at 0 and stores nothing', async () => {
    const limiter = createRateLimiter({ store: storage.volatile, perMinute: 0, now });
    for (let i = 0; i < 20; i++) expect(await limiter.take('ana')).toEqual({ ok: true });
    expect(await storage.volatile.get('rate:ana')).toBeUndefined();
  });

  it('shares the count between limiters on the same store (the fleet)', async () => {
    const a = createRateLimiter({ store: storage.volatile, perMinute: 1, now });
    const b = createRateLimiter({ store: storage.volatile, perMinute: 1, now });
    expect(await a.take('ana')).toEqual({ ok: true });
    expect((await b.take('ana')).ok).toBe(false);
  });
});
