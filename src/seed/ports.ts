// What the core needs from storage, owned by the core: src/storage implements it, and one module there
// (storage/index.ts) decides the backend; nothing else knows it. Every record is read back through its schema
// (records.ts): a record another version of the bot wrote that does not fit reads as absent.
import type {
  FlightMarker,
  Hold,
  IndexEntry,
  RecentJob,
  ResetAudit,
  SeedRecord,
  SeedRequest,
} from './model/types.js';
import type { SeedStatus } from './retrieval/retrieve-options.js';
import type { UpstreamName } from './upstream.js';

export interface Store<V> {
  get(key: string): Promise<V | undefined>;
  getMany(keys: string[]): Promise<(V | undefined)[]>;
  /** ttlMs: undefined keeps the value for ever. */
  set(key: string, value: V, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<boolean>;
  /**
   * Every live entry (SQLite: paged by key; Redis: SCAN, which walks the whole database). For maintenance and tests
   * only: no periodic, start-up or interactive path calls it; they read the open-request and held-channel indexes.
   */
  entries(): AsyncIterable<[string, V]>;
}

/**
 * The ids of the requests still open, scored by when they were accepted. Written before a request is stored as open
 * and cleared after it is stored as closed, so no open request is ever missing from it; an id whose request is closed
 * or gone (a crash between the two writes) is dropped by whoever reads it. Resume, the sweep and status read this,
 * never the whole request table: their cost follows what is open, not what history has piled up.
 */
export interface OpenIndex {
  add(id: string, acceptedAt: number): Promise<void>;
  remove(id: string): Promise<void>;
  /** Oldest first, at most `limit`. */
  list(limit: number): Promise<string[]>;
}

/** Storage did not answer in time, or refused: transient, it is waited out or the member is told to try again. */
export class StorageUnavailableError extends Error {
  override readonly name = 'StorageUnavailableError';
  readonly kind = 'storage_unavailable';
}

export const isStorageUnavailable = (error: unknown): error is StorageUnavailableError =>
  error instanceof StorageUnavailableError;

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
  readonly openRequests: OpenIndex;
  /** The account channels on hold, so listing the holds reads no table. */
  readonly heldChannels: OpenIndex;
  /** The last error kind seen per account channel (for /midjourney status), one small record per channel. */
  readonly lastErrors: Store<{ kind: string; at: number }>;
  readonly holds: Store<Hold>;
  readonly audit: Store<ResetAudit[]>;
  /** Per parent jobid: a seed job is being retrieved for it (and which one, once the upstream named it). */
  readonly flights: Store<FlightMarker>;
  /** Per guild id: the jobs seen last, newest first (autocomplete). */
  readonly recent: Store<RecentJob[]>;
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

// What the core needs from Discord: replies go through this port, which needs only what is stored (application id
// and interaction token, or the channel), so any process can answer any request.
export type Progress =
  | SeedStatus
  | { phase: 'accepted' }
  /**
   * The upstream (or storage) is not answering, or has not found the seed yet (`seedPending`): the request is kept
   * and asked again in `retryInMs`. `upstream`: which one did not answer, when it was the upstream.
   */
  | {
      phase: 'retrying';
      attempt: number;
      retryInMs: number;
      seedPending?: boolean | undefined;
      upstream?: UpstreamName | undefined;
    };
export type DeliveredVia = NonNullable<SeedRequest['deliveredVia']>;

export interface Notifier {
  /** Show what is happening (paced by the processor). */
  progress(request: SeedRequest, progress: Progress): Promise<void>;
  /** The answer. `partial` when the seed is known but the images are still coming. */
  deliver(request: SeedRequest, record: SeedRecord, options: { partial: boolean }): Promise<DeliveredVia>;
  /** A failure the member must hear about (held requests too: they stay open). */
  fail(request: SeedRequest, error: unknown): Promise<DeliveredVia>;
}
