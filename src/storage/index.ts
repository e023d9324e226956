// The one place that decides where data lives: STORAGE_URL = sqlite://<path> (default), redis://…, memory://.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv, { type KeyvStoreAdapter } from 'keyv';
import type { Hold, IndexEntry, ResetAudit, SeedRecord, SeedRequest } from '../seed/types.js';
import { createLocalCoordinator } from './local-coordinator.js';
import type { Coordinator, Storage, Store } from './port.js';

export type { Coordinator, Lease, Storage, Store } from './port.js';

export interface StorageOptions {
  onError?: (error: unknown) => void;
  /**
   * Shared backends (Redis): how long a lease of a process lasts between renewals, so that the slots of a process
   * that died come back after about this long. One process (SQLite, memory) has no use for it.
   */
  leaseMs?: number;
}

const TABLES = ['seeds', 'jobs', 'requests', 'holds', 'audit', 'meta'] as const;
type Table = (typeof TABLES)[number];

/** Wrap a Keyv instance as a Store; Keyv stays inside storage/. */
export function keyvStore<V>(keyv: Keyv<V>): Store<V> {
  return {
    get: (key) => keyv.get(key) as Promise<V | undefined>,
    getMany: async (keys) => (keys.length ? ((await keyv.get(keys)) as (V | undefined)[]) : []),
    set: async (key, value, ttlMs) => {
      await keyv.set(key, value, ttlMs);
    },
    delete: (key) => keyv.delete(key),
    async *entries() {
      if (!keyv.iterator) return;
      for await (const [key, value] of keyv.iterator(undefined)) {
        if (value !== undefined) yield [String(key), value as V];
      }
    },
  };
}

/** Storage answers when a value written can be read back. */
export async function writeAndRead(meta: Store<unknown>): Promise<void> {
  const stamp = Date.now();
  await meta.set('ping', stamp, 60_000);
  if ((await meta.get('ping')) === undefined) throw new Error('storage did not return what was written');
}

export function sqlitePath(url: string): string {
  return resolve(url.replace(/^sqlite:\/\//, ''));
}

export async function createStorage(url: string, options: StorageOptions = {}): Promise<Storage> {
  const onError = options.onError ?? (() => {});
  if (url.startsWith('redis://') || url.startsWith('rediss://')) {
    const { createRedisStorage } = await import('./redis.js');
    return createRedisStorage(url, options);
  }
  if (url.startsWith('memory://')) {
    return assemble(
      'memory',
      'memory',
      () => undefined,
      createLocalCoordinator(),
      async () => {},
      onError,
    );
  }
  const path = sqlitePath(url);
  mkdirSync(dirname(path), { recursive: true });
  // One connection per table, opened one after another: switching the file to WAL needs it to itself, and doing it
  // while other connections create their tables fails with SQLITE_BUSY instead of waiting.
  const adapters = new Map<Table, KeyvSqlite>();
  for (const table of TABLES) {
    const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table, busyTimeout: 10_000 });
    // WAL lets readers and the writer work side by side on one file.
    await adapter.query(adapters.size === 0 ? 'PRAGMA journal_mode=WAL' : 'PRAGMA synchronous=NORMAL');
    if (adapters.size === 0) await adapter.query('PRAGMA synchronous=NORMAL');
    adapters.set(table, adapter);
  }
  const storage = assemble(
    'sqlite',
    path,
    (table) => adapters.get(table),
    createLocalCoordinator(),
    async () => {
      await Promise.allSettled([...adapters.values()].map((a) => a.disconnect()));
    },
    onError,
  );
  await storage.ping();
  return storage;
}

export function assemble(
  backend: Storage['backend'],
  location: string,
  adapterFor: (table: Table) => KeyvStoreAdapter | undefined,
  coordinator: Coordinator,
  closeAdapters: () => Promise<void>,
  onError: (error: unknown) => void,
): Storage {
  const keyvs: Keyv[] = [];
  const make = <V>(table: Table): Store<V> => {
    const store = adapterFor(table);
    const keyv = new Keyv<V>(store ? { store, namespace: table } : { namespace: table });
    keyv.on('error', onError);
    keyvs.push(keyv as Keyv);
    return keyvStore(keyv);
  };
  const meta = make<unknown>('meta');
  return {
    backend,
    location,
    seeds: make<SeedRecord>('seeds'),
    jobs: make<IndexEntry>('jobs'),
    requests: make<SeedRequest>('requests'),
    holds: make<Hold>('holds'),
    audit: make<ResetAudit[]>('audit'),
    meta,
    volatile: keyvStore(new Keyv<unknown>()),
    coordinator,
    ping: () => writeAndRead(meta),
    async close() {
      await closeAdapters();
    },
  };
}
