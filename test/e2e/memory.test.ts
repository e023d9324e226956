// Memory that stays flat on a big server: what thousands of different members leave behind in the bot's process.
// (How much heap a member costs is a figure of `npm run bench -- --only memory`, with the bot as its own process.)
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../../dev/fakes/fake-discord.js';
import { CHANNEL, GUILD, type Harness, MEMBER, privateAnswer, startHarness } from '../helpers/harness.js';

const MEMBERS = 2_000;
const memberId = (i: number) => `86${String(10_000_000_000_000_000 + i)}`;

describe('2,000 different members', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.stop();
  });

  it('leave the discord.js caches within their limits', async () => {
    const { message } = h.imagineJob();
    const link = `https://discord.com/channels/${GUILD}/${CHANNEL}/${message.id}`;
    // Each member asks once: most with a mistake answered at once, some with a link the bot must fetch, some with a
    // right-click that brings the whole message along: every way members, users and messages reach discord.js.
    const ask = (i: number): InteractionHandle => {
      const user = { ...MEMBER, id: memberId(i), username: `member${i}` };
      if (i % 10 === 1)
        return h.discord.messageCommand({
          name: 'Get seed',
          target: message,
          guildId: GUILD,
          channelId: CHANNEL,
          user,
        });
      return h.discord.slash({
        name: 'seed',
        options: [{ name: 'job', type: 3, value: i % 10 === 0 ? link : `not a jobid ${i}` }],
        guildId: GUILD,
        channelId: CHANNEL,
        user,
      });
    };
    for (let start = 0; start < MEMBERS; start += 100) {
      const batch = Array.from({ length: 100 }, (_, k) => ask(start + k));
      await Promise.all(batch.map((i) => privateAnswer(i, 30_000)));
    }

    const client = h.bot.client;
    const self = client.user?.id;
    // No member or user is kept but the bot itself; no message is kept at all.
    expect([...client.users.cache.keys()].filter((id) => id !== self)).toEqual([]);
    for (const guild of client.guilds.cache.values()) {
      expect([...guild.members.cache.keys()].filter((id) => id !== self)).toEqual([]);
      expect(guild.presences.cache.size).toBe(0);
      expect(guild.voiceStates.cache.size).toBe(0);
    }
    for (const channel of client.channels.cache.values()) {
      if ('messages' in channel) expect(channel.messages.cache.size).toBe(0);
    }
    // The channels are the server's own: no DM channel, nothing per member.
    expect(client.channels.cache.size).toBe(
      [...client.guilds.cache.values()].reduce((n, g) => n + g.channels.cache.size, 0),
    );
  }, 120_000);
});
