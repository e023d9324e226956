// useapi callbacks end to end: the fake useapi posts to the bot's real HTTP server (PUBLIC_URL = the bot's own
// address), the real discord.js client answers through the fake Discord, storage is a real SQLite file.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../dev/bot-process.js';
import type { FakeMessage } from '../../dev/fakes/fake-discord.js';
import {
  ACCOUNT_CHANNEL,
  GUILD,
  type Harness,
  isSeedReply,
  startHarness,
  uniqueId,
} from '../helpers/harness.js';

const SECRET = 'callback-secret-0123456789abcdef-0123456789';
/** 100 s between polls, so 300 s with callbacks: any answer within the test comes from a callback. */
const SLOW_POLL_MS = '100000';

let h: Harness;
let publicUrl: string;

beforeEach(async () => {
  const port = await freePort();
  publicUrl = `http://127.0.0.1:${port}`;
  h = await startHarness({
    env: {
      HTTP_PORT: String(port),
      PUBLIC_URL: publicUrl,
      CALLBACK_SECRET: SECRET,
      USEAPI_POLL_INTERVAL_MS: SLOW_POLL_MS,
    },
  });
});
afterEach(async () => {
  await h?.stop();
});

const callbackUrl = () => `${publicUrl}/useapi/callback/${SECRET}`;
const seedOf = (m: FakeMessage | undefined) =>
  /`--seed (\d+)`/.exec((m?.embeds[0] as { description?: string } | undefined)?.description ?? '')?.[1];
const getsOf = (jobid: string) =>
  h.useapi.requests.filter((r) => r.method === 'GET' && r.path === '/v2/jobs/' && r.query.jobid === jobid);

/** The seed job the fake started for `parent`, once its first callback reached the bot (the fake has no event). */
const seedJobOf = (parent: string): Promise<string> =>
  vi.waitFor(
    () => {
      const bodies = h.useapi.callbacks.map((c) => c.body as { jobid: string; parentJobId?: string });
      const found = bodies.find((b) => b.parentJobId === parent)?.jobid;
      if (!found) throw new Error(`no callback named a seed job of ${parent}`);
      return found;
    },
    { timeout: 5_000, interval: 20 },
  );

const postCallback = (body: unknown, url = callbackUrl()) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

