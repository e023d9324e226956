import { describe, expect, it } from 'vitest';
import {
  COPY_SEED_PREFIX,
  copySeedCustomId,
  copySeedReply,
  errorMessage,
  errorReply,
  jumpLink,
  progressReply,
  promptWithSeed,
  safeFilename,
  seedReply,
} from '../../src/discord/replies.js';
import { translator } from '../../src/i18n/index.js';
import { SeedError, UpstreamError, type UpstreamErrorKind } from '../../src/seed/errors.js';
import type { SeedRecord } from '../../src/seed/model/types.js';
import { StorageUnavailableError } from '../../src/seed/ports.js';
import { UseapiError, type UseapiErrorKind } from '../../src/useapi/errors.js';

const t = translator('en-US');
const record: SeedRecord = {
  jobid: 'job:20241218021941022-user:1308-channel:1316232391072944131-bot:midjourney',
  seed: 3141592653,
  prompt: 'Steampunk cat --s 750',
  server: '811111111111111111',
  channel: '833333333333333333',
  messageId: '877777777777777777',
  images: [1, 2, 3, 4].map((n) => ({ url: `https://cdn.example/${n}.png?ex=1`, filename: `cat_${n}.png` })),
  retrievedAt: 0,
  source: 'useapi',
};
const files = [1, 2, 3, 4].map((n) => ({ name: `cat_${n}.png`, data: Buffer.from('x') }));

