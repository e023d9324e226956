// The core /seed scenario end to end with STORAGE_URL=redis://…: the same behaviour as on SQLite (seed.test.ts).
// Each test has its own key prefix (redis://127.0.0.1:6379/0?prefix=mjtest:<run>:<n>:).
import { afterAll, afterEach, expect, it } from 'vitest';
import type { FakeMessage } from '../../dev/fakes/fake-discord.js';
import { describeBackend, redis } from '../helpers/backends.js';
import { type Harness, isSeedReply, MEMBER, startHarness } from '../helpers/harness.js';

let h: Harness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});
afterAll(() => redis.cleanup());

const seedOf = (m: FakeMessage | undefined) => {
  const embed = m?.embeds[0] as { description?: string } | undefined;
  return /`--seed (\d+)`/.exec(embed?.description ?? '')?.[1];
};

describeBackend(redis, '/seed on Redis storage', () => {
  it('answers with the seed and the four images, and keeps them in Redis', async () => {
    h = await startHarness({ env: { STORAGE_URL: redis.freshUrl() } });
    expect(h.bot.storage.backend).toBe('redis');
    const { jobid } = h.imagineJob({ seedValue: 1234567890, prompt: 'a red fox in snow' });
    const interaction = h.slashSeed(jobid);
    expect((await interaction.waitForCallback()).type).toBe(5);
    const final = await interaction.waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('1234567890');
    expect(final.attachments).toHaveLength(4);
    expect(h.useapi.count('POST', '/v2/jobs/seed_async')).toBe(1);
    expect((await h.bot.storage.seeds.get(jobid))?.seed).toBe(1234567890);
  });

  it('answers from Redis after a restart without calling useapi', async () => {
    const url = redis.freshUrl();
    h = await startHarness({ env: { STORAGE_URL: url } });
    const { jobid } = h.imagineJob({ seedValue: 42 });
    await h.slashSeed(jobid).waitForEdit(isSeedReply, 15_000);
    const first = h;
    await first.bot.stop(2_000);
    h = await startHarness({
      env: { STORAGE_URL: url },
      reuse: { useapi: first.useapi, discord: first.discord, dir: first.dir },
    });
    const apiCalls = () => h?.useapi.requests.filter((r) => r.path.startsWith('/v2/')).length;
    const before = apiCalls();
    const final = await h.slashSeed(jobid).waitForEdit(isSeedReply, 10_000);
    expect(seedOf(final)).toBe('42');
    // Only the images are fetched again (from the CDN); useapi's API is not called.
    expect(apiCalls()).toBe(before);
    // The first harness owns the fakes: stop them with it.
    await h.bot.stop(2_000);
    h = first;
  });

  it('shares one seed_async between 20 members asking for the same job at once', async () => {
    h = await startHarness({ env: { STORAGE_URL: redis.freshUrl() } });
    const { jobid } = h.imagineJob({ seedValue: 777 });
    const interactions = Array.from({ length: 20 }, (_, i) =>
      h?.slashSeed(jobid, { ...MEMBER, id: `85555555555555${String(1000 + i)}` }),
    );
    const finals = await Promise.all(interactions.map((i) => i?.waitForEdit(isSeedReply, 20_000)));
    expect(finals.map(seedOf)).toEqual(Array(20).fill('777'));
    expect(h.useapi.count('POST', '/v2/jobs/seed_async')).toBe(1);
  });

  it('refuses input that is not a jobid, ephemerally, without calling useapi', async () => {
    h = await startHarness({ env: { STORAGE_URL: redis.freshUrl() } });
    const reply = await h.slashSeed('hello there').waitForCallback();
    expect(reply.type).toBe(4);
    expect(((reply.body as { data?: { flags?: number } }).data?.flags ?? 0) & 64).toBe(64);
    expect(h.useapi.count('POST', '/v2/jobs/seed_async')).toBe(0);
  });
});
