// `npm run backup [-- <destination file>]`: a consistent copy of the bot's SQLite file, safe while the bot runs.
// Copying the .sqlite file of a running bot can lose what is still in its write-ahead log (-wal); SQLite's online
// backup API copies the database as one snapshot instead. The copy is checked (integrity, request count) and readable
// by its owner only. Redis is backed up with its own tools (RDB/AOF); memory storage has nothing to keep.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import dotenv from 'dotenv';
import sqlite3 from 'sqlite3';
import { loadConfigOrExit } from './cli.js';
import { redactUrl } from './config.js';
import { sqlitePath } from './storage/index.js';

/** node-sqlite3's Backup (not in its type declarations). */
interface Backup {
  step(pages: number, callback: (error: Error | null) => void): void;
  finish(callback?: (error: Error | null) => void): void;
  readonly completed: boolean;
  readonly failed: boolean;
  readonly pageCount: number;
}

const open = (path: string, mode: number) =>
  new Promise<sqlite3.Database>((resolve, reject) => {
    const db = new sqlite3.Database(path, mode, (error) => (error ? reject(error) : resolve(db)));
  });
const all = <T>(db: sqlite3.Database, sql: string) =>
  new Promise<T[]>((resolve, reject) =>
    db.all(sql, (error, rows) => (error ? reject(error) : resolve(rows as T[]))),
  );
const close = (db: sqlite3.Database) => new Promise<void>((resolve) => db.close(() => resolve()));

export interface BackupResult {
  destination: string;
  pages: number;
  /** Stored requests in the copy (open and closed). */
  requests: number;
}

export async function backupSqlite(source: string, destination: string): Promise<BackupResult> {
  if (!existsSync(source)) throw new Error(`${source} does not exist`);
  if (existsSync(destination)) throw new Error(`${destination} exists already: choose another file`);
  mkdirSync(dirname(destination), { recursive: true, mode: 0o700 });
  // Created empty and private first: the copy holds what the original holds.
  closeSync(openSync(destination, 'wx', 0o600));
  const db = await open(source, sqlite3.OPEN_READONLY);
  try {
    const backup = (db as unknown as { backup(file: string): Backup }).backup(destination);
    // Every page in one step: one consistent snapshot (the bot keeps writing beside it, through the WAL).
    await new Promise<void>((resolve, reject) =>
      backup.step(-1, (error) => (error ? reject(error) : resolve())),
    );
    const pages = backup.pageCount;
    await new Promise<void>((resolve) => backup.finish(() => resolve()));
    if (!backup.completed || backup.failed) throw new Error('the backup did not complete');
    const copy = await open(destination, sqlite3.OPEN_READONLY);
    try {
      const [check] = await all<{ integrity_check: string }>(copy, 'PRAGMA integrity_check');
      if (check?.integrity_check !== 'ok')
        throw new Error(`the copy failed its integrity check: ${check?.integrity_check}`);
      const [count] = await all<{ n: number }>(copy, `SELECT COUNT(*) AS n FROM requests`);
      chmodSync(destination, 0o600);
      return { destination, pages, requests: count?.n ?? 0 };
    } finally {
      await close(copy);
    }
  } finally {
    await close(db);
  }
}

const isMain = /backup\.[jt]s$/.test(process.argv[1] ?? '');
if (isMain) {
  dotenv.config({ quiet: true });
  const config = loadConfigOrExit(process.env, { only: ['storageUrl'], purpose: 'The backup cannot run' });
  if (!config.storageUrl.startsWith('sqlite://')) {
    process.stderr.write(
      config.storageUrl.startsWith('memory://')
        ? 'STORAGE_URL is memory://: nothing is kept, so there is nothing to back up.\n'
        : `STORAGE_URL is ${redactUrl(config.storageUrl)}: back Redis up with its own tools (its RDB or AOF file, e.g. after BGSAVE).\n`,
    );
    process.exit(1);
  }
  const source = sqlitePath(config.storageUrl);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const destination = process.argv[2] ?? join(dirname(source), 'backups', `seed-bot-${stamp}.sqlite`);
  try {
    const result = await backupSqlite(source, destination);
    process.stdout.write(
      `Backed up ${source} to ${result.destination} (${result.pages} pages, integrity ok, ${result.requests} stored requests).\n`,
    );
  } catch (error) {
    process.stderr.write(`The backup failed: ${(error as Error).message}\n`);
    process.exit(1);
  }
}
