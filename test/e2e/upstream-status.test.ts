// What the operator and the members see when useapi refuses the bot's own setup or no longer serves Midjourney:
// a plain answer to every member, one error line per incident, a metric by kind and severity, no retry loop.
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL, GUILD, type Harness, MEMBER, startHarness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

interface Line {
  level: number;
  msg: string;
  kind?: string;
  hint?: string;
}
const lines = (harness: Harness): Line[] => harness.logs.map((l) => JSON.parse(l) as Line);
const ERROR = 50;
const scrape = async (harness: Harness) => (await fetch(`${harness.bot.http()?.url}/metrics`)).text();

describe('useapi no longer serving Midjourney', () => {
  it('answers every member plainly, logs one error line for the incident and counts each failure', async () => {
    h = await startHarness();
    const harness = h;
    const jobs = [harness.imagineJob(), harness.imagineJob(), harness.imagineJob()];
    harness.useapi.failNext(
      { method: 'POST', path: '/v2/jobs/seed_async' },
      jobs.map(() => ({
        status: 410,
        body: { error: 'Midjourney support was discontinued on June 24, 2026' },
      })),
    );
    for (const { jobid } of jobs) {
      const final = await harness
        .slashSeed(jobid)
        .waitForEdit((m) => /no longer serves Midjourney/.test(m.content), 10_000);
      expect(final.content).toMatch(/npm run doctor/);
    }
    const errors = lines(harness).filter((l) => l.level >= ERROR);
    expect(errors.map((l) => `${l.msg} ${l.kind}`)).toEqual(['request failed discontinued']);
    expect(errors[0]?.hint).toMatch(/useapi\.net\/docs\/api-v2/);
    // One seed_async per request: a discontinued API is not asked again and again.
    expect(harness.useapi.count('POST', '/v2/jobs/seed_async')).toBe(3);
    expect(await scrape(harness)).toContain(
      'seedbot_upstream_errors_total{kind="discontinued",severity="error",cause="vendor"} 3',
    );
  });
});

describe('severity of upstream failures', () => {
  it('logs the bot’s token being refused at error, and an unknown job at info', async () => {
    h = await startHarness();
    const harness = h;
    const { jobid } = harness.imagineJob();
    harness.useapi.failNext({ method: 'POST', path: '/v2/jobs/seed_async' }, [
      { status: 401, body: { error: 'Unauthorized', code: 401 } },
    ]);
    await harness.slashSeed(jobid).waitForEdit((m) => /token was refused/.test(m.content), 10_000);
    await harness
      .slashSeed('job:20241218021941022-user:1308-channel:1316232391072944131-bot:midjourney')
      .waitForEdit((m) => /does not know that job/.test(m.content), 10_000);
    const failed = lines(harness).filter((l) => l.msg === 'request failed');
    expect(failed.map((l) => `${l.level >= ERROR ? 'error' : 'info'} ${l.kind}`)).toEqual([
      'error unauthorized',
      'info not_found',
    ]);
    const metrics = await scrape(harness);
    expect(metrics).toContain(
      'seedbot_upstream_errors_total{kind="unauthorized",severity="error",cause="configuration"} 1',
    );
    expect(metrics).toContain(
      'seedbot_upstream_errors_total{kind="not_found",severity="info",cause="member"}',
    );
  });
});

describe('the router’s boundary', () => {
  it('logs an ended subscription met while handling an interaction at error, once per incident', async () => {
    h = await startHarness();
    const harness = h;
    const { jobid, message } = harness.imagineJob();
    harness.useapi.failNext({ method: 'GET', path: '/v2/jobs/' }, [
      { status: 402, body: { error: 'Account has no subscription or subscription expired', code: 402 } },
      { status: 402, body: { error: 'Account has no subscription or subscription expired', code: 402 } },
    ]);
    for (let i = 0; i < 2; i++) {
      const submit = harness.discord.modalSubmit({
        customId: `paste-jobid:${message.id}`,
        fields: { jobid },
        guildId: GUILD,
        channelId: CHANNEL,
        user: MEMBER,
      });
      await submit.waitForEdit((m) => /subscription has ended/.test(m.content), 10_000);
    }
    const refused = lines(harness).filter((l) => l.msg === 'interaction refused');
    expect(refused.map((l) => `${l.level >= ERROR ? 'error' : l.level} ${l.kind}`)).toEqual([
      'error no_subscription',
      '20 no_subscription',
    ]);
    expect(refused[0]?.hint).toMatch(/renew/);
  });
});
