// From a Discord message to a useapi jobid: the checks and the five steps as plain functions, over the real job index
// on in-memory storage.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createJobIndex, type JobIndex } from '../../../src/seed/lookup/job-index.js';
import {
  gridSourceOf,
  knownSeedOf,
  type MessageClues,
  ownerOfMessage,
  type ResolveIndex,
  resolveJob as resolveWith,
  checkTarget as targetWith,
} from '../../../src/seed/lookup/resolve.js';
import { upscaleNumberOf } from '../../../src/seed/model/own-image.js';
import { createStorage, type Storage } from '../../../src/storage/index.js';
import { useapiJobids } from '../../../src/useapi/jobid.js';
import type { Job } from '../../../src/useapi/port.js';
import { upstreamJob } from '../../helpers/builders.js';

// On the useapi upstream: its jobid grammar.
const checkTarget = (clues: MessageClues, bots: readonly string[]) => targetWith(clues, bots, useapiJobids);
const resolveJob = (clues: MessageClues, index: ResolveIndex) => resolveWith(clues, index, useapiJobids);

const MJ = '936929561302675456';
const NIJI = '1022952195194359889';
const BOTS = [MJ, NIJI];
const GUILD = '811111111111111111';
const OTHER_GUILD = '822222222222222222';
const CHANNEL = '833333333333333333';
const OWNER = '855555555555555555';
const ACCOUNT = '1316232391072944131';
const UUID = '0f6b7c4e-2a1d-4e8b-9c3f-5d2e1a7b8c9d';
const OTHER_UUID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

const jobid = (n: number) =>
  `job:2024121802194${String(n).padStart(4, '0')}-user:1308-channel:${ACCOUNT}-bot:midjourney`;
const V3_VIDEO = `j1023141520123456789v-u12345-c${ACCOUNT}-bot:midjourney`;

let storage: Storage;
let index: JobIndex;

beforeEach(async () => {
  storage = await createStorage('memory://');
  index = createJobIndex({ jobs: storage.jobs, recent: storage.recent });
});
afterEach(async () => {
  await storage.close();
});

function message(over: Partial<MessageClues> = {}): MessageClues {
  return {
    id: '700000000000000001',
    guildId: GUILD,
    channelId: CHANNEL,
    authorId: MJ,
    content: `**a red fox in snow --ar 3:2** - <@${OWNER}> (fast)`,
    embeds: [],
    attachments: [
      {
        filename: `member_a_red_fox_in_snow_${UUID}.png`,
        url: `https://cdn.discordapp.com/attachments/${CHANNEL}/1/member_a_red_fox_in_snow_${UUID}.png?ex=1`,
        contentType: 'image/png',
      },
    ],
    mentionedUserIds: [],
    ...over,
  };
}

/** The completed imagine job behind the grid `message()` shows. */
const job = (over: Partial<Job> = {}): Job =>
  upstreamJob({
    jobid: jobid(1),
    server: GUILD,
    channel: CHANNEL,
    messageId: '700000000000000001',
    content: `**a red fox in snow --ar 3:2** - <@${OWNER}> (fast)`,
    ...over,
  });

describe('checkTarget', () => {
  it('refuses a message that no Midjourney bot posted', () => {
    expect(checkTarget(message({ authorId: OWNER }), BOTS)).toBe('not_midjourney');
  });

  it('accepts the Niji bot and a configured list', () => {
    expect(checkTarget(message({ authorId: NIJI }), BOTS)).toBeUndefined();
    expect(checkTarget(message({ authorId: NIJI }), [MJ])).toBe('not_midjourney');
  });

  it('sees a video output by content type, by extension, and by a v3 video jobid', () => {
    const video = (filename: string, contentType?: string) =>
      message({ attachments: [{ filename, url: `https://cdn.example/${filename}`, contentType }] });
    expect(checkTarget(video('clip.bin', 'video/mp4'), BOTS)).toBe('video');
    expect(checkTarget(video('member_fox.mp4'), BOTS)).toBe('video');
    expect(checkTarget(video('member_fox.webm'), BOTS)).toBe('video');
    expect(checkTarget(video('member_fox.mov'), BOTS)).toBe('video');
    expect(checkTarget(message({ content: `**fox** - <@${OWNER}> \`${V3_VIDEO}\`` }), BOTS)).toBe('video');
  });

  it('counts a gif as video only when the prompt asked for motion', () => {
    const gif = (content: string) =>
      message({ content, attachments: [{ filename: 'fox.gif', url: 'https://cdn.example/fox.gif' }] });
    expect(checkTarget(gif(`**a fox --motion low** - <@${OWNER}> (fast)`), BOTS)).toBe('video');
    expect(checkTarget(gif(`**a fox** - <@${OWNER}> (fast)`), BOTS)).toBeUndefined();
  });

  it('refuses a Midjourney message without an image', () => {
    expect(
      checkTarget(message({ attachments: [], content: '**fox** - <@1> (Waiting to start)' }), BOTS),
    ).toBe('no_image');
    expect(
      checkTarget(message({ attachments: [{ filename: 'notes.txt', url: 'https://x/notes.txt' }] }), BOTS),
    ).toBe('no_image');
  });

  it('accepts an image shown in an embed', () => {
    const embeds = [{ fields: [], imageUrl: 'https://cdn.example/fox.png' }];
    expect(checkTarget(message({ attachments: [], embeds }), BOTS)).toBeUndefined();
  });

  it('does not call a message without visible content image-less (Discord hid it)', () => {
    expect(checkTarget(message({ content: '', attachments: [], embeds: [] }), BOTS)).toBeUndefined();
  });
});

