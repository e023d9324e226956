// Pure reply builders: from core results to Discord message bodies. No I/O, so they are tested as plain functions.
import {
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIEmbed,
  ButtonStyle,
  ComponentType,
} from 'discord.js';
import type { MessageKey, Translate } from '../i18n/index.js';
import { isSeedError, isUpstreamError, type SeedErrorKind, type UpstreamErrorKind } from '../seed/errors.js';
import { isMessageSeedKey } from '../seed/model/message-key.js';
import type { SeedRecord } from '../seed/model/types.js';
import type { Progress } from '../seed/ports.js';
import { isStorageUnavailable } from '../seed/ports.js';
import type { SeedStatus } from '../seed/retrieval/seed-service.js';
import { isUserFacingError } from './errors.js';

export interface ReplyBody {
  content: string;
  embeds: APIEmbed[];
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

export interface AttachedImage {
  /** The name the file is uploaded under (safe for attachment:// links). */
  name: string;
  data: Buffer;
  contentType?: string | undefined;
}

export interface ImagesOutcome {
  files: AttachedImage[];
  /** Why the images are linked instead of attached, when they are. */
  linkedBecause?: 'tooLarge' | 'download' | 'unreadable' | undefined;
  /** Fresh links (after refresh-urls) to use when the images are linked. */
  urls?: string[] | undefined;
}

const EMBED_COLOR = 0x5865f2;
/** Discord's limit for a button's custom id, and for a message's content. */
const CUSTOM_ID_MAX = 100;
const CONTENT_MAX = 2000;

/** The "Copy prompt with seed" button: `copy-seed:<parent jobid>` (the seed record's key in storage). */
export const COPY_SEED_PREFIX = 'copy-seed';

/** The custom id of the copy button for a job, when it fits Discord's 100 characters. */
export const copySeedCustomId = (jobid: string): string | undefined => {
  const id = `${COPY_SEED_PREFIX}:${jobid}`;
  return id.length <= CUSTOM_ID_MAX ? id : undefined;
};

/** `--seed N` and `--sameseed [N]` already in a prompt (also with the dash a phone makes of `--`). */
const seedParameter = /(?:^|\s+)(?:--|[—–])(?:seed|sameseed)(?:\s+\d+)?(?=\s|$)/gi;

/** The prompt with `--seed N` appended in place of any seed it had: ready to paste into /imagine. */
export function promptWithSeed(prompt: string, seed: number): string {
  const rest = prompt.replace(seedParameter, '').trim();
  return rest ? `${rest} --seed ${seed}` : `--seed ${seed}`;
}

/**
 * What the copy button answers, as plain text (on a phone a long press copies a whole message, never one code span):
 * the prompt ready for /imagine, then the bare `--seed N` on its own line. A prompt too long for one message goes in
 * a text file instead.
 */
export function copySeedReply(record: SeedRecord): { content: string; file?: AttachedImage } {
  const seedLine = `--seed ${record.seed}`;
  if (!record.prompt?.trim()) return { content: seedLine };
  const full = promptWithSeed(record.prompt, record.seed);
  const content = `${full}\n${seedLine}`;
  if (content.length <= CONTENT_MAX) return { content };
  return {
    content: seedLine,
    file: { name: 'prompt.txt', data: Buffer.from(`${full}\n`, 'utf8'), contentType: 'text/plain' },
  };
}
/** At most `max` characters, an ellipsis marking a cut (Discord refuses longer embed fields). */
export const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, max - 1)}…`;

export const jumpLink = (
  server: string | undefined,
  channel: string | undefined,
  message: string | undefined,
) =>
  channel && message ? `https://discord.com/channels/${server ?? '@me'}/${channel}/${message}` : undefined;

/** Attachment names Discord accepts in attachment:// links. */
export const safeFilename = (name: string, index: number): string => {
  const cleaned = name
    .replace(/[^A-Za-z0-9_.-]/g, '_')
    .replace(/_+/g, '_')
    .slice(-80);
  return cleaned && /\.[a-z0-9]{2,5}$/i.test(cleaned) ? cleaned : `seed_image_${index + 1}.png`;
};

interface SeedReplyOptions {
  /** The seed from the prompt, not stored yet: no copy button, the images follow. */
  partial?: boolean;
  /** The seed first, its images in the next edit. */
  imagesPending?: boolean;
  mentionUserId?: string;
}

