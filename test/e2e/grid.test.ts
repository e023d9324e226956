// The seed written in the prompt and the four images cut from the Midjourney message's own grid: the whole answer with
// no upstream at all. End to end: the real discord.js client against the fake Discord, whose CDN serves a real grid
// made with sharp; the uploaded images are downloaded back and measured.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FakeMessage, InteractionHandle } from '../../dev/fakes/fake-discord.js';
import type { FakeAttachment, FakeJob } from '../../dev/fakes/fake-useapi.js';
import { centreOf, makeGrid, QUADRANT_COLOURS, type Rgb, sameColour } from '../../dev/fakes/grid-image.js';
import {
  ACCOUNT_CHANNEL,
  CHANNEL,
  deliverUseapiCallback,
  GUILD,
  type Harness,
  isSeedReply,
  MEMBER,
  MIDJOURNEY_BOT,
  startHarness,
  uniqueId,
} from '../helpers/harness.js';

const SECRET = 'grid-test-callback-secret-0123456789abc';
const UUID = '0b9c7f4e-5d2a-4c1b-9e8f-7a6b5c4d3e2f';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function start() {
  h = await startHarness({ env: { CALLBACK_SECRET: SECRET } });
  return h;
}

interface GridMessage {
  prompt: string;
  /** The attachment's bytes and type. */
  data: Buffer;
  contentType: string;
  filename?: string;
  /** Also a completed job at useapi, indexed through its callback (the bot knows this message). */
  indexed?: boolean;
  /** What follows the prompt (default: a grid's ` - <@member> (fast)`). */
  tail?: string;
}

/** A Midjourney message showing `data` as its attachment, and (indexed) its job at useapi, known to the bot. */
async function gridMessage(
  harness: Harness,
  o: GridMessage,
): Promise<{ message: FakeMessage; job?: FakeJob }> {
  const messageId = uniqueId('7');
  const content = `**${o.prompt}**${o.tail ?? ` - <@${MEMBER.id}> (fast)`}`;
  const message = harness.discord.makeMessage({
    id: messageId,
    channelId: CHANNEL,
    guildId: GUILD,
    author: { id: MIDJOURNEY_BOT, username: 'Midjourney Bot', bot: true },
    content,
    attachments: [
      { filename: o.filename ?? `member_grid_${UUID}.png`, content_type: o.contentType, data: o.data },
    ],
  });
  if (!o.indexed) return { message };
  const job = harness.useapi.addJob({
    verb: 'imagine',
    channel: ACCOUNT_CHANNEL,
    server: GUILD,
    messageId,
    prompt: o.prompt,
    content,
    seedValue: 1,
  });
  await deliverUseapiCallback(harness, job);
  return { message, job };
}

const rightClick = (harness: Harness, target: FakeMessage): InteractionHandle =>
  harness.discord.messageCommand({
    name: 'Get seed',
    target,
    guildId: GUILD,
    channelId: CHANNEL,
    user: MEMBER,
  });

const description = (m: FakeMessage) => String((m.embeds[0] as { description?: string })?.description);
const seedOf = (m: FakeMessage) => /`--seed (\d+)`/.exec(description(m))?.[1];
const galleryImages = (m: FakeMessage) =>
  (m.embeds as { image?: { url: string } }[]).map((e) => e.image?.url);

/** Each uploaded image, downloaded back from the fake CDN: half the grid, the colour of its quadrant, same format. */
async function expectQuadrants(reply: FakeMessage, grid: { width: number; height: number; format: string }) {
  expect(reply.attachments).toHaveLength(4);
  for (const [i, attachment] of reply.attachments.entries()) {
    const bytes = Buffer.from(await (await fetch(attachment.url)).arrayBuffer());
    const seen = await centreOf(bytes);
    expect([seen.width, seen.height]).toEqual([Math.floor(grid.width / 2), Math.floor(grid.height / 2)]);
    expect(seen.format).toBe(grid.format);
    expect(attachment.content_type).toBe(`image/${grid.format}`);
    expect(sameColour(seen.rgb, QUADRANT_COLOURS[i] as Rgb), `image ${i + 1}: ${seen.rgb}`).toBe(true);
  }
  // One 2x2 gallery of the four uploads (Discord shows attachment:// links as the files' CDN links).
  expect(galleryImages(reply)).toEqual(reply.attachments.map((a) => a.url));
}

