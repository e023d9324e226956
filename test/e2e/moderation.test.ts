// The 596 workflow end to end: the real bot against the fake useapi and the fake Discord, on a real SQLite file.
// A held account alerts moderators once, keeps every request, and resumes them after a moderator's reset.
import { ok } from 'node:assert/strict';
import { once } from 'node:events';
import { Events } from 'discord.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FakeMessage, InteractionHandle, InteractionUser } from '../../dev/fakes/fake-discord.js';
import {
  ACCOUNT_CHANNEL,
  ALERT_CHANNEL,
  CHANNEL,
  GUILD,
  type Harness,
  isSeedReply,
  MEMBER,
  MODERATOR,
  startHarness,
} from '../helpers/harness.js';

const MOD_TEXT = 'Your prompt was flagged. Please acknowledge the community guidelines to continue.';
const RESET_PATH = `/v2/account/midjourney/${ACCOUNT_CHANNEL}/reset`;
const ALERT_POSTS = `/channels/${ALERT_CHANNEL}/messages`;

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const heldText = /waiting for a moderator/;
const flagsOf = (event: { body: unknown }) => (event.body as { data?: { flags?: number } }).data?.flags ?? 0;
const contentOf = (event: { body: unknown }) =>
  (event.body as { data?: { content?: string } }).data?.content ?? '';
const embedText = (m: FakeMessage | undefined) => JSON.stringify(m?.embeds ?? []);
const buttonsOf = (m: FakeMessage | undefined) =>
  ((m?.components ?? []) as { components?: { custom_id?: string; disabled?: boolean }[] }[]).flatMap(
    (row) => row.components ?? [],
  );
const upstreamCalls = (harness: Harness) => harness.useapi.requests.length;

function where(user: InteractionUser = MODERATOR, channelId = ALERT_CHANNEL) {
  return { guildId: GUILD, channelId, user };
}

function midjourney(harness: Harness, subcommand: 'status' | 'reset', user = MODERATOR, channel?: string) {
  return harness.discord.slash({
    name: 'midjourney',
    subcommand,
    options: channel === undefined ? [] : [{ name: 'channel', type: 3, value: channel }],
    ...where(user, CHANNEL),
  });
}

/** Resolves once `n` messages were posted in the alert channel. */
async function alertPosts(harness: Harness, n: number): Promise<FakeMessage[]> {
  await harness.discord.waitForRest(
    (r) =>
      r.method === 'POST' &&
      r.path === ALERT_POSTS &&
      harness.discord.channelMessages(ALERT_CHANNEL).length >= n,
    10_000,
  );
  return harness.discord.channelMessages(ALERT_CHANNEL);
}

/** Puts the account on hold through a member's /seed; resolves with that interaction and the one alert. */
async function holdThroughSeed(harness: Harness) {
  harness.useapi.setPendingModeration(ACCOUNT_CHANNEL, MOD_TEXT);
  const { jobid } = harness.imagineJob({ seedValue: 31337 });
  const seed = harness.slashSeed(jobid);
  const reply = await seed.waitForEdit((m) => heldText.test(m.content), 10_000);
  const [alert] = await alertPosts(harness, 1);
  if (!alert) throw new Error('no alert');
  // The alert's message id is stored on the hold right after the post.
  await vi.waitFor(async () =>
    expect((await harness.bot.holds.get(ACCOUNT_CHANNEL))?.alertMessageId).toBe(alert.id),
  );
  return { seed, reply, alert, jobid };
}

/** Press Reset on the alert, then confirm; resolves with the confirmation and the final answer. */
async function resetThroughAlert(harness: Harness, alert: FakeMessage, user = MODERATOR) {
  const press = harness.discord.button({
    customId: `mod-reset:${ACCOUNT_CHANNEL}`,
    message: alert,
    ...where(user),
  });
  const confirmation = await press.waitForEdit(undefined, 5_000);
  return confirm(harness, confirmation, user);
}

async function confirm(harness: Harness, confirmation: FakeMessage, user = MODERATOR) {
  const yes = harness.discord.button({
    customId: `mod-confirm:${ACCOUNT_CHANNEL}`,
    message: confirmation,
    ...where(user),
  });
  const answer = await yes.waitForEdit((m) => !/Resetting account/.test(m.content), 10_000);
  return { confirmation, yes, answer };
}

async function confirmationOf(interaction: InteractionHandle) {
  const event = await interaction.waitForCallback();
  expect(event.type).toBe(4);
  expect(flagsOf(event) & 64).toBe(64);
  return interaction.waitForEdit(undefined, 5_000);
}

