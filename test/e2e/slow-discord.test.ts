// A slow Discord REST (a bucket wait, a slow region) does not cost the interaction: /seed with a link to a message
// the bot must read is acknowledged first, and answered once the read comes back.
import { afterEach, expect, it } from 'vitest';
import { CHANNEL, GUILD, type Harness, MEMBER, privateAnswer, startHarness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

it('acknowledges /seed with a link within 3 s while every message fetch is held 4 s', async () => {
  h = await startHarness();
  const harness = h;
  const { message } = harness.imagineJob({ seedValue: 4_000 });
  const undo = harness.discord.delayRest(
    (method, path) => method === 'GET' && /^\/channels\/\d+\/messages\/\d+$/.test(path),
    4_000,
  );
  try {
    const interaction = harness.discord.slash({
      name: 'seed',
      options: [
        { name: 'job', type: 3, value: `https://discord.com/channels/${GUILD}/${CHANNEL}/${message.id}` },
      ],
      guildId: GUILD,
      channelId: CHANNEL,
      user: MEMBER,
    });
    const ack = await interaction.waitForCallback(5_000);
    expect(ack.type).toBe(5);
    expect(ack.at - interaction.sentAt).toBeLessThan(3_000);
    await harness.discord.waitForRest(
      (r) => r.method === 'GET' && r.path === `/channels/${CHANNEL}/messages/${message.id}`,
      10_000,
    );
    // Without the Message Content intent the bot cannot read the job from it: it says so, privately.
    const answer = await privateAnswer(interaction, 20_000);
    expect(answer.content).toMatch(/did not show me what this message contains/);
    // The fetch really was held: the answer came only after it.
    const followup = interaction.events.find((e) => e.kind === 'followup');
    expect((followup?.at ?? 0) - interaction.sentAt).toBeGreaterThanOrEqual(3_900);
  } finally {
    undo();
  }
}, 40_000);
