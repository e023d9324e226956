import { describe, expect, it } from 'vitest';
import { parseJobInput } from '../../src/discord/job-input.js';

const GUILD = '811111111111111111';
const CHANNEL = '833333333333333333';
const MESSAGE = '1316232391072944131';
const V2 = 'job:20241218021941022-user:1308-channel:1316232391072944131-bot:midjourney';

describe('parseJobInput', () => {
  it('reads a jobid first', () => {
    expect(parseJobInput(` ${V2} `)).toEqual({ kind: 'jobid', jobid: V2 });
  });

  it.each([
    `https://discord.com/channels/${GUILD}/${CHANNEL}/${MESSAGE}`,
    `https://ptb.discord.com/channels/${GUILD}/${CHANNEL}/${MESSAGE}`,
    `https://canary.discord.com/channels/${GUILD}/${CHANNEL}/${MESSAGE}`,
    `https://discordapp.com/channels/${GUILD}/${CHANNEL}/${MESSAGE}`,
    `<https://discord.com/channels/${GUILD}/${CHANNEL}/${MESSAGE}>`,
    `https://discord.com/channels/${GUILD}/${CHANNEL}/${MESSAGE}/`,
  ])('reads the message link %s', (link) => {
    expect(parseJobInput(link)).toEqual({
      kind: 'link',
      guildId: GUILD,
      channelId: CHANNEL,
      messageId: MESSAGE,
    });
  });

  it('reads a DM link without a guild', () => {
    expect(parseJobInput(`https://discord.com/channels/@me/${CHANNEL}/${MESSAGE}`)).toEqual({
      kind: 'link',
      guildId: undefined,
      channelId: CHANNEL,
      messageId: MESSAGE,
    });
  });

  it('reads a bare message id of 17 to 20 digits', () => {
    expect(parseJobInput(MESSAGE)).toEqual({ kind: 'messageId', messageId: MESSAGE });
    expect(parseJobInput('1234567890123456')).toBeUndefined();
    expect(parseJobInput('123456789012345678901')).toBeUndefined();
  });

  it.each([
    'hello',
    `https://example.com/channels/${GUILD}/${CHANNEL}/${MESSAGE}`,
    `https://discord.com/channels/${GUILD}/${CHANNEL}`,
    `https://evil.discord.com.example/channels/${GUILD}/${CHANNEL}/${MESSAGE}`,
  ])('refuses %s', (input) => {
    expect(parseJobInput(input)).toBeUndefined();
  });
});