describe('seedReply', () => {
  it('shows the seed as a copyable --seed code span, the prompt, the jobid and a jump link', () => {
    const body = seedReply(record, t, { files });
    const first = body.embeds[0];
    expect(first?.title).toBe('Seed 3141592653');
    expect(first?.description).toContain('`--seed 3141592653`');
    const fields = JSON.stringify(first?.fields);
    expect(fields).toContain('Steampunk cat --s 750');
    expect(fields).toContain(record.jobid);
    expect(fields).toContain(
      'https://discord.com/channels/811111111111111111/833333333333333333/877777777777777777',
    );
  });

  it('makes a 2x2 gallery: four embeds sharing one url, each showing one attached image', () => {
    const body = seedReply(record, t, { files });
    expect(body.embeds).toHaveLength(4);
    expect(new Set(body.embeds.map((e) => e.url)).size).toBe(1);
    expect(body.embeds.map((e) => e.image?.url)).toEqual(files.map((f) => `attachment://${f.name}`));
  });

  it('links the images and says so when they could not be attached', () => {
    const body = seedReply(record, t, {
      files: [],
      linkedBecause: 'tooLarge',
      urls: ['u1', 'u2', 'u3', 'u4'],
    });
    expect(body.embeds.map((e) => e.image?.url)).toEqual(['u1', 'u2', 'u3', 'u4']);
    expect(body.embeds[0]?.description).toMatch(/could not be attached \(too large/);
  });

  it('answers a seed from the prompt at once and says the images are coming', () => {
    const body = seedReply({ ...record, source: 'prompt', images: [] }, t, { files: [] }, { partial: true });
    expect(body.embeds).toHaveLength(1);
    expect(body.embeds[0]?.description).toMatch(/fetching the four images/);
  });

  it('stays within Discord limits for a very long prompt', () => {
    const body = seedReply({ ...record, prompt: 'x'.repeat(5000) }, t, { files });
    const prompt = body.embeds[0]?.fields?.find((f) => f.name === 'Prompt');
    expect(prompt?.value.length).toBeLessThanOrEqual(1024);
  });

  it('mentions the member when the answer comes late as a channel message', () => {
    expect(seedReply(record, t, { files }, { mentionUserId: '123' }).content).toContain('<@123>');
  });
});

describe('progressReply', () => {
  it('shows the queue position and the elapsed time', () => {
    expect(progressReply({ phase: 'queued', position: 3 }, t).content).toMatch(/position 3/);
    expect(
      progressReply({ phase: 'waiting', jobStatus: 'progress', startedAt: 1_000 }, t, 13_000).content,
    ).toMatch(/12 s/);
  });

  it('says a seed the proxy has not found yet is on its way, and names the proxy when it does not answer', () => {
    const pending = { phase: 'retrying', attempt: 2, retryInMs: 4_000, seedPending: true } as const;
    expect(progressReply(pending, t).content).toMatch(/on its way.*4 s/);
    const down = { phase: 'retrying', attempt: 3, retryInMs: 2_000, upstream: 'midjourney-proxy' } as const;
    expect(progressReply(down, t).content).toMatch(/midjourney-proxy is not answering/);
    expect(progressReply({ ...down, upstream: 'useapi' }, t).content).toMatch(/useapi is not answering/);
  });
});

describe('errorMessage', () => {
  const cases: [UseapiErrorKind, RegExp][] = [
    ['parent_not_completed', /not finished yet/],
    ['not_found', /31 days/],
    ['unauthorized', /USEAPI_TOKEN/],
    ['no_subscription', /subscription has ended/],
    ['busy', /busy/],
    ['pending_moderation', /waiting for a moderator/],
    ['unavailable', /not answering/],
    ['bad_response', /not answering/],
    ['timeout', /too long/],
  ];
  it.each(cases)('gives %s a message that says what to do', (kind, pattern) => {
    const { key, params } = errorMessage(new UseapiError(kind, 'raw upstream text'), 'ref1');
    expect(t(key, params)).toMatch(pattern);
    expect(t(key, params)).not.toContain('raw upstream text');
  });

  const proxyCases: [UpstreamErrorKind, RegExp][] = [
    ['not_found', /midjourney-proxy does not know that task/],
    ['unauthorized', /MJ_PROXY_TOKEN/],
    ['unavailable', /midjourney-proxy is not answering/],
    ['seed_failed', /could not retrieve the seed/],
    ['seed_pending', /not sent this job's seed yet/],
    ['account_unavailable', /waiting for a moderator/],
    ['parent_not_completed', /not finished yet/],
  ];
  it.each(proxyCases)('gives a midjourney-proxy %s its own words, never the proxy’s', (kind, pattern) => {
    const error = new UpstreamError(kind, '未找到 seed', {
      source: 'midjourney-proxy',
      upstream: '未找到 seed',
    });
    const { key, params } = errorMessage(error, 'ref1');
    expect(t(key, params)).toMatch(pattern);
    expect(t(key, params)).not.toMatch(/[\u4e00-\u9fff]|useapi/);
  });

  it('tells a member to retry while storage is unavailable', () => {
    expect(errorMessage(new StorageUnavailableError('down'), 'r')).toEqual({
      key: 'error.storageUnavailable',
      params: {},
    });
  });

  it('shows the reference for upstream failures only an operator can fix, and nothing for the others', () => {
    expect(errorMessage(new UseapiError('bad_request', 'x'), 'ref9')).toEqual({
      key: 'error.internal',
      params: { ref: 'ref9' },
    });
    expect(errorMessage(new UseapiError('busy', 'x'), 'ref9')).toEqual({ key: 'error.busy', params: {} });
  });

  it('names the verb of an unsupported job that is not a video', () => {
    expect(errorMessage(new UseapiError('unsupported_job', 'x', { verb: 'describe' }), 'r')).toEqual({
      key: 'error.unsupported',
      params: { verb: 'describe' },
    });
  });

  it('explains video jobs from the unsupported verb', () => {
    const { key } = errorMessage(new UseapiError('unsupported_job', 'x', { verb: 'video' }), 'r');
    expect(key).toBe('error.video');
  });

  it('tells a held request it is kept', () => {
    expect(errorReply(new SeedError('held', 'x'), t, 'r').content).toMatch(/kept and will run/);
  });

  it('never shows the message of an unexpected error, only a reference', () => {
    const reply = errorReply(new Error('secret stack detail'), t, 'abc123');
    expect(reply.content).toContain('abc123');
    expect(reply.content).not.toContain('secret stack detail');
  });

  it('answers in the member’s locale', () => {
    const de = translator('de');
    expect(errorReply(new UseapiError('not_found', 'x'), de, 'r').content).not.toBe(
      errorReply(new UseapiError('not_found', 'x'), t, 'r').content,
    );
  });
});

describe('helpers', () => {
  it('builds jump links only when channel and message are known', () => {
    expect(jumpLink('1', '2', '3')).toBe('https://discord.com/channels/1/2/3');
    expect(jumpLink(undefined, '2', '3')).toBe('https://discord.com/channels/@me/2/3');
    expect(jumpLink('1', undefined, '3')).toBeUndefined();
  });
  it('makes attachment names safe for attachment:// links', () => {
    expect(safeFilename('my cat (1).png', 0)).toBe('my_cat_1_.png');
    expect(safeFilename('', 2)).toBe('seed_image_3.png');
  });
});

describe('the copy button', () => {
  it('is on the seed reply, keyed by the parent jobid, and the footer no longer repeats --seed N', () => {
    const body = seedReply(record, t, { files });
    const button = body.components?.[0]?.components[0];
    expect(button).toMatchObject({ type: 2, style: 2, label: 'Copy prompt with seed' });
    expect(button && 'custom_id' in button ? button.custom_id : '').toBe(
      `${COPY_SEED_PREFIX}:${record.jobid}`,
    );
    expect(body.embeds[0]?.footer).toBeUndefined();
  });

  it('is not on a partial answer, whose seed is not stored yet', () => {
    expect(seedReply(record, t, { files: [] }, { partial: true }).components).toEqual([]);
  });

  it('is left out when the custom id would pass Discord’s 100 characters', () => {
    expect(copySeedCustomId('x'.repeat(91))).toBeUndefined();
    expect(copySeedCustomId(record.jobid)?.length).toBeLessThanOrEqual(100);
  });
});

describe('promptWithSeed', () => {
  it.each([
    ['Steampunk cat --s 750', 'Steampunk cat --s 750 --seed 42'],
    ['Steampunk cat --seed 7 --s 750', 'Steampunk cat --s 750 --seed 42'],
    ['Steampunk cat --s 750 --seed 7', 'Steampunk cat --s 750 --seed 42'],
    ['Steampunk cat --sameseed 9 --ar 2:3', 'Steampunk cat --ar 2:3 --seed 42'],
    ['Steampunk cat --sameseed', 'Steampunk cat --seed 42'],
    ['Steampunk cat —seed 7', 'Steampunk cat --seed 42'],
    ['Steampunk cat --SEED 7 --seed 8', 'Steampunk cat --seed 42'],
    ['a seedy bar --seeds are words', 'a seedy bar --seeds are words --seed 42'],
    ['', '--seed 42'],
  ])('%j → %j', (prompt, expected) => {
    expect(promptWithSeed(prompt, 42)).toBe(expected);
  });
});

describe('copySeedReply', () => {
  it('answers the prompt ready for /imagine, then the bare --seed N on its own line', () => {
    expect(copySeedReply(record)).toEqual({
      content: 'Steampunk cat --s 750 --seed 3141592653\n--seed 3141592653',
    });
  });

  it('answers only --seed N when the prompt is unknown', () => {
    expect(copySeedReply({ ...record, prompt: undefined })).toEqual({ content: '--seed 3141592653' });
  });

  it('puts a prompt too long for one message in a text file', () => {
    const long = copySeedReply({ ...record, prompt: 'word '.repeat(500) });
    expect(long.content).toBe('--seed 3141592653');
    expect(long.file?.name).toBe('prompt.txt');
    expect(long.file?.data.toString('utf8')).toMatch(/^word word .* --seed 3141592653\n$/);
  });
});
