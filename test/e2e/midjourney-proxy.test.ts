// The bot on a midjourney-proxy (SEED_PROVIDER=midjourney-proxy), end to end: the real discord.js client logged in to
// the fake Discord, the fake proxy (blocking image-seed, notifyHook callbacks, accounts that die), a real SQLite file.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signCdnUrl } from '../../dev/fakes/cdn.js';
import type { FakeMessage } from '../../dev/fakes/fake-discord.js';
import { makeGrid } from '../../dev/fakes/grid-image.js';
import {
  ALERT_CHANNEL,
  CHANNEL,
  GUILD,
  type Harness,
  isSeedReply,
  MEMBER,
  OTHER_MEMBER,
  openPasteModal,
  privateAnswer,
  startHarness,
} from '../helpers/harness.js';

let h: Harness;

afterEach(async () => {
  await h?.stop();
});

/** The bot on the fake proxy; the sweep (and the re-check of a held proxy) every second. */
async function start() {
  h = await startHarness({ upstream: 'midjourney-proxy', env: { STORAGE_LEASE_MS: '1000' } });
  const proxy = h.proxy;
  if (!proxy) throw new Error('no fake proxy');
  return proxy;
}

const seedOf = (m: FakeMessage | undefined) =>
  /`--seed (\d+)`/.exec((m?.embeds[0] as { description?: string } | undefined)?.description ?? '')?.[1];
/** Every text the bot showed in the interaction's replies, in order. */
const shown = (events: { body: unknown }[]) => events.map((e) => JSON.stringify(e.body));
const CHINESE = /[\u4e00-\u9fff]/;

/** Four images a CDN serves (the fake useapi's), as the proxy fills `imageUrls` (EnableFillOfficialCdn). */
const fourImages = () => {
  const job = crypto.randomUUID();
  const tomorrow = Math.floor(Date.now() / 1000) + 86_400;
  return [0, 1, 2, 3].map((i) => ({
    url: signCdnUrl(`${h.useapi.origin}/cdn/attachments/${job}/0_${i}.png`, tomorrow),
  }));
};

function rightClick(target: FakeMessage) {
  return h.discord.messageCommand({
    name: 'Get seed',
    target,
    guildId: GUILD,
    channelId: CHANNEL,
    user: MEMBER,
  });
}

describe('/seed job:<task id> on a midjourney-proxy', () => {
  it('answers with the seed and the four images, through one image-seed call', async () => {
    const proxy = await start();
    const { task } = h.proxyTask({ prompt: 'a red fox in snow', seed: 1234567890, imageUrls: fourImages() });
    expect(task.id).toMatch(/^\d{16}$/);
    const final = await h.slashSeed(task.id).waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('1234567890');
    expect(final.attachments).toHaveLength(4);
    expect(final.embeds).toHaveLength(4);
    expect(JSON.stringify(final.embeds)).toContain(task.id);
    // The jump link opens the message: its server is read from the channel (the proxy does not say it).
    expect(JSON.stringify(final.embeds)).toContain(
      `https://discord.com/channels/${GUILD}/${CHANNEL}/${task.messageId}`,
    );
    expect(proxy.calls('image-seed')).toBe(1);
    // Asked again: from storage, nothing upstream.
    const before = proxy.calls();
    expect(seedOf(await h.slashSeed(task.id).waitForEdit(isSeedReply, 10_000))).toBe('1234567890');
    expect(proxy.calls()).toBe(before);
  });

  it('keeps asking while the proxy has not found the seed yet, telling the member it is on its way', async () => {
    const proxy = await start();
    const grid = { data: await makeGrid(512, 512, 'png'), width: 512, height: 512 };
    const { task } = h.proxyTask({ seed: 424242, seedPlan: { notFoundTimes: 2 } }, grid);
    const interaction = h.slashSeed(task.id);
    const final = await interaction.waitForEdit(isSeedReply, 20_000);
    expect(seedOf(final)).toBe('424242');
    expect(proxy.calls('image-seed')).toBe(3);
    // No separate images from the proxy: the four are cut from the grid of the Midjourney message.
    expect(final.attachments).toHaveLength(4);
    const texts = shown(interaction.events);
    expect(texts.some((t) => t.includes('it is on its way'))).toBe(true);
    expect(texts.some((t) => /could not|failed|not answering/i.test(t))).toBe(false);
    expect(texts.some((t) => CHINESE.test(t))).toBe(false);
  });

  it('answers a task the proxy does not know with a friendly final reply, in the member’s words', async () => {
    const proxy = await start();
    const unknown = `${Date.now()}123`;
    const reply = await h.slashSeed(unknown).waitForEdit((m) => !m.content.startsWith('⏳'), 10_000);
    expect(reply.content).toMatch(/midjourney-proxy does not know that task/);
    expect(CHINESE.test(reply.content)).toBe(false);
    expect(proxy.calls('image-seed')).toBe(0);
  });

  it('refuses a 17-digit number as a task id without asking the proxy (it is a Discord message id)', async () => {
    const proxy = await start();
    const reply = await privateAnswer(h.slashSeed('1234567890123456789'));
    expect(reply.content).toMatch(/no message with that id/);
    expect(proxy.calls('image-seed')).toBe(0);
  });
});