describe('callbacks (PUBLIC_URL set)', () => {
  it('completes a request from the callback, long before the next poll would have', async () => {
    const { jobid } = h.imagineJob({ seedValue: 3141592653 });
    const interaction = h.slashSeed(jobid);
    const final = await interaction.waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('3141592653');

    // seed_async carried our callback URL and a replyRef naming the stored request.
    const sent = h.useapi.requests.find((r) => r.path === '/v2/jobs/seed_async')?.body as {
      replyUrl?: string;
      replyRef?: string;
    };
    expect(sent.replyUrl).toBe(callbackUrl());
    expect(sent.replyRef).toMatch(new RegExp(`^${interaction.id}:[0-9a-f]{8}$`));
    const stored = await h.bot.storage.requests.get(`req:${interaction.id}`);
    expect(sent.replyRef).toBe(`${stored?.id}:${stored?.correlationId}`);

    // Every callback reached the bot, and the one GET of the seed job came after the final one: no poll ran.
    const seedJob = await seedJobOf(jobid);
    const callbacks = h.useapi.callbacks.filter((c) => (c.body as { jobid: string }).jobid === seedJob);
    expect(callbacks.length).toBeGreaterThanOrEqual(2);
    expect(callbacks.every((c) => c.status === 200)).toBe(true);
    expect(getsOf(seedJob)).toHaveLength(1);
  });

  it('wakes when the job ends at an unexpected moment, and ignores repeated and out-of-order callbacks', async () => {
    h.useapi.setSeedDuration(120_000);
    const { jobid } = h.imagineJob({ seedValue: 2718281828 });
    const interaction = h.slashSeed(jobid);
    await interaction.waitForEdit((m) => /Asking Midjourney/.test(m.content), 10_000);
    const seedJob = await seedJobOf(jobid);
    const parent = h.useapi.getJob(jobid);
    // Repeats and stale statuses: harmless, nothing is answered from them.
    for (const status of ['started', 'progress', 'started', 'progress']) {
      const res = await postCallback({ ...h.useapi.getJob(seedJob), status });
      expect(res.status).toBe(200);
    }
    expect(getsOf(seedJob)).toHaveLength(0);
    expect(parent?.seed).toBeUndefined();
    expect(interaction.original()?.content).toMatch(/Asking Midjourney/);

    h.useapi.completeNow(seedJob);
    const final = await interaction.waitForEdit(isSeedReply, 10_000);
    expect(seedOf(final)).toBe('2718281828');
    // A late "completed" repeat and an out-of-order "progress" after the answer change nothing.
    const before = h.discord.rest.length;
    await postCallback(h.useapi.getJob(seedJob));
    await postCallback({ ...h.useapi.getJob(seedJob), status: 'progress' });
    await h.useapi.settleCallbacks();
    expect(
      interaction.events.filter((e) => e.kind === 'edit' && isSeedReply(e.body as FakeMessage)),
    ).toHaveLength(1);
    expect(h.discord.rest.length).toBe(before);
  });

  it('rejects forged, oversized and malformed callbacks, and they change nothing', async () => {
    h.useapi.setSeedDuration(120_000);
    const { jobid } = h.imagineJob({ seedValue: 1618033988 });
    const interaction = h.slashSeed(jobid);
    await interaction.waitForEdit((m) => /Asking Midjourney/.test(m.content), 10_000);
    const seedJob = await seedJobOf(jobid);
    const completed = {
      ...h.useapi.getJob(seedJob),
      status: 'completed',
      seed: { value: 1, content: 'forged', attachments: [] },
    };
    const requestsBefore = h.useapi.requests.length;

    // Wrong secret: 404, and nothing is read.
    expect(
      (await postCallback(completed, `${publicUrl}/useapi/callback/${SECRET.slice(0, -1)}X`)).status,
    ).toBe(404);
    expect((await postCallback(completed, `${publicUrl}/useapi/callback/`)).status).toBe(404);
    // Over 1 MiB: 413.
    const huge = JSON.stringify({ ...completed, content: 'x'.repeat(1024 * 1024) });
    expect((await postCallback(huge)).status).toBe(413);
    // Not JSON, or not a job: 400.
    expect((await postCallback('{"jobid":')).status).toBe(400);
    expect((await postCallback({ ...completed, status: 'done!' })).status).toBe(400);
    expect((await postCallback({ hello: 'world' })).status).toBe(400);

    // Well-formed, right secret, but a job the bot never asked for, naming URLs: accepted, and nothing is fetched.
    const foreignParent = `job:20240101000000000-user:1308-channel:${ACCOUNT_CHANNEL}-bot:midjourney`;
    const foreignSeedJob = `job:20240101000000001-user:1308-channel:${ACCOUNT_CHANNEL}-bot:midjourney`;
    const bait = `${h.useapi.origin}/cdn/attachments/${ACCOUNT_CHANNEL}/1/bait.png`;
    const foreign = {
      jobid: foreignSeedJob,
      verb: 'seed_async',
      status: 'completed',
      parentJobId: foreignParent,
      attachments: [{ id: '1', url: bait, filename: 'bait.png' }],
      seed: { value: 7, content: 'forged', attachments: [{ id: '2', url: bait, filename: 'bait.png' }] },
      code: 200,
    };
    expect((await postCallback(foreign)).status).toBe(200);
    // The real seed job's callback with a forged parent is not ours either.
    expect((await postCallback({ ...completed, parentJobId: foreignParent })).status).toBe(200);

    // Nothing changed: no call to useapi, no CDN fetch, nothing stored, the member still waits.
    expect(h.useapi.requests.slice(requestsBefore)).toEqual([]);
    expect(await h.bot.storage.seeds.get(jobid)).toBeUndefined();
    expect(await h.bot.storage.seeds.get(foreignParent)).toBeUndefined();
    expect(interaction.original()?.content).toMatch(/Asking Midjourney/);
    const metrics = await (await fetch(`${h.bot.http()?.url}/metrics`)).text();
    expect(metrics).toMatch(/seedbot_callbacks_total\{outcome="forbidden"\} 2/);
    expect(metrics).toMatch(/seedbot_callbacks_total\{outcome="too_large"\} 1/);
    expect(metrics).toMatch(/seedbot_callbacks_total\{outcome="bad_json"\} 1/);
    expect(metrics).toMatch(/seedbot_callbacks_total\{outcome="bad_schema"\} 2/);

    // The real job still completes normally, with the real seed.
    h.useapi.completeNow(seedJob);
    const final = await interaction.waitForEdit(isSeedReply, 10_000);
    expect(seedOf(final)).toBe('1618033988');
    expect(h.useapi.requests.some((r) => r.path.includes('bait.png'))).toBe(false);
    expect(h.useapi.requests.some((r) => r.query.jobid === foreignSeedJob)).toBe(false);
    expect(getsOf(seedJob)).toHaveLength(1);
  });

  it('feeds imagine, button and blend jobs that arrive by callback into the job index', async () => {
    const entries = ['imagine', 'button', 'blend'].map((verb) => {
      const messageId = uniqueId('6');
      return {
        verb,
        messageId,
        body: {
          jobid: `job:2025010100000${messageId.slice(-4)}-user:1308-channel:${ACCOUNT_CHANNEL}-bot:midjourney`,
          verb,
          status: 'completed',
          server: GUILD,
          channel: ACCOUNT_CHANNEL,
          messageId,
          content: `**a ${verb} prompt** - <@1> (fast)`,
          attachments: [],
          code: 200,
        },
      };
    });
    for (const e of entries) expect((await postCallback(e.body)).status).toBe(200);
    for (const e of entries) {
      const found = await h.bot.services.index.byMessage(e.messageId, GUILD);
      expect(found?.jobid, e.verb).toBe(e.body.jobid);
      expect(found?.prompt).toBe(`a ${e.verb} prompt`);
    }
    // A video job is not seedable and is not indexed.
    const videoMessage = uniqueId('6');
    await postCallback({ ...entries[0]?.body, verb: 'video', messageId: videoMessage, jobid: 'job:video-1' });
    expect(await h.bot.services.index.byMessage(videoMessage, GUILD)).toBeUndefined();
    expect(h.useapi.requests).toHaveLength(0);
  });
});
