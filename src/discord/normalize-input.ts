// What members paste is rarely just the id: chat and web clients leave zero-width characters and direction marks
// around it, phones turn spaces into no-break spaces, and people copy a whole line ("Job ID: `job:…`", a quoted
// jobid, a link in <…>, a useapi log line). One normaliser at the edge turns that into the text the parsers expect.

/** Zero-width characters (U+200B–U+200D, U+2060, U+FEFF), direction marks and embeddings (U+200E/F, U+202A–U+202E,
 * U+2066–U+2069) and the soft hyphen: invisible, so a member cannot see or remove them. */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF\u200E\u200F\u202A-\u202E\u2066-\u2069\u00AD]/g;
/** Every Unicode space, tab and line break (JavaScript's \s covers \p{Zs}, U+2028/9). */
const SPACES = /[\s\p{Zs}]+/gu;
/** Quotes (straight, curly, low, guillemets, CJK corner brackets), backticks (also ```), `<…>` around links,
 * markdown emphasis and spoilers. None of them can start or end a jobid, a link or a message id. */
const WRAPPER = '`\'"“”„‟‘’‚‛«»‹›「」『』<>*_|~';
const LEADING = new RegExp(`^[\\s${inClass(WRAPPER)}([]+`);
/** …plus the punctuation that ends a sentence the id was copied from. */
const TRAILING = new RegExp(`[\\s${inClass(WRAPPER)}.,;:!?)\\]]+$`);
/** `Job ID: …`, `jobid = …`, `job-id …` (Midjourney writes **Job ID**, useapi writes jobid). */
const PREFIX = /^(?:job[\s_-]*id)\s*[:=]?\s*/i;

function inClass(chars: string): string {
  return chars.replace(/[\\\]^-]/g, '\\$&');
}

/** The pasted text with invisible characters gone, spaces plain and single, and wrappers and prefixes peeled off. */
export function normalizeInput(raw: string): string {
  let text = raw.normalize('NFKC').replace(INVISIBLE, '').replace(SPACES, ' ').trim();
  for (;;) {
    const next = text.replace(LEADING, '').replace(TRAILING, '').replace(PREFIX, '');
    if (next === text) return text;
    text = next;
  }
}
