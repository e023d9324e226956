// Accepted requests are stored before anything goes upstream, move through their states in storage, and are resumed
// on start (or by another process) until they are answered. Replies go through the Notifier port, which needs only
// what is stored (application id + interaction token, or the channel), so any process can answer any request.
// Two parts: scheduler.ts decides what runs here (accept, claim, resume, sweep, drain); run-request.ts runs one
// request (retrieve, deliver, settle). This file composes them.
import type { Logger } from 'pino';
import type { Holds } from '../moderation/holds.js';
import type { Notifier, Storage } from '../ports.js';
import type { SeedService } from '../retrieval/seed-service.js';
import { createRequestStore } from './request-store.js';
import { createRequestRunner } from './run-request.js';
import { createScheduler, type RequestProcessor } from './scheduler.js';

export type { NewRequest } from './known-seed.js';
export type { RequestProcessor } from './scheduler.js';

export interface RequestProcessorDeps {
  storage: Storage;
  seeds: SeedService;
  notifier: Notifier;
  holds: Pick<Holds, 'onChange'>;
  log: Logger;
  /** A request that meets only transient failures is retried until this long after it was accepted. */
  deadlineMs: number;
  /** A process's claim on a request lasts this long between renewals: after a crash, others take over after it. */
  lockTtlMs: number;
  /** How often open requests nobody works on are looked for (a dead process's, once its leases lapse). */
  sweepEveryMs: number;
  /** Backoff between attempts after a transient failure: base doubling up to max, with jitter. */
  retry?: { baseMs?: number; maxMs?: number } | undefined;
  random?: () => number;
  /** Minimum time between two progress edits of one reply. */
  progressIntervalMs?: number;
  now?: () => number;
  /** Done requests are kept this long for status pages, then expire. */
  doneTtlMs?: number;
  onOutcome?: (outcome: 'done' | 'failed' | 'held' | 'left' | 'retried') => void;
}

export function createRequestProcessor(deps: RequestProcessorDeps): RequestProcessor {
  const now = deps.now ?? Date.now;
  const store = createRequestStore({
    storage: deps.storage,
    now,
    doneTtlMs: deps.doneTtlMs ?? 7 * 24 * 60 * 60 * 1000,
  });
  const run = createRequestRunner({
    ...deps,
    store,
    retry: { baseMs: deps.retry?.baseMs ?? 1_000, maxMs: deps.retry?.maxMs ?? 30_000 },
    random: deps.random ?? Math.random,
    progressIntervalMs: deps.progressIntervalMs ?? 5_000,
    now,
  });
  return createScheduler({ ...deps, store, run, now });
}
