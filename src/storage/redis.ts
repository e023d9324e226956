// Redis storage: several bot processes share one Redis. The six stores go through keyv's Redis adapter; the
// Coordinator (locks, the fleet-wide slots, pub/sub) is a few Lua scripts on the same connection, plus one dedicated
// connection for subscriptions (a subscribed Redis connection can run nothing else).
//
// URL: redis[s]://[user:password@]host:port[/db][?prefix=name:]
//   db      the Redis database number (default 0)
//   prefix  put in front of every key and channel (default "mj-seed-bot:"), so several bots, or test runs, can share
//           one Redis without seeing each other's data
import { randomUUID } from 'node:crypto';
import KeyvRedis, { createClient } from '@keyv/redis';
import Keyv from 'keyv';
import { createWakeups } from '../lib/wakeups.js';
import type { Coordinator, Lease, OpenIndex, Store } from '../seed/ports.js';
import type { OutageReporter } from './guard.js';
import { keyvStore } from './keyv-store.js';
import type { RawStorage } from './raw.js';

const DEFAULT_PREFIX = 'mj-seed-bot:';
/** How long a lease lives without renewal when the caller gives no other figure. */
const DEFAULT_LEASE_MS = 60_000;
/** At start, give up on an unreachable Redis after about this long instead of waiting for ever. */
const CONNECT_GIVE_UP_MS = 10_000;
/** Waiters for a slot look again this often even without a release message (a holder may have died). */
const SLOT_RECHECK_MS = 1_000;
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

// --- Lua ---------------------------------------------------------------------------------------------------------
// Time comes from the Redis server (TIME), so machines with skewed clocks agree on when a lease ends.

const NOW = `local t = redis.call('TIME') local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/** KEYS[1] lock; ARGV token. */
const UNLOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** KEYS[1] lock; ARGV token, ttl. */
const RELOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/**
 * A fair counting semaphore (after "Redis in Action" 6.3): holders in a sorted set scored by when their lease ends;
 * waiters in a queue scored by arrival (a counter), each with a heartbeat so a dead waiter leaves the queue.
 * The first `limit - holders` waiters in arrival order may take a slot, whatever process they are in.
 * KEYS: holders, queue, alive, seq. ARGV: token, limit, holdMs, waitMs. Returns 1 when the slot is taken.
 */
const ACQUIRE = `${NOW}
local holders, queue, alive, seq = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local token, limit, holdMs, waitMs = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
redis.call('ZREMRANGEBYSCORE', holders, '-inf', now)
local dead = redis.call('ZRANGEBYSCORE', alive, '-inf', now)
for _, d in ipairs(dead) do
  redis.call('ZREM', queue, d)
  redis.call('ZREM', alive, d)
end
if not redis.call('ZSCORE', queue, token) then
  redis.call('ZADD', queue, redis.call('INCR', seq), token)
end
redis.call('ZADD', alive, now + waitMs, token)
local free = limit - redis.call('ZCARD', holders)
if free > 0 and redis.call('ZRANK', queue, token) < free then
  redis.call('ZREM', queue, token)
  redis.call('ZREM', alive, token)
  redis.call('ZADD', holders, now + holdMs, token)
  return 1
end
return 0`;

/** KEYS: queue, alive. ARGV: token. */
const LEAVE_QUEUE = `redis.call('ZREM', KEYS[1], ARGV[1]) redis.call('ZREM', KEYS[2], ARGV[1]) return 1`;

/** KEYS: holders. ARGV: token, holdMs. 1 while the lease is still ours. */
const RENEW_SLOT = `${NOW}
local score = redis.call('ZSCORE', KEYS[1], ARGV[1])
if score and tonumber(score) > now then
  redis.call('ZADD', KEYS[1], 'XX', now + tonumber(ARGV[2]), ARGV[1])
  return 1
