// Sharing the Midjourney account: at most USEAPI_MAX_JOBS seed jobs upstream, 429s absorbed, users served in turn,
// the queue position shown, and the per-member limit. Real bot, fake useapi and fake Discord, real SQLite.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { freePort } from '../../dev/bot-process.js';
import type { FakeMessage, InteractionHandle, InteractionUser } from '../../dev/fakes/fake-discord.js';
import {
  ACCOUNT_CHANNEL,
  type Harness,
  isSeedReply,
  MEMBER,
  privateAnswer,
  startHarness,
} from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const user = (n: number): InteractionUser => ({
  id: `85555555555555${String(5000 + n)}`,
  username: `member${n}`,
  permissions: '0',
});
const seedOf = (m: FakeMessage | undefined) =>
  /`--seed (\d+)`/.exec((m?.embeds[0] as { description?: string } | undefined)?.description ?? '')?.[1];
const queued = (position: number) => (m: FakeMessage) =>
  new RegExp(`In the queue: position ${position}\\b`).test(m.content);
const finalAt = (i: InteractionHandle) =>
  i.events.find((e) => e.kind === 'edit' && isSeedReply(e.body as FakeMessage))?.at ?? Number.NaN;

/** The seed jobs the fake runs now, by parent (read from the bot's polls: the fake exposes no list). */
const polledSeedJob = (harness: Harness, parentJobid: string): Promise<string> =>
  vi.waitFor(
    () => {
      for (const r of harness.useapi.requests) {
        const jobid = r.query.jobid;
        if (r.path !== '/v2/jobs/' || !jobid) continue;
        if (harness.useapi.getJob(jobid)?.parentJobId === parentJobid) return jobid;
      }
      throw new Error(`no seed job of ${parentJobid} polled yet`);
    },
    { timeout: 5_000, interval: 20 },
  );

describe('fair sharing of the account', () => {
  it('answers 100 requests with USEAPI_MAX_JOBS=3 and random 429s: none lost, never more than 3 upstream', async () => {
    // With callbacks, as in production: each seed job ends for the bot the moment the fake says so.
    const port = await freePort();
    h = await startHarness({
      env: {
        USEAPI_MAX_JOBS: '3',
        USEAPI_BUSY_WAIT_MS: '100',
        HTTP_PORT: String(port),
        PUBLIC_URL: `http://127.0.0.1:${port}`,
        CALLBACK_SECRET: 'fair-share-callback-secret-0123456789abcdef',
      },
    });
    const harness = h;
    // The fake would run up to 15 at once: only the bot's own limit keeps it at 3.
    harness.useapi.addAccount({ channel: ACCOUNT_CHANNEL, maxJobs: 15 });
    harness.useapi.setSeedDuration(50);
    harness.useapi.random429(0.3, 7);
    const jobs = Array.from({ length: 100 }, (_, i) => ({
      ...harness.imagineJob({ seedValue: 100_000 + i }),
      user: user(i % 10),
      seed: String(100_000 + i),
    }));
    const interactions: InteractionHandle[] = [];
    // Sent in waves of 20, each once the previous one is acknowledged (Discord's 3 s deadline applies to each).
    for (let wave = 0; wave < 100; wave += 20) {
      const batch = jobs.slice(wave, wave + 20).map((j) => harness.slashSeed(j.jobid, j.user));
      await Promise.all(batch.map((i) => i.waitForCallback(5_000)));
      interactions.push(...batch);
    }
    const finals = await Promise.all(interactions.map((i) => i.waitForEdit(isSeedReply, 45_000)));

    expect(finals.map(seedOf)).toEqual(jobs.map((j) => j.seed));
    expect(harness.useapi.maxRunningSeedJobs()).toBeLessThanOrEqual(3);
    expect(harness.useapi.maxRunningSeedJobs()).toBe(3);
    // Some seed_async calls were refused with 429 and asked again; exactly one seed job per request ran.
    const metrics = await (await fetch(`${harness.bot.http()?.url}/metrics`)).text();
    expect(metrics).toMatch(/seedbot_useapi_calls_total\{endpoint="seed_async",status="200"\} 100$/m);
    const refused = Number(
      /seedbot_useapi_calls_total\{endpoint="seed_async",status="429"\} (\d+)/.exec(metrics)?.[1],
    );
    expect(refused).toBeGreaterThan(10);
    expect(metrics).toMatch(new RegExp(`^seedbot_useapi_429_total ${refused}$`, 'm'));
    expect(harness.discord.violations).toEqual([]);
    // Nothing is left open in storage.
    const open = await harness.bot.requests.openRequests();
    expect(open).toEqual([]);
  }, 60_000);

  it('shows the position in the queue and serves members in turn, one not starving the others', async () => {
    h = await startHarness({ env: { USEAPI_MAX_JOBS: '1' } });
    const harness = h;
    harness.useapi.setSeedDuration(60_000);
    const busy = user(1);
    const other = user(2);
    const [a1, a2, a3, a4] = [0, 1, 2, 3].map(() => harness.imagineJob());
    const b1 = harness.imagineJob();
    if (!a1 || !a2 || !a3 || !a4) throw new Error('jobs');

    const first = harness.slashSeed(a1.jobid, busy);
    await first.waitForEdit((m) => /Asking Midjourney|working on it/.test(m.content), 10_000);
    // One member asks three more times, then another member asks once.
    const ask = async (jobid: string, who: InteractionUser, position: number) => {
      const i = harness.slashSeed(jobid, who);
      const waiting = await i.waitForEdit(queued(position), 10_000);
      expect(waiting.content).toContain(`position ${position}`);
      return i;
    };
    const second = await ask(a2.jobid, busy, 1);
    const third = await ask(a3.jobid, busy, 2);
    const fourth = await ask(a4.jobid, busy, 3);
    // The other member goes right after the busy member's next turn, not after all of them.
    const theirs = harness.slashSeed(b1.jobid, other);
    await theirs.waitForEdit(queued(2), 10_000);

    harness.useapi.setSeedDuration(100);
    harness.useapi.completeNow(await polledSeedJob(harness, a1.jobid));
    await Promise.all([first, second, third, fourth, theirs].map((i) => i.waitForEdit(isSeedReply, 20_000)));
    const order = [second, theirs, third, fourth].map(finalAt);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    expect(harness.useapi.maxRunningSeedJobs()).toBe(1);
  });

  it('answers a member over SEED_USER_LIMIT_PER_MINUTE privately, without calling useapi', async () => {
    h = await startHarness({ env: { SEED_USER_LIMIT_PER_MINUTE: '2' } });
    const harness = h;
    const [one, two, three] = [1, 2, 3].map(() => harness.imagineJob());
    if (!one || !two || !three) throw new Error('jobs');
    await harness.slashSeed(one.jobid).waitForEdit(isSeedReply, 10_000);
    await harness.slashSeed(two.jobid).waitForEdit(isSeedReply, 10_000);
    const calls = harness.useapi.requests.length;

    const refused = harness.slashSeed(three.jobid);
    const reply = await privateAnswer(refused);
    expect(reply.content).toMatch(/You have asked for many seeds in a short time\. Try again in \d+ s\./);
    expect(harness.useapi.requests.length).toBe(calls);

    // A seed already stored costs nothing and is still answered; another member is not limited.
    await harness.slashSeed(one.jobid).waitForEdit(isSeedReply, 10_000);
    await harness
      .slashSeed(three.jobid, { ...MEMBER, id: '866666666666666601' })
      .waitForEdit(isSeedReply, 10_000);
  });
});
