// Cutting real grids made with sharp (dev/fakes/grid-image.ts): four solid quadrants of four colours, so each cell's
// centre pixel says which quadrant it came from.
import { describe, expect, it } from 'vitest';
import { centreOf, makeGrid, QUADRANT_COLOURS, type Rgb, sameColour } from '../../dev/fakes/grid-image.js';
import { cutGrid, GridError } from '../../src/images/grid.js';

describe('cutGrid', () => {
  for (const format of ['png', 'webp'] as const)
    for (const [width, height] of [
      [512, 512],
      [1456, 816],
      [816, 1456],
      [1025, 767],
    ] as const)
      it(`cuts a ${width}x${height} ${format} grid into its four quadrants, each half its size, still ${format}`, async () => {
        const cells = await cutGrid(await makeGrid(width, height, format), 'grid');
        expect(cells).toHaveLength(4);
        for (const [i, cell] of cells.entries()) {
          const seen = await centreOf(cell.data);
          expect(seen.format).toBe(format);
          expect(cell.format).toBe(format);
          expect(cell.contentType).toBe(`image/${format}`);
          expect([seen.width, seen.height]).toEqual([Math.floor(width / 2), Math.floor(height / 2)]);
          expect([cell.width, cell.height]).toEqual([Math.floor(width / 2), Math.floor(height / 2)]);
          expect(
            sameColour(seen.rgb, QUADRANT_COLOURS[i] as Rgb),
            `cell ${i}: ${seen.rgb} vs ${QUADRANT_COLOURS[i]}`,
          ).toBe(true);
        }
      });

  it('gives a single image (an upscale) back as itself', async () => {
    const image = await makeGrid(640, 480, 'png');
    const cells = await cutGrid(image, 'single');
    expect(cells).toHaveLength(1);
    expect(cells[0]?.data.equals(image)).toBe(true);
    expect(cells[0]?.contentType).toBe('image/png');
    expect([cells[0]?.width, cells[0]?.height]).toEqual([640, 480]);
  });

  it('refuses broken bytes with a typed error', async () => {
    await expect(cutGrid(Buffer.from('this is not an image at all'), 'grid')).rejects.toMatchObject({
      name: 'GridError',
      kind: 'undecodable',
    });
  });

  it('refuses a truncated PNG with a typed error', async () => {
    const png = await makeGrid(512, 512, 'png');
    const error = await cutGrid(png.subarray(0, Math.floor(png.length / 2)), 'grid').catch((e) => e);
    expect(error).toBeInstanceOf(GridError);
  });

  it('refuses a video with a typed error', async () => {
    // The start of an MP4 file: an ftyp box, then an empty mdat.
    const ftyp = Buffer.concat([
      Buffer.from([0, 0, 0, 0x20]),
      Buffer.from('ftypisom', 'latin1'),
      Buffer.from([0, 0, 2, 0]),
      Buffer.from('isomiso2avc1mp41', 'latin1'),
    ]);
    const mdat = Buffer.concat([
      Buffer.from([0, 0, 0, 0x10]),
      Buffer.from('mdat', 'latin1'),
      Buffer.alloc(8),
    ]);
    const error = await cutGrid(Buffer.concat([ftyp, mdat]), 'grid').catch((e) => e);
    expect(error).toBeInstanceOf(GridError);
    expect(error.kind).toBe('undecodable');
  });

  it('refuses an image past the byte or pixel limit before decoding it', async () => {
    const png = await makeGrid(512, 512, 'png');
    await expect(cutGrid(png, 'grid', { maxBytes: 100 })).rejects.toMatchObject({ kind: 'too_large' });
    await expect(cutGrid(png, 'grid', { maxPixels: 512 * 511 })).rejects.toMatchObject({ kind: 'too_large' });
  });
});