describe('resolveJob, in order', () => {
  it('1: finds the message id in the index', async () => {
    await index.recordJob(job());
    const r = await resolveJob(message(), index);
    expect(r).toMatchObject({ ok: true, jobid: jobid(1), via: 'message' });
  });

  it('1 before 2: the index wins over a jobid written in the message', async () => {
    await index.recordJob(job());
    const r = await resolveJob(message({ content: `**fox** - <@${OWNER}> ${jobid(2)}` }), index);
    expect(r).toMatchObject({ ok: true, jobid: jobid(1), via: 'message' });
  });

  it('2: reads a jobid from the content, an embed title, description, field or footer', async () => {
    const cases: Partial<MessageClues>[] = [
      { content: `**fox** - <@${OWNER}> (fast) ${jobid(2)}` },
      { embeds: [{ title: jobid(2), fields: [] }] },
      { embeds: [{ description: `Job: \`${jobid(2)}\``, fields: [] }] },
      { embeds: [{ fields: [{ name: 'jobid', value: jobid(2) }] }] },
      { embeds: [{ footerText: jobid(2), fields: [] }] },
    ];
    for (const over of cases) {
      expect(await resolveJob(message(over), index)).toMatchObject({
        ok: true,
        jobid: jobid(2),
        via: 'jobid',
      });
    }
  });

  it('2: reads the v3 form too', async () => {
    const v3 = `j1023141520123456789i-u12345-c${ACCOUNT}-bot:midjourney`;
    const r = await resolveJob(message({ embeds: [{ footerText: v3, fields: [] }] }), index);
    expect(r).toMatchObject({ ok: true, jobid: v3, via: 'jobid' });
  });

  it('2 before 3: a written jobid wins over the attachment UUID', async () => {
    await index.recordJob(
      job({
        messageId: '700000000000000999',
        attachments: [{ id: '1', url: 'u', filename: `x_${UUID}.png` }],
      }),
    );
    const r = await resolveJob(message({ embeds: [{ footerText: jobid(2), fields: [] }] }), index);
    expect(r).toMatchObject({ via: 'jobid', jobid: jobid(2) });
  });

  it('3: matches the Midjourney job UUID of an attachment against the index', async () => {
    await index.recordJob(
      job({ messageId: undefined, attachments: [{ id: '1', url: 'u', filename: `user_fox_${UUID}.png` }] }),
    );
    const r = await resolveJob(message(), index);
    expect(r).toMatchObject({ ok: true, jobid: jobid(1), via: 'uuid' });
  });

  it('3: finds the UUID in the attachment URL when the file name lacks it', async () => {
    await index.recordJob(
      job({ messageId: undefined, attachments: [{ id: '1', url: 'u', filename: `user_fox_${UUID}.png` }] }),
    );
    const r = await resolveJob(
      message({ attachments: [{ filename: 'image.png', url: `https://cdn.example/${UUID}/0_0.png` }] }),
      index,
    );
    expect(r).toMatchObject({ via: 'uuid', jobid: jobid(1) });
  });

  it('4: an upscale replying to an indexed grid gets its child job from the grid', async () => {
    await index.recordJob(
      job({
        children: [
          { button: 'U2', jobid: jobid(7) },
          { button: 'U3', jobid: jobid(8) },
        ],
      }),
    );
    const upscale = message({
      id: '700000000000000002',
      content: `**a red fox in snow --ar 3:2** - Image #2 <@${OWNER}>`,
      attachments: [{ filename: `user_fox_${OTHER_UUID}.png`, url: 'https://cdn.example/u.png' }],
      referencedMessageId: '700000000000000001',
    });
    expect(await resolveJob(upscale, index)).toMatchObject({
      ok: true,
      jobid: jobid(7),
      via: 'upscale_child',
    });
  });

  it('4: falls back to the parent grid (same seed) when the grid does not list the upscale', async () => {
    await index.recordJob(job());
    const upscale = message({
      id: '700000000000000002',
      content: `**a red fox in snow --ar 3:2** - Image #4 <@${OWNER}>`,
      attachments: [{ filename: `user_fox_${OTHER_UUID}.png`, url: 'https://cdn.example/u.png' }],
      referencedMessageId: '700000000000000001',
    });
    expect(await resolveJob(upscale, index)).toMatchObject({ ok: true, jobid: jobid(1), via: 'parent_grid' });
  });

  it('4: an upscale sharing its grid UUID is resolved through the grid, not as the grid', async () => {
    await index.recordJob(
      job({
        attachments: [{ id: '1', url: 'u', filename: `user_fox_${UUID}.png` }],
        children: [{ button: 'U1', jobid: jobid(9) }],
      }),
    );
    const upscale = message({ id: '700000000000000003', content: `**fox** - Image #1 <@${OWNER}>` });
    expect(await resolveJob(upscale, index)).toMatchObject({ jobid: jobid(9), via: 'upscale_child' });
  });

  it('4: a variation replying to a grid is not given the grid (its seed differs)', async () => {
    await index.recordJob(job());
    const variation = message({
      id: '700000000000000004',
      content: `**a red fox in snow** - Variations (Strong) by <@${OWNER}> (fast)`,
      attachments: [{ filename: `user_fox_${OTHER_UUID}.png`, url: 'https://cdn.example/v.png' }],
      referencedMessageId: '700000000000000001',
    });
    expect(await resolveJob(variation, index)).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('5: nothing known is unknown, with the owner still read', async () => {
    const r = await resolveJob(message(), index);
    expect(r).toEqual({
      ok: false,
      reason: 'unknown',
      contentHidden: false,
      knownSeed: undefined,
      ownerId: OWNER,
    });
  });

  it('5: says when the message showed no content at all', async () => {
    const r = await resolveJob(message({ content: '', attachments: [] }), index);
    expect(r).toMatchObject({ ok: false, reason: 'unknown', contentHidden: true });
  });
});

describe('guild scoping', () => {
  it('never returns a job of another guild by message id', async () => {
    await index.recordJob(job({ server: OTHER_GUILD }));
    expect(await resolveJob(message(), index)).toMatchObject({ ok: false, reason: 'unknown' });
    expect(await resolveJob(message({ guildId: OTHER_GUILD }), index)).toMatchObject({ via: 'message' });
  });

  it('never returns a job of another guild by UUID', async () => {
    await index.recordJob(
      job({
        server: OTHER_GUILD,
        messageId: undefined,
        attachments: [{ id: '1', url: 'u', filename: `user_fox_${UUID}.png` }],
      }),
    );
    expect(await resolveJob(message(), index)).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('never returns a parent grid of another guild', async () => {
    await index.recordJob(job({ server: OTHER_GUILD }));
    const upscale = message({
      id: '700000000000000002',
      content: `**fox** - Image #2 <@${OWNER}>`,
      attachments: [{ filename: `user_fox_${OTHER_UUID}.png`, url: 'https://cdn.example/u.png' }],
      referencedMessageId: '700000000000000001',
    });
    expect(await resolveJob(upscale, index)).toMatchObject({ ok: false, reason: 'unknown' });
  });

  it('ignores a written jobid that the index places in another guild', async () => {
    await index.recordJob(job({ jobid: jobid(5), server: OTHER_GUILD, messageId: '700000000000000555' }));
    const r = await resolveJob(message({ embeds: [{ footerText: jobid(5), fields: [] }] }), index);
    expect(r).toMatchObject({ ok: false, reason: 'unknown' });
  });
});

describe('resolveJob on a message with a written seed', () => {
  it('carries the seed written in the prompt and the owner', async () => {
    await index.recordJob(job());
    const r = await resolveJob(
      message({ content: `**a fox --seed 1234 --ar 3:2** - <@${OWNER}> (fast)` }),
      index,
    );
    expect(r).toMatchObject({
      ok: true,
      knownSeed: { seed: 1234, prompt: 'a fox --seed 1234 --ar 3:2' },
      ownerId: OWNER,
    });
  });
});

describe('knownSeedOf', () => {
  it('reads --seed N from the prompt', () => {
    expect(knownSeedOf('**a fox --seed 42** - <@1> (fast)')?.seed).toBe(42);
    expect(knownSeedOf('**a fox --seed 0**')?.seed).toBe(0);
    expect(knownSeedOf('**a fox --seed 4294967295 --v 6**')?.seed).toBe(4294967295);
    expect(knownSeedOf('a fox --SEED 7')?.seed).toBe(7);
  });

  it('ignores seeds out of range, look-alikes, and seeds outside the prompt', () => {
    expect(knownSeedOf('**a fox --seed 4294967296**')).toBeUndefined();
    expect(knownSeedOf('**a fox --seed 12345678901**')).toBeUndefined();
    expect(knownSeedOf('**a fox --seedling 5**')).toBeUndefined();
    expect(knownSeedOf('**a fox --sameseed 5**')).toBeUndefined();
    expect(knownSeedOf('**a fox** - <@1> --seed 5')).toBeUndefined();
    expect(knownSeedOf(undefined)).toBeUndefined();
  });
});

describe('owner and upscale', () => {
  it('reads the member mentioned after the prompt', () => {
    expect(ownerOfMessage(message())).toBe(OWNER);
    expect(ownerOfMessage(message({ content: `**fox** - Image #2 <@!${OWNER}>` }))).toBe(OWNER);
    expect(ownerOfMessage(message({ content: `**fox** - Upscaled by <@${OWNER}> (fast)` }))).toBe(OWNER);
  });

  it('falls back to the mentioned users, and is undefined when nobody is named', () => {
    expect(ownerOfMessage(message({ content: '**fox**', mentionedUserIds: [OWNER] }))).toBe(OWNER);
    expect(ownerOfMessage(message({ content: '**fox**' }))).toBeUndefined();
  });

  it('reads the upscale number', () => {
    expect(upscaleNumberOf(`**fox** - Image #3 <@${OWNER}>`)).toBe(3);
    expect(upscaleNumberOf(`**fox** - <@${OWNER}> (fast)`)).toBeUndefined();
    expect(upscaleNumberOf('**fox** - Image #7')).toBeUndefined();
  });
});

describe('gridSourceOf: the image the message shows, and whether it is a grid', () => {
  it('takes the image attachment of a grid (imagine, variations, pan, zoom) as a grid', () => {
    const grid = gridSourceOf(
      message({
        content: `**a red fox --seed 5** - Variations (Strong) by <@${OWNER}> (fast)`,
        attachments: [
          { filename: 'clip.txt', url: 'https://cdn.discordapp.com/x/clip.txt', contentType: 'text/plain' },
          ...message().attachments.map((a) => ({ ...a, size: 6_000_000, width: 2048, height: 2048 })),
        ],
      }),
    );
    expect(grid).toMatchObject({
      kind: 'grid',
      filename: `member_a_red_fox_in_snow_${UUID}.png`,
      contentType: 'image/png',
      size: 6_000_000,
      width: 2048,
      height: 2048,
    });
  });

  it('takes an upscale ("Image #N", "Upscaled") as a single image', () => {
    expect(gridSourceOf(message({ content: `**a fox --seed 5** - Image #3 <@${OWNER}>` }))?.kind).toBe(
      'single',
    );
    expect(
      gridSourceOf(message({ content: `**a fox --seed 5** - Upscaled (Subtle) by <@${OWNER}> (fast)` }))
        ?.kind,
    ).toBe('single');
  });

  it('trusts U1..U4 buttons over the text: a message with them is a grid', () => {
    const clues = message({
      content: `**Image #2 of a series --seed 5** - <@${OWNER}> (fast)`,
      buttonLabels: ['U1', 'U2', 'U3', 'U4', '', 'V1', 'V2', 'V3', 'V4'],
    });
    expect(gridSourceOf(clues)?.kind).toBe('grid');
  });

  it('falls back to the embed image, and finds nothing in a message without an image', () => {
    const url = 'https://cdn.discordapp.com/attachments/1/2/grid_0.webp?ex=1';
    expect(gridSourceOf(message({ attachments: [], embeds: [{ fields: [], imageUrl: url }] }))).toEqual({
      kind: 'grid',
      url,
      filename: 'grid_0.webp',
    });
    expect(gridSourceOf(message({ attachments: [] }))).toBeUndefined();
  });
});
