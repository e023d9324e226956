// Right-click "Get seed", /seed with message links and ids, autocomplete and SEED_ACCESS, end to end: the real
// discord.js client logged in to the fake Discord, the fake useapi, a real SQLite file. The job index is fed the way
// production feeds it: useapi callbacks to the bot's HTTP server, and the jobs the bot reads itself.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage, InteractionHandle, InteractionUser } from '../../dev/fakes/fake-discord.js';
import type { FakeAttachment, FakeJob } from '../../dev/fakes/fake-useapi.js';
import { makeGrid } from '../../dev/fakes/grid-image.js';
import {
  ACCOUNT_CHANNEL,
  CHANNEL,
  deliverUseapiCallback,
  GUILD,
  type Harness,
  isSeedReply,
  MEMBER,
  MIDJOURNEY_BOT,
  MODERATOR,
  OTHER_GUILD,
  OTHER_MEMBER,
  openPasteModal,
  privateAnswer,
  startHarness,
  uniqueId,
} from '../helpers/harness.js';

const SECRET = 'get-seed-test-callback-secret-0123456789';
const SEED_ASYNC = '/v2/jobs/seed_async';
const EPHEMERAL = 64;

let h: Harness;

async function start(env: Record<string, string> = {}) {
  h = await startHarness({ env: { CALLBACK_SECRET: SECRET, ...env } });
  return h;
}
afterEach(async () => {
  await h?.stop();
});

interface OutputOptions {
  prompt?: string;
  seedValue?: number;
  verb?: string;
  /** Text after the prompt (default ` - <@member> (fast)`). */
  tail?: string;
  owner?: string;
  children?: FakeJob['children'];
  parentJobId?: string;
  button?: string;
  /** The Discord message only: overrides what it shows. */
  message?: {
    embeds?: unknown[];
    attachments?: { filename: string; content_type?: string; data?: Buffer }[];
    messageReference?: unknown;
    guildId?: string;
    channelId?: string;
  };
}

/** A completed job at the fake useapi and the Midjourney message in Discord that shows it (same id, same file). */
function midjourneyOutput(o: OutputOptions = {}): { job: FakeJob; message: FakeMessage } {
  const messageId = uniqueId('7');
  const prompt = o.prompt ?? `a lighthouse at dusk ${messageId}`;
  const content = `**${prompt}**${o.tail ?? ` - <@${o.owner ?? MEMBER.id}> (fast)`}`;
  const job = h.useapi.addJob({
    verb: o.verb ?? 'imagine',
    channel: ACCOUNT_CHANNEL,
    server: o.message?.guildId ?? GUILD,
    messageId,
    prompt,
    content,
    seedValue: o.seedValue,
    children: o.children,
    parentJobId: o.parentJobId,
    button: o.button,
  });
  const message = h.discord.makeMessage({
    id: messageId,
    channelId: o.message?.channelId ?? CHANNEL,
    guildId: o.message?.guildId ?? GUILD,
    author: { id: MIDJOURNEY_BOT, username: 'Midjourney Bot', bot: true },
    content,
    embeds: o.message?.embeds,
    attachments: o.message?.attachments ?? [
      { filename: job.attachments[0]?.filename ?? 'grid.png', content_type: 'image/png' },
    ],
    messageReference: o.message?.messageReference,
  });
  return { job, message };
}

function rightClick(target: FakeMessage | Record<string, unknown>, user: InteractionUser = MEMBER) {
  return h.discord.messageCommand({ name: 'Get seed', target, guildId: GUILD, channelId: CHANNEL, user });
}

const bodyOf = (event: { body: unknown }) =>
  (event.body as { data?: { content?: string; flags?: number; components?: unknown[] } }).data ?? {};
const seedOf = (m: FakeMessage | undefined) =>
  /`--seed (\d+)`/.exec((m?.embeds[0] as { description?: string } | undefined)?.description ?? '')?.[1];

/** The jobid the bot sent to seed_async. */
const seedAsyncJobid = () =>
  (h.useapi.requests.find((r) => r.path === SEED_ASYNC)?.body as { jobid?: string } | undefined)?.jobid;

