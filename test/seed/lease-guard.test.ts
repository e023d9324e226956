// A lease that guards work: lost when a renewal says so, when renewals fail past its life, or when the process wakes
// after it ran out; losing it aborts the work, and the fence says so before a write.
import { describe, expect, it } from 'vitest';
import { guardLease, isLeaseLost } from '../../src/seed/lease-guard.js';
import type { Lease } from '../../src/seed/ports.js';

function fakeLease(answer: () => Promise<boolean>): Lease & { released: number } {
  const lease = {
    released: 0,
    extend: answer,
    async release() {
      lease.released++;
    },
  };
  return lease;
}

describe('guardLease', () => {
  it('holds while renewals succeed, and gives the lease back on release', async () => {
    const lease = fakeLease(async () => true);
    const guarded = guardLease(lease, { ttlMs: 1_000, what: 'x' });
    expect(await guarded.holds()).toBe(true);
    expect(guarded.signal.aborted).toBe(false);
    await guarded.release();
    expect(lease.released).toBe(1);
  });

  it('aborts the work when a renewal says the lease was taken', async () => {
    let lost: unknown;
    const guarded = guardLease(
      fakeLease(async () => false),
      { ttlMs: 1_000, what: 'x', onLost: (e) => (lost = e) },
    );
    expect(await guarded.holds()).toBe(false);
    expect(guarded.signal.aborted).toBe(true);
    expect(isLeaseLost(guarded.signal.reason)).toBe(true);
    expect(isLeaseLost(lost)).toBe(true);
    await expect(guarded.assertHeld()).rejects.toSatisfy(isLeaseLost);
  });

  it('assertHeld passes while the lease holds and throws LeaseLostError once it is taken', async () => {
    let held = true;
    const guarded = guardLease(
      fakeLease(async () => held),
      { ttlMs: 1_000, what: 'request r1' },
    );
    await expect(guarded.assertHeld()).resolves.toBeUndefined();
    held = false;
    const error = await guarded.assertHeld().catch((e: unknown) => e);
    expect(isLeaseLost(error)).toBe(true);
    expect((error as Error).message).toContain('request r1');
    await guarded.release();
  });

  it('counts as lost when the process wakes after the lease ran out, without asking', async () => {
    let clock = 0;
    let asked = 0;
    const guarded = guardLease(
      fakeLease(async () => {
        asked++;
        return true;
      }),
      { ttlMs: 1_000, what: 'x', now: () => clock },
    );
    clock = 1_500; // paused past the lease
    expect(await guarded.holds()).toBe(false);
    expect(asked).toBe(0);
    expect(guarded.signal.aborted).toBe(true);
  });

  it('keeps the lease through failing renewals while it lasts, and loses it after', async () => {
    let clock = 0;
    const guarded = guardLease(
      fakeLease(async () => {
        throw new Error('storage away');
      }),
      { ttlMs: 1_000, what: 'x', now: () => clock },
    );
    clock = 500;
    expect(await guarded.holds()).toBe(true);
    clock = 999;
    expect(await guarded.holds()).toBe(true);
    clock = 1_000;
    expect(await guarded.holds()).toBe(false);
    expect(guarded.signal.aborted).toBe(true);
    await guarded.release();
  });
});
