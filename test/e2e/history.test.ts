// A week of history does not stop the bot: with 100,000 requests stored (written through the project's own
// storage, as the bot writes them), it starts, answers /seed, and /midjourney status reads only what is open.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';
import type { SeedRequest } from '../../src/seed/model/types.js';
import { createStorage } from '../../src/storage/index.js';
import { type Harness, isSeedReply, MEMBER, startHarness } from '../helpers/harness.js';

const STORED = 100_000;
const WEEK = 7 * 24 * 60 * 60 * 1000;

let h: Harness | undefined;
let dir: string | undefined;
afterEach(async () => {
  await h?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
  h = undefined;
  dir = undefined;
});

it('starts and answers /seed with 100,000 requests stored in SQLite', async () => {
  dir = mkdtempSync(join(tmpdir(), 'seed-bot-history-'));
  const url = `sqlite://${join(dir, 'bot.sqlite')}`;
  const storage = await createStorage(url);
  const at = Date.now() - 60_000;
  const done = (i: number): SeedRequest => ({
    id: String(1_300_000_000_000_000_000n + BigInt(i)),
    correlationId: i.toString(16),
    jobid: `job:20261201000000${String(i % 1000).padStart(3, '0')}-user:1308-channel:1316232391072944131-bot:midjourney`,
    applicationId: '1',
    interactionToken: `token-${i}`,
    userId: MEMBER.id,
    locale: 'en-US',
    ephemeral: false,
    state: 'done',
    createdAt: at,
    updatedAt: at,
    attempts: 1,
    deliveredVia: 'edit',
  });
  for (let i = 0; i < STORED; i += 1_000) {
    await Promise.all(
      Array.from({ length: 1_000 }, (_, j) =>
        storage.requests.set(`req:${done(i + j).id}`, done(i + j), WEEK),
      ),
    );
  }
  await storage.close();

  h = await startHarness({ env: { STORAGE_URL: url } });
  const { jobid } = h.imagineJob({ seedValue: 100_000 });
  const final = await h.slashSeed(jobid).waitForEdit(isSeedReply, 20_000);
  expect(JSON.stringify(final.embeds)).toContain('--seed 100000');
  // Only what is open is read: the sweep and status see nothing of the 100,000 closed requests.
  // (The answer lands before its request is stored as done and leaves the index.)
  const bot = h.bot;
  await vi.waitFor(async () => expect(await bot.storage.openRequests.list(100)).toHaveLength(0), {
    timeout: 5_000,
  });
  expect(await bot.requests.openRequests()).toEqual([]);
}, 180_000);
