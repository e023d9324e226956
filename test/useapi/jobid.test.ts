import { describe, expect, it } from 'vitest';
import { channelOfJobid, findJobid, isVideoJobid, parseJobid } from '../../src/useapi/jobid.js';

const V2 = 'job:20241218021941022-user:1308-channel:1316232391072944131-bot:midjourney';
const V3 = 'j1023141520123456789i-u12345-c1234567890123456789-bot:midjourney';

describe('parseJobid', () => {
  it('accepts the v2 form and reads its channel', () => {
    expect(parseJobid(V2)).toEqual({ jobid: V2, form: 'v2', channel: '1316232391072944131' });
  });
  it('accepts the v2 form without the bot suffix', () => {
    expect(parseJobid('job:20241218021941022-user:1308-channel:1316232391072944131')?.form).toBe('v2');
  });
  it('accepts the v3 form and reads its channel', () => {
    expect(parseJobid(V3)).toEqual({ jobid: V3, form: 'v3', channel: '1234567890123456789' });
  });
  it('trims spaces and stray backticks or quotes around a pasted jobid', () => {
    expect(parseJobid(`  \`${V2}\` `)?.jobid).toBe(V2);
    expect(parseJobid(`"${V3}"`)?.jobid).toBe(V3);
  });
  it.each([
    '',
    'hello',
    '1316232391072944131',
    'job:123-user:1-channel:42',
    `${V2}x`,
    'https://discord.com/channels/1/2/3',
  ])('refuses %j', (input) => {
    expect(parseJobid(input)).toBeUndefined();
  });
});

describe('jobid helpers', () => {
  it('reads the channel of either form', () => {
    expect(channelOfJobid(V2)).toBe('1316232391072944131');
    expect(channelOfJobid('nope')).toBeUndefined();
  });
  it('recognises a v3 video jobid', () => {
    expect(isVideoJobid('j1023141520123456789v-u12345-c1234567890123456789-bot:midjourney')).toBe(true);
    expect(isVideoJobid(V3)).toBe(false);
  });
  it('finds a jobid written inside a text', () => {
    expect(findJobid(`Job: ${V2} — done`)).toBe(V2);
    expect(findJobid(`footer ${V3}`)).toBe(V3);
    expect(findJobid('no job here')).toBeUndefined();
  });
});
