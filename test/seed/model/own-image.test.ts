// The job's own image as the index stores it: a grid, one upscale, or nothing (a seed job, a video, no image yet).
import { describe, expect, it } from 'vitest';
import { ownImageOf } from '../../../src/seed/model/own-image.js';
import { seedJobVerb, type UpstreamJob } from '../../../src/seed/upstream.js';

const attachment = (filename: string, contentType?: string) => ({
  id: '1',
  url: `https://cdn.discordapp.com/attachments/1/2/${filename}?ex=1&is=2&hm=3`,
  filename,
  contentType,
  width: 2048,
  height: 2048,
  size: 6_000_000,
});

const job = (over: Partial<UpstreamJob>): UpstreamJob => ({
  jobid: 'job-1',
  verb: 'imagine',
  status: 'completed',
  attachments: [attachment('member_fox_0b9c7f4e.png', 'image/png')],
  children: [],
  ...over,
});

describe('ownImageOf', () => {
  it('reads a grid from an imagine job', () => {
    expect(ownImageOf(job({ content: '**a fox --seed 5** - <@1> (fast)' }))).toMatchObject({
      kind: 'grid',
      filename: 'member_fox_0b9c7f4e.png',
      contentType: 'image/png',
      width: 2048,
    });
  });

  it("reads one image from an upscale, by Midjourney's words or by what the upstream says", () => {
    expect(ownImageOf(job({ verb: 'button', content: '**a fox** - Image #2 <@1>' }))?.kind).toBe('single');
    expect(ownImageOf(job({ content: '**a fox** - Upscaled by <@1>' }))?.kind).toBe('single');
    expect(ownImageOf(job({ content: '**a fox** - Image #2 <@1>', gridKind: 'grid' }))?.kind).toBe('grid');
  });

  it('finds the image among other files, by type or by name', () => {
    const files = [attachment('notes.txt', 'text/plain'), attachment('grid.webp')];
    expect(ownImageOf(job({ attachments: files }))?.filename).toBe('grid.webp');
  });

  it('has none for a seed job, a video or a job with no image yet', () => {
    expect(ownImageOf(job({ verb: seedJobVerb }))).toBeUndefined();
    expect(ownImageOf(job({ attachments: [attachment('clip.mp4', 'video/mp4')] }))).toBeUndefined();
    expect(ownImageOf(job({ attachments: [] }))).toBeUndefined();
  });
});
