// The core's records. They are what storage keeps, so every field is plain JSON.

export interface ImageMeta {
  url: string;
  filename: string;
  width?: number | undefined;
  height?: number | undefined;
  size?: number | undefined;
  contentType?: string | undefined;
}

/**
 * The Midjourney output as one image: a grid (its four images are its quadrants) or a single image (an upscale).
 * Where the four images come from when nobody gave them separately: the attachment of the Midjourney message.
 */
export interface GridSource extends ImageMeta {
  kind: 'grid' | 'single';
}

/**
 * A seed the message already gives (`--seed N` in its prompt), before anything goes upstream: with the channel of the
 * job's message when the upstream said it, and the message's own image (`grid`) when it has one.
 */
export interface KnownSeed {
  seed: number;
  prompt?: string | undefined;
  channelId?: string | undefined;
  grid?: GridSource | undefined;
}

/**
 * Seeds never change, but a store must not grow for ever: a seed (and the index entry of its job) is kept 90 days
 * after it was retrieved (useapi keeps jobs at least 31), then asked for again if anyone wants it.
 */
export const KEEP_SEEDS_MS = 90 * 24 * 60 * 60 * 1000;

/** A retrieved seed: what the reply shows. Kept KEEP_SEEDS_MS. */
export interface SeedRecord {
  jobid: string;
  seed: number;
  prompt?: string | undefined;
  /** The seed_async job that retrieved it, when there was one. */
  seedJobId?: string | undefined;
  server?: string | undefined;
  channel?: string | undefined;
  messageId?: string | undefined;
  /** Account channel (from the jobid). */
  accountChannel?: string | undefined;
  images: ImageMeta[];
  /** The grid to cut the four images from, when `images` is empty (a seed from the prompt, an upstream without them). */
  grid?: GridSource | undefined;
  retrievedAt: number;
  /** Where the seed came from: the upstream that retrieved it, or the `--seed N` already written in the prompt. */
  source: 'useapi' | 'midjourney-proxy' | 'prompt';
}

/** What the job index knows about one upstream job. Keyed by Discord message id and Midjourney job UUID. */
export interface IndexEntry {
  jobid: string;
  verb?: string | undefined;
  status?: string | undefined;
  /** Discord guild of the Midjourney message; absent for DM setups. */
  server?: string | undefined;
  /** Discord channel of the Midjourney message (also the account channel). */
  channel?: string | undefined;
  messageId?: string | undefined;
  /** Further Discord messages of the same result (a midjourney-proxy's `messageIds`). */
  messageIds?: string[] | undefined;
  prompt?: string | undefined;
  parentJobId?: string | undefined;
  /** Button that produced this job (U1..U4, V1..V4, ...). */
  button?: string | undefined;
  /** The Discord user mentioned in the Midjourney message (`<@id>`): who made the image. */
  ownerId?: string | undefined;
  children: { button: string; jobid: string; messageId?: string | undefined }[];
  /** Midjourney job UUIDs found in the job's attachments. */
  uuids: string[];
  /** When the bot last saw this job (ms). */
  seen: number;
  /** When the upstream created the job (ms), if known. */
  created?: number | undefined;
  /** The job's own image (its grid, or one upscale): with a seed in the prompt, the answer needs nothing upstream. */
  grid?: GridSource | undefined;
}

export type RequestState =
  | 'accepted' // stored, not yet sent upstream
  | 'queued' // waiting for a free slot on the account
  | 'held' // account channel waiting for a moderator (596)
  | 'running' // seed_async sent, following the job
  | 'delivering' // result known, reply being written
  | 'done'
  | 'failed';

export const OPEN_STATES: ReadonlySet<RequestState> = new Set([
  'accepted',
  'queued',
  'held',
  'running',
  'delivering',
]);

/** A request a member made; stored before the first upstream call so that nothing accepted is lost. */
export interface SeedRequest {
  id: string; // the interaction id
  correlationId: string;
  jobid: string;
  accountChannel?: string | undefined;
  // Who asked and where, so any process can answer later.
  applicationId: string;
  interactionToken: string;
  guildId?: string | undefined;
  channelId?: string | undefined;
  userId: string;
  locale: string;
  ephemeral: boolean;
  /** Discord message the job came from, for the jump link when the upstream doesn't say. */
  messageId?: string | undefined;
  state: RequestState;
  seedJobId?: string | undefined;
  createdAt: number;
  updatedAt: number;
  attempts: number;
  /** Error kind of the last failure, for status pages. Never a raw upstream message. */
  lastError?: string | undefined;
  /** How the result reached the member: edit of the original reply, a channel message, a DM. */
  deliveredVia?: 'edit' | 'channel' | 'dm' | 'none' | undefined;
}

/** An account on hold: useapi answered 596, or a midjourney-proxy has no usable account. */
export interface Hold {
  channel: string;
  since: number;
  moderationText?: string | undefined;
  /** The alert message posted for this incident, if any. */
  alertMessageId?: string | undefined;
  alertChannelId?: string | undefined;
  incidentId: string;
}

export interface ResetAudit {
  channel: string;
  by: string; // user id
  at: number;
  result: 'ok' | 'still_pending' | 'unauthorized' | 'not_found' | 'error';
  incidentId?: string | undefined;
}

/** A seed job is being retrieved for a parent job; `seedJobId` once the upstream named it. Lets callbacks be recognised. */
export interface FlightMarker {
  seedJobId?: string | undefined;
}

/** One of the jobs a guild saw last (autocomplete), newest first in its list. */
export interface RecentJob {
  jobid: string;
  prompt?: string | undefined;
  messageId?: string | undefined;
  /** Who made the image, when the Midjourney message said so (SEED_ACCESS=owner lists only one's own jobs). */
  ownerId?: string | undefined;
  seen: number;
}
