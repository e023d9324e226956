// The hold guard: an account the upstream reports in trouble (useapi's 596, a midjourney-proxy without a usable
// account) is held until a moderator resets it or it recovers. While held, nothing is sent upstream for it.
import { backoffMs } from '../../lib/backoff.js';
import { sleep } from '../../lib/sleep.js';
import type { Hold } from '../model/types.js';
import type { Coordinator, OpenIndex, Store } from '../ports.js';

const HOLDS_TOPIC = 'holds';
/** Holds are one per account channel; more than this many at once is not a real setup. */
const LIST_LIMIT = 1_000;

export interface Holds {
  get(channel: string): Promise<Hold | undefined>;
  list(): Promise<Hold[]>;
  /** Put a channel on hold. `isNew` is true for exactly one caller per incident, across processes. */
  place(channel: string, moderationText: string | undefined): Promise<{ hold: Hold; isNew: boolean }>;
  update(hold: Hold): Promise<void>;
  clear(channel: string): Promise<Hold | undefined>;
  /** Called in every process when a hold is placed or cleared. */
  onChange(handler: (event: { channel: string; held: boolean }) => void): Promise<() => Promise<void>>;
}

export interface HoldsDeps {
  store: Store<Hold>;
  /** The channels on hold: listing them reads this index, never the table. */
  index: OpenIndex;
  coordinator: Coordinator;
  now?: () => number;
  /** Called once per incident (the caller whose place() created the hold), e.g. to alert moderators. */
  onIncident?: (hold: Hold) => void;
}

export function createHolds(deps: HoldsDeps): Holds {
  const now = deps.now ?? Date.now;
  const key = (channel: string) => `hold:${channel}`;
  return {
    get: (channel) => deps.store.get(key(channel)),
    async list() {
      const channels = await deps.index.list(LIST_LIMIT);
      const found = await deps.store.getMany(channels.map(key));
      const out: Hold[] = [];
      channels.forEach((channel, i) => {
        const hold = found[i];
        if (hold) out.push(hold);
        // Cleared between the two writes (a crash): drop the entry.
        else void deps.index.remove(channel).catch(() => {});
      });
      return out;
    },
    async place(channel, moderationText) {
      const lock = await waitForLock(deps.coordinator, `hold-lock:${channel}`);
      try {
        const existing = await deps.store.get(key(channel));
        if (existing) return { hold: existing, isNew: false };
        const hold: Hold = {
          channel,
          since: now(),
          moderationText,
          incidentId: `${channel}-${now().toString(36)}`,
        };
        // Indexed before it is stored, cleared after it is deleted: a hold is never missing from the index.
        await deps.index.add(channel, hold.since);
        await deps.store.set(key(channel), hold);
        await deps.coordinator.publish(HOLDS_TOPIC, JSON.stringify({ channel, held: true }));
        deps.onIncident?.(hold);
        return { hold, isNew: true };
      } finally {
        await lock.release();
      }
    },
    update: (hold) => deps.store.set(key(hold.channel), hold),
    async clear(channel) {
      const existing = await deps.store.get(key(channel));
      await deps.store.delete(key(channel));
      await deps.index.remove(channel);
      await deps.coordinator.publish(HOLDS_TOPIC, JSON.stringify({ channel, held: false }));
      return existing;
    },
    onChange(handler) {
      return deps.coordinator.subscribe(HOLDS_TOPIC, (message) => {
        try {
          handler(JSON.parse(message) as { channel: string; held: boolean });
        } catch {
          // a malformed message from another process is ignored
        }
      });
    },
  };
}

async function waitForLock(coordinator: Coordinator, key: string) {
  for (let attempt = 1; ; attempt++) {
    const lease = await coordinator.tryLock(key, 10_000);
    if (lease) return lease;
    // Short and without jitter: the lock is held for a few storage writes, and only one incident per channel races.
    await sleep(backoffMs(attempt, { baseMs: 20, maxMs: 500, jitter: 'none' }));
  }
}