/** The lines under the seed: where it came from, and where its images are when they are not shown. */
function seedNotes(
  record: SeedRecord,
  t: Translate,
  images: ImagesOutcome,
  options: SeedReplyOptions,
): string[] {
  const notes: string[] = [];
  if (record.source === 'prompt') notes.push(t('reply.fromPrompt'));
  if (options.partial) notes.push(t('reply.imagesPending'));
  else if (options.imagesPending) notes.push(t('reply.imagesFollow'));
  else if (images.linkedBecause)
    notes.push(t('reply.imagesLinked', { reason: t(`reason.${images.linkedBecause}`) }));
  else if (record.images.length === 0 && !record.grid) notes.push(t('reply.imagesUnavailable'));
  return notes;
}

function seedFields(
  record: SeedRecord,
  t: Translate,
  link: string | undefined,
): NonNullable<APIEmbed['fields']> {
  const fields: NonNullable<APIEmbed['fields']> = [];
  if (record.prompt) fields.push({ name: t('reply.promptField'), value: truncate(record.prompt, 1024) });
  // A message whose job nobody knows has no job to name: its jump link says where it is.
  if (!isMessageSeedKey(record.jobid))
    fields.push({ name: t('reply.jobField'), value: truncate(`\`${record.jobid}\``, 1024) });
  if (link) fields.push({ name: t('reply.original'), value: `[${t('reply.jump')}](${link})` });
  return fields;
}

/** What the gallery shows: the attached files, else the (refreshed) links; nothing while the images are to follow. */
function galleryImageUrls(record: SeedRecord, images: ImagesOutcome, options: SeedReplyOptions): string[] {
  if (options.partial || options.imagesPending) return [];
  if (images.files.length) return images.files.map((f) => `attachment://${f.name}`);
  return images.urls ?? record.images.map((i) => i.url);
}

/** Embeds sharing one url render as a gallery; the first one carries the text. */
function galleryEmbeds(first: APIEmbed, galleryUrl: string, imageUrls: string[]): APIEmbed[] {
  const embeds: APIEmbed[] = imageUrls
    .slice(0, 4)
    .map((url, i) => (i === 0 ? { ...first, image: { url } } : { url: galleryUrl, image: { url } }));
  return embeds.length > 0 ? embeds : [first];
}

/** The "Copy prompt with seed" button, when its custom id fits. */
function copySeedRow(jobid: string, t: Translate): APIActionRowComponent<APIComponentInMessageActionRow>[] {
  const customId = copySeedCustomId(jobid);
  if (!customId) return [];
  return [
    {
      type: ComponentType.ActionRow,
      components: [
        {
          type: ComponentType.Button,
          style: ButtonStyle.Secondary,
          custom_id: customId,
          label: truncate(t('button.copySeed'), 80),
          emoji: { name: '📋' },
        },
      ],
    },
  ];
}

/** The answer: seed as `--seed N`, prompt, jump link, jobid, and the four images as one 2x2 gallery. */
export function seedReply(
  record: SeedRecord,
  t: Translate,
  images: ImagesOutcome,
  options: SeedReplyOptions = {},
): ReplyBody {
  const link = jumpLink(record.server, record.channel, record.messageId);
  const galleryUrl = link ?? `https://discord.com/seed/${encodeURIComponent(record.jobid)}`;
  const first: APIEmbed = {
    title: truncate(t('reply.title', { seed: record.seed }), 256),
    url: galleryUrl,
    description: truncate(
      [`\`--seed ${record.seed}\``, ...seedNotes(record, t, images, options)].join('\n'),
      4096,
    ),
    color: EMBED_COLOR,
    fields: seedFields(record, t, link),
  };
  const content = options.mentionUserId
    ? t('reply.lateMention', { user: `<@${options.mentionUserId}>` })
    : '';
  return {
    content,
    embeds: galleryEmbeds(first, galleryUrl, galleryImageUrls(record, images, options)),
    // Not on a partial answer: its seed is not stored yet, so the button would find nothing.
    components: options.partial ? [] : copySeedRow(record.jobid, t),
  };
}

