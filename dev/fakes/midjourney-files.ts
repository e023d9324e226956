// Midjourney's file names, as both fake upstreams hand them out: `<user>_<prompt slug>_<job uuid>` then `.png` for a
// grid or `_<n>.png` for one of its four images.

const MIDJOURNEY_USER = 'fakeuser';

/** The prompt as Midjourney puts it in a file name: parameters dropped, lower-case words joined by `_`. */
const slugOf = (prompt: string): string =>
  prompt
    .toLowerCase()
    .replace(/--\S+(\s+\S+)?/g, ' ')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40) || 'image';

/** `<user>_<prompt slug>_<job uuid>`, the stem of the grid's and the images' file names. */
export const midjourneyFileStem = (prompt: string, jobUuid: string): string =>
  `${MIDJOURNEY_USER}_${slugOf(prompt)}_${jobUuid}`;
