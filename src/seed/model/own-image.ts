// The image a Midjourney job's own message shows: a 2x2 grid (imagine, variations, pan, zoom, reroll post one, with
// U1..U4 buttons) or one image (an upscale says "Image #N" or "Upscaled"). With a seed known from the prompt it is the
// rest of the answer: the four images are its quadrants, and nothing goes upstream.
import { seedJobVerb, type UpstreamAttachment, type UpstreamJob } from '../upstream.js';
import type { GridSource } from './types.js';

const IMAGE_EXTENSIONS = /\.(png|jpe?g|webp|gif|avif)(?:$|[?#])/i;

/** `**<prompt>** - Image #2 <@id>`: the upscale number, 1-4. */
export function upscaleNumberOf(content: string): number | undefined {
  const m = /\bImage #([1-4])\b/.exec(content);
  return m?.[1] ? Number(m[1]) : undefined;
}

/** Midjourney's text of an upscale: one image, not a grid. */
export const isUpscaleText = (content: string): boolean =>
  upscaleNumberOf(content) !== undefined || /\bUpscaled\b/i.test(content);

export const isImageFile = (a: Pick<UpstreamAttachment, 'filename' | 'contentType'>): boolean =>
  Boolean(a.contentType?.toLowerCase().startsWith('image/')) ||
  (!a.contentType && IMAGE_EXTENSIONS.test(a.filename));

/** The job's own image as the upstream describes it; none for a seed job, a video or a job without an image yet. */
export function ownImageOf(job: UpstreamJob): GridSource | undefined {
  if (job.verb === seedJobVerb) return undefined;
  const image = job.attachments.find(isImageFile);
  if (!image) return undefined;
  return {
    kind: job.gridKind ?? (isUpscaleText(job.content ?? '') ? 'single' : 'grid'),
    url: image.url,
    filename: image.filename,
    width: image.width,
    height: image.height,
    size: image.size,
    contentType: image.contentType,
  };
}
