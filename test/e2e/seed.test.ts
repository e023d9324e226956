// /seed end to end: the real discord.js client logged in to the fake Discord, the fake useapi, a real SQLite file.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FakeMessage } from '../../dev/fakes/fake-discord.js';
import { type Harness, isSeedReply, MEMBER, startHarness } from '../helpers/harness.js';

let h: Harness;

beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h?.stop();
});

const seedOf = (m: FakeMessage | undefined) => {
  const embed = m?.embeds[0] as { title?: string; description?: string } | undefined;
  return /`--seed (\d+)`/.exec(embed?.description ?? '')?.[1];
};
const embedsOf = (m: FakeMessage | undefined) =>
  (m?.embeds ?? []) as { url?: string; image?: { url: string } }[];

describe('/seed job:<jobid>', () => {
  it('acknowledges at once and edits in the seed with the four images attached as a 2x2 gallery', async () => {
    const { jobid } = h.imagineJob({ seedValue: 1234567890, prompt: 'a red fox in snow' });
    const interaction = h.slashSeed(jobid);
    const ack = await interaction.waitForCallback();
    expect(ack.type).toBe(5); // deferred
    expect(ack.at - interaction.sentAt).toBeLessThan(3_000);

    const final = await interaction.waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('1234567890');
    const embeds = embedsOf(final);
    expect(embeds).toHaveLength(4);
    expect(new Set(embeds.map((e) => e.url)).size).toBe(1);
    // The images are the uploaded files (Discord turns attachment:// links into the upload's own URL), not the
    // useapi CDN links that expire.
    expect(final.attachments).toHaveLength(4);
    const uploaded = new Set(final.attachments.map((a) => a.url));
    expect(embeds.every((e) => e.image && uploaded.has(e.image.url))).toBe(true);
    expect(embeds.some((e) => e.image?.url.startsWith(h.useapi.origin))).toBe(false);
    const text = JSON.stringify(final.embeds);
    expect(text).toContain('a red fox in snow');
    expect(text).toContain(jobid);
    expect(text).toMatch(/https:\/\/discord\.com\/channels\/\d+\/\d+\/\d+/);
    expect(h.useapi.count('POST', '/v2/jobs/seed_async')).toBe(1);
  });

  it('answers from storage the second time without calling useapi', async () => {
    const { jobid } = h.imagineJob({ seedValue: 42 });
    await h.slashSeed(jobid).waitForEdit(isSeedReply, 15_000);
    const before = h.useapi.requests.length;
    const again = h.slashSeed(jobid);
    const final = await again.waitForEdit(isSeedReply, 10_000);
    expect(seedOf(final)).toBe('42');
    expect(h.useapi.requests.length).toBe(before);
  });

  it('shares one seed_async between 20 members asking for the same job at once', async () => {
    const { jobid } = h.imagineJob({ seedValue: 777 });
    const interactions = Array.from({ length: 20 }, (_, i) =>
      h.slashSeed(jobid, { ...MEMBER, id: `85555555555555${String(1000 + i)}` }),
    );
    const finals = await Promise.all(interactions.map((i) => i.waitForEdit(isSeedReply, 20_000)));
    expect(finals.map(seedOf)).toEqual(Array(20).fill('777'));
    expect(h.useapi.count('POST', '/v2/jobs/seed_async')).toBe(1);
  });

  it('refuses input that is not a jobid, ephemerally, without calling useapi', async () => {
    const interaction = h.slashSeed('hello there');
    const reply = await interaction.waitForCallback();
    expect(reply.type).toBe(4);
    const body = reply.body as { data?: { content?: string; flags?: number } };
    expect(body.data?.content).toMatch(/not a jobid/);
    expect((body.data?.flags ?? 0) & 64).toBe(64);
    expect(h.useapi.count('POST', '/v2/jobs/seed_async')).toBe(0);
  });

  it('reads a jobid pasted with zero-width characters, quotes and a "Job ID:" prefix', async () => {
    const { jobid } = h.imagineJob({ seedValue: 31337 });
    const final = await h.slashSeed(`\u2060Job ID: “${jobid}”\u200B`).waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('31337');
    expect(h.useapi.count('POST', '/v2/jobs/seed_async')).toBe(1);
  });

  it('refuses a paste holding two jobids with what to do, without calling useapi', async () => {
    const a = h.imagineJob().jobid;
    const b = h.imagineJob().jobid;
    const before = h.useapi.requests.length;
    const reply = await h.slashSeed(`${a} and ${b}`).waitForCallback();
    expect(reply.type).toBe(4);
    const body = reply.body as { data?: { content?: string; flags?: number } };
    expect(body.data?.content).toMatch(/more than one jobid\. Paste only the jobid/);
    expect((body.data?.flags ?? 0) & 64).toBe(64);
    expect(h.useapi.requests.length).toBe(before);
  });

  it('tells the member when useapi does not know the job', async () => {
    const interaction = h.slashSeed(
      'job:20241218021941022-user:1308-channel:1316232391072944131-bot:midjourney',
    );
    const final = await interaction.waitForEdit((m) => /does not know that job/.test(m.content), 10_000);
    expect(final.content).toMatch(/31 days/);
  });

  it('explains that video jobs have no seed', async () => {
    const job = h.useapi.addJob({
      verb: 'video',
      channel: '1316232391072944131',
      server: '811111111111111111',
    });
    const final = await h.slashSeed(job.jobid).waitForEdit((m) => /video/.test(m.content), 10_000);
    expect(final.content).toMatch(/imagine, button and blend/);
  });

  it('keeps the private answer ephemeral', async () => {
    const { jobid } = h.imagineJob();
    const interaction = h.slashSeed(jobid, MEMBER, { private: true });
    const ack = await interaction.waitForCallback();
    expect(((ack.body as { data?: { flags?: number } }).data?.flags ?? 0) & 64).toBe(64);
    await interaction.waitForEdit(isSeedReply, 15_000);
  });

  it('never lets a token reach a log line or a reply', async () => {
    const { jobid } = h.imagineJob();
    const interaction = h.slashSeed(jobid);
    await interaction.waitForEdit(isSeedReply, 15_000);
    h.slashSeed('not a job');
    await new Promise((r) => setTimeout(r, 200));
    const everything = h.logText() + JSON.stringify(interaction.events);
    expect(everything.length).toBeGreaterThan(1000);
    expect(everything).not.toContain(h.discord.token);
    expect(everything).not.toContain(h.useapi.token);
    expect(h.logText()).not.toContain(interaction.token);
  });
});

describe('what the handlers are given', () => {
  it('holds no token: the settings they read are who may ask and which bots are Midjourney', async () => {
    const services = h.bot.services;
    expect(services.settings).toEqual({
      seed: { access: 'anyone', midjourneyBotIds: h.bot.config.seed.midjourneyBotIds },
      moderation: { roleIds: h.bot.config.moderation.roleIds },
    });
    // Everything the handlers could print, read as data (the services' functions and cycles left out).
    const seen = new WeakSet<object>();
    const data = JSON.stringify(services, (_key, value: unknown) => {
      if (typeof value === 'function') return undefined;
      if (value && typeof value === 'object') {
        if (seen.has(value)) return undefined;
        seen.add(value);
      }
      return value;
    });
    for (const token of [h.discord.token, h.useapi.token]) expect(data).not.toContain(token);
    expect(Object.keys(services)).not.toContain('config');
    expect(Object.keys(services)).not.toContain('client');
  });
});
