// The fake Discord against the real discord.js Client: if these pass, end-to-end tests of the bot exercise the same
// discord.js code paths as production (gateway handlers, REST routing, multipart uploads, error mapping).
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type APIMessage,
  AttachmentBuilder,
  Client,
  type ClientOptions,
  DiscordAPIError,
  EmbedBuilder,
  Events,
  GatewayIntentBits,
  type Interaction,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  REST,
  Routes,
  type TextChannel,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { afterEach, describe, expect, it } from 'vitest';
import { pngBytes } from '../../dev/fakes/cdn.js';
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  type FakeGuild,
  startFakeDiscord,
} from '../../dev/fakes/fake-discord.js';

const GUILD_ID = '1180000000000000001';
const CHANNEL_ID = '1180000000000000010';
const LOCKED_CHANNEL_ID = '1180000000000000011';
const MIDJOURNEY_BOT = '936929561302675456';
const USER = { id: '1180000000000000100', username: 'alice' };
const GUILD: FakeGuild = {
  id: GUILD_ID,
  name: 'Test server',
  preferredLocale: 'de',
  channels: [
    { id: CHANNEL_ID, name: 'midjourney' },
    { id: LOCKED_CHANNEL_ID, name: 'announcements', botCanSend: false },
  ],
};
const target = { guildId: GUILD_ID, channelId: CHANNEL_ID, user: USER };

let fake: FakeDiscord | undefined;
const clients: Client[] = [];

const start = async (options?: FakeDiscordOptions, guilds: FakeGuild[] = [GUILD]): Promise<FakeDiscord> => {
  fake = await startFakeDiscord(options);
  for (const g of guilds) fake.addGuild(g);
  return fake;
};

const connect = async (f: FakeDiscord, options: Partial<ClientOptions> = {}): Promise<Client> => {
  const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: f.apiUrl }, ...options });
  clients.push(client);
  const ready = once(client, Events.ClientReady);
  await client.login(f.token);
  await ready;
  return client;
};

/** Runs handler on the next interaction the client receives; resolves with what it returns. */
const onNextInteraction = <T>(client: Client, handler: (i: Interaction) => Promise<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    client.once(Events.InteractionCreate, (i) => {
      handler(i).then(resolve, reject);
    });
  });

const caught = async (work: () => Promise<unknown>): Promise<unknown> => {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
};

afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.destroy()));
  await fake?.close();
  fake = undefined;
});