/** A refusal only the member sees (at once, or after the acknowledgement), nothing upstream. */
async function expectRefusal(interaction: InteractionHandle, text: RegExp) {
  const reply = await privateAnswer(interaction);
  expect(reply.content).toMatch(text);
  expect(h.useapi.count('POST', SEED_ASYNC)).toBe(0);
}

describe('right-click → Apps → Get seed', () => {
  it('answers privately for an indexed message with the seed and the four images', async () => {
    await start();
    const { job, message } = midjourneyOutput({ seedValue: 1234567890, prompt: 'a red fox in snow' });
    await deliverUseapiCallback(h, job);
    const interaction = rightClick(message);
    const ack = await interaction.waitForCallback();
    expect(ack.type).toBe(5);
    expect((bodyOf(ack).flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
    const final = await interaction.waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('1234567890');
    expect(final.attachments).toHaveLength(4);
    expect(JSON.stringify(final.embeds)).toContain(job.jobid);
    expect(h.useapi.count('POST', SEED_ASYNC)).toBe(1);
    expect(h.discord.violations).toEqual([]);
  });

  it('finds the job from a jobid written in the embed footer', async () => {
    await start();
    const { job, message } = midjourneyOutput({ seedValue: 31337 });
    const shown = h.discord.makeMessage({
      channelId: CHANNEL,
      guildId: GUILD,
      author: { id: MIDJOURNEY_BOT, bot: true },
      content: message.content,
      embeds: [{ title: 'Imagine', footer: { text: `jobid ${job.jobid}` } }],
      attachments: [{ filename: 'grid_0.png', content_type: 'image/png' }],
    });
    const final = await rightClick(shown).waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('31337');
    expect(seedAsyncJobid()).toBe(job.jobid);
  });

  it('finds the job of an unindexed upscale through its indexed parent grid', async () => {
    await start();
    const upscaleJobid = `job:20241218021941${uniqueId('').slice(-3)}-user:1308-channel:${ACCOUNT_CHANNEL}-bot:midjourney`;
    const grid = midjourneyOutput({ seedValue: 111, children: [{ button: 'U2', jobid: upscaleJobid }] });
    h.useapi.addJob({
      jobid: upscaleJobid,
      verb: 'button',
      button: 'U2',
      channel: ACCOUNT_CHANNEL,
      server: GUILD,
      parentJobId: grid.job.jobid,
      seedValue: 111,
    });
    await deliverUseapiCallback(h, grid.job);
    const upscale = h.discord.makeMessage({
      channelId: CHANNEL,
      guildId: GUILD,
      author: { id: MIDJOURNEY_BOT, bot: true },
      content: `**${grid.job.prompt}** - Image #2 <@${MEMBER.id}>`,
      attachments: [{ filename: 'fakeuser_upscale.png', content_type: 'image/png' }],
      messageReference: { message_id: grid.message.id, channel_id: CHANNEL, guild_id: GUILD },
    });
    const final = await rightClick(upscale).waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('111');
    expect(seedAsyncJobid()).toBe(upscaleJobid);
  });

  it('falls back to the parent grid (same seed) for an upscale the grid does not list', async () => {
    await start();
    const grid = midjourneyOutput({ seedValue: 222 });
    await deliverUseapiCallback(h, grid.job);
    const upscale = h.discord.makeMessage({
      channelId: CHANNEL,
      guildId: GUILD,
      author: { id: MIDJOURNEY_BOT, bot: true },
      content: `**${grid.job.prompt}** - Image #3 <@${MEMBER.id}>`,
      attachments: [{ filename: 'fakeuser_upscale.png', content_type: 'image/png' }],
      messageReference: { message_id: grid.message.id, channel_id: CHANNEL, guild_id: GUILD },
    });
    const final = await rightClick(upscale).waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('222');
    expect(seedAsyncJobid()).toBe(grid.job.jobid);
  });

  it('refuses a message by a normal user', async () => {
    await start();
    const message = h.discord.makeMessage({
      channelId: CHANNEL,
      guildId: GUILD,
      author: { id: OTHER_MEMBER.id, username: 'other' },
      content: 'look at my cat',
      attachments: [{ filename: 'cat.png', content_type: 'image/png' }],
    });
    await expectRefusal(rightClick(message), /isn't a Midjourney output/);
  });

  it('explains that a video has no seed', async () => {
    await start();
    const { message } = midjourneyOutput({
      verb: 'video',
      message: { attachments: [{ filename: 'fakeuser_fox_video.mp4', content_type: 'video/mp4' }] },
    });
    await expectRefusal(rightClick(message), /not for video jobs/);
  });

  it('explains a Midjourney message without an image', async () => {
    await start();
    const message = h.discord.makeMessage({
      channelId: CHANNEL,
      guildId: GUILD,
      author: { id: MIDJOURNEY_BOT, bot: true },
      content: `**a fox** - <@${MEMBER.id}> (Waiting to start)`,
    });
    await expectRefusal(rightClick(message), /no image yet/);
  });

  describe('an unknown message', () => {
    async function openModal(message: FakeMessage) {
      const interaction = rightClick(message);
      const reply = await privateAnswer(interaction);
      expect(reply.content).toMatch(/could not find the useapi job.*I have not seen this job/);
      const { customId, modal } = await openPasteModal(h, interaction.original());
      expect(customId).toBe(`paste-jobid:${message.id}`);
      expect(modal.type).toBe(9);
      return `paste-jobid:${message.id}`;
    }

    it('takes a pasted jobid whose message is this one, indexes it and answers', async () => {
      await start();
      const { job, message } = midjourneyOutput({ seedValue: 9090 });
      const customId = await openModal(message);
      const submit = h.discord.modalSubmit({
        customId,
        // As copied from some clients: a word joiner, a zero-width space, curly quotes and a prefix.
        fields: { jobid: `\u2060jobid: “${job.jobid}”\u200B` },
        guildId: GUILD,
        channelId: CHANNEL,
        user: MEMBER,
      });
      const ack = await submit.waitForCallback();
      expect(ack.type).toBe(5);
      expect((bodyOf(ack).flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
      const final = await submit.waitForEdit(isSeedReply, 15_000);
      expect(seedOf(final)).toBe('9090');
      // The next right-click on it is resolved by the index (and answered from storage).
      const again = await rightClick(message, OTHER_MEMBER).waitForEdit(isSeedReply, 10_000);
      expect(seedOf(again)).toBe('9090');
      expect(h.useapi.count('POST', SEED_ASYNC)).toBe(1);
    });

    it('refuses a pasted jobid of another message', async () => {
      await start();
      const { message } = midjourneyOutput();
      const other = midjourneyOutput();
      const customId = await openModal(message);
      const submit = h.discord.modalSubmit({
        customId,
        fields: { jobid: other.job.jobid },
        guildId: GUILD,
        channelId: CHANNEL,
        user: MEMBER,
      });
      const refusal = await submit.waitForEdit((m) => m.content !== '', 10_000);
      expect(refusal.content).toMatch(/belongs to another message/);
      expect((refusal.flags ?? 0) & EPHEMERAL).toBe(EPHEMERAL);
      expect(h.useapi.count('POST', SEED_ASYNC)).toBe(0);
      expect(await h.bot.services.index.byMessage(message.id, GUILD)).toBeUndefined();
    });

    it('refuses pasted text that is not a jobid without asking useapi', async () => {
      await start();
      const { message } = midjourneyOutput();
      const customId = await openModal(message);
      const before = h.useapi.requests.length;
      const submit = h.discord.modalSubmit({
        customId,
        fields: { jobid: 'my fox picture please' },
        guildId: GUILD,
        channelId: CHANNEL,
        user: MEMBER,
      });
      await expectRefusal(submit, /not a useapi jobid/);
      expect(h.useapi.requests.length).toBe(before);
    });
  });
});

describe('/seed with a message link or id', () => {
  const slash = (job: string, user: InteractionUser = MEMBER) => h.slashSeed(job, user);

  it('reads a linked message it has not indexed and, as Discord hides its content, offers right-click or the jobid', async () => {
    // A bot without the privileged Message Content intent reads other people's messages without content, embeds or
    // attachments (the fake Discord does as Discord does): only the index can say which job such a link shows.
    await start();
    const { job, message } = midjourneyOutput({ seedValue: 5150 });
    const shown = h.discord.makeMessage({
      channelId: CHANNEL,
      guildId: GUILD,
      author: { id: MIDJOURNEY_BOT, bot: true },
      content: message.content,
      embeds: [{ description: `Job \`${job.jobid}\`` }],
      attachments: [{ filename: 'grid.png', content_type: 'image/png' }],
    });
    const interaction = slash(`https://ptb.discord.com/channels/${GUILD}/${CHANNEL}/${shown.id}`);
    const reply = await privateAnswer(interaction);
    expect(reply.content).toMatch(/did not show me what this message contains; right-click it/);
    expect(JSON.stringify(reply.components)).toContain(`paste-jobid:${shown.id}`);
    expect(
      h.discord.rest.some(
        (r) => r.method === 'GET' && r.path === `/channels/${CHANNEL}/messages/${shown.id}`,
      ),
    ).toBe(true);
    expect(h.useapi.count('POST', SEED_ASYNC)).toBe(0);
  });

  it('resolves a link to an indexed message without reading it', async () => {
    await start();
    const { job, message } = midjourneyOutput({ seedValue: 6006 });
    await deliverUseapiCallback(h, job);
    const final = await slash(`https://discord.com/channels/${GUILD}/${CHANNEL}/${message.id}`).waitForEdit(
      isSeedReply,
      15_000,
    );
    expect(seedOf(final)).toBe('6006');
    expect(h.discord.rest.some((r) => r.path.includes(`/messages/${message.id}`))).toBe(false);
  });

  it('refuses a link into another server', async () => {
    await start();
    const { message } = midjourneyOutput({
      message: { guildId: OTHER_GUILD, channelId: '899999999999999999' },
    });
    await expectRefusal(
      slash(`https://discord.com/channels/${OTHER_GUILD}/899999999999999999/${message.id}`),
      /another server/,
    );
  });

  it('resolves a bare message id in this channel through the index', async () => {
    await start();
    const { job, message } = midjourneyOutput({ seedValue: 7007 });
    await deliverUseapiCallback(h, job);
    const interaction = slash(message.id);
    const final = await interaction.waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('7007');
    // /seed answers publicly unless asked otherwise.
    const ack = interaction.events.find((e) => e.kind === 'callback');
    expect(((ack && bodyOf(ack).flags) ?? 0) & EPHEMERAL).toBe(0);
  });

  it('says so when the message id is not in this channel', async () => {
    await start();
    await expectRefusal(slash('1399999999999999999'), /no message with that id in this channel/);
  });

  it('refuses a link to a message by a normal user', async () => {
    await start();
    const message = h.discord.makeMessage({
      channelId: CHANNEL,
      guildId: GUILD,
      author: { id: OTHER_MEMBER.id },
      content: 'hi',
      attachments: [{ filename: 'cat.png', content_type: 'image/png' }],
    });
    await expectRefusal(
      slash(`https://discord.com/channels/${GUILD}/${CHANNEL}/${message.id}`),
      /isn't a Midjourney/,
    );
  });
});

describe('autocomplete on /seed job', () => {
  it('offers recent jobs of this server, labelled with prompt and age, filtered by what is typed', async () => {
    await start();
    const fox = midjourneyOutput({ prompt: 'a red fox in snow' });
    const whale = midjourneyOutput({ prompt: 'a blue whale at night' });
    const elsewhere = midjourneyOutput({ prompt: 'a red fox elsewhere', message: { guildId: OTHER_GUILD } });
    for (const o of [fox, whale, elsewhere]) await deliverUseapiCallback(h, o.job);
    const before = h.useapi.requests.length;

    const ask = (value: string) =>
      h.discord.autocomplete({
        name: 'seed',
        options: [{ name: 'job', type: 3, value, focused: true }],
        guildId: GUILD,
        channelId: CHANNEL,
        user: MEMBER,
      });
    const choicesOf = async (interaction: InteractionHandle) => {
      const answer = await interaction.waitForCallback();
      expect(answer.type).toBe(8);
      expect(answer.at - interaction.sentAt).toBeLessThan(3_000);
      return (answer.body as { data: { choices: { name: string; value: string }[] } }).data.choices;
    };

    const all = await choicesOf(ask(''));
    expect(all.map((c) => c.value)).toEqual([whale.job.jobid, fox.job.jobid]);
    expect(all[1]?.name).toMatch(/^a red fox in snow · \d+ sec\. ago$/);
    const typed = await choicesOf(ask('FOX'));
    expect(typed.map((c) => c.value)).toEqual([fox.job.jobid]);
    expect(h.useapi.requests.length).toBe(before);
    expect(h.discord.violations).toEqual([]);
  });
});

describe('SEED_ACCESS', () => {
  it('owner: refuses someone else’s image, and serves its owner', async () => {
    await start({ SEED_ACCESS: 'owner' });
    const { job, message } = midjourneyOutput({ seedValue: 4444 });
    await deliverUseapiCallback(h, job);
    await expectRefusal(rightClick(message, OTHER_MEMBER), /Only the member who made this image/);
    await expectRefusal(h.slashSeed(job.jobid, OTHER_MEMBER), /Only the member who made this image/);
    const final = await rightClick(message, MEMBER).waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('4444');
  });

  it('owner: refuses a bare jobid whose owner the bot does not know, without asking useapi', async () => {
    await start({ SEED_ACCESS: 'owner' });
    const { job } = midjourneyOutput();
    await expectRefusal(h.slashSeed(job.jobid, MEMBER), /can't tell who made this one/);
    expect(h.useapi.requests.length).toBe(0);
  });

  it('owner: does not offer the paste button to someone else', async () => {
    await start({ SEED_ACCESS: 'owner' });
    const { message } = midjourneyOutput();
    await expectRefusal(rightClick(message, OTHER_MEMBER), /Only the member who made this image/);
  });

  it('moderators: refuses members and serves moderators', async () => {
    await start({ SEED_ACCESS: 'moderators' });
    const { job, message } = midjourneyOutput({ seedValue: 5555 });
    await deliverUseapiCallback(h, job);
    await expectRefusal(rightClick(message, MEMBER), /Only moderators/);
    const final = await rightClick(message, MODERATOR).waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final)).toBe('5555');
  });
});

describe('fast path: --seed N already in the prompt', () => {
  it('/seed by jobid of a known job: the seed from its prompt, the four images cut from its own grid, no seed job', async () => {
    // The index keeps the job's own image (its grid, as useapi's job names it), so a jobid is as good as a
    // right-click (test/e2e/grid.test.ts measures the cut images).
    await start();
    const data = await makeGrid(600, 400, 'png');
    const { job, message } = midjourneyOutput({
      prompt: 'a red fox in snow --seed 4242 --ar 3:2',
      seedValue: 4242,
      message: { attachments: [{ filename: 'member_fox_grid.png', content_type: 'image/png', data }] },
    });
    // useapi's job names the message's own grid, a Discord CDN link, as the real one does.
    const grid = message.attachments[0];
    if (!grid) throw new Error('the message has no attachment');
    job.attachments = [{ ...(job.attachments[0] as FakeAttachment), ...grid, proxy_url: grid.url }];
    await deliverUseapiCallback(h, job);
    const interaction = h.slashSeed(job.jobid);
    const final = await interaction.waitForEdit((m) => isSeedReply(m) && m.attachments.length === 4, 15_000);
    expect(seedOf(final)).toBe('4242');
    // The seed never left the reply once shown, and useapi was never asked for a seed.
    for (const edit of interaction.events.filter((e) => e.kind === 'edit'))
      expect(JSON.stringify(edit.body)).toContain('--seed 4242');
    expect(h.useapi.count('POST', SEED_ASYNC)).toBe(0);
  });

  it('answers an unknown message from its prompt and its own image, without the paste button or useapi', async () => {
    await start();
    const { message } = midjourneyOutput({ prompt: 'a blue whale --seed 77 --v 6' });
    const final = await rightClick(message).waitForEdit(
      (m) => isSeedReply(m) && !/fetching the four images/.test(JSON.stringify(m.embeds)),
      15_000,
    );
    expect(seedOf(final)).toBe('77');
    expect(JSON.stringify(final.components)).not.toContain('paste-jobid');
    expect(h.useapi.count('POST', SEED_ASYNC)).toBe(0);
  });
});