describe('the seed in the prompt and the images cut from the grid', () => {
  it('answers a known message with the seed, then the four images cut from its grid, asking useapi nothing', async () => {
    const harness = await start();
    const data = await makeGrid(1024, 1024, 'png');
    const { message } = await gridMessage(harness, {
      prompt: 'a red fox in snow --seed 4242 --ar 1:1',
      data,
      contentType: 'image/png',
      indexed: true,
    });
    const before = harness.useapi.requests.length;
    const interaction = rightClick(harness, message);
    const first = await interaction.waitForEdit(isSeedReply, 10_000);
    expect(seedOf(first)).toBe('4242');
    const final = await interaction.waitForEdit((m) => isSeedReply(m) && m.attachments.length === 4, 15_000);
    expect(seedOf(final)).toBe('4242');
    await expectQuadrants(final, { width: 1024, height: 1024, format: 'png' });
    expect(final.attachments.map((a) => a.filename)).toEqual([0, 1, 2, 3].map((i) => `${UUID}_${i}.png`));
    // The seed never left the reply once shown.
    for (const edit of interaction.events.filter((e) => e.kind === 'edit'))
      expect(JSON.stringify(edit.body)).toContain('--seed 4242');
    expect(harness.useapi.requests.slice(before)).toEqual([]);
  });

  it('answers with the seed and the four images while useapi refuses connections', async () => {
    const harness = await start();
    const data = await makeGrid(1456, 816, 'webp');
    const { message } = await gridMessage(harness, {
      prompt: 'a harbour at night --seed 31337 --ar 16:9',
      data,
      contentType: 'image/webp',
      filename: `member_harbour_${UUID}.webp`,
      indexed: true,
    });
    await harness.useapi.outage('refuse');
    const final = await rightClick(harness, message).waitForEdit(
      (m) => isSeedReply(m) && m.attachments.length === 4,
      15_000,
    );
    expect(seedOf(final)).toBe('31337');
    await expectQuadrants(final, { width: 1456, height: 816, format: 'webp' });
    expect(description(final)).not.toMatch(/not answering|could not be attached/);
  });

  it('gives the whole answer for a message whose job the bot never heard of, once, and copies its prompt', async () => {
    const harness = await start();
    await harness.useapi.outage('refuse');
    const data = await makeGrid(817, 1457, 'png');
    const { message } = await gridMessage(harness, {
      prompt: 'a blue whale --seed 77 --v 6',
      data,
      contentType: 'image/png',
      filename: 'a_blue_whale.png',
    });
    const interaction = rightClick(harness, message);
    const final = await interaction.waitForEdit((m) => isSeedReply(m) && m.attachments.length === 4, 15_000);
    expect(seedOf(final)).toBe('77');
    await expectQuadrants(final, { width: 817, height: 1457, format: 'png' });
    expect(final.attachments.map((a) => a.filename)).toEqual([1, 2, 3, 4].map((i) => `seed_77_${i}.png`));
    expect(JSON.stringify(final.components)).not.toContain('paste-jobid');

    // Stored and answered like every other request: done, once.
    const request = await harness.bot.storage.requests.get(`req:${interaction.id}`);
    expect(request?.state).toBe('done');
    expect(request?.jobid).toBe(`message:${message.id}`);
    expect(await harness.bot.storage.openRequests.list(100)).toHaveLength(0);

    // Its copy button reads the stored seed.
    const customId = JSON.stringify(final.components).match(/copy-seed:[^"]+/)?.[0] ?? '';
    expect(customId).toBe(`copy-seed:message:${message.id}`);
    const copy = harness.discord.button({
      customId,
      message: final,
      guildId: GUILD,
      channelId: CHANNEL,
      user: MEMBER,
    });
    const copied = await copy.waitForEdit((m) => m.content !== '', 10_000);
    expect(copied.content).toContain('a blue whale --v 6 --seed 77');
  });

  it('answers /seed with a link or a jobid of a known job from the grid its upstream job names, asking useapi nothing', async () => {
    const harness = await start();
    const data = await makeGrid(1024, 576, 'png');
    const { message } = await gridMessage(harness, {
      prompt: 'a lighthouse in fog --seed 2718 --ar 16:9',
      data,
      contentType: 'image/png',
    });
    // useapi's job names the Midjourney message's own grid (a Discord CDN link), as the real one does; known through
    // its callback. Then useapi goes away: the seed is in the prompt and the images are in the grid.
    const upstreamJob = harness.useapi.addJob({
      verb: 'imagine',
      channel: ACCOUNT_CHANNEL,
      server: GUILD,
      messageId: message.id,
      prompt: 'a lighthouse in fog --seed 2718 --ar 16:9',
      content: message.content,
      seedValue: 1,
    });
    const shown = message.attachments[0];
    if (!shown) throw new Error('the message has no attachment');
    upstreamJob.attachments = [
      { ...(upstreamJob.attachments[0] as FakeAttachment), ...shown, proxy_url: shown.url },
    ];
    await deliverUseapiCallback(harness, upstreamJob);
    await harness.useapi.outage('refuse');
    const before = harness.useapi.requests.length;

    for (const input of [
      `https://discord.com/channels/${GUILD}/${CHANNEL}/${message.id}`,
      upstreamJob.jobid,
    ]) {
      const final = await harness
        .slashSeed(input, MEMBER)
        .waitForEdit((m) => isSeedReply(m) && m.attachments.length === 4, 15_000);
      expect(seedOf(final)).toBe('2718');
      await expectQuadrants(final, { width: 1024, height: 576, format: 'png' });
    }
    expect(harness.useapi.requests.slice(before)).toEqual([]);
  });

  it('shows an upscale as itself', async () => {
    const harness = await start();
    const data = await makeGrid(640, 480, 'png');
    const { message } = await gridMessage(harness, {
      prompt: 'a red fox --seed 5',
      tail: ` - Image #2 <@${MEMBER.id}>`,
      data,
      contentType: 'image/png',
      filename: `member_fox_${UUID}.png`,
    });
    const final = await rightClick(harness, message).waitForEdit(
      (m) => isSeedReply(m) && m.attachments.length > 0,
      15_000,
    );
    expect(seedOf(final)).toBe('5');
    expect(final.attachments).toHaveLength(1);
    const bytes = Buffer.from(await (await fetch(final.attachments[0]?.url ?? '')).arrayBuffer());
    expect(bytes.equals(data)).toBe(true);
  });

  it('links the original with the seed when the attachment cannot be read, and says so', async () => {
    const harness = await start();
    const { message } = await gridMessage(harness, {
      prompt: 'a broken file --seed 9',
      data: Buffer.from('these bytes are no image at all, only a broken upload'),
      contentType: 'image/png',
    });
    const interaction = rightClick(harness, message);
    const final = await interaction.waitForEdit(
      (m) => isSeedReply(m) && !/fetching the four images/.test(description(m)),
      15_000,
    );
    expect(seedOf(final)).toBe('9');
    expect(final.attachments).toHaveLength(0);
    expect(description(final)).toMatch(/could not be attached \(the image could not be read\)/);
    // The original, linked as the one image of the reply.
    const original = message.attachments[0]?.url.split('?')[0] ?? '-';
    expect(galleryImages(final)).toEqual([expect.stringContaining(original)]);
    expect(harness.logText()).toMatch(/could not cut the grid into its images; linking the original/);
    await vi.waitFor(async () =>
      expect((await harness.bot.storage.requests.get(`req:${interaction.id}`))?.state).toBe('done'),
    );
  });
});
