import { describe, expect, it } from 'vitest';
import * as input from '../../src/discord/job-input.js';
import { normalizeInput } from '../../src/discord/normalize-input.js';
import type { MessageKey } from '../../src/i18n/index.js';
import { useapiJobids } from '../../src/useapi/jobid.js';

// The useapi upstream's grammar: what a member may paste when the bot runs on useapi.
const parseJobInput = (text: string) => input.parseJobInput(text, useapiJobids);
const pastedJobid = (text: string) => input.pastedJobid(text, useapiJobids);
const jobInputProblem = (text: string, none: MessageKey) => input.jobInputProblem(text, none, useapiJobids);

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

describe('forgiving pastes', () => {
  const V3 = 'j1023141520123456789i-u12345-c1234567890123456789-bot:midjourney';
  const LINK = `https://discord.com/channels/${GUILD}/${CHANNEL}/${MESSAGE}`;

  // What members really paste: copied from chat and web clients, phones, Midjourney's DM and useapi's answers.
  it.each([
    ['a zero-width space after it', `${V2}\u200B`],
    ['zero-width spaces around it', `\u200B${V2}\u200B`],
    ['a word joiner before it', `\u2060${V2}`],
    ['a byte-order mark before it', `\uFEFF${V2}`],
    ['zero-width (non-)joiners inside the paste', `\u200C\u200D${V2}`],
    ['left-to-right and right-to-left marks', `\u200E${V2}\u200F`],
    ['bidi embeddings and isolates', `\u202A\u2066${V2}\u2069\u202C`],
    ['no-break and ideographic spaces', `\u00A0\u3000${V2}\u2009`],
    ['a line break and a tab', `\n\t${V2}\n`],
    ['straight double quotes', `"${V2}"`],
    ['straight single quotes', `'${V2}'`],
    ['curly double quotes', `“${V2}”`],
    ['curly single quotes', `‘${V2}’`],
    ['German low quotes', `„${V2}“`],
    ['guillemets', `« ${V2} »`],
    ['CJK corner brackets', `「${V2}」`],
    ['a code span', `\`${V2}\``],
    ['a code block', `\`\`\`${V2}\`\`\``],
    ['a code block with a language', `\`\`\`txt\n${V2}\n\`\`\``],
    ['angle brackets', `<${V2}>`],
    ['bold markdown', `**${V2}**`],
    ['a spoiler', `||${V2}||`],
    ['a full stop at the end of a sentence', `${V2}.`],
    ['"Job ID:" before it', `Job ID: ${V2}`],
    ['"jobid:" before it', `jobid: ${V2}`],
    ['"jobid=" before it, quoted', `jobid="${V2}"`],
    ['Midjourney-style bold "**Job ID**:" and a code span', `**Job ID**: \`${V2}\``],
    ['a full-width colon after "Job ID"', `Job ID： ${V2}`],
    ['a useapi JSON line', `"jobid": "${V2}",`],
    ['a log line', `2026-07-01T10:00:00Z seed requested for ${V2} by @member`],
    ['the same jobid twice in one line', `${V2} (again: ${V2})`],
  ])('reads the jobid with %s', (_what, paste) => {
    expect(parseJobInput(paste)).toEqual({ kind: 'jobid', jobid: V2 });
    expect(pastedJobid(paste)?.jobid).toBe(V2);
  });

  it.each([
    ['zero-width spaces', `\u200B${V3}\u200B`],
    ['a code span and a prefix', `Job ID: \`${V3}\``],
    ['full-width characters (NFKC)', V3.replace('j1023', 'ｊ１０２３')],
  ])('reads a v3 jobid with %s', (_what, paste) => {
    expect(parseJobInput(paste)).toEqual({ kind: 'jobid', jobid: V3 });
  });

  it.each([
    ['a zero-width space', `${LINK}\u200B`],
    ['angle brackets and a word joiner', `\u2060<${LINK}>`],
    ['quotes', `“${LINK}”`],
  ])('reads a message link with %s', (_what, paste) => {
    expect(parseJobInput(paste)).toEqual({
      kind: 'link',
      guildId: GUILD,
      channelId: CHANNEL,
      messageId: MESSAGE,
    });
  });

  it('reads a bare message id with invisible characters around it', () => {
    expect(parseJobInput(`\u200E${MESSAGE}\u200B`)).toEqual({ kind: 'messageId', messageId: MESSAGE });
  });

  it.each([
    ['an empty paste', ''],
    ['only invisible characters', '\u200B\u2060\uFEFF'],
    ['a jobid with a digit missing', V2.replace('20241218021941022', '2024121802194102')],
    ['a jobid glued to other text', `x${V2}`],
    ['a Midjourney job UUID', 'Job ID: 5f3e1c0a-1b2c-4d5e-8f90-123456789abc'],
    ['two different jobids', `${V2} ${V3}`],
  ])('still refuses %s', (_what, paste) => {
    expect(parseJobInput(paste)).toBeUndefined();
    expect(pastedJobid(paste)).toBeUndefined();
  });

  it('says "several jobids" when the paste holds more than one, and the given answer otherwise', () => {
    expect(jobInputProblem(`${V2}\n${V3}`, 'error.invalidInput')).toBe('error.severalJobids');
    expect(jobInputProblem('hello', 'error.invalidInput')).toBe('error.invalidInput');
    expect(jobInputProblem('hello', 'error.pastedNotJobid')).toBe('error.pastedNotJobid');
  });
});

describe('normalizeInput', () => {
  it('strips invisible characters, makes spaces plain and single, and peels wrappers', () => {
    expect(normalizeInput('\u200B  “a\u00A0\u00A0b”  \u2060')).toBe('a b');
    expect(normalizeInput('``` `x` ```')).toBe('x');
    expect(normalizeInput('Job-ID = <y>')).toBe('y');
  });
});
