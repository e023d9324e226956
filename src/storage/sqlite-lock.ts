// One bot process per SQLite file. The bot holds an exclusive transaction on a small lock database beside its file
// (`<file>.lock`) for as long as it runs; a second process finds it taken and is refused with the first one's pid.
// The operating system drops the lock when the process dies (SIGKILL, a crash), so there is no stale lock to remove,
// and a process id reused after a restart (pid 1 in a container) changes nothing.
import { hostname } from 'node:os';
import KeyvSqlite from '@keyv/sqlite';

export class StorageInUseError extends Error {
  override readonly name = 'StorageInUseError';
  /** The process that holds the file, in words ("process 123, started …"). */
  readonly who: string;
  constructor(
    readonly path: string,
    readonly owner: { pid?: number; host?: string; since?: string } | undefined,
  ) {
    const who = owner?.pid
      ? `process ${owner.pid}${owner.host && owner.host !== hostname() ? ` on ${owner.host}` : ''}${owner.since ? `, started ${owner.since}` : ''}`
      : 'another process';
    super(
      `Another bot (${who}) is running on ${path}. A SQLite file serves one bot process: stop the other one first, ` +
        'or set STORAGE_URL=redis://… for several processes (README: "Redis and several processes").',
    );
    this.who = who;
  }
}

export interface SqliteLock {
  release(): Promise<void>;
}

const isBusy = (error: unknown) =>
  /SQLITE_BUSY|SQLITE_LOCKED/.test(String((error as { code?: string }).code));

export async function lockSqliteFile(path: string): Promise<SqliteLock> {
  // No busy timeout: a lock that is taken is refused at once, not waited for.
  const lock = new KeyvSqlite({ uri: `sqlite://${path}.lock`, table: 'owner' });
  try {
    // WAL: the owner's line stays readable while its transaction is held.
    await lock.query('PRAGMA journal_mode=WAL');
    await lock.query('BEGIN EXCLUSIVE');
  } catch (error) {
    if (!isBusy(error)) throw error;
    const rows = (await lock.query(`SELECT value FROM owner WHERE key = 'owner'`).catch(() => [])) as {
      value: string;
    }[];
    await lock.disconnect();
    let owner: StorageInUseError['owner'];
    try {
      owner = rows[0] ? (JSON.parse(rows[0].value) as StorageInUseError['owner']) : undefined;
    } catch {
      owner = undefined;
    }
    throw new StorageInUseError(path, owner);
  }
  // Say who holds it (committed, so the next process can read it), then hold it again until release.
  const owner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  await lock.query(`INSERT OR REPLACE INTO owner(key, value) VALUES('owner', ?)`, JSON.stringify(owner));
  await lock.query('COMMIT');
  try {
    await lock.query('BEGIN EXCLUSIVE');
  } catch (error) {
    await lock.disconnect();
    // Another process took it in the instant between the two: it runs, this one does not.
    if (isBusy(error)) throw new StorageInUseError(path, undefined);
    throw error;
  }
  return {
    async release() {
      await lock.query('ROLLBACK').catch(() => {});
      await lock.disconnect();
    },
  };
}
