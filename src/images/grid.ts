// A Midjourney grid is a 2x2 mosaic of its four images, whatever its aspect ratio: the four images are its quadrants
// at full size. sharp (libvips, prebuilt) does the decoding and encoding; nothing here reads a pixel itself. An
// upscale is a single image and is shown as it is. Anything sharp cannot read (a video, broken bytes, an image past
// the limits) is a GridError: the caller links the original instead.
import { availableParallelism } from 'node:os';
import sharp from 'sharp';

export type GridKind = 'grid' | 'single';

export type GridErrorKind = 'too_large' | 'undecodable' | 'animated';

export class GridError extends Error {
  override readonly name = 'GridError';
  constructor(
    readonly kind: GridErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const isGridError = (error: unknown): error is GridError => error instanceof GridError;

export interface GridCell {
  data: Buffer;
  /** sharp's format name: `png`, `webp`, `jpeg`, … (the input's when sharp can write it, else `png`). */
  format: string;
  contentType: string;
  /** File extension without the dot. */
  extension: string;
  width: number;
  height: number;
}

export interface CutOptions {
  /** Refused before decoding when the file is larger (bytes). Default 32 MiB. */
  maxBytes?: number;
  /** Refused before decoding when width × height is larger (sharp's limitInputPixels). Default 32 Mpx. */
  maxPixels?: number;
}

const DEFAULT_MAX_GRID_BYTES = 32 * 1024 * 1024;
const DEFAULT_MAX_GRID_PIXELS = 32 * 1024 * 1024;

const FILE_TYPES: Record<string, { contentType: string; extension: string }> = {
  png: { contentType: 'image/png', extension: 'png' },
  webp: { contentType: 'image/webp', extension: 'webp' },
  jpeg: { contentType: 'image/jpeg', extension: 'jpg' },
  gif: { contentType: 'image/gif', extension: 'gif' },
  avif: { contentType: 'image/avif', extension: 'avif' },
  tiff: { contentType: 'image/tiff', extension: 'tiff' },
};

/** The format the cells are written in: the input's own when sharp can write it. */
function outputFormat(metadata: sharp.Metadata): string {
  // sharp reports AVIF as `heif` with the av1 codec; it writes AVIF, not HEVC.
  const format = metadata.format === 'heif' && metadata.compression === 'av1' ? 'avif' : metadata.format;
  const writable = sharp.format[format as keyof sharp.FormatEnum]?.output.buffer === true;
  return writable && format in FILE_TYPES ? format : 'png';
}

/**
 * The four images of a grid (top-left, top-right, bottom-left, bottom-right), each exactly half the grid's width and
 * height (rounded down, never upscaled), in the grid's format; or, for a single image, the image itself.
 */
export async function cutGrid(input: Buffer, kind: GridKind, options: CutOptions = {}): Promise<GridCell[]> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_GRID_BYTES;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_GRID_PIXELS;
  if (input.length > maxBytes)
    throw new GridError('too_large', `the image is ${input.length} bytes (at most ${maxBytes})`);
  const open = () => sharp(input, { limitInputPixels: maxPixels });
  let metadata: sharp.Metadata;
  try {
    // The header only (no limit applies to it): the size is checked below with a typed answer.
    metadata = await sharp(input).metadata();
  } catch (error) {
    throw new GridError('undecodable', 'the file is not an image sharp can read', { cause: error });
  }
  const { width, height } = metadata;
  if (!width || !height) throw new GridError('undecodable', 'the image has no size');
  if (width * height > maxPixels)
    throw new GridError('too_large', `the image is ${width}x${height} (at most ${maxPixels} pixels)`);
  if ((metadata.pages ?? 1) > 1) throw new GridError('animated', 'an animation has no four images');
  const format = outputFormat(metadata);
  const type = FILE_TYPES[format] ?? { contentType: 'image/png', extension: 'png' };
  const cell = (data: Buffer, w: number, h: number): GridCell => ({
    data,
    format,
    ...type,
    width: w,
    height: h,
  });

  if (kind === 'single') {
    if (format === metadata.format) return [cell(input, width, height)];
    return [cell(await encode(open(), format), width, height)];
  }
  const w = Math.floor(width / 2);
  const h = Math.floor(height / 2);
  if (w === 0 || h === 0) throw new GridError('undecodable', `a ${width}x${height} image is no grid`);
  // Decoded once to raw pixels, then each quadrant encoded from them: four decodes of the whole file (a PNG is read
  // top to bottom whatever part is wanted) took twice as long.
  let pixels: { data: Buffer; info: sharp.OutputInfo };
  try {
    pixels = await open().raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  } catch (error) {
    // The header read fine but the pixels do not (a truncated file).
    throw new GridError('undecodable', 'the image could not be decoded', { cause: error });
  }
  const raw = { width: pixels.info.width, height: pixels.info.height, channels: pixels.info.channels };
  // On odd sizes the middle row/column belongs to no cell: each cell touches its own corner of the grid.
  const corners = [
    { left: 0, top: 0 },
    { left: width - w, top: 0 },
    { left: 0, top: height - h },
    { left: width - w, top: height - h },
  ];
  const cells = await Promise.all(
    corners.map((c) => encode(sharp(pixels.data, { raw }).extract({ ...c, width: w, height: h }), format)),
  );
  return cells.map((data) => cell(data, w, h));
}

export interface GridCutter {
  cut(input: Buffer, kind: GridKind): Promise<GridCell[]>;
}

/**
 * cutGrid, at most `concurrency` at a time (default: one per core). A grid being cut holds its raw pixels (16 MiB for
 * 2048x2048 RGBA) and its cells: past the cores it would be no faster, only larger, so the others wait their turn and
 * memory stays flat however many ask at once.
 */
export function createGridCutter(options: CutOptions & { concurrency?: number } = {}): GridCutter {
  const concurrency = options.concurrency ?? availableParallelism();
  // libvips' operation cache keeps recent results in memory: every grid is new bytes, so it would only hold memory.
  sharp.cache(false);
  let running = 0;
  const waiting: (() => void)[] = [];
  return {
    async cut(input, kind) {
      if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
      running++;
      try {
        return await cutGrid(input, kind, options);
      } finally {
        running--;
        waiting.shift()?.();
      }
    },
  };
}

function encode(image: sharp.Sharp, format: string): Promise<Buffer> {
  switch (format) {
    case 'webp':
      return image.webp({ quality: 90 }).toBuffer();
    case 'jpeg':
      return image.jpeg({ quality: 90 }).toBuffer();
    case 'avif':
      return image.avif({ quality: 80 }).toBuffer();
    default:
      return image.toFormat(format as keyof sharp.FormatEnum).toBuffer();
  }
}