describe('fake Discord with a real discord.js Client', () => {
  it('logs the client in and gives it the guild, its channels and its locale', async () => {
    const f = await start();
    const client = await connect(f);

    expect(client.user?.id).toBe(f.botUserId);
    expect(client.application?.id).toBe(f.applicationId);
    const guild = client.guilds.cache.get(GUILD_ID);
    expect(guild?.name).toBe('Test server');
    expect(guild?.preferredLocale).toBe('de');
    expect(guild?.channels.cache.get(CHANNEL_ID)?.isTextBased()).toBe(true);
    expect(guild?.members.me?.permissionsIn(LOCKED_CHANNEL_ID).has('SendMessages')).toBe(false);
    expect(f.sessions()).toMatchObject([{ shard: [0, 1], connected: true }]);
    await f.waitForReady();
  });

  it('refuses a wrong bot token with TokenInvalid', async () => {
    const f = await start();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: f.apiUrl } });
    clients.push(client);

    await expect(client.login('not.the.token')).rejects.toMatchObject({ code: 'TokenInvalid' });
    expect(f.rest.at(-1)).toMatchObject({ method: 'GET', path: '/gateway/bot', status: 401 });
    expect(f.sessions()).toEqual([]);
  });

  it('records a deferred slash command edited with content, an embed and a file', async () => {
    const f = await start();
    const client = await connect(f);
    await client.application?.commands.set(
      [
        {
          name: 'seed',
          description: 'Get the seed',
          options: [{ type: 3, name: 'job', description: 'Job', required: true }],
        },
      ],
      GUILD_ID,
    );
    const [registered] = f.commands({ guildId: GUILD_ID });
    expect(registered).toMatchObject({ name: 'seed', application_id: f.applicationId, guild_id: GUILD_ID });

    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      await i.deferReply();
      await i.editReply({
        content: `job ${i.options.getString('job', true)}`,
        embeds: [new EmbedBuilder().setTitle('Seed 1234').setImage('attachment://grid.png')],
        files: [new AttachmentBuilder(pngBytes(300), { name: 'grid.png' })],
      });
      return {
        commandId: i.commandId,
        locale: i.locale,
        guildLocale: i.guildLocale,
        member: i.member?.user.id,
      };
    });
    const h = f.slash({ name: 'seed', options: [{ name: 'job', value: 'abc' }], ...target, locale: 'fr' });
    const seen = await handled;

    expect(seen).toEqual({
      commandId: (registered as { id: string }).id,
      locale: 'fr',
      guildLocale: 'de',
      member: USER.id,
    });
    expect(h.events.map((e) => [e.kind, e.type])).toEqual([
      ['callback', 5],
      ['edit', undefined],
    ]);
    expect(h.events[1]?.files).toEqual([{ filename: 'grid.png', size: 300, contentType: 'image/png' }]);
    const reply = await h.waitForEdit((m) => m.content === 'job abc');
    const [attachment] = reply.attachments;
    expect(attachment).toMatchObject({ filename: 'grid.png', size: 300, content_type: 'image/png' });
    expect(attachment?.url.startsWith(`${f.origin}/cdn/attachments/${CHANNEL_ID}/`)).toBe(true);
    expect(reply.embeds).toMatchObject([
      { type: 'rich', title: 'Seed 1234', image: { url: attachment?.url } },
    ]);
    const download = await fetch(attachment?.url ?? '');
    expect(download.status).toBe(200);
    expect((await download.arrayBuffer()).byteLength).toBe(300);
    expect(f.violations).toEqual([]);
  });

  it('turns follow-ups into Messages and keeps them on the handle', async () => {
    const f = await start();
    const client = await connect(f);
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      const response = await i.reply({ content: 'first', withResponse: true });
      const followUp = await i.followUp({ content: 'second', flags: MessageFlags.Ephemeral });
      return {
        replyId: response.resource?.message?.id,
        id: followUp.id,
        content: followUp.content,
        ephemeral: followUp.flags.has(MessageFlags.Ephemeral),
      };
    });
    const h = f.slash({ name: 'seed', ...target });
    const followUp = await handled;

    expect(h.original()).toMatchObject({ id: followUp.replyId, content: 'first' });
    expect(h.followups()).toMatchObject([
      { id: followUp.id, content: 'second', flags: MessageFlags.Ephemeral },
    ]);
    expect(followUp).toMatchObject({ content: 'second', ephemeral: true });
    expect(h.events.map((e) => e.kind)).toEqual(['callback', 'followup']);
  });

  it('applies the first follow-up after a public deferral to the deferred message, public; later ones are their own', async () => {
    const f = await start();
    const client = await connect(f);
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      await i.deferReply();
      const first = await i.followUp({ content: 'first', flags: MessageFlags.Ephemeral });
      const second = await i.followUp({ content: 'second', flags: MessageFlags.Ephemeral });
      return { first: first.id, second: second.id };
    });
    const h = f.slash({ name: 'seed', ...target });
    const ids = await handled;

    // Discord ignores the first follow-up's ephemeral flag: it became the public "thinking…" message.
    expect(h.original()).toMatchObject({ id: ids.first, content: 'first', flags: 0 });
    expect(h.seen().others.map((m) => m.content)).toEqual(['first']);
    expect(h.seen().member.map((m) => m.content)).toEqual(['first', 'second']);
    expect(h.followups()).toMatchObject([{ id: ids.second, flags: MessageFlags.Ephemeral }]);
  });

  it('keeps the first follow-up after a private deferral private, and lets a settled deferral be followed publicly', async () => {
    const f = await start();
    const client = await connect(f);
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      await i.deferReply({ flags: MessageFlags.Ephemeral });
      await i.followUp({ content: 'first' });
      await i.followUp({ content: 'second' });
    });
    const h = f.slash({ name: 'seed', ...target });
    await handled;
    expect(h.seen().member.map((m) => m.content)).toEqual(['first', 'second']);
    expect(h.seen().others.map((m) => m.content)).toEqual(['second']);
  });

  it('gives a message context menu its target message with the attachments', async () => {
    const f = await start();
    const client = await connect(f);
    const message = f.makeMessage({
      channelId: CHANNEL_ID,
      author: { id: MIDJOURNEY_BOT, username: 'Midjourney Bot', bot: true },
      content: '**a lighthouse** - <@1180000000000000100> (fast)',
      attachments: [{ filename: 'grid.png', content_type: 'image/png', width: 2048, height: 2048 }],
    });
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isMessageContextMenuCommand()) throw new Error('expected a message context menu');
      await i.reply({ content: 'ok', flags: MessageFlags.Ephemeral });
      const m = i.targetMessage;
      return {
        id: m.id,
        author: m.author.id,
        url: m.attachments.first()?.url,
        width: m.attachments.first()?.width,
      };
    });
    f.messageCommand({ name: 'Get seed', target: message, ...target });

    expect(await handled).toEqual({
      id: message.id,
      author: MIDJOURNEY_BOT,
      url: message.attachments[0]?.url,
      width: 2048,
    });
  });

  it('records the choices an autocomplete handler responds with', async () => {
    const f = await start();
    const client = await connect(f);
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isAutocomplete()) throw new Error('expected autocomplete');
      const focused = i.options.getFocused(true);
      await i.respond([{ name: `job ${focused.value}`, value: focused.value }]);
    });
    const h = f.autocomplete({
      name: 'seed',
      options: [{ name: 'job', value: 'ab', focused: true }],
      ...target,
    });
    await handled;

    expect(h.events).toMatchObject([
      { kind: 'callback', type: 8, body: { type: 8, data: { choices: [{ name: 'job ab', value: 'ab' }] } } },
    ]);
  });

  it('updates the message of a button, and replies to another button', async () => {
    const f = await start();
    const client = await connect(f);
    const posted = f.makeMessage({
      channelId: CHANNEL_ID,
      author: { id: f.botUserId, username: 'mj-seed-bot', bot: true },
      content: 'pick one',
      components: [
        {
          type: 1,
          components: [
            { type: 2, style: 1, custom_id: 'upscale:1', label: 'U1' },
            { type: 2, style: 2, custom_id: 'info', label: 'Info' },
          ],
        },
      ],
    });
    const seenMessages: string[] = [];
    client.on(Events.InteractionCreate, async (i) => {
      if (!i.isButton()) return;
      seenMessages.push(i.message.id);
      if (i.customId === 'upscale:1') await i.update({ content: 'upscaled', components: [] });
      else await i.reply({ content: 'details', flags: MessageFlags.Ephemeral });
    });

    const update = f.button({ customId: 'upscale:1', message: posted, ...target });
    const updated = await update.waitForEdit((m) => m.content === 'upscaled');
    expect(updated).toMatchObject({ id: posted.id, components: [] });
    const reply = f.button({ customId: 'info', message: updated, ...target });
    expect(await reply.waitForCallback()).toMatchObject({ type: 4 });
    expect(reply.original()).toMatchObject({ content: 'details', flags: MessageFlags.Ephemeral });
    expect(seenMessages).toEqual([posted.id, posted.id]);
  });

  it('records a modal the bot shows and delivers its submission', async () => {
    const f = await start();
    const client = await connect(f);
    const shown = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      await i.showModal(
        new ModalBuilder()
          .setCustomId('prompt-modal')
          .setTitle('Prompt')
          .addLabelComponents(
            new LabelBuilder()
              .setLabel('Prompt')
              .setTextInputComponent(
                new TextInputBuilder().setCustomId('prompt').setStyle(TextInputStyle.Paragraph),
              ),
          ),
      );
    });
    const command = f.slash({ name: 'imagine', ...target });
    await shown;
    expect(await command.waitForCallback()).toMatchObject({
      type: 9,
      body: { data: { custom_id: 'prompt-modal' } },
    });

    const submitted = onNextInteraction(client, async (i) => {
      if (!i.isModalSubmit()) throw new Error('expected a modal submission');
      const prompt = i.fields.getTextInputValue('prompt');
      await i.reply({ content: `got ${prompt}` });
      return prompt;
    });
    const submit = f.modalSubmit({ customId: 'prompt-modal', fields: { prompt: 'a red fox' }, ...target });

    expect(await submitted).toBe('a red fox');
    expect(submit.original()?.content).toBe('got a red fox');
  });

  it('answers a second acknowledgement with 40060', async () => {
    const f = await start();
    const client = await connect(f);
    const handled = onNextInteraction(client, async (i) => {
      await (i.isChatInputCommand() ? i.deferReply() : Promise.reject(new Error('expected a command')));
      return caught(() =>
        client.rest.post(Routes.interactionCallback(i.id, i.token), { body: { type: 5 }, auth: false }),
      );
    });
    f.slash({ name: 'seed', ...target });

    expect(await handled).toMatchObject({ code: 40060, status: 400 });
  });

  it('answers 10062 Unknown interaction when the acknowledgement comes after the deadline', async () => {
    const f = await start({ ackDeadlineMs: 50 });
    const client = await connect(f);
    const handled = onNextInteraction(client, async (i) => {
      await sleep(120); // a handler too slow to acknowledge in time
      return caught(() => (i.isChatInputCommand() ? i.deferReply() : Promise.resolve()));
    });
    const h = f.slash({ name: 'seed', ...target });

    const error = await handled;
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({ code: 10062, status: 404 });
    expect(h.events).toEqual([]);
  });

  it('fails editReply with 50027 once the interaction token has expired', async () => {
    const f = await start();
    const client = await connect(f);
    let release = (): void => {};
    const expired = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      await i.deferReply();
      await expired;
      return caught(() => i.editReply('too late'));
    });
    const h = f.slash({ name: 'seed', ...target });
    await h.waitForCallback();
    h.expire();
    release();

    expect(await handled).toMatchObject({ code: 50027, status: 401 });
    expect(h.original()?.content).toBe('');
  });

  it('records messages the bot posts in channels and DMs, and refuses channels it may not post in', async () => {
    const f = await start();
    const client = await connect(f);
    const raw = (await client.rest.post(Routes.channelMessages(CHANNEL_ID), {
      body: { content: 'hello' },
    })) as APIMessage;
    const channel = client.channels.cache.get(CHANNEL_ID) as TextChannel;
    const sent = await channel.send({
      content: 'with a file',
      files: [new AttachmentBuilder(pngBytes(256), { name: 'a.png' })],
    });

    expect(f.channelMessages(CHANNEL_ID)).toMatchObject([
      { id: raw.id, content: 'hello', author: { id: f.botUserId } },
      { id: sent.id, content: 'with a file', attachments: [{ filename: 'a.png', size: 256 }] },
    ]);
    const dm = await client.users.send(USER.id, 'a private note');
    expect(f.dmMessages(USER.id)).toMatchObject([{ id: dm.id, content: 'a private note' }]);
    expect(f.rest.filter((r) => r.path === `/channels/${CHANNEL_ID}/messages`).map((r) => r.status)).toEqual([
      200, 200,
    ]);
    expect(
      await caught(() =>
        client.rest.post(Routes.channelMessages(LOCKED_CHANNEL_ID), { body: { content: 'x' } }),
      ),
    ).toMatchObject({ code: 50013, status: 403 });
  });

  it('resumes the session when heartbeat acks stop arriving', async () => {
    const f = await start({ heartbeatIntervalMs: 100 });
    const client = await connect(f);
    const [before] = f.sessions();

    f.dropHeartbeatAcks(true);
    await once(client, Events.ShardResume);
    f.dropHeartbeatAcks(false);

    expect(f.sessions()).toMatchObject([{ sessionId: before?.sessionId, resumes: 1, connected: true }]);
    const handled = onNextInteraction(client, async (i) => {
      if (i.isChatInputCommand()) await i.reply('still here');
    });
    const h = f.slash({ name: 'seed', ...target });
    await handled;
    expect(h.original()?.content).toBe('still here');
  });

  it('replays an interaction sent while the connection was down once the client resumes', async () => {
    const f = await start();
    const client = await connect(f);
    client.on(Events.InteractionCreate, async (i) => {
      if (i.isChatInputCommand()) await i.reply('replayed');
    });
    const closed = once(client, Events.ShardReconnecting);
    f.disconnectAll();
    await closed;
    const h = f.slash({ name: 'seed', ...target });
    const [, replayed] = await once(client, Events.ShardResume);

    expect(replayed).toBeGreaterThanOrEqual(1);
    expect((await h.waitForCallback()).type).toBe(4);
    expect(f.sessions()).toMatchObject([{ resumes: 1 }]);
  });

  it('routes each guild to the client identified as its shard', async () => {
    // shard = (guild_id >> 22) % 2
    const guildA = (250_000_000_000n << 22n).toString();
    const guildB = (250_000_000_001n << 22n).toString();
    const f = await start({ shards: 2 }, [
      { id: guildA, channels: [{ id: '1180000000000000020' }] },
      { id: guildB, channels: [{ id: '1180000000000000021' }] },
    ]);
    const shard0 = await connect(f, { shards: 0, shardCount: 2 });
    const shard1 = await connect(f, { shards: 1, shardCount: 2 });
    expect([...shard0.guilds.cache.keys()]).toEqual([guildA]);
    expect([...shard1.guilds.cache.keys()]).toEqual([guildB]);

    const seen: string[] = [];
    for (const [name, client] of [
      ['shard0', shard0],
      ['shard1', shard1],
    ] as const) {
      client.on(Events.InteractionCreate, async (i) => {
        seen.push(`${name}:${i.guildId}`);
        if (i.isChatInputCommand()) await i.reply(name);
      });
    }
    const a = f.slash({ name: 'seed', guildId: guildA, channelId: '1180000000000000020', user: USER });
    const b = f.slash({ name: 'seed', guildId: guildB, channelId: '1180000000000000021', user: USER });
    await Promise.all([a.waitForCallback(), b.waitForCallback()]);

    expect(seen.sort()).toEqual([`shard0:${guildA}`, `shard1:${guildB}`]);
    expect(f.sessions().map((s) => s.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
  });

  it('alternates interactions between two processes identified as the same shard', async () => {
    const f = await start();
    const first = await connect(f);
    const second = await connect(f);
    await f.waitForReady({ count: 2 });
    const counts = new Map<Client, number>();
    for (const client of [first, second]) {
      client.on(Events.InteractionCreate, async (i) => {
        counts.set(client, (counts.get(client) ?? 0) + 1);
        if (i.isChatInputCommand()) await i.reply('ok');
      });
    }
    const handles = [1, 2, 3, 4].map(() => f.slash({ name: 'seed', ...target }));
    await Promise.all(handles.map((h) => h.waitForCallback()));
    const pinned = f.slash({ name: 'seed', ...target, session: 1 });
    await pinned.waitForCallback();

    expect([counts.get(first), counts.get(second)]).toEqual([2, 3]);
  });

  it('refuses 11 embeds with 50035 Invalid Form Body and records the violation', async () => {
    const f = await start();
    const client = await connect(f);
    const handled = onNextInteraction(client, async (i) => {
      if (!i.isChatInputCommand()) throw new Error('expected a chat input command');
      await i.deferReply();
      const embeds = Array.from({ length: 11 }, (_, n) => new EmbedBuilder().setTitle(`embed ${n}`));
      return caught(() => i.editReply({ embeds }));
    });
    const h = f.slash({ name: 'seed', ...target });

    const error = await handled;
    expect(error).toBeInstanceOf(DiscordAPIError);
    expect(error).toMatchObject({
      code: 50035,
      status: 400,
      rawError: { errors: { embeds: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH' }] } } },
    });
    expect(f.violations).toEqual([
      'PATCH /webhooks/:app/:token/messages/:message: embeds: Must be 10 or fewer in length. (got 11)',
    ]);
    expect(h.events.map((e) => e.kind)).toEqual(['callback']);
  });
});

describe('fake Discord REST rules', () => {
  it('checks every limit of a message, not only the first broken one', async () => {
    const f = await start();
    const rest = new REST({ api: f.apiUrl }).setToken(f.token);
    const error = await caught(() =>
      rest.post(Routes.channelMessages(CHANNEL_ID), {
        body: {
          content: 'x'.repeat(2001),
          embeds: [
            { title: 't'.repeat(257), fields: [{ name: 'n', value: '' }], description: 'd'.repeat(4096) },
          ],
          components: [
            { type: 1, components: [{ type: 2, style: 1, custom_id: 'c'.repeat(101), label: 'go' }] },
          ],
        },
      }),
    );

    expect(error).toMatchObject({ code: 50035 });
    expect(f.violations.map((v) => v.replace(/^POST \/channels\/:channel\/messages: /, ''))).toEqual([
      'content: Must be 2000 or fewer in length. (got 2001)',
      'embeds[0].title: Must be 256 or fewer in length. (got 257)',
      'embeds[0].fields[0].value: This field is required',
      'components[0].components[0].custom_id: Must be between 1 and 100 in length. (got 101)',
    ]);
    expect(f.channelMessages(CHANNEL_ID)).toEqual([]);
  });

  it('refreshes CDN links with a fresh signature for a bot token only', async () => {
    const f = await start();
    const rest = new REST({ api: f.apiUrl }).setToken(f.token);
    const original = 'https://cdn.discordapp.com/attachments/1/2/grid.png?ex=1&is=1&hm=00';
    const answer = (await rest.post('/attachments/refresh-urls', {
      body: { attachment_urls: [original] },
    })) as {
      refreshed_urls: { original: string; refreshed: string }[];
    };

    const [entry] = answer.refreshed_urls;
    expect(entry?.original).toBe(original);
    const ex = Number.parseInt(new URL(entry?.refreshed ?? '').searchParams.get('ex') ?? '0', 16);
    expect(ex).toBeGreaterThan(Date.now() / 1000 + 23 * 3600);
    const anonymous = await fetch(`${f.apiUrl}/v10/attachments/refresh-urls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ attachment_urls: [original] }),
    });
    expect(anonymous.status).toBe(401);
  });

  it('answers unknown routes with 404 and lists them', async () => {
    const f = await start();
    const response = await fetch(`${f.apiUrl}/v10/guilds/${GUILD_ID}/bans`, {
      headers: { authorization: `Bot ${f.token}` },
    });

    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ message: '404: Not Found', code: 0 });
    expect(f.unknownRoutes).toEqual([`GET /guilds/${GUILD_ID}/bans`]);
  });
});

describe("fake Discord against Discord's OpenAPI spec", () => {
  it('refuses a numeric attachment id (the spec wants a snowflake string) and records it', async () => {
    const f = await start();
    const rest = new REST({ api: f.apiUrl }).setToken(f.token);
    const error = await caught(() =>
      rest.post(Routes.channelMessages(CHANNEL_ID), {
        body: { content: 'images', attachments: [{ id: 0, filename: 'a.png' }] },
        files: [{ name: 'a.png', data: pngBytes(64), contentType: 'image/png' }],
      }),
    );

    expect(error).toMatchObject({ code: 50035, status: 400 });
    expect(f.violations).toEqual([
      "POST /channels/:channel/messages: attachments[0].id: Must be of type string. (Discord's OpenAPI spec)",
    ]);
    expect(f.channelMessages(CHANNEL_ID)).toEqual([]);
  });

  it('accepts the same upload as discord.js sends it (string ids in payload_json)', async () => {
    const f = await start();
    const client = await connect(f);
    const channel = (await client.channels.fetch(CHANNEL_ID)) as TextChannel;
    await channel.send({
      content: 'images',
      files: [new AttachmentBuilder(pngBytes(64), { name: 'a.png' })],
    });

    expect(f.violations).toEqual([]);
    expect(f.channelMessages(CHANNEL_ID).map((m) => m.attachments.map((a) => a.filename))).toEqual([
      ['a.png'],
    ]);
  });

  it('checks JSON bodies of other routes too: a DM channel needs a snowflake recipient', async () => {
    const f = await start();
    const rest = new REST({ api: f.apiUrl }).setToken(f.token);
    const error = await caught(() => rest.post(Routes.userChannels(), { body: { recipient_id: 42 } }));

    expect(error).toMatchObject({ code: 50035 });
    expect(f.violations).toEqual([
      "POST /users/@me/channels: recipient_id: Must be of type string. (Discord's OpenAPI spec)",
    ]);
  });
});

describe("fake Discord's deferred spec check (the benchmark's timed phases)", () => {
  it('answers a body as if valid, then reports what breaks the spec when asked, once', async () => {
    const f = await start({ deferSpecCheck: true });
    const rest = new REST({ api: f.apiUrl }).setToken(f.token);
    await rest.post(Routes.channelMessages(CHANNEL_ID), {
      body: { content: 'images', attachments: [{ id: 0, filename: 'a.png' }] },
      files: [{ name: 'a.png', data: pngBytes(64), contentType: 'image/png' }],
    });

    expect(f.violations).toEqual([]);
    expect(f.channelMessages(CHANNEL_ID).map((m) => m.attachments.map((a) => a.filename))).toEqual([
      ['a.png'],
    ]);
    const found = [
      "POST /channels/:channel/messages: attachments[0].id: Must be of type string. (Discord's OpenAPI spec)",
    ];
    expect(f.checkDeferredSpec()).toEqual(found);
    expect(f.violations).toEqual(found);
    expect(f.checkDeferredSpec()).toEqual([]);
  });
});

describe('fake Discord faults', () => {
  it('holds matching REST requests for the given time until undone, and no others', async () => {
    const f = await start();
    const message = f.makeMessage({
      channelId: CHANNEL_ID,
      author: { id: '1180000000000000077' },
      content: 'x',
    });
    const rest = new REST({ api: f.apiUrl }).setToken(f.token);
    const undo = f.delayRest(
      (method, path) => method === 'GET' && /^\/channels\/\d+\/messages\/\d+$/.test(path),
      400,
    );
    const timed = async (work: () => Promise<unknown>): Promise<number> => {
      const started = performance.now();
      await work();
      return performance.now() - started;
    };

    expect(await timed(() => rest.get(Routes.channelMessage(CHANNEL_ID, message.id)))).toBeGreaterThanOrEqual(
      390,
    );
    expect(await timed(() => rest.get(Routes.channel(CHANNEL_ID)))).toBeLessThan(300);
    undo();
    expect(await timed(() => rest.get(Routes.channelMessage(CHANNEL_ID, message.id)))).toBeLessThan(300);
  });
});