describe('a 596 puts the account on hold', () => {
  it('tells the member the request is kept and posts exactly one alert with a Reset button', async () => {
    h = await startHarness();
    const { reply, alert } = await holdThroughSeed(h);
    expect(reply.content).toMatch(/Moderators have been told; your request is kept and will run by itself/);
    expect(h.useapi.count('POST', '/v2/jobs/seed_async')).toBe(1);

    const text = embedText(alert);
    expect(text).toContain(ACCOUNT_CHANNEL);
    expect(text).toContain(MOD_TEXT);
    expect(text).toMatch(/Log in to Discord with the Midjourney account/);
    expect(buttonsOf(alert)).toEqual([
      expect.objectContaining({ custom_id: `mod-reset:${ACCOUNT_CHANNEL}`, disabled: false }),
    ]);
    expect(h.discord.violations).toEqual([]);
  });

  it('alerts once for many requests hitting the same incident at once', async () => {
    h = await startHarness();
    h.useapi.setPendingModeration(ACCOUNT_CHANNEL, MOD_TEXT);
    const harness = h;
    const seeds = Array.from({ length: 5 }, () => harness.slashSeed(harness.imagineJob().jobid));
    await Promise.all(seeds.map((s) => s.waitForEdit((m) => heldText.test(m.content), 10_000)));
    await alertPosts(h, 1);
    expect(h.discord.channelMessages(ALERT_CHANNEL)).toHaveLength(1);
  });

  it('answers a second /seed while held without calling useapi', async () => {
    h = await startHarness();
    await holdThroughSeed(h);
    const before = upstreamCalls(h);
    const second = h.slashSeed(h.imagineJob().jobid, { ...MEMBER, id: '855555555555555599' });
    const reply = await second.waitForEdit((m) => heldText.test(m.content), 10_000);
    expect(reply.content).toMatch(/your request is kept and will run by itself after the reset/);
    expect(upstreamCalls(h)).toBe(before);
    expect(h.discord.channelMessages(ALERT_CHANNEL)).toHaveLength(1);
  });

  it('holds the account when the seed job itself ends failed with code 596, and finishes it after the reset', async () => {
    h = await startHarness({ useapi: { seedDurationMs: 60_000 } });
    const { jobid } = h.imagineJob({ seedValue: 4242 });
    const seed = h.slashSeed(jobid);
    // The seed job is started and the request has stored it (what a resumed request follows first).
    const harness = h;
    const seedJobId = await vi.waitFor(async () => {
      const id = (await harness.bot.storage.requests.get(`req:${seed.id}`))?.seedJobId;
      if (!id) throw new Error('no seed job yet');
      return id;
    });
    h.useapi.setPendingModeration(ACCOUNT_CHANNEL, MOD_TEXT);
    h.useapi.completeNow(seedJobId);
    await seed.waitForEdit((m) => heldText.test(m.content), 10_000);
    const [alert] = await alertPosts(h, 1);

    h.useapi.setSeedDuration(200);
    ok(alert, 'the alert was posted');
    const { answer } = await resetThroughAlert(h, alert);
    expect(answer.content).toMatch(/reset by/);
    const final = await seed.waitForEdit(isSeedReply, 15_000);
    expect(embedText(final)).toContain('4242');
  });
});

describe('who may act', () => {
  it('refuses /midjourney status and reset to a member without Manage Server, without calling useapi', async () => {
    h = await startHarness();
    for (const interaction of [
      midjourney(h, 'status', MEMBER),
      midjourney(h, 'reset', MEMBER, ACCOUNT_CHANNEL),
    ]) {
      const event = await interaction.waitForCallback();
      expect(event.type).toBe(4);
      expect(flagsOf(event) & 64).toBe(64);
      expect(contentOf(event)).toMatch(/Only moderators/);
    }
    expect(upstreamCalls(h)).toBe(0);
  });

  it('refuses the Reset and confirm buttons to a member, without calling useapi', async () => {
    h = await startHarness();
    const { alert } = await holdThroughSeed(h);
    const before = upstreamCalls(h);
    const press = h.discord.button({
      customId: `mod-reset:${ACCOUNT_CHANNEL}`,
      message: alert,
      ...where(MEMBER),
    });
    const refusal = await press.waitForCallback();
    expect(contentOf(refusal)).toMatch(/Only moderators/);
    expect(flagsOf(refusal) & 64).toBe(64);

    // A member who got hold of a confirmation (or forged the custom id) is refused as well.
    const confirmation = await confirmationOf(midjourney(h, 'reset', MODERATOR, ACCOUNT_CHANNEL));
    const forged = h.discord.button({
      customId: `mod-confirm:${ACCOUNT_CHANNEL}`,
      message: confirmation,
      ...where(MEMBER),
    });
    expect(contentOf(await forged.waitForCallback())).toMatch(/Only moderators/);
    expect(upstreamCalls(h)).toBe(before);
    expect(h.useapi.count('POST', RESET_PATH)).toBe(0);
    expect(await h.bot.holds.get(ACCOUNT_CHANNEL)).toBeDefined();
  });

  it('accepts a member with one of MOD_ROLE_IDS', async () => {
    const role = '888888888888888801';
    const guild = '888888888888888800';
    h = await startHarness({ env: { MOD_ROLE_IDS: `${role},888888888888888802` } });
    const joined = once(h.bot.client, Events.GuildCreate);
    h.discord.addGuild({
      id: guild,
      channels: [{ id: '888888888888888803' }],
      roles: [
        { id: guild, permissions: '0' },
        { id: role, name: 'Seed moderators', permissions: '0' },
      ],
    });
    await joined;
    const status = h.discord.slash({
      name: 'midjourney',
      subcommand: 'status',
      guildId: guild,
      channelId: '888888888888888803',
      user: { id: '888888888888888804', username: 'helper', roles: [role] },
    });
    const reply = await status.waitForEdit(undefined, 10_000);
    expect(embedText(reply)).toContain(ACCOUNT_CHANNEL);
    expect(reply.content).not.toMatch(/Only moderators/);
  });
});