export function progressReply(progress: Progress, t: Translate, now = Date.now()): ReplyBody {
  const text = progressText(progress, t, now);
  return { content: text, embeds: [] };
}

function progressText(progress: Progress | SeedStatus, t: Translate, now: number): string {
  switch (progress.phase) {
    case 'accepted':
      return t('progress.accepted');
    case 'queued':
      return t('progress.queued', { position: progress.position });
    case 'asking':
      return t('progress.asking');
    case 'waiting':
      return t('progress.waiting', { elapsed: Math.max(0, Math.round((now - progress.startedAt) / 1000)) });
    case 'busy':
      return t('progress.busy', { seconds: Math.ceil(progress.retryInMs / 1000) });
    case 'joined':
      return t('progress.joined');
    case 'retrying':
      if (progress.seedPending)
        return t('progress.seedPending', { seconds: Math.ceil(progress.retryInMs / 1000) });
      return t(progress.upstream === 'midjourney-proxy' ? 'progress.proxyRetrying' : 'progress.retrying', {
        attempt: progress.attempt,
        seconds: Math.ceil(progress.retryInMs / 1000),
      });
  }
}

// Exhaustive on purpose: a new error kind does not compile until it names what the member reads.
const seedErrorKeys: Record<SeedErrorKind, MessageKey> = {
  held: 'error.held',
  job_failed: 'error.jobFailed',
  job_moderated: 'error.moderated',
  job_cancelled: 'error.jobFailed',
  deadline: 'error.timeout',
  shutting_down: 'error.shuttingDown',
};

/** `error.internal` shows the reference id: what an operator must look up, never a member's own mistake. */
const upstreamErrorKeys: Record<UpstreamErrorKind, MessageKey> = {
  jobid_missing: 'error.internal',
  too_long: 'error.internal',
  parent_not_completed: 'error.notFinished',
  unsupported_job: 'error.unsupported',
  account_missing: 'error.accountMissing',
  bad_request: 'error.internal',
  unauthorized: 'error.unauthorized',
  no_subscription: 'error.noSubscription',
  not_found: 'error.notFound',
  conflict: 'error.internal',
  moderated: 'error.moderated',
  busy: 'error.busy',
  unavailable: 'error.unavailable',
  untrackable: 'error.unavailable',
  pending_moderation: 'error.held',
  account_unavailable: 'error.held',
  seed_pending: 'error.seedPending',
  seed_failed: 'error.jobFailed',
  timeout: 'error.timeout',
  network: 'error.unavailable',
  bad_response: 'error.unavailable',
  discontinued: 'error.discontinued',
};

/** Where a midjourney-proxy's answer needs other words than useapi's (the rest are the same for both). */
const proxyErrorKeys: Partial<Record<UpstreamErrorKind, MessageKey>> = {
  not_found: 'error.proxy.notFound',
  unauthorized: 'error.proxy.unauthorized',
  unavailable: 'error.proxy.unavailable',
  network: 'error.proxy.unavailable',
  bad_response: 'error.proxy.unavailable',
};

/** The message key and parameters for any error; unknown errors get a reference id, never their message. */
export function errorMessage(
  error: unknown,
  ref: string,
): { key: MessageKey; params: Record<string, string | number> } {
  if (isUserFacingError(error)) return { key: error.key, params: error.params };
  if (isSeedError(error)) return { key: seedErrorKeys[error.kind], params: {} };
  if (isStorageUnavailable(error)) return { key: 'error.storageUnavailable', params: {} };
  if (isUpstreamError(error)) {
    if (error.kind === 'unsupported_job' && error.verb?.includes('video'))
      return { key: 'error.video', params: {} };
    const key =
      (error.source === 'midjourney-proxy' ? proxyErrorKeys[error.kind] : undefined) ??
      upstreamErrorKeys[error.kind];
    if (key === 'error.unsupported') return { key, params: { verb: error.verb ?? 'other' } };
    return { key, params: key === 'error.internal' ? { ref } : {} };
  }
  return { key: 'error.internal', params: { ref } };
}

export function errorReply(error: unknown, t: Translate, ref: string, mentionUserId?: string): ReplyBody {
  const { key, params } = errorMessage(error, ref);
  const text = t(key, params);
  return { content: mentionUserId ? `<@${mentionUserId}> ${text}` : text, embeds: [], components: [] };
}
