// Real Midjourney-like grids for tests, the demo and the benchmark: four solid quadrants of four colours, so each cut
// image's centre pixel says which quadrant it came from.
import sharp from 'sharp';

export type Rgb = [number, number, number];

/** Top-left red, top-right green, bottom-left blue, bottom-right yellow. */
export const QUADRANT_COLOURS: readonly [Rgb, Rgb, Rgb, Rgb] = [
  [220, 30, 30],
  [30, 200, 40],
  [30, 60, 220],
  [240, 220, 20],
];

/** A width x height grid of the four QUADRANT_COLOURS (on odd sizes the middle row/column goes right/bottom). */
export async function makeGrid(width: number, height: number, format: 'png' | 'webp'): Promise<Buffer> {
  const w = Math.floor(width / 2);
  const h = Math.floor(height / 2);
  const tile = ([r, g, b]: Rgb, tw: number, th: number) =>
    sharp({ create: { width: tw, height: th, channels: 3, background: { r, g, b } } })
      .png()
      .toBuffer();
  const [tl, tr, bl, br] = QUADRANT_COLOURS;
  const grid = sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 0 } } }).composite([
    { input: await tile(tl, w, h), left: 0, top: 0 },
    { input: await tile(tr, width - w, h), left: w, top: 0 },
    { input: await tile(bl, w, height - h), left: 0, top: h },
    { input: await tile(br, width - w, height - h), left: w, top: h },
  ]);
  return format === 'png' ? grid.png().toBuffer() : grid.webp({ quality: 90 }).toBuffer();
}

/** The centre pixel, size and format of an image. */
export async function centreOf(
  data: Buffer,
): Promise<{ rgb: Rgb; width: number; height: number; format: string }> {
  const { data: raw, info } = await sharp(data).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const at = (Math.floor(info.height / 2) * info.width + Math.floor(info.width / 2)) * info.channels;
  const { format } = await sharp(data).metadata();
  return {
    rgb: [raw[at] ?? -1, raw[at + 1] ?? -1, raw[at + 2] ?? -1],
    width: info.width,
    height: info.height,
    format: String(format),
  };
}

/** Within `tolerance` on every channel (WebP is lossy). */
export const sameColour = (a: Rgb, b: Rgb, tolerance = 10): boolean =>
  a.every((v, i) => Math.abs(v - (b[i] ?? 0)) <= tolerance);
