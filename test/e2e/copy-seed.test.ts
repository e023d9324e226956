// "Copy prompt with seed" end to end: the real discord.js client logged in to the fake Discord clicks the button of
// a seed reply; the answer is private plain text from storage, for anyone, after a restart, with no useapi call.
import { afterEach, describe, expect, it } from 'vitest';
import type { FakeMessage, InteractionHandle, InteractionUser } from '../../dev/fakes/fake-discord.js';
import {
  CHANNEL,
  GUILD,
  type Harness,
  isSeedReply,
  MEMBER,
  OTHER_MEMBER,
  startHarness,
} from '../helpers/harness.js';

let h: Harness | undefined;
let next: Harness | undefined;
afterEach(async () => {
  await next?.stop();
  next = undefined;
  await h?.stop();
  h = undefined;
});

interface Button {
  type: number;
  style: number;
  label: string;
  custom_id: string;
}
const buttonsOf = (m: FakeMessage): Button[] =>
  (m.components as { components: Button[] }[]).flatMap((row) => row.components);

/** Clicks the copy button and resolves with the private answer (@original of the click). */
async function copy(
  harness: Harness,
  reply: FakeMessage,
  user: InteractionUser,
): Promise<{
  click: InteractionHandle;
  answer: FakeMessage;
}> {
  const button = buttonsOf(reply).find((b) => b.custom_id.startsWith('copy-seed:'));
  if (!button) throw new Error('the seed reply has no copy button');
  const click = harness.discord.button({
    customId: button.custom_id,
    message: reply,
    guildId: GUILD,
    channelId: CHANNEL,
    user,
  });
  const answer = await click.waitForEdit((m) => m.content !== '', 10_000);
  return { click, answer };
}

describe('Copy prompt with seed', () => {
  it('answers anyone privately with the prompt and --seed N as plain text, without calling useapi', async () => {
    h = await startHarness();
    const { jobid } = h.imagineJob({ seedValue: 1234567890, prompt: 'a red fox in snow --ar 3:2 --seed 7' });
    const reply = await h.slashSeed(jobid).waitForEdit(isSeedReply, 15_000);
    const [button] = buttonsOf(reply);
    expect(button).toMatchObject({
      type: 2,
      label: 'Copy prompt with seed',
      custom_id: `copy-seed:${jobid}`,
    });
    // The footer that repeated the description's --seed N is gone.
    expect(JSON.stringify(reply.embeds)).not.toContain('Use it with');
    const before = h.useapi.requests.length;

    const { click, answer } = await copy(h, reply, OTHER_MEMBER);
    const ack = await click.waitForCallback();
    expect(ack.type).toBe(5);
    expect(((ack.body as { data?: { flags?: number } }).data?.flags ?? 0) & 64).toBe(64);
    expect(answer.content).toBe('a red fox in snow --ar 3:2 --seed 1234567890\n--seed 1234567890');
    expect(answer.embeds).toEqual([]);
    expect(h.useapi.requests.length).toBe(before);
    // Every payload the bot sent passed the fake's checks of Discord's rules (custom id, label, content limits).
    expect(h.discord.violations).toEqual([]);
  });

  it('still works after a restart, from storage', async () => {
    h = await startHarness();
    const { jobid } = h.imagineJob({ seedValue: 42, prompt: 'lighthouse at dusk' });
    const reply = await h.slashSeed(jobid).waitForEdit(isSeedReply, 15_000);
    await h.bot.stop(2_000);
    next = await startHarness({ reuse: { useapi: h.useapi, discord: h.discord, dir: h.dir } });
    const before = h.useapi.requests.length;
    const { answer } = await copy(next, reply, MEMBER);
    expect(answer.content).toBe('lighthouse at dusk --seed 42\n--seed 42');
    expect(h.useapi.requests.length).toBe(before);
  });

  it('says what to do when the seed is no longer stored', async () => {
    h = await startHarness();
    const { jobid } = h.imagineJob({ seedValue: 5 });
    const reply = await h.slashSeed(jobid).waitForEdit(isSeedReply, 15_000);
    await h.bot.storage.seeds.delete(jobid);
    const { answer } = await copy(h, reply, MEMBER);
    expect(answer.content).toMatch(/no longer have this seed stored\. Ask again with \/seed/);
    expect((answer.flags ?? 0) & 64).toBe(64);
  });

  it('shows the button label in the member’s language', async () => {
    h = await startHarness();
    const { jobid } = h.imagineJob();
    const reply = await h.slashSeed(jobid, MEMBER, { locale: 'de' }).waitForEdit(isSeedReply, 15_000);
    expect(buttonsOf(reply)[0]?.label).toBe('Prompt mit Seed kopieren');
  });
});
