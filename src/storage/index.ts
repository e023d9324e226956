// The one place that decides where data lives: STORAGE_URL = sqlite://<path> (default), redis://…, memory://.
import { resolve } from 'node:path';
import Keyv from 'keyv';
import type { z } from 'zod';
import {
  flightMarkerSchema,
  holdSchema,
  indexEntrySchema,
  lastErrorSchema,
  recentJobsSchema,
  resetAuditsSchema,
  seedRecordSchema,
  seedRequestSchema,
} from '../seed/model/records.js';
import type { Storage, Store } from '../seed/ports.js';
import {
  createOutageReporter,
  guardCoordinator,
  guardOpenIndex,
  guardStore,
  type OutageReporter,
} from './guard.js';
import { keyvStore, memoryOpenIndex, writeAndRead } from './keyv-store.js';
import { createLocalCoordinator } from './local-coordinator.js';
import { createMemoryStore } from './memory-store.js';
import { type InvalidRecord, parsedStore, prefixedStore } from './parsed-store.js';
import type { RawStorage, TableName } from './raw.js';
import { createPrivately, openSqliteFile, PURGE_EVERY_MS } from './sqlite.js';
import { lockSqliteFile } from './sqlite-lock.js';

export type { Coordinator, Lease, OpenIndex, Storage, Store } from '../seed/ports.js';
export { StorageInUseError } from './sqlite-lock.js';

export interface StorageOptions {
  /** Errors a backend reports on its own (not as a rejection of a call). */
  onError?: (error: unknown) => void;
  /** An outage starts (first failure) and ends (first success after it): one line each, not one per call. */
  onOutage?: { down(error: unknown): void; up(info: { failures: number; ms: number }): void };
  /**
   * Shared backends (Redis): how long a lease of a process lasts between renewals, so that the slots of a process
   * that died come back after about this long. One process (SQLite, memory) has no use for it.
   */
  leaseMs?: number;
  /** Every storage call answers within this long or fails as unavailable. Default 5000. */
  timeoutMs?: number;
  /** A stored record that does not fit its schema (written by another version): read as absent, reported once. */
  onInvalid?: (info: InvalidRecord) => void;
  /**
   * The bot itself: on SQLite, hold the file's lock while open, so a second bot process on the same file is refused
   * (StorageInUseError). `npm run forget-member` takes it too; the doctor, which runs beside the bot, does not.
   */
  exclusive?: boolean;
}

/**
 * A storage call that takes longer than this is an outage, not a slow answer. Members are acknowledged before any
 * storage call, so this bounds only how long one waits to be told; a burst on one SQLite connection stays under it.
 */
const CALL_DEADLINE_MS = 5_000;

export function sqlitePath(url: string): string {
  return resolve(url.replace(/^sqlite:\/\//, ''));
}

/** The stores, open index and coordinator of any backend, each call guarded by a deadline, typed errors and schemas. */
function assemble(raw: RawStorage, options: StorageOptions, outage: OutageReporter): Storage {
  const timeout = options.timeoutMs ?? CALL_DEADLINE_MS;
  const onInvalid = options.onInvalid ?? (() => {});
  const guarded = (name: TableName) => guardStore(raw.store(name), timeout, outage);
  const parsed = <V>(table: Store<unknown>, schema: z.ZodType<V>, name: string) =>
    parsedStore(table, schema, name, onInvalid);
  // Small records share the meta table under a prefix each, as they always have: old and new versions see each other's.
  const meta = guarded('meta');
  return {
    backend: raw.backend,
    location: raw.location,
    seeds: parsed(guarded('seeds'), seedRecordSchema, 'seeds'),
    jobs: parsed(guarded('jobs'), indexEntrySchema, 'jobs'),
    requests: parsed(guarded('requests'), seedRequestSchema, 'requests'),
    openRequests: guardOpenIndex(raw.openRequests, timeout, outage),
    heldChannels: guardOpenIndex(raw.heldChannels, timeout, outage),
    lastErrors: parsed(guarded('errors'), lastErrorSchema, 'errors'),
    holds: parsed(guarded('holds'), holdSchema, 'holds'),
    audit: parsed(guarded('audit'), resetAuditsSchema, 'audit'),
    flights: parsed(prefixedStore(meta, 'flight:'), flightMarkerSchema, 'flights'),
    recent: parsed(prefixedStore(meta, 'recent:'), recentJobsSchema, 'recent'),
    volatile: guarded('volatile'),
    coordinator: guardCoordinator(raw.coordinator, timeout, outage),
    ping: () => writeAndRead(meta),
    close: () => raw.close(),
  };
}

export async function createStorage(url: string, options: StorageOptions = {}): Promise<Storage> {
  const onError = options.onError ?? (() => {});
  const outage = createOutageReporter({
    down: (error) => options.onOutage?.down(error),
    up: (info) => options.onOutage?.up(info),
  });
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    const { createRedisStorage } = await import('./redis.js');
    return assemble(await createRedisStorage(url, { leaseMs: options.leaseMs, outage }), options, outage);
  }
  // Rate-limit windows: shared by nobody, kept by nobody, never on disk, swept once they expire.
  const volatile = createMemoryStore();
  if (url.startsWith('memory://')) {
    const stores = new Map<string, Store<unknown>>();
    return assemble(
      {
        backend: 'memory',
        location: 'memory',
        store: (name) => {
          if (name === 'volatile') return volatile;
          let s = stores.get(name);
          if (!s) {
            s = keyvStore(new Keyv<unknown>({ namespace: name }));
            stores.set(name, s);
          }
          return s;
        },
        openRequests: memoryOpenIndex(),
        heldChannels: memoryOpenIndex(),
        coordinator: createLocalCoordinator(),
        close: async () => {},
      },
      options,
      outage,
    );
  }
  const path = sqlitePath(url);
  createPrivately(path);
  const lock = options.exclusive ? await lockSqliteFile(path) : undefined;
  const file = await openSqliteFile(path).catch(async (error) => {
    await lock?.release();
    throw error;
  });
  const stores = new Map<string, Store<unknown>>();
  // Expired rows really go: once now (in the background: a file with a long history must not delay the start), then
  // every ten minutes. The purge reads only the expired rows, through the expiry index.
  // Close waits for a purge under way and cancels the next: a query on a closed handle is SQLITE_MISUSE, an error
  // a failed first start would otherwise print after its real cause.
  let purging: Promise<unknown> = Promise.resolve();
  const purge = () => {
    purging = file.purge().catch(onError);
  };
  const purgeTimer = setInterval(purge, PURGE_EVERY_MS);
  purgeTimer.unref();
  const firstPurge = setImmediate(purge);
  const storage = assemble(
    {
      backend: 'sqlite',
      location: path,
      store: <V>(name: Parameters<RawStorage['store']>[0]) => {
        if (name === 'volatile') return volatile as Store<V>;
        let s = stores.get(name);
        if (!s) {
          s = file.store<unknown>(name, onError);
          stores.set(name, s);
        }
        return s as Store<V>;
      },
      openRequests: file.openRequests,
      heldChannels: file.heldChannels,
      coordinator: createLocalCoordinator(),
      close: async () => {
        clearInterval(purgeTimer);
        clearImmediate(firstPurge);
        await purging;
        await file.close();
        await lock?.release();
      },
    },
    options,
    outage,
  );
  await storage.ping();
  return storage;
}
