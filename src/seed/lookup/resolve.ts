// From a Discord message to the upstream job behind it. No upstream has an endpoint for that, so the bot reads every
// clue the message carries and looks them up in its own index, in a fixed order (the cheapest and surest first). No
// discord.js here: the Discord adapter turns a message into plain `MessageClues` (src/discord/message-clues.ts).

import { isImageFile, isUpscaleText, upscaleNumberOf } from '../model/own-image.js';
import type { GridSource, IndexEntry, KnownSeed } from '../model/types.js';
import type { JobidGrammar } from '../upstream.js';
import type { JobIndex } from './job-index.js';
// The index filters by guild too; inGuild covers byJobid.
import { inGuild, ownerOf, promptOf, uuidsIn } from './job-index.js';

export interface EmbedClue {
  title?: string | undefined;
  description?: string | undefined;
  footerText?: string | undefined;
  fields: { name: string; value: string }[];
  imageUrl?: string | undefined;
}

export interface AttachmentClue {
  filename: string;
  url: string;
  contentType?: string | undefined;
  size?: number | undefined;
  width?: number | undefined;
  height?: number | undefined;
}

/** What a Discord message says about itself, as plain data. */
export interface MessageClues {
  id: string;
  guildId?: string | undefined;
  channelId: string;
  authorId: string;
  content: string;
  embeds: EmbedClue[];
  attachments: AttachmentClue[];
  /** `message_reference.message_id`: an upscale replies to its grid. */
  referencedMessageId?: string | undefined;
  mentionedUserIds: string[];
  /** Labels of the message's buttons (a grid has U1..U4). */
  buttonLabels?: string[] | undefined;
}

/** Why a message cannot be answered before any lookup. */
export type TargetRefusal = 'not_midjourney' | 'video' | 'no_image';

/** How the job was found. */
export type ResolvedVia =
  /** 1: the message id is in the index. */
  | 'message'
  /** 2: a jobid of the upstream is written in the message. */
  | 'jobid'
  /** 3: a Midjourney job UUID in an attachment name or URL is in the index. */
  | 'uuid'
  /** 4a: an upscale, found in its parent grid's `children`. */
  | 'upscale_child'
  /** 4b: an upscale whose own job is unknown: its parent grid (an upscale has the seed of its grid). */
  | 'parent_grid';

export type Resolution =
  | {
      ok: true;
      jobid: string;
      via: ResolvedVia;
      /** The index entry the answer came from, when there is one. */
      entry?: IndexEntry | undefined;
      knownSeed?: KnownSeed | undefined;
      ownerId?: string | undefined;
    }
  | {
      ok: false;
      reason: TargetRefusal | 'unknown';
      /** For `unknown`: the message showed no content (a fetched message without the Message Content intent). */
      contentHidden?: boolean | undefined;
      knownSeed?: KnownSeed | undefined;
      ownerId?: string | undefined;
    };

export type ResolveIndex = Pick<JobIndex, 'byMessage' | 'byUuid' | 'byJobid'>;

