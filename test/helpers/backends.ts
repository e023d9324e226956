// The storage backends a storage-dependent test runs against: SQLite always, Redis when a Redis answers on
// 127.0.0.1:6379 (or TEST_REDIS_URL). Each test gets its own SQLite file or its own Redis key prefix
// (redis://…/0?prefix=mjtest:<run>:<n>:), so test files running side by side never see each other's keys.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'vitest';
import { deleteRedisPrefixes, probeRedis, REDIS_TEST_URL } from '../../dev/redis.js';

export interface TestBackend {
  name: 'sqlite' | 'redis';
  /** Why the backend's tests are skipped here, or undefined when it is usable. */
  skipReason: string | undefined;
  /** A new, empty storage for one test: its own file, or its own key prefix. */
  freshUrl(): string;
  /** Delete everything freshUrl() handed out. */
  cleanup(): Promise<void>;
}

const run = randomBytes(3).toString('hex');
let sequence = 0;

function sqliteBackend(): TestBackend {
  const dirs: string[] = [];
  return {
    name: 'sqlite',
    skipReason: undefined,
    freshUrl() {
      const dir = mkdtempSync(join(tmpdir(), 'seed-bot-storage-'));
      dirs.push(dir);
      return `sqlite://${join(dir, 'bot.sqlite')}`;
    },
    async cleanup() {
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

function redisBackend(skipReason: string | undefined): TestBackend {
  const prefixes: string[] = [];
  return {
    name: 'redis',
    skipReason,
    freshUrl() {
      const prefix = `mjtest:${run}:${process.pid}:${sequence++}:`;
      prefixes.push(prefix);
      const url = new URL(REDIS_TEST_URL);
      url.searchParams.set('prefix', prefix);
      return url.toString();
    },
    async cleanup() {
      if (skipReason || prefixes.length === 0) return;
      await deleteRedisPrefixes(prefixes.splice(0));
    },
  };
}

const redisSkipReason = await probeRedis(REDIS_TEST_URL);

export const backends: TestBackend[] = [sqliteBackend(), redisBackend(redisSkipReason)];
export const redis: TestBackend = backends[1] as TestBackend;

/** describe(title) once per backend; a backend that is not usable is skipped, and the reason printed. */
export function describeEachBackend(title: string, body: (backend: TestBackend) => void): void {
  for (const backend of backends) describeBackend(backend, `${title} (${backend.name})`, () => body(backend));
}

/** describe(title) on one backend, skipped with a printed reason when it is not usable. */
export function describeBackend(backend: TestBackend, title: string, body: () => void): void {
  if (backend.skipReason) {
    console.warn(`[${backend.name}] skipping "${title}": ${backend.skipReason}`);
  }
  describe.skipIf(Boolean(backend.skipReason))(title, body);
}