end
return 0`;

/** KEYS: holders. */
const COUNT_SLOTS = `${NOW} return redis.call('ZCOUNT', KEYS[1], '(' .. now, '+inf')`;

// --- the storage ---------------------------------------------------------------------------------------------------

export interface RedisStorageOptions {
  leaseMs?: number | undefined;
  /** The connection's own errors and recoveries: an outage is reported once, not per reconnect attempt. */
  outage: OutageReporter;
}

export async function createRedisStorage(url: string, options: RedisStorageOptions): Promise<RawStorage> {
  const { outage } = options;
  const onError = (error: unknown) => outage.failed(error);
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const location = parseRedisUrl(url);
  const { prefix } = location;
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

  const make = <V>(table: string): Store<V> => {
    // One shared connection for every table; keys are `<prefix><table>::<key>`.
    const adapter = new KeyvRedis<V>(client, { throwOnErrors: true });
    const keyv = new Keyv<V>(adapter, {
      namespace: `${prefix}${table}`,
      useKeyPrefix: false,
      throwOnErrors: true,
    });
    // Failures reach the caller as rejections; the connection's own errors are reported once, above.
    keyv.on('error', () => {});
    return keyvStore(keyv);
  };

  const coordinator = createRedisCoordinator({ client, subscriber, prefix, leaseMs, onError });
  const sortedSet = (key: string): OpenIndex => ({
    async add(id, at) {
      await client.zAdd(key, { score: at, value: id }, { condition: 'NX' });
    },
    async remove(id) {
      await client.zRem(key, id);
    },
    list: (limit) => client.zRange(key, 0, Math.max(0, limit - 1)),
  });
  const open = sortedSet(`${prefix}open-requests`);
  const held = sortedSet(`${prefix}held-channels`);
  let closed = false;

  return {
    backend: 'redis',
    location: location.display,
    store: (name) => make<unknown>(name),
    openRequests: open,
    heldChannels: held,
    coordinator,
    async close() {
      if (closed) return;
      closed = true;
      coordinator.stop();
      await Promise.allSettled([subscriber.close(), client.close()]);
    },
  };
}

interface CoordinatorDeps {
  client: RedisClient;
  subscriber: RedisClient;
  prefix: string;
  leaseMs: number;
  onError: (error: unknown) => void;
}

function createRedisCoordinator(deps: CoordinatorDeps): Coordinator & { stop(): void } {
  const { client, subscriber, prefix } = deps;
  const handlers = new Map<string, Set<(message: string) => void>>();
  const subscribing = new Map<string, Promise<void>>();
  const renewals = new Set<NodeJS.Timeout>();

  const run = async (script: string, keys: string[], args: (string | number)[]) =>
    Number(await client.eval(script, { keys, arguments: args.map(String) }));

  const slotKeys = (name: string) => {
    const base = `${prefix}slots:${name}`;
    return { holders: base, queue: `${base}:queue`, alive: `${base}:alive`, seq: `${base}:seq` };
  };
  const channel = (topic: string) => `${prefix}${topic}`;
  const releasedTopic = (name: string) => `slot-released:${name}`;

  async function subscribe(topic: string, handler: (message: string) => void) {
    let set = handlers.get(topic);
    if (!set) {
      set = new Set();
      handlers.set(topic, set);
    }
    set.add(handler);
    let ready = subscribing.get(topic);
    if (!ready) {
      ready = subscriber.subscribe(channel(topic), (message) => {
        for (const h of handlers.get(topic) ?? []) {
          try {
            h(message);
          } catch (error) {
            deps.onError(error);
          }
        }
      });
      subscribing.set(topic, ready);
      ready.catch(() => subscribing.delete(topic));
    }
    await ready;
    return async () => {
      set.delete(handler);
      if (set.size === 0 && handlers.get(topic) === set) {
        handlers.delete(topic);
        subscribing.delete(topic);
        await subscriber.unsubscribe(channel(topic)).catch(() => {});
      }
    };
  }

  const publish = async (topic: string, message: string) => {
    await client.publish(channel(topic), message);
  };

  /** Renew a slot lease every third of the lease until it is released or `until` passes. */
  function keepSlot(name: string, token: string, until: { at: number }, lost: () => void) {
    const { holders } = slotKeys(name);
    const timer = setInterval(
      () => {
        const remaining = until.at - Date.now();
        if (remaining <= 0) {
          clearInterval(timer);
          renewals.delete(timer);
          return;
        }
        run(RENEW_SLOT, [holders], [token, Math.min(deps.leaseMs, remaining)])
          .then((ok) => {
            if (!ok) {
              clearInterval(timer);
              renewals.delete(timer);
              lost();
            }
          })
          .catch(deps.onError);
      },
      Math.max(50, Math.floor(deps.leaseMs / 3)),
    );
    timer.unref();
    renewals.add(timer);
    return () => {
      clearInterval(timer);
      renewals.delete(timer);
    };
  }

  return {
    async tryLock(key, ttlMs) {
      const lockKey = `${prefix}lock:${key}`;
      const token = randomUUID();
      const ok = await client.set(lockKey, token, {
        condition: 'NX',
        expiration: { type: 'PX', value: Math.max(1, Math.round(ttlMs)) },
      });
      if (ok !== 'OK') return undefined;
      return {
        async release() {
          await run(UNLOCK, [lockKey], [token]);
        },
        async extend(next) {
          return (await run(RELOCK, [lockKey], [token, Math.max(1, Math.round(next))])) === 1;
        },
      };
    },

    async acquireSlot(name, limit, ttlMs, signal) {
      signal?.throwIfAborted();
      const keys = slotKeys(name);
      const token = randomUUID();
      const holdFor = (ms: number) => Math.max(1, Math.round(Math.min(deps.leaseMs, ms)));
      // A waiter that stops looking (its process died) leaves the queue after five missed looks.
      const waitMs = SLOT_RECHECK_MS * 5;
      // A release message wakes the wait at once; one that comes while we are asking is kept for the next wait.
      const releases = createWakeups();
      const watch = releases.watch([]);
      const unsubscribe = await subscribe(releasedTopic(name), () => releases.wakeAll());
      try {
        for (;;) {
          const taken = await run(
            ACQUIRE,
            [keys.holders, keys.queue, keys.alive, keys.seq],
            [token, limit, holdFor(ttlMs), waitMs],
          );
          if (taken === 1) break;
          await watch.wait(SLOT_RECHECK_MS, signal);
        }
      } catch (error) {
        // Leave the queue so the waiters behind move up at once.
        await run(LEAVE_QUEUE, [keys.queue, keys.alive], [token]).catch(() => {});
        await publish(releasedTopic(name), token).catch(() => {});
        throw error;
      } finally {
        watch.close();
        await unsubscribe();
      }

      const until = { at: Date.now() + ttlMs };
      let released = false;
      const stopRenewing = keepSlot(name, token, until, () => {
        released = true;
      });
      const lease: Lease = {
        async release() {
          if (released) return;
          released = true;
          stopRenewing();
          await client.zRem(keys.holders, token);
          await publish(releasedTopic(name), token);
        },
        async extend(next) {
          if (released) return false;
          until.at = Date.now() + next;
          const ok = (await run(RENEW_SLOT, [keys.holders], [token, holdFor(next)])) === 1;
          if (!ok) {
            released = true;
            stopRenewing();
          }
          return ok;
        },
      };
      return lease;
    },

    async slotsInUse(name) {
      return run(COUNT_SLOTS, [slotKeys(name).holders], []);
    },

    publish,
    subscribe,

    stop() {
      for (const timer of renewals) clearInterval(timer);
      renewals.clear();
    },
  };
}
