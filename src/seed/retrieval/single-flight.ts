// One retrieval per job, fleet-wide. In this process, everyone asking for a job in flight shares its promise and
// hears its status. Across processes, the one holding the job's flight lock leads; the others wait for the seed it
// stores (woken when it is), and take over when its lock lapses (the leader died or was paused past its lease).
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { abortable, createWakeups } from '../../lib/wakeups.js';
import { SeedError } from '../errors.js';
import { type GuardedLease, guardLease } from '../lease-guard.js';
import type { FlightMarker, SeedRecord } from '../model/types.js';
import type { Coordinator, Lease, Store } from '../ports.js';
import type { RetrieveOptions, SeedStatus } from './retrieve-options.js';

/** Retrieve the job while holding its lease; the options' signal aborts when the lease is lost. */
export type Lead = (jobid: string, options: RetrieveOptions, lease: GuardedLease) => Promise<SeedRecord>;

export interface SingleFlight {
  retrieve(jobid: string, options: RetrieveOptions): Promise<SeedRecord>;
  /** A seed was stored (by any process): whoever waits for it here looks now. */
  stored(jobid: string): void;
  readonly size: number;
  /** Stop every flight (`reason` is what they fail with) and wait for them to end. */
  close(reason: unknown, beforeWaiting?: () => Promise<void>): Promise<void>;
}

export interface SingleFlightDeps {
  coordinator: Coordinator;
  flights: Store<FlightMarker>;
  cached: (jobid: string) => Promise<SeedRecord | undefined>;
  lead: Lead;
  /** The flight lock lasts this long between renewals: a waiting process takes over after it. */
  lockTtlMs: number;
  deadlineMs: number;
  now: () => number;
  log: Logger;
}

interface Flight {
  promise: Promise<SeedRecord>;
  listeners: Set<(status: SeedStatus) => void>;
}

/** A joiner looks again this often even without a "stored" message (the leader may have died). */
const JOIN_RECHECK_MS = 1_000;

export function createSingleFlight(deps: SingleFlightDeps): SingleFlight {
  const flights = new Map<string, Flight>();
  const storedWakeups = createWakeups();
  // The flights belong to the service, not to their first asker: they stop only when it closes.
  const closing = new AbortController();
  setMaxListeners(0, closing.signal); // every flight listens; a long queue is not a leak
  const logOf = (options: RetrieveOptions) => options.log ?? deps.log;
  const lockKey = (jobid: string) => `seed-flight:${jobid}`;

  async function leadLocked(jobid: string, options: RetrieveOptions, lock: Lease) {
    const lease = guardLease(lock, {
      ttlMs: deps.lockTtlMs,
      what: `seed flight ${jobid}`,
      now: deps.now,
      onLost: () =>
        logOf(options).warn({ jobid }, 'seed flight lease lost: another process takes the job over'),
    });
    const signal = options.signal ? AbortSignal.any([options.signal, lease.signal]) : lease.signal;
    try {
      return await deps.lead(jobid, { ...options, signal }, lease);
    } finally {
      await lease.release();
    }
  }

  /** Lead when the lock is free; otherwise wait for the leader's seed, or take over when its lock lapses. */
  async function run(jobid: string, options: RetrieveOptions): Promise<SeedRecord> {
    const first = await deps.coordinator.tryLock(lockKey(jobid), deps.lockTtlMs);
    if (first) return leadLocked(jobid, options, first);
    options.onStatus?.({ phase: 'joined' });
    const startedAt = deps.now();
    while (deps.now() - startedAt < deps.deadlineMs) {
      const record = await deps.cached(jobid);
      if (record) return record;
      const lease = await deps.coordinator.tryLock(lockKey(jobid), deps.lockTtlMs);
      if (lease) return leadLocked(jobid, options, lease);
      await storedWakeups.wait([jobid], JOIN_RECHECK_MS, options.signal);
    }
    throw new SeedError('deadline', `waited too long for another process to retrieve ${jobid}`);
  }

  async function join(jobid: string, flight: Flight, options: RetrieveOptions) {
    if (options.onStatus) flight.listeners.add(options.onStatus);
    options.onStatus?.({ phase: 'joined' });
    const marker = await deps.flights.get(jobid);
    if (marker?.seedJobId) await options.onSeedJob?.(marker.seedJobId);
    try {
      return await abortable(flight.promise, options.signal);
    } finally {
      if (options.onStatus) flight.listeners.delete(options.onStatus);
    }
  }

  return {
    async retrieve(jobid, options) {
      const existing = flights.get(jobid);
      if (existing) return join(jobid, existing, options);
      const listeners = new Set<(status: SeedStatus) => void>();
      if (options.onStatus) listeners.add(options.onStatus);
      const broadcast = (status: SeedStatus) => {
        for (const l of listeners) l(status);
      };
      const promise = run(jobid, { ...options, onStatus: broadcast, signal: closing.signal });
      flights.set(jobid, { promise, listeners });
      const forget = () => flights.delete(jobid);
      promise.then(forget, forget);
      return abortable(promise, options.signal);
    },
    stored: (jobid) => void storedWakeups.wake(jobid),
    get size() {
      return flights.size;
    },
    async close(reason, beforeWaiting) {
      closing.abort(reason);
      await beforeWaiting?.();
      await Promise.allSettled([...flights.values()].map((f) => f.promise));
    },
  };
}
