// The Coordinator on Redis: locks, the fleet-wide slots and pub/sub, in three parts that share one way to run a Lua
// script. The slots and the topics run on the storage's shared connection, the subscriptions on a dedicated one (a
// subscribed Redis connection can run nothing else).
import { randomUUID } from 'node:crypto';
import type { createClient } from '@keyv/redis';
import { createWakeups } from '../lib/wakeups.js';
import type { Coordinator, Lease } from '../seed/ports.js';

type RedisClient = ReturnType<typeof createClient>;

/** Waiters for a slot look again this often even without a release message (a holder may have died). */
const SLOT_RECHECK_MS = 1_000;
/** A waiter that stops looking (its process died) leaves the queue after five missed looks. */
const WAITER_ALIVE_MS = SLOT_RECHECK_MS * 5;

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

// --- the parts -----------------------------------------------------------------------------------------------------

type RunScript = (script: string, keys: string[], args: (string | number)[]) => Promise<number>;

const scriptRunner =
  (client: RedisClient): RunScript =>
  async (script, keys, args) =>
    Number(await client.eval(script, { keys, arguments: args.map(String) }));

type Topics = Pick<Coordinator, 'publish' | 'subscribe'>;

interface TopicDeps {
  client: RedisClient;
  subscriber: RedisClient;
  prefix: string;
  onError: (error: unknown) => void;
}

/** Pub/sub: one Redis subscription per topic, shared by every handler of this process. */
function createRedisTopics({ client, subscriber, prefix, onError }: TopicDeps): Topics {
  const handlers = new Map<string, Set<(message: string) => void>>();
  const subscribing = new Map<string, Promise<void>>();
  const channel = (topic: string) => `${prefix}${topic}`;

  const deliver = (topic: string, message: string) => {
    for (const handler of handlers.get(topic) ?? []) {
      try {
        handler(message);
      } catch (error) {
        onError(error);
      }
    }
  };

  const subscribed = (topic: string) => {
    let ready = subscribing.get(topic);
    if (!ready) {
      ready = subscriber.subscribe(channel(topic), (message) => deliver(topic, message));
      subscribing.set(topic, ready);
      ready.catch(() => subscribing.delete(topic));
    }
    return ready;
  };

  return {
    async publish(topic, message) {
      await client.publish(channel(topic), message);
    },
    async subscribe(topic, handler) {
      let set = handlers.get(topic);
      if (!set) {
        set = new Set();
        handlers.set(topic, set);
      }
      set.add(handler);
      await subscribed(topic);
      const mine = set;
      return async () => {
        mine.delete(handler);
        // The last handler gone: drop the Redis subscription too (a newer set means someone subscribed again).
        if (mine.size === 0 && handlers.get(topic) === mine) {
          handlers.delete(topic);
          subscribing.delete(topic);
          await subscriber.unsubscribe(channel(topic)).catch(() => {});
        }
      };
    },
  };
}

/** Locks: a key set only if absent, with an expiry; release and extend only by the token that took it. */
function createRedisLocks(client: RedisClient, prefix: string, run: RunScript): Pick<Coordinator, 'tryLock'> {
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
  };
}

interface SlotKeys {
  holders: string;
  queue: string;
  alive: string;
  seq: string;
}

interface RenewalDeps {
  run: RunScript;
  leaseMs: number;
  onError: (error: unknown) => void;
}

/** Slot leases renewed every third of a lease until each is stopped, lost, or its `until` passes; `stopAll` on close. */
function createSlotRenewals({ run, leaseMs, onError }: RenewalDeps) {
  const renewals = new Set<NodeJS.Timeout>();
  function keep(holders: string, token: string, until: { at: number }, lost: () => void) {
    const stop = () => {
      clearInterval(timer);
      renewals.delete(timer);
    };
    const renew = () => {
      const remaining = until.at - Date.now();
      if (remaining <= 0) return stop();
      run(RENEW_SLOT, [holders], [token, Math.min(leaseMs, remaining)])
        .then((ok) => {
          if (ok) return;
          stop();
          lost();
        })
        .catch(onError);
    };
    const timer = setInterval(renew, Math.max(50, Math.floor(leaseMs / 3)));
    timer.unref();
    renewals.add(timer);
    return stop;
  }
  const stopAll = () => {
    for (const timer of renewals) clearInterval(timer);
    renewals.clear();
  };
  return { keep, stopAll };
}

