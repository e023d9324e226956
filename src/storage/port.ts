// What the core needs from storage. One module (storage/index.ts) decides the backend; nothing else knows it.
import type { Hold, IndexEntry, ResetAudit, SeedRecord, SeedRequest } from '../seed/types.js';

export interface Store<V> {
  get(key: string): Promise<V | undefined>;
  getMany(keys: string[]): Promise<(V | undefined)[]>;
  /** ttlMs: undefined keeps the value for ever. */
  set(key: string, value: V, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  /** Every live entry. Meant for start-up and status pages, not for hot paths. */
  entries(): AsyncIterable<[string, V]>;
}

/** A held lock or semaphore slot. */
export interface Lease {
  release(): Promise<void>;
  /** Keep holding for another ttlMs; false when the lease was lost (expired and taken by someone else). */
  extend(ttlMs: number): Promise<boolean>;
}

/** Coordination between the bot's processes (a single process when storage is SQLite or memory). */
export interface Coordinator {
  /** Take `key` for up to ttlMs, or undefined when someone else holds it. */
  tryLock(key: string, ttlMs: number): Promise<Lease | undefined>;
  /** Wait for one of `limit` slots named `name`. Slots of a dead holder come back after ttlMs. */
  acquireSlot(name: string, limit: number, ttlMs: number, signal?: AbortSignal): Promise<Lease>;
  /** Slots in use right now. */
  slotsInUse(name: string): Promise<number>;
  /** Tell every process (this one included). */
  publish(topic: string, message: string): Promise<void>;
  subscribe(topic: string, handler: (message: string) => void): Promise<() => Promise<void>>;
}

export interface Storage {
  readonly backend: 'sqlite' | 'redis' | 'memory';
  /** Human-readable location without secrets, e.g. the SQLite path. */
  readonly location: string;
  readonly seeds: Store<SeedRecord>;
  readonly jobs: Store<IndexEntry>;
  readonly requests: Store<SeedRequest>;
  readonly holds: Store<Hold>;
  readonly audit: Store<ResetAudit[]>;
  /** Small values: counters, settings, markers. */
  readonly meta: Store<unknown>;
  /**
   * Short-lived values the fleet must share but nobody must keep (rate-limit windows): in this process's memory for a
   * single-process backend, in Redis for Redis. Never on disk, so a burst of interactions costs no SQLite write.
   */
  readonly volatile: Store<unknown>;
  readonly coordinator: Coordinator;
  /** Resolves when storage answers a write and a read. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
