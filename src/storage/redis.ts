// Redis storage: several bot processes share one Redis. The six stores go through keyv's Redis adapter; the
// Coordinator (locks, the fleet-wide slots, pub/sub: redis-coordinator.ts) is a few Lua scripts on the same
// connection, plus one dedicated connection for subscriptions.
//
// URL: redis[s]://[user:password@]host:port[/db][?prefix=name:]
//   db      the Redis database number (default 0)
//   prefix  put in front of every key and channel (default "mj-seed-bot:"), so several bots, or test runs, can share
//           one Redis without seeing each other's data
import KeyvRedis, { createClient } from '@keyv/redis';
import Keyv from 'keyv';
import type { OpenIndex, Store } from '../seed/ports.js';
import type { OutageReporter } from './guard.js';
import { keyvStore } from './keyv-store.js';
import type { RawStorage } from './raw.js';
import { createRedisCoordinator } from './redis-coordinator.js';

const DEFAULT_PREFIX = 'mj-seed-bot:';
/** How long a lease lives without renewal when the caller gives no other figure. */
const DEFAULT_LEASE_MS = 60_000;
/** At start, give up on an unreachable Redis after about this long instead of waiting for ever. */
const CONNECT_GIVE_UP_MS = 10_000;
const PREFIX_PATTERN = /^[A-Za-z0-9_.:-]{1,100}$/;

type RedisClient = ReturnType<typeof createClient>;

export interface RedisLocation {
  /** What the Redis client connects to (the prefix query removed). */
  clientUrl: string;
  prefix: string;
  /** For logs: no password. */
  display: string;
}

function parseRedisUrl(url: string): RedisLocation {
  const parsed = new URL(url);
  const prefix = parsed.searchParams.get('prefix') ?? DEFAULT_PREFIX;
  if (!PREFIX_PATTERN.test(prefix)) {
    throw new Error(
      'STORAGE_URL prefix may hold only letters, digits and _ . : - (at most 100), e.g. ?prefix=mybot:',
    );
  }
  parsed.searchParams.delete('prefix');
  const clientUrl = parsed.toString();
  const display = `${parsed.protocol}//${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname} prefix=${prefix}`;
  return { clientUrl, prefix, display };
}

// --- the storage ---------------------------------------------------------------------------------------------------

export interface RedisStorageOptions {
  leaseMs?: number | undefined;
  /** The connection's own errors and recoveries: an outage is reported once, not per reconnect attempt. */
  outage: OutageReporter;
}

/** The shared connection and the subscriber; an unreachable Redis at start is a configuration problem: said so. */
async function connectRedis(location: RedisLocation, outage: OutageReporter) {
  const onError = (error: unknown) => outage.failed(error);
  let started = false;
  const startedAt = Date.now();
  const client: RedisClient = createClient({
    url: location.clientUrl,
    // While Redis is away, a call fails at once (and the caller waits it out or tells the member) instead of queueing
    // in memory with nobody answered.
    disableOfflineQueue: true,
    socket: {
      connectTimeout: 5_000,
      // At start an unreachable Redis is a configuration problem: say so. Later it is an outage: keep trying.
      reconnectStrategy: (retries) =>
        !started && Date.now() - startedAt > CONNECT_GIVE_UP_MS
          ? new Error(`Redis at ${location.display} did not answer`)
          : Math.min(100 * 2 ** retries, 5_000),
    },
  });
  const subscriber: RedisClient = client.duplicate();
  client.on('error', onError);
  subscriber.on('error', onError);
  client.on('ready', () => outage.ok());
  try {
    await client.connect();
    await subscriber.connect();
  } catch (error) {
    await Promise.allSettled([client.destroy(), subscriber.destroy()]);
    throw new Error(`cannot reach Redis at ${location.display}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  started = true;
  return { client, subscriber };
}

/** One table on the shared connection; keys are `<prefix><table>::<key>`. */
function redisTable<V>(client: RedisClient, prefix: string, table: string): Store<V> {
  const adapter = new KeyvRedis<V>(client, { throwOnErrors: true });
  const keyv = new Keyv<V>(adapter, {
    namespace: `${prefix}${table}`,
    useKeyPrefix: false,
    throwOnErrors: true,
  });
  // Failures reach the caller as rejections; the connection's own errors are reported once, by connectRedis.
  keyv.on('error', () => {});
  return keyvStore(keyv);
}

/** An index as a sorted set scored by time; a second add keeps the first score. */
const redisSortedSet = (client: RedisClient, key: string): OpenIndex => ({
  async add(id, at) {
    await client.zAdd(key, { score: at, value: id }, { condition: 'NX' });
  },
  async remove(id) {
    await client.zRem(key, id);
  },
  list: (limit) => client.zRange(key, 0, Math.max(0, limit - 1)),
});

export async function createRedisStorage(url: string, options: RedisStorageOptions): Promise<RawStorage> {
  const { outage } = options;
  const location = parseRedisUrl(url);
  const { prefix } = location;
  const { client, subscriber } = await connectRedis(location, outage);
  const coordinator = createRedisCoordinator({
    client,
    subscriber,
    prefix,
    leaseMs: options.leaseMs ?? DEFAULT_LEASE_MS,
    onError: (error) => outage.failed(error),
  });
  let closed = false;

  return {
    backend: 'redis',
    location: location.display,
    store: (name) => redisTable<unknown>(client, prefix, name),
    openRequests: redisSortedSet(client, `${prefix}open-requests`),
    heldChannels: redisSortedSet(client, `${prefix}held-channels`),
    coordinator,
    async close() {
      if (closed) return;
      closed = true;
      coordinator.stop();
      await Promise.allSettled([subscriber.close(), client.close()]);
    },
  };
}
