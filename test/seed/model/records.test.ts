// Stored seed records are read back through their schema: records written before grids were cut still read, and a
// grid source reads back as written.
import { describe, expect, it } from 'vitest';
import { seedRecordSchema } from '../../../src/seed/model/records.js';

const older = {
  jobid: 'job:20241218021940001-user:1308-channel:1316232391072944131-bot:midjourney',
  seed: 1234,
  prompt: 'a red fox',
  images: [{ url: 'https://cdn.discordapp.com/a/1.png', filename: '1.png', size: 10 }],
  retrievedAt: 1_700_000_000_000,
  source: 'useapi',
};

describe('seedRecordSchema', () => {
  it('reads a record written before grids were cut', () => {
    const parsed = seedRecordSchema.safeParse(older);
    expect(parsed.success).toBe(true);
    expect(parsed.data?.grid).toBeUndefined();
  });

  it('reads a record with a grid to cut', () => {
    const grid = {
      kind: 'grid',
      url: 'https://cdn.discordapp.com/attachments/1/2/grid.png?ex=1',
      filename: 'grid.png',
      size: 6_000_000,
      contentType: 'image/png',
    };
    const parsed = seedRecordSchema.safeParse({ ...older, images: [], source: 'prompt', grid });
    expect(parsed.success).toBe(true);
    expect(parsed.data?.grid).toEqual(grid);
  });

  it('refuses a grid that is neither a grid nor a single image (read as absent)', () => {
    const grid = { kind: 'mosaic', url: 'https://x/grid.png', filename: 'grid.png' };
    expect(seedRecordSchema.safeParse({ ...older, grid }).success).toBe(false);
  });
});