describe('a moderator resets the account', () => {
  it('from the alert: one reset call, every held request completes, the alert is marked resolved', async () => {
    h = await startHarness();
    const { seed, alert } = await holdThroughSeed(h);
    const second = h.slashSeed(h.imagineJob({ seedValue: 2024 }).jobid, {
      ...MEMBER,
      id: '855555555555555598',
    });
    await second.waitForEdit((m) => heldText.test(m.content), 10_000);

    const press = h.discord.button({ customId: `mod-reset:${ACCOUNT_CHANNEL}`, message: alert, ...where() });
    const confirmation = await confirmationOf(press);
    expect(confirmation.content).toMatch(/acknowledged the moderation message \(or solved the CAPTCHA\)/);
    expect(buttonsOf(confirmation).map((b) => b.custom_id)).toEqual([
      `mod-confirm:${ACCOUNT_CHANNEL}`,
      `mod-cancel:${ACCOUNT_CHANNEL}`,
    ]);
    expect(h.useapi.count('POST', RESET_PATH)).toBe(0);

    const { yes, answer } = await confirm(h, confirmation);
    expect(yes.events[0]?.type).toBe(7); // the buttons go away at once
    expect(answer.content).toMatch(
      new RegExp(`Account ${ACCOUNT_CHANNEL} reset by <@${MODERATOR.id}>. 2 waiting`),
    );
    expect(buttonsOf(answer)).toEqual([]);
    expect(h.useapi.count('POST', RESET_PATH)).toBe(1);
    expect(h.useapi.count('GET', `/v2/account/midjourney/${ACCOUNT_CHANNEL}`)).toBe(1);

    const [first, other] = await Promise.all([
      seed.waitForEdit(isSeedReply, 15_000),
      second.waitForEdit(isSeedReply, 15_000),
    ]);
    expect(embedText(first)).toContain('31337');
    expect(embedText(other)).toContain('2024');
    expect(await h.bot.holds.get(ACCOUNT_CHANNEL)).toBeUndefined();

    const posts = await alertPosts(h, 2);
    expect(posts[1]?.content).toMatch(
      new RegExp(`Reset of account ${ACCOUNT_CHANNEL} by <@${MODERATOR.id}> <t:\\d+:f>: done`),
    );
    await h.discord.waitForRest(
      (r) => r.method === 'PATCH' && r.path === `${ALERT_POSTS}/${alert.id}`,
      5_000,
    );
    const resolved = h.discord.channelMessages(ALERT_CHANNEL)[0];
    expect(embedText(resolved)).toMatch(/was reset/);
    expect(buttonsOf(resolved)).toEqual([expect.objectContaining({ disabled: true })]);
    const audit = await h.bot.storage.audit.get(`audit:${ACCOUNT_CHANNEL}`);
    expect(audit).toEqual([
      expect.objectContaining({ channel: ACCOUNT_CHANNEL, by: MODERATOR.id, result: 'ok' }),
    ]);
    expect(h.discord.violations).toEqual([]);
  });

  it('with /midjourney reset after the confirmation', async () => {
    h = await startHarness();
    const { seed } = await holdThroughSeed(h);
    const confirmation = await confirmationOf(midjourney(h, 'reset', MODERATOR, ACCOUNT_CHANNEL));
    const { answer } = await confirm(h, confirmation);
    expect(answer.content).toMatch(/1 waiting request is running again/);
    await seed.waitForEdit(isSeedReply, 15_000);
    expect(h.useapi.count('POST', RESET_PATH)).toBe(1);
  });

  it('changes nothing when the moderator cancels', async () => {
    h = await startHarness();
    const { alert } = await holdThroughSeed(h);
    const before = upstreamCalls(h);
    const confirmation = await confirmationOf(
      h.discord.button({ customId: `mod-reset:${ACCOUNT_CHANNEL}`, message: alert, ...where() }),
    );
    const cancel = h.discord.button({
      customId: `mod-cancel:${ACCOUNT_CHANNEL}`,
      message: confirmation,
      ...where(),
    });
    const answer = await cancel.waitForEdit((m) => /cancelled/.test(m.content), 5_000);
    expect(buttonsOf(answer)).toEqual([]);
    expect(upstreamCalls(h)).toBe(before);
    expect(await h.bot.holds.get(ACCOUNT_CHANNEL)).toBeDefined();
  });

  it('says the useapi token is refused when the reset answers 401, and keeps the hold', async () => {
    h = await startHarness();
    const { alert } = await holdThroughSeed(h);
    h.useapi.failNext({ method: 'POST', path: RESET_PATH }, [
      { status: 401, body: { error: 'Unauthorized', code: 401 } },
    ]);
    const { answer } = await resetThroughAlert(h, alert);
    expect(answer.content).toMatch(/token is not valid \(401\)/);
    expect(h.useapi.count('POST', RESET_PATH)).toBe(1);
    expect(await h.bot.holds.get(ACCOUNT_CHANNEL)).toBeDefined();
    const posts = await alertPosts(h, 2);
    expect(posts[1]?.content).toMatch(/refused, the useapi token is not valid \(401\)/);
  });

  it('says the channel is unknown when the reset answers 404', async () => {
    h = await startHarness();
    const unknown = '1316232391072944999';
    const confirmation = await confirmationOf(midjourney(h, 'reset', MODERATOR, unknown));
    const yes = h.discord.button({ customId: `mod-confirm:${unknown}`, message: confirmation, ...where() });
    const answer = await yes.waitForEdit((m) => /404/.test(m.content), 10_000);
    expect(answer.content).toBe(
      `useapi has no Midjourney account for channel ${unknown} (404). Check the channel id.`,
    );
    expect(h.useapi.count('POST', `/v2/account/midjourney/${unknown}/reset`)).toBe(1);
  });

  it('keeps the hold when the account is still pending after the reset', async () => {
    h = await startHarness();
    const { alert } = await holdThroughSeed(h);
    h.useapi.failNext({ method: 'GET', path: `/v2/account/midjourney/${ACCOUNT_CHANNEL}` }, [
      {
        status: 200,
        body: { channel: ACCOUNT_CHANNEL, discord: 'MTA…ken', maxJobs: 3, pendingModMessage: MOD_TEXT },
      },
    ]);
    const { answer } = await resetThroughAlert(h, alert);
    expect(answer.content).toMatch(/still has a pending moderation message at useapi, so it stays held/);
    expect(await h.bot.holds.get(ACCOUNT_CHANNEL)).toBeDefined();
    expect(h.useapi.count('POST', '/v2/jobs/seed_async')).toBe(1);
  });

  it('does not repeat a reset that answers 596', async () => {
    h = await startHarness();
    const { alert } = await holdThroughSeed(h);
    h.useapi.failNext({ method: 'POST', path: RESET_PATH }, [
      { status: 596, body: { error: 'Pending mod message', code: 596 } },
    ]);
    const { answer } = await resetThroughAlert(h, alert);
    expect(answer.content).toMatch(/stays held/);
    expect(h.useapi.count('POST', RESET_PATH)).toBe(1);
    expect(await h.bot.holds.get(ACCOUNT_CHANNEL)).toBeDefined();
  });
});

