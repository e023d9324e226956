// The re-check of held accounts for an upstream whose accounts come back by themselves: real memory storage and
// holds, an upstream port that answers as told, asked about the oldest request held for the account.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { proxyJobids } from '../../../src/midjourney-proxy/adapter.js';
import type { Hold, SeedRequest } from '../../../src/seed/model/types.js';
import { createHoldWatch, type HoldWatch } from '../../../src/seed/moderation/hold-watch.js';
import { createHolds, type Holds } from '../../../src/seed/moderation/holds.js';
import type { AccountCheck } from '../../../src/seed/upstream.js';
import { createStorage, type Storage } from '../../../src/storage/index.js';
import { silentLogger } from '../../helpers/builders.js';

const ACCOUNT = 'midjourney-proxy';
let storage: Storage;
let holds: Holds;
let watch: HoldWatch | undefined;

beforeEach(async () => {
  storage = await createStorage('memory://');
  holds = createHolds({
    store: storage.holds,
    index: storage.heldChannels,
    coordinator: storage.coordinator,
  });
});
afterEach(async () => {
  watch?.stop();
  await storage.close();
});

const held = (id: string, jobid: string, createdAt: number) =>
  ({ id, jobid, accountChannel: ACCOUNT, state: 'held', createdAt }) as SeedRequest;

function start(answers: AccountCheck[], onCleared?: (hold: Hold) => void) {
  const asked: (string | undefined)[] = [];
  watch = createHoldWatch({
    holds,
    upstream: {
      jobids: proxyJobids,
      async checkAccount(_account, probe) {
        asked.push(probe);
        return answers.shift() ?? { held: false };
      },
    },
    coordinator: storage.coordinator,
    requests: {
      openRequests: async () => [held('r1', '1733400000000111', 1), held('r2', '1733400000000222', 2)],
    },
    everyMs: 20,
    log: silentLogger,
    onCleared,
  });
  watch.start();
  return asked;
}

describe('createHoldWatch', () => {
  it('keeps the hold while the upstream still has no account, and clears it once it has one', async () => {
    await holds.place(ACCOUNT, undefined);
    const asked = start([{ held: true }, { held: true }]);
    await vi.waitFor(async () => expect(await holds.get(ACCOUNT)).toBeUndefined(), { timeout: 5_000 });
    expect(asked.length).toBeGreaterThanOrEqual(3);
    // The upstream is asked about the oldest request held for the account.
    expect(new Set(asked)).toEqual(new Set(['1733400000000111']));
  });

  it('says once which hold it cleared, so the alert can be marked resolved', async () => {
    const placed = await holds.place(ACCOUNT, 'no usable account');
    const cleared: Hold[] = [];
    start([{ held: true }], (hold) => cleared.push(hold));
    await vi.waitFor(() => expect(cleared).toHaveLength(1), { timeout: 5_000 });
    expect(cleared[0]?.incidentId).toBe(placed.hold.incidentId);
    // Later rounds find nothing held: nothing more is said.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(cleared).toHaveLength(1);
  });
});
