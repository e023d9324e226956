// Every answer only the member may see, after a public and after a private deferral, judged by what the member and the
// channel finally see. The fake Discord follows Discord's rule: the first follow-up after a deferral is applied to the
// deferred message itself, with the deferral's visibility (an ephemeral flag on it is ignored).
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { InteractionHandle, InteractionUser } from '../../dev/fakes/fake-discord.js';
import {
  CHANNEL,
  GUILD,
  type Harness,
  MEMBER,
  privateAnswer,
  startHarness,
  uniqueId,
} from '../helpers/harness.js';
import { type OwnRedis, redisServerMissing, startOwnRedis } from '../helpers/redis-server.js';

const link = (messageId: string) => `https://discord.com/channels/${GUILD}/${CHANNEL}/${messageId}`;
const member = (): InteractionUser => ({ ...MEMBER, id: uniqueId('85') });
const LOADING = 1 << 7;

/** The private answer arrived, the deferral was public or private as asked, and the channel keeps nothing. */
async function expectPrivate(interaction: InteractionHandle, publicDeferral: boolean, text: RegExp) {
  const ack = await interaction.waitForCallback();
  expect(ack.type).toBe(5);
  const flags = (ack.body as { data?: { flags?: number } }).data?.flags ?? 0;
  expect((flags & 64) === 0).toBe(publicDeferral);
  const answer = await privateAnswer(interaction);
  expect(answer.content).toMatch(text);
  const { member: seen, others } = interaction.seen();
  expect(others).toEqual([]);
  expect(seen).toHaveLength(1);
  expect((seen[0]?.flags ?? 0) & (64 | LOADING)).toBe(64);
  return answer;
}

const visibilities = [
  { name: 'after a public deferral', private: false },
  { name: 'after a private deferral', private: true },
] as const;

describe('private answers', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ env: { SEED_USER_LIMIT_PER_MINUTE: '1' } });
  });
  afterAll(async () => {
    await h.stop();
  });

  describe.each(visibilities)('$name', (v) => {
    it('reaches the member for a message whose job the bot does not know, with the paste-jobid button', async () => {
      const { message } = h.imagineJob();
      const asked = h.slashSeed(link(message.id), member(), { private: v.private });
      const answer = await expectPrivate(asked, !v.private, /could not find the useapi job/);
      const button = (answer.components[0] as { components: { custom_id: string }[] }).components[0];
      expect(button?.custom_id).toBe(`paste-jobid:${message.id}`);
    });

    it('reaches the member for a link to a message that is not a Midjourney output', async () => {
      const message = h.discord.makeMessage({
        channelId: CHANNEL,
        guildId: GUILD,
        author: { id: '899999999999999990', username: 'someone' },
        content: 'look at my cat',
      });
      const asked = h.slashSeed(link(message.id), member(), { private: v.private });
      await expectPrivate(asked, !v.private, /isn't a Midjourney output/);
    });

    it('reaches the member for a link to a message the bot cannot read', async () => {
      const asked = h.slashSeed(link(uniqueId('13')), member(), { private: v.private });
      await expectPrivate(asked, !v.private, /could not open that message/);
    });

    it('reaches the member who is over their limit', async () => {
      const who = member();
      h.useapi.setSeedDuration(3_600_000);
      const { jobid } = h.imagineJob();
      h.slashSeed(jobid, who, { private: v.private });
      // The first request took the member's only turn once its seed job went upstream.
      await vi.waitFor(
        () =>
          expect(h.useapi.requests.some((r) => (r.body as { jobid?: string })?.jobid === jobid)).toBe(true),
        { timeout: 5_000 },
      );
      const second = h.slashSeed(h.imagineJob().jobid, who, { private: v.private });
      await expectPrivate(second, !v.private, /asked for many seeds in a short time/);
    });
  });

  it('reaches the member who right-clicks an unknown message (always a private deferral)', async () => {
    const { message } = h.imagineJob();
    const asked = h.discord.messageCommand({
      name: 'Get seed',
      target: message,
      guildId: GUILD,
      channelId: CHANNEL,
      user: member(),
    });
    await expectPrivate(asked, false, /could not find the useapi job/);
  });

  it('answers the member privately who right-clicks a message whose prompt has the seed but whose job is unknown', async () => {
    // The whole answer (the seed, the grid's images) goes to the private deferral of the right-click.
    const { message } = h.imagineJob({ prompt: 'a quiet harbour --seed 4242' });
    const asked = h.discord.messageCommand({
      name: 'Get seed',
      target: message,
      guildId: GUILD,
      channelId: CHANNEL,
      user: member(),
    });
    const ack = await asked.waitForCallback();
    expect((ack.body as { data?: { flags?: number } }).data?.flags ?? 0).toBe(64);
    await asked.waitForEdit((m) => JSON.stringify(m.embeds).includes('--seed 4242'));
    const { member: seen, others } = asked.seen();
    expect(others).toEqual([]);
    expect(seen).toHaveLength(1);
    expect((seen[0]?.flags ?? 0) & (64 | LOADING)).toBe(64);
  });
});

if (redisServerMissing) console.warn(`skipping the storage-outage private answers: ${redisServerMissing}`);

describe.skipIf(Boolean(redisServerMissing))('private answers while storage is not answering', () => {
  let h: Harness | undefined;
  let server: OwnRedis | undefined;
  afterEach(async () => {
    await h?.stop().catch(() => {});
    await server?.close();
  });

  it('tells the member, and only the member, after a public and after a private deferral', async () => {
    server = await startOwnRedis();
    h = await startHarness({ env: { STORAGE_URL: `${server.url}?prefix=private:` } });
    await server.kill();
    for (const v of visibilities) {
      const asked = h.slashSeed(h.imagineJob().jobid, member(), { private: v.private });
      await expectPrivate(asked, !v.private, /Storage is not answering/);
    }
  }, 40_000);
});