const VIDEO_EXTENSIONS = /\.(mp4|webm|mov|m4v)(?:$|[?#])/i;
/** Prompt parameters that make a Midjourney video (a .gif/.mp4 output). */
const VIDEO_PROMPT = /(?:^|\s)--(?:video|motion)\b/i;
const MAX_SEED = 4_294_967_295;

/** Every piece of text a message shows, where a jobid may be written. */
function textsOf(clues: MessageClues): string[] {
  return [
    clues.content,
    ...clues.embeds.flatMap((e) => [
      e.title,
      e.description,
      e.footerText,
      ...e.fields.flatMap((f) => [f.name, f.value]),
    ]),
  ].filter((t): t is string => Boolean(t));
}

function jobidIn(clues: MessageClues, jobids: JobidGrammar): string | undefined {
  for (const text of textsOf(clues)) {
    const jobid = jobids.find(text);
    if (jobid) return jobid;
  }
  return undefined;
}

const nameOf = (a: AttachmentClue) => `${a.filename} ${a.url.split('?')[0] ?? ''}`;

const isVideoAttachment = (a: AttachmentClue) =>
  Boolean(a.contentType?.toLowerCase().startsWith('video/')) || VIDEO_EXTENSIONS.test(nameOf(a).trim());

const isGif = (a: AttachmentClue) =>
  a.contentType?.toLowerCase() === 'image/gif' || /\.gif(?:$|[?#])/i.test(a.filename);

const isImageAttachment = (a: AttachmentClue) => isImageFile(a);

/** A message with nothing in it: Discord withheld its content (no Message Content intent), it is not empty. */
const contentHidden = (clues: MessageClues): boolean =>
  clues.content === '' && clues.embeds.length === 0 && clues.attachments.length === 0;

/** `--seed N` written in the prompt (0..4294967295). */
export function knownSeedOf(content: string | undefined): KnownSeed | undefined {
  const prompt = promptOf(content);
  const m = /(?:^|\s)--seed\s+(\d{1,10})(?!\d)/i.exec(prompt ?? '');
  if (!m?.[1]) return undefined;
  const seed = Number(m[1]);
  return seed <= MAX_SEED ? { seed, prompt } : undefined;
}

/** The member who made the image: the `<@id>` in the Midjourney content, else the first user mentioned. */
export const ownerOfMessage = (clues: MessageClues): string | undefined =>
  ownerOf(clues.content) ?? clues.mentionedUserIds[0];

/**
 * The image the Midjourney message shows, and whether it is a grid: imagine, variations, pan, zoom and reroll post a
 * grid with U1..U4 buttons; an upscale says "Image #N" (or "Upscaled") and is one image.
 */
export function gridSourceOf(clues: MessageClues): GridSource | undefined {
  const labels = clues.buttonLabels ?? [];
  const single = !labels.some((l) => /^U[1-4]$/.test(l.trim())) && isUpscaleText(clues.content);
  const kind = single ? 'single' : 'grid';
  const attachment = clues.attachments.find(isImageAttachment);
  if (attachment)
    return {
      kind,
      url: attachment.url,
      filename: attachment.filename,
      contentType: attachment.contentType,
      size: attachment.size,
      width: attachment.width,
      height: attachment.height,
    };
  const embedImage = clues.embeds.find((e) => e.imageUrl)?.imageUrl;
  if (!embedImage) return undefined;
  return { kind, url: embedImage, filename: embedImage.split('?')[0]?.split('/').pop() ?? 'grid.png' };
}

/** The checks that need no lookup: who posted it, and whether it is an image with a seed at all. */
export function checkTarget(
  clues: MessageClues,
  midjourneyBotIds: readonly string[],
  jobids: JobidGrammar,
): TargetRefusal | undefined {
  if (!midjourneyBotIds.includes(clues.authorId)) return 'not_midjourney';
  if (contentHidden(clues)) return undefined;
  const jobid = jobidIn(clues, jobids);
  if ((jobid !== undefined && jobids.isVideo(jobid)) || clues.attachments.some(isVideoAttachment))
    return 'video';
  // A .gif is a video output only when the prompt asked for a video; otherwise it is an image like any other.
  if (clues.attachments.some(isGif) && VIDEO_PROMPT.test(promptOf(clues.content) ?? '')) return 'video';
  const hasImage = clues.attachments.some(isImageAttachment) || clues.embeds.some((e) => e.imageUrl);
  if (!hasImage) return 'no_image';
  return undefined;
}

/** Steps 1 to 5 (assumes `checkTarget` passed). Index lookups only: no upstream call. */
export async function resolveJob(
  clues: MessageClues,
  index: ResolveIndex,
  jobids: JobidGrammar,
): Promise<Resolution> {
  const knownSeed = knownSeedOf(clues.content);
  const ownerId = ownerOfMessage(clues);
  const found = (jobid: string, via: ResolvedVia, entry?: IndexEntry): Resolution => ({
    ok: true,
    jobid,
    via,
    entry,
    knownSeed,
    ownerId: ownerId ?? entry?.ownerId,
  });
  const upscale = upscaleNumberOf(clues.content);

  /** An upscale whose own job is unknown, seen through a related grid entry. */
  const throughParent = (parent: IndexEntry): Resolution | undefined => {
    const child =
      parent.children.find((c) => c.messageId === clues.id) ??
      (upscale ? parent.children.find((c) => c.button === `U${upscale}`) : undefined);
    if (child) return found(child.jobid, 'upscale_child', parent);
    return upscale ? found(parent.jobid, 'parent_grid', parent) : undefined;
  };

  // 1. The message itself is in the index.
  const byMessage = await index.byMessage(clues.id, clues.guildId);
  if (byMessage) return found(byMessage.jobid, 'message', byMessage);

  // 2. A jobid written in the message: unless the index places that job in another guild.
  const written = jobidIn(clues, jobids);
  if (written) {
    const known = await index.byJobid(written);
    if (!known || inGuild(known, clues.guildId)) return found(written, 'jobid', known);
  }

  // 3. A Midjourney job UUID from an attachment.
  for (const uuid of uuidsIn(clues.attachments.map(nameOf).join(' '))) {
    const entry = await index.byUuid(uuid, clues.guildId);
    if (!entry) continue;
    // The same UUID on another message: this one is its upscale (or a repost of the same image).
    if (entry.messageId && entry.messageId !== clues.id) {
      const related = throughParent(entry);
      if (related) return related;
    }
    return found(entry.jobid, 'uuid', entry);
  }

  // 4. An upscale: its parent grid (the message it replies to).
  if (clues.referencedMessageId) {
    const parent = await index.byMessage(clues.referencedMessageId, clues.guildId);
    const related = parent ? throughParent(parent) : undefined;
    if (related) return related;
  }

  // 5. Nothing.
  return { ok: false, reason: 'unknown', contentHidden: contentHidden(clues), knownSeed, ownerId };
}
