// The embedded backend: one SQLite file, one keyv table per store, plus what keyv's SQLite adapter lacks for a bot
// that runs for months: an open-request index table, key-paged iteration (keyv's iterator pages with OFFSET,
// recursively: quadratic, and past ~50,000 rows it overflows the stack), and real deletion of expired rows (keyv
// only drops an expired row when that key is read again), through an index on the expiry so the purge reads only
// what has expired.
import { chmodSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import KeyvSqlite from '@keyv/sqlite';
import Keyv from 'keyv';
import type { OpenIndex, Store } from '../seed/ports.js';
import { keyvStore } from './keyv-store.js';

const SQLITE_TABLES = ['seeds', 'jobs', 'requests', 'holds', 'audit', 'meta', 'errors'] as const;
export type SqliteTable = (typeof SQLITE_TABLES)[number];

/** Expired rows are deleted this often (and once at start), a batch at a time. */
const PURGE_EVERY_MS = 10 * 60_000;
const PURGE_BATCH = 1_000;
const PAGE = 200;
/** The expression keyv's value carries its expiry in; the index and the purge must spell it the same way. */
const EXPIRES = `json_extract(value, '$.expires')`;

type Row = { key: string; value: string };

export interface SqliteFile {
  store<V>(table: SqliteTable, onError: (error: unknown) => void): Store<V>;
  openRequests: OpenIndex;
  heldChannels: OpenIndex;
  /** Delete every expired row now; resolves with how many went. */
  purge(now?: number): Promise<number>;
  close(): Promise<void>;
}

/** The file holds members' ids, prompts and interaction tokens: readable by its owner only (SQLite gives its -wal
 * and -shm files the same mode). An existing file is tightened too. */
export function createPrivately(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  try {
    chmodSync(path, 0o600);
  } catch {
    // not the owner: leave it as the administrator set it
  }
}

export async function openSqliteFile(path: string): Promise<SqliteFile> {
  createPrivately(path);
  // One connection per table, opened one after another: switching the file to WAL needs it to itself, and doing it
  // while other connections create their tables fails with SQLITE_BUSY instead of waiting.
  const adapters = new Map<SqliteTable, KeyvSqlite>();
  for (const table of SQLITE_TABLES) {
    const adapter = new KeyvSqlite({ uri: `sqlite://${path}`, table, busyTimeout: 10_000 });
    // WAL lets readers and the writer work side by side on one file.
    if (adapters.size === 0) await adapter.query('PRAGMA journal_mode=WAL');
    await adapter.query('PRAGMA synchronous=NORMAL');
    await adapter.query(`CREATE INDEX IF NOT EXISTS ${table}_expires ON ${table}(${EXPIRES})`);
    adapters.set(table, adapter);
  }
  const requests = adapterOf(adapters, 'requests');
  const open = await idIndex(requests, 'open_requests');
  const held = await idIndex(adapterOf(adapters, 'holds'), 'held_channels');

  async function purge(now = Date.now()): Promise<number> {
    let deleted = 0;
    for (const [table, adapter] of adapters) {
      for (;;) {
        const rows = (await adapter.query(
          `SELECT key FROM ${table} WHERE ${EXPIRES} < ? LIMIT ?`,
          now,
          PURGE_BATCH,
        )) as { key: string }[];
        if (rows.length === 0) break;
        await adapter.query(
          `DELETE FROM ${table} WHERE key IN (SELECT value FROM json_each(?))`,
          JSON.stringify(rows.map((r) => r.key)),
        );
        deleted += rows.length;
        if (rows.length < PURGE_BATCH) break;
      }
    }
    return deleted;
  }

  return {
    store<V>(table: SqliteTable, onError: (error: unknown) => void): Store<V> {
      const adapter = adapterOf(adapters, table);
      const keyv = new Keyv<V>({ store: adapter, namespace: table });
      keyv.on('error', onError);
      return keyvStore(keyv, () => pagedEntries<V>(adapter, table));
    },
    openRequests: open,
    heldChannels: held,
    purge,
    async close() {
      await Promise.allSettled([...adapters.values()].map((a) => a.disconnect()));
    },
  };
}

export { PURGE_EVERY_MS };

/** An index of ids scored by time, in its own table beside the store it indexes. */
async function idIndex(adapter: KeyvSqlite, table: string): Promise<OpenIndex> {
  await adapter.query(
    `CREATE TABLE IF NOT EXISTS ${table}(id TEXT PRIMARY KEY, accepted_at INTEGER NOT NULL)`,
  );
  await adapter.query(`CREATE INDEX IF NOT EXISTS ${table}_at ON ${table}(accepted_at, id)`);
  return {
    async add(id, at) {
      await adapter.query(
        `INSERT INTO ${table}(id, accepted_at) VALUES(?, ?) ON CONFLICT(id) DO NOTHING`,
        id,
        at,
      );
    },
    async remove(id) {
      await adapter.query(`DELETE FROM ${table} WHERE id = ?`, id);
    },
    async list(limit) {
      const rows = (await adapter.query(
        `SELECT id FROM ${table} ORDER BY accepted_at, id LIMIT ?`,
        limit,
      )) as {
        id: string;
      }[];
      return rows.map((r) => r.id);
    },
  };
}

function adapterOf(adapters: Map<SqliteTable, KeyvSqlite>, table: SqliteTable): KeyvSqlite {
  const adapter = adapters.get(table);
  if (!adapter) throw new Error(`no SQLite connection for ${table}`);
  return adapter;
}

/** Pages by key (`key > last`), a loop, not recursion: linear in the table, flat on the stack. */
async function* pagedEntries<V>(adapter: KeyvSqlite, table: string): AsyncIterable<[string, V]> {
  const prefix = `${table}:`;
  let last = prefix;
  for (;;) {
    const rows = (await adapter.query(
      `SELECT key, value FROM ${table} WHERE key > ? AND key < ? ORDER BY key LIMIT ?`,
      last,
      `${prefix}\uffff`,
      PAGE,
    )) as Row[];
    const now = Date.now();
    for (const row of rows) {
      last = row.key;
      const parsed = parseRow(row.value);
      if (!parsed || (parsed.expires !== undefined && parsed.expires !== null && parsed.expires < now))
        continue;
      yield [row.key.slice(prefix.length), parsed.value as V];
    }
    if (rows.length < PAGE) return;
  }
}

function parseRow(text: string): { value: unknown; expires?: number | null } | undefined {
  try {
    const parsed = JSON.parse(text) as { value?: unknown; expires?: number | null };
    return parsed.value === undefined ? undefined : { value: parsed.value, expires: parsed.expires };
  } catch {
    return undefined;
  }
}
