// The Notifier port over Discord's REST API. It needs only what a stored request holds (application id and
// interaction token, channel, user), so a request accepted by one process or before a restart is answered the same way.
// Within the token's 15 minutes it edits the original reply; after that, or when the edit fails, it posts in the
// channel and mentions the member; when it can't post there, it sends a DM.
// The seed comes first: an answer with images is two edits, the seed (text, `--seed N`, the copy button) at once and
// the four images as soon as they are downloaded, never the other way round.
import type { Client } from 'discord.js';
import type { Logger } from 'pino';
import { type Translate, translator } from '../i18n/index.js';
import type { SeedRecord, SeedRequest } from '../seed/model/types.js';
import type { Notifier, Progress } from '../seed/ports.js';
import { DEFAULT_UPLOAD_LIMIT, type ImageFetcher } from './images.js';
import { createLateAnswer } from './late-answer.js';
import { createOriginalReply } from './original-reply.js';
import { errorReply, type ImagesOutcome, progressReply, seedReply } from './replies.js';

export interface DiscordNotifierDeps {
  /** Its REST manager sends everything; discord.js builds the bodies (MessagePayload). Need not be logged in yet. */
  client: Client;
  images: ImageFetcher;
  log: Logger;
  /** Upload limit of a guild (boosts raise it). */
  uploadLimit?: (guildId: string | undefined) => number;
  /** Locale for messages posted outside the interaction (guild's preferred locale). */
  guildLocale?: (guildId: string | undefined) => string | undefined;
  now?: () => number;
  newRef?: () => string;
}

/**
 * Answers whose images are downloaded and uploaded at once. Four streams fill an uplink (the images are MiBs); more
 * only spread a burst's CPU over its seeds: at 100 answers at once, 4 put every seed on screen in under 200 ms where 8
 * and 16 took 230-300 ms, for the same time to the last image (npm run bench, rows 2v and 2).
 */
const IMAGE_DELIVERIES = 4;

/** Runs at most `n` tasks at once; the others wait their turn, first come first served. */
function createSlots(n: number) {
  let free = n;
  const waiting: (() => void)[] = [];
  return async <T>(task: () => Promise<T>): Promise<T> => {
    if (free > 0) free--;
    else await new Promise<void>((resolve) => waiting.push(resolve));
    try {
      return await task();
    } finally {
      const next = waiting.shift();
      if (next) next();
      else free++;
    }
  };
}

/**
 * The record with its message's server, when the upstream does not say it (a midjourney-proxy knows only the
 * channel) and the channel is one of the bot's guilds': the jump link then opens the message.
 */
function withServer(client: Client, record: SeedRecord): SeedRecord {
  if (record.server || !record.channel) return record;
  const channel = client.channels.cache.get(record.channel);
  return channel && 'guildId' in channel && channel.guildId ? { ...record, server: channel.guildId } : record;
}

export function createDiscordNotifier(deps: DiscordNotifierDeps): Notifier {
  const now = deps.now ?? Date.now;
  const uploadLimit = deps.uploadLimit ?? (() => DEFAULT_UPLOAD_LIMIT);
  const original = createOriginalReply({ client: deps.client, now });
  const postLate = createLateAnswer({ client: deps.client, log: deps.log });
  /** Past the interaction, the words follow the guild's locale: the channel reads them, not only the member. */
  const lateTranslator = (request: SeedRequest) =>
    translator(deps.guildLocale?.(request.guildId) ?? request.locale);
  // Images are the heavy part of an answer (a few MiB down and up, most of its CPU): a burst of answers takes them
  // a few at a time, so the seeds of the whole burst go out first instead of waiting behind everyone's images.
  const imageSlots = createSlots(IMAGE_DELIVERIES);
  // Requests whose seed is on screen without its images (shown from the prompt, or the first of two edits): their
  // answer is one edit more, the images. Forgotten once answered; after a restart the seed is shown again first.
  const seedShown = new Set<string>();

  /** The seed alone, its images announced. Its failure is not the answer's: the edit with the images follows. */
  async function showSeed(request: SeedRequest, record: SeedRecord, t: Translate) {
    try {
      await original.edit(request, seedReply(record, t, { files: [] }, { imagesPending: true }));
    } catch (error) {
      deps.log.warn(
        { err: error, cid: request.correlationId, requestId: request.id },
        'could not show the seed before its images',
      );
    }
  }

  /** The seed from the prompt, before it is stored: shown at once, its images in the answer that follows. */
  async function deliverPartial(request: SeedRequest, record: SeedRecord, t: Translate) {
    if (!(await original.edit(request, seedReply(record, t, { files: [] }, { partial: true }))))
      return 'none';
    if (seedShown.size >= 10_000) seedShown.clear();
    seedShown.add(request.id);
    return 'edit';
  }

  /** The whole answer: the seed on its own first (once, when images follow), then the edit with the images. */
  function deliverWithImages(request: SeedRequest, record: SeedRecord, t: Translate) {
    const first =
      (record.images.length > 0 || record.grid !== undefined) &&
      !seedShown.has(request.id) &&
      original.usable(request)
        ? showSeed(request, record, t)
        : Promise.resolve();
    return imageSlots(async () => {
      let images: ImagesOutcome;
      try {
        images = await deps.images.prepare(
          record,
          uploadLimit(request.guildId),
          deps.log.child({ cid: request.correlationId, requestId: request.id }),
        );
      } finally {
        // Never an edit over a later one: the images wait for the seed's edit to be done.
        await first;
        seedShown.delete(request.id);
      }
      if (await original.edit(request, seedReply(record, t, images), images.files)) return 'edit';
      const late = seedReply(record, lateTranslator(request), images, { mentionUserId: request.userId });
      return postLate(request, late, images.files);
    });
  }

  return {
    async progress(request: SeedRequest, progress: Progress) {
      await original.edit(request, progressReply(progress, translator(request.locale), now()));
    },
    async deliver(request: SeedRequest, stored: SeedRecord, options: { partial: boolean }) {
      const record = withServer(deps.client, stored);
      const t = translator(request.locale);
      return options.partial ? deliverPartial(request, record, t) : deliverWithImages(request, record, t);
    },
    async fail(request: SeedRequest, error: unknown) {
      const ref = request.correlationId;
      if (await original.edit(request, errorReply(error, translator(request.locale), ref))) return 'edit';
      return postLate(request, errorReply(error, lateTranslator(request), ref, request.userId), []);
    },
  };
}