describe('right-click → Get seed on a message the proxy made', () => {
  it('finds the task through the notifyHook callback, keyed by the message id', async () => {
    const proxy = await start();
    const { task, message } = h.proxyTask({ seed: 987654 });
    await proxy.settleNotifications();
    await vi.waitFor(async () => expect(await h.bot.services.index.byJobid(task.id)).toBeDefined(), {
      timeout: 5_000,
      interval: 20,
    });
    const entry = await h.bot.services.index.byMessage(message.id, GUILD);
    expect(entry?.jobid).toBe(task.id);
    // The Midjourney job UUID (jobId, messageHash, the grid's file name) finds it too.
    expect((await h.bot.services.index.byUuid(String(task.jobId), GUILD))?.jobid).toBe(task.id);
    const final = await rightClick(message).waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('987654');
  });

  it('refuses a forged callback (wrong secret) and indexes nothing from it', async () => {
    const proxy = await start();
    const url = h.bot.http()?.url;
    const body = JSON.stringify({
      id: `${Date.now()}777`,
      status: 'SUCCESS',
      messageId: '1555555555555555555',
    });
    const forged = await fetch(`${url}/midjourney-proxy/callback/not-the-secret-0123456789abcdef0123`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    expect(forged.status).toBe(404);
    // useapi's route is not open on a proxy bot either.
    const other = await fetch(`${url}/useapi/callback/${h.env.CALLBACK_SECRET}`, { method: 'POST', body });
    expect(other.status).toBe(404);
    expect(await h.bot.services.index.byMessage('1555555555555555555', GUILD)).toBeUndefined();
    expect(proxy.calls('fetch')).toBe(0);
  });
});

describe('the paste-a-jobid modal on a midjourney-proxy', () => {
  /** Right-click a message the bot has not heard of, press the button: the modal's custom id. */
  async function openModal(message: FakeMessage) {
    const interaction = rightClick(message);
    const reply = await privateAnswer(interaction);
    expect(reply.content).toMatch(/could not find the midjourney-proxy task/);
    const { customId, modal } = await openPasteModal(h, interaction.original());
    expect(modal.type).toBe(9);
    expect(JSON.stringify(modal.body)).toContain('midjourney-proxy task id');
    return customId;
  }

  const submit = (customId: string, pasted: string) =>
    h.discord.modalSubmit({
      customId,
      fields: { jobid: pasted },
      guildId: GUILD,
      channelId: CHANNEL,
      user: MEMBER,
    });

  it('takes a task id whose messageId is this message, indexes it and answers', async () => {
    const proxy = await start();
    // The proxy's notifyHook does not point at the bot: the message is unknown.
    proxy.setNotifyHook(undefined);
    const { task, message } = h.proxyTask({ seed: 5050 });
    const customId = await openModal(message);
    const final = await submit(customId, `Task ID: ${task.id}`).waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('5050');
    expect((await h.bot.services.index.byMessage(message.id, GUILD))?.jobid).toBe(task.id);
  });

  it('refuses the task id of another message without asking for a seed', async () => {
    const proxy = await start();
    proxy.setNotifyHook(undefined);
    const { message } = h.proxyTask();
    const other = h.proxyTask().task;
    const customId = await openModal(message);
    const refusal = await submit(customId, other.id).waitForEdit((m) => m.content !== '', 10_000);
    expect(refusal.content).toMatch(/belongs to another message/);
    expect(proxy.calls('image-seed')).toBe(0);
  });
});

describe('no usable account in the proxy', () => {
  it('holds the requests, alerts the moderators once, and resumes them when the proxy has an account again', async () => {
    const proxy = await start();
    proxy.setAccountAlive(false);
    const first = h.proxyTask({ seed: 1111 }).task;
    const second = h.proxyTask({ seed: 2222 }).task;
    const a = h.slashSeed(first.id);
    const b = h.slashSeed(second.id, OTHER_MEMBER);
    for (const i of [a, b]) await i.waitForEdit((m) => /waiting for a moderator/.test(m.content), 10_000);
    await h.discord.waitForRest(
      (r) => r.method === 'POST' && r.path === `/channels/${ALERT_CHANNEL}/messages`,
      10_000,
    );
    const status = await h.bot.services.moderation.status();
    expect(status.accounts.find((x) => x.channel === 'midjourney-proxy')?.hold).toBeDefined();

    proxy.setAccountAlive(true);
    const [finalA, finalB] = await Promise.all([
      a.waitForEdit(isSeedReply, 15_000),
      b.waitForEdit(isSeedReply, 15_000),
    ]);
    expect(seedOf(finalA)).toBe('1111');
    expect(seedOf(finalB)).toBe('2222');
    expect(await h.bot.holds.get('midjourney-proxy')).toBeUndefined();
    // The one alert, edited to say it is over: nobody reset anything, and its Reset button is disabled.
    await vi.waitFor(
      () => {
        const alerts = h.discord.channelMessages(ALERT_CHANNEL);
        expect(alerts).toHaveLength(1);
        expect(JSON.stringify(alerts[0]?.embeds)).toMatch(/usable again, nobody had to reset it/);
        expect(JSON.stringify(alerts[0]?.components)).toMatch(/"disabled":true/);
      },
      { timeout: 5_000, interval: 20 },
    );
    const alert = h.discord.channelMessages(ALERT_CHANNEL)[0];
    expect(JSON.stringify(alert?.embeds)).toMatch(/admin page/);
    expect(JSON.stringify(alert?.embeds)).not.toMatch(CHINESE);
  });
});