describe('/midjourney status', () => {
  it('lists every account with its hold, masked token, waiting requests and alert', async () => {
    h = await startHarness();
    h.useapi.addAccount({
      channel: '1316232391072944222',
      discord: 'second-account-discord-token',
      maxJobs: 5,
    });
    await holdThroughSeed(h);
    const status = midjourney(h, 'status');
    const ack = await status.waitForCallback();
    expect(flagsOf(ack) & 64).toBe(64);
    const reply = await status.waitForEdit(undefined, 10_000);
    const [held, running] = reply.embeds as { title?: string; description?: string }[];
    expect(held?.title).toBe(ACCOUNT_CHANNEL);
    expect(held?.description).toMatch(/held since <t:\d+:R>/);
    expect(held?.description).toContain('`MTA…ken`');
    expect(held?.description).toContain('**waiting** 1');
    expect(held?.description).toContain(MOD_TEXT);
    expect(held?.description).toMatch(/\*\*Alert:\*\* https:\/\/discord\.com\/channels\//);
    expect(running?.title).toBe('1316232391072944222');
    expect(running?.description).toMatch(/running/);
    expect(running?.description).toContain('**maxJobs** 5');
    const everything = JSON.stringify(reply);
    expect(everything).not.toContain('MTAxMjM0NTY3ODkwMTIzNDU2Nzg5MA.secret.token');
    expect(everything).not.toContain('second-account-discord-token');
    expect(h.discord.violations).toEqual([]);
  });

  it('shows the last resets', async () => {
    h = await startHarness();
    const { alert } = await holdThroughSeed(h);
    h.useapi.failNext({ method: 'POST', path: RESET_PATH }, [
      { status: 401, body: { error: 'Unauthorized', code: 401 } },
    ]);
    await resetThroughAlert(h, alert);
    await resetThroughAlert(h, alert);
    const reply = await midjourney(h, 'status').waitForEdit(undefined, 10_000);
    const description = (reply.embeds[0] as { description?: string }).description ?? '';
    const resets = description.slice(description.indexOf('Last resets'));
    expect(resets).toMatch(
      new RegExp(`<t:\\d+:f> by <@${MODERATOR.id}>: done[^]*<t:\\d+:f> by <@${MODERATOR.id}>: refused`),
    );
  });

  it('suggests the account channels to moderators only, and asks useapi once a minute at most', async () => {
    h = await startHarness();
    const harness = h;
    const ask = (user: InteractionUser) =>
      harness.discord.autocomplete({
        name: 'midjourney',
        subcommand: 'reset',
        options: [{ name: 'channel', type: 3, value: '1316', focused: true }],
        ...where(user, CHANNEL),
      });
    const refused = await ask(MEMBER).waitForCallback();
    expect((refused.body as { data?: { choices?: unknown[] } }).data?.choices).toEqual([]);
    expect(upstreamCalls(h)).toBe(0);
    for (let i = 0; i < 2; i++) {
      const answer = await ask(MODERATOR).waitForCallback();
      expect((answer.body as { data?: { choices?: unknown[] } }).data?.choices).toEqual([
        { name: ACCOUNT_CHANNEL, value: ACCOUNT_CHANNEL },
      ]);
    }
    expect(h.useapi.count('GET', '/v2/account/midjourney')).toBe(1);
  });
});

describe('without a usable alert channel', () => {
  it('logs an error when MOD_ALERT_CHANNEL_ID is unset, and /midjourney status still shows the hold', async () => {
    h = await startHarness({ env: { MOD_ALERT_CHANNEL_ID: '' } });
    h.useapi.setPendingModeration(ACCOUNT_CHANNEL, MOD_TEXT);
    await h.slashSeed(h.imagineJob().jobid).waitForEdit((m) => heldText.test(m.content), 10_000);
    const harness = h;
    await vi.waitFor(() =>
      expect(harness.logText()).toMatch(/NO moderator was alerted: MOD_ALERT_CHANNEL_ID is not set/),
    );
    const line = JSON.parse(h.logs.find((l) => l.includes('MOD_ALERT_CHANNEL_ID is not set')) ?? '{}');
    expect(line.level).toBe(50);
    expect(h.discord.rest.filter((r) => r.method === 'POST' && r.path.endsWith('/messages'))).toEqual([]);

    const reply = await midjourney(h, 'status').waitForEdit(undefined, 10_000);
    const description = (reply.embeds[0] as { description?: string }).description ?? '';
    expect(description).toMatch(/held since/);
    expect(description).toMatch(/\*\*Alert:\*\* not posted/);
  });

  it('logs an error when posting the alert fails', async () => {
    h = await startHarness({ env: { MOD_ALERT_CHANNEL_ID: '844444444444444999' } });
    h.useapi.setPendingModeration(ACCOUNT_CHANNEL, MOD_TEXT);
    await h.slashSeed(h.imagineJob().jobid).waitForEdit((m) => heldText.test(m.content), 10_000);
    const harness = h;
    await vi.waitFor(() =>
      expect(harness.logText()).toMatch(/NO moderator was alerted: posting in MOD_ALERT_CHANNEL_ID/),
    );
    expect(await h.bot.holds.get(ACCOUNT_CHANNEL)).toBeDefined();
  });
});
