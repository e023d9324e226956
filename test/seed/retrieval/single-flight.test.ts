import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isLeaseLost } from '../../../src/seed/lease-guard.js';
import type { SeedRecord } from '../../../src/seed/model/types.js';
import type { Coordinator, Storage } from '../../../src/seed/ports.js';
import type { SeedStatus } from '../../../src/seed/retrieval/retrieve-options.js';
import {
  createSingleFlight,
  type Lead,
  type SingleFlightDeps,
} from '../../../src/seed/retrieval/single-flight.js';
import { createStorage } from '../../../src/storage/index.js';
import { silent } from '../parts.js';

let storage: Storage;
beforeEach(async () => {
  storage = await createStorage('memory://');
});
afterEach(() => storage.close());

const record = (jobid: string): SeedRecord => ({
  jobid,
  seed: 7,
  images: [],
  retrievedAt: 1,
  source: 'useapi',
});

function flight(lead: Lead, over: Partial<SingleFlightDeps> = {}) {
  return createSingleFlight({
    coordinator: storage.coordinator,
    flights: storage.flights,
    cached: (jobid) => storage.seeds.get(jobid),
    lead,
    lockTtlMs: 60_000,
    deadlineMs: 60_000,
    now: Date.now,
    log: silent,
    ...over,
  });
}

/** A lead that waits until `finish` is called, telling its status on the way. */
function heldLead() {
  const state = { calls: 0, finish: (_r: SeedRecord) => {} };
  const lead: Lead = (_jobid, options) => {
    state.calls++;
    options.onStatus?.({ phase: 'asking' });
    return new Promise<SeedRecord>((resolve, reject) => {
      state.finish = resolve;
      options.signal?.addEventListener('abort', () => reject(options.signal?.reason), { once: true });
    });
  };
  return { lead, state };
}

describe('single flight', () => {
  it('shares one lead between everyone asking for the same job in this process, status included', async () => {
    const { lead, state } = heldLead();
    const f = flight(lead);
    const heard: SeedStatus['phase'][][] = [[], []];
    const first = f.retrieve('job', { user: 'a', onStatus: (s) => heard[0]?.push(s.phase) });
    await expect.poll(() => state.calls).toBe(1);
    await storage.flights.set('job', { seedJobId: 'seed-1' });
    const told: string[] = [];
    const second = f.retrieve('job', {
      user: 'b',
      onStatus: (s) => heard[1]?.push(s.phase),
      onSeedJob: (id) => void told.push(id),
    });
    await expect.poll(() => told).toEqual(['seed-1']);
    expect(f.size).toBe(1);
    state.finish(record('job'));
    await expect(first).resolves.toEqual(record('job'));
    await expect(second).resolves.toEqual(record('job'));
    expect(state.calls).toBe(1);
    expect(heard).toEqual([['asking'], ['joined']]);
    expect(f.size).toBe(0);
  });

  it("waits for the seed another process stores, woken when it is, and never leads while the other's lock holds", async () => {
    const other = await storage.coordinator.tryLock('seed-flight:job', 60_000);
    const { lead, state } = heldLead();
    const f = flight(lead);
    const phases: string[] = [];
    const waiting = f.retrieve('job', { user: 'a', onStatus: (s) => phases.push(s.phase) });
    await expect.poll(() => phases).toEqual(['joined']);
    await storage.seeds.set('job', record('job'));
    f.stored('job');
    await expect(waiting).resolves.toEqual(record('job'));
    expect(state.calls).toBe(0);
    await other?.release();
  });

  it('takes the job over when the other process lets its lock go', async () => {
    const other = await storage.coordinator.tryLock('seed-flight:job', 60_000);
    const { lead, state } = heldLead();
    const f = flight(lead);
    const waiting = f.retrieve('job', { user: 'a' });
    await other?.release();
    f.stored('job'); // any wake makes it look again; the lock is free now
    await expect.poll(() => state.calls).toBe(1);
    state.finish(record('job'));
    await expect(waiting).resolves.toEqual(record('job'));
  });

  it('a lost flight lease aborts the lead', async () => {
    const losing: Coordinator = {
      ...storage.coordinator,
      async tryLock() {
        return { release: async () => {}, extend: async () => false };
      },
    };
    const { lead } = heldLead();
    const f = flight(lead, { coordinator: losing, lockTtlMs: 90 });
    const error = await f.retrieve('job', { user: 'a' }).catch((e: unknown) => e);
    expect(isLeaseLost(error)).toBe(true);
  });

  it('close stops every flight with its reason', async () => {
    const { lead, state } = heldLead();
    const f = flight(lead);
    const running = f.retrieve('job', { user: 'a' });
    await expect.poll(() => state.calls).toBe(1);
    const reason = new Error('shutting down');
    let before = false;
    await f.close(reason, async () => {
      before = true;
    });
    expect(before).toBe(true);
    await expect(running).rejects.toBe(reason);
  });
});