interface SlotWait {
  name: string;
  limit: number;
  ttlMs: number;
  signal: AbortSignal | undefined;
}

interface SlotDeps {
  client: RedisClient;
  prefix: string;
  /** A slot's lease in Redis is never longer than this: a holder that dies frees it within a lease. */
  leaseMs: number;
  run: RunScript;
  topics: Topics;
  onError: (error: unknown) => void;
}

/**
 * The fleet-wide slots: a fair wait in the ACQUIRE queue, woken by release messages, then a lease renewed every third
 * of `leaseMs` until it is released or the time asked for has passed.
 */
function createRedisSlots(deps: SlotDeps): Pick<Coordinator, 'acquireSlot'> & { stop(): void } {
  const { client, prefix, leaseMs, run, topics } = deps;
  const renewals = createSlotRenewals({ run, leaseMs, onError: deps.onError });
  const holdFor = (ms: number) => Math.max(1, Math.round(Math.min(leaseMs, ms)));
  const releasedTopic = (name: string) => `slot-released:${name}`;
  const keysOf = (name: string): SlotKeys => {
    const base = `${prefix}slots:${name}`;
    return { holders: base, queue: `${base}:queue`, alive: `${base}:alive`, seq: `${base}:seq` };
  };

  /** Wait in the queue until ACQUIRE gives `token` a slot; on abort or failure, leave the queue. */
  async function waitForSlot(keys: SlotKeys, token: string, wait: SlotWait) {
    const { name } = wait;
    // A release message wakes the wait at once; one that comes while we are asking is kept for the next wait.
    const releases = createWakeups();
    const watch = releases.watch([]);
    const unsubscribe = await topics.subscribe(releasedTopic(name), () => releases.wakeAll());
    try {
      const args = [token, wait.limit, holdFor(wait.ttlMs), WAITER_ALIVE_MS];
      while ((await run(ACQUIRE, [keys.holders, keys.queue, keys.alive, keys.seq], args)) !== 1) {
        await watch.wait(SLOT_RECHECK_MS, wait.signal);
      }
    } catch (error) {
      // Leave the queue so the waiters behind move up at once.
      await run(LEAVE_QUEUE, [keys.queue, keys.alive], [token]).catch(() => {});
      await topics.publish(releasedTopic(name), token).catch(() => {});
      throw error;
    } finally {
      watch.close();
      await unsubscribe();
    }
  }

  /** The lease of a slot just taken: renewed in the background, released by a message that wakes the waiters. */
  function slotLease(name: string, holders: string, token: string, ttlMs: number): Lease {
    const until = { at: Date.now() + ttlMs };
    let released = false;
    const stopRenewing = renewals.keep(holders, token, until, () => {
      released = true;
    });
    return {
      async release() {
        if (released) return;
        released = true;
        stopRenewing();
        await client.zRem(holders, token);
        await topics.publish(releasedTopic(name), token);
      },
      async extend(next) {
        if (released) return false;
        until.at = Date.now() + next;
        const ok = (await run(RENEW_SLOT, [holders], [token, holdFor(next)])) === 1;
        if (!ok) {
          released = true;
          stopRenewing();
        }
        return ok;
      },
    };
  }

  return {
    async acquireSlot(name, limit, ttlMs, signal) {
      signal?.throwIfAborted();
      const keys = keysOf(name);
      const token = randomUUID();
      await waitForSlot(keys, token, { name, limit, ttlMs, signal });
      return slotLease(name, keys.holders, token, ttlMs);
    },
    stop: renewals.stopAll,
  };
}

export interface RedisCoordinatorDeps {
  client: RedisClient;
  subscriber: RedisClient;
  prefix: string;
  leaseMs: number;
  onError: (error: unknown) => void;
}

/** `stop()` ends the slot renewals, as a crash would: what is held lapses within a lease. */
export function createRedisCoordinator(deps: RedisCoordinatorDeps): Coordinator & { stop(): void } {
  const run = scriptRunner(deps.client);
  const topics = createRedisTopics(deps);
  const locks = createRedisLocks(deps.client, deps.prefix, run);
  const slots = createRedisSlots({
    client: deps.client,
    prefix: deps.prefix,
    leaseMs: deps.leaseMs,
    run,
    topics,
    onError: deps.onError,
  });
  return {
    tryLock: locks.tryLock,
    acquireSlot: slots.acquireSlot,
    publish: topics.publish,
    subscribe: topics.subscribe,
    stop: slots.stop,
  };
}
