// The Notifier port over Discord's REST API. It needs only what a stored request holds (application id and
// interaction token, channel, user), so a request accepted by one process or before a restart is answered the same way.
// Within the token's 15 minutes it edits the original reply; after that, or when the edit fails, it posts in the
// channel and mentions the member; when it can't post there, it sends a DM.
// The seed comes first: an answer with images is two edits, the seed (text, `--seed N`, the copy button) at once and
// the four images as soon as they are downloaded, never the other way round.
import { randomBytes } from 'node:crypto';
import {
  type Client,
  DiscordAPIError,
  Events,
  InteractionWebhook,
  type MessageMentionOptions,
  MessagePayload,
  type MessageTarget,
  RESTJSONErrorCodes,
  Routes,
} from 'discord.js';
import type { Logger } from 'pino';
import { type Translate, translator } from '../i18n/index.js';
import type { SeedRecord, SeedRequest } from '../seed/model/types.js';
import type { DeliveredVia, Notifier, Progress } from '../seed/ports.js';
import { DEFAULT_UPLOAD_LIMIT, type ImageFetcher } from './images.js';
import {
  type AttachedImage,
  errorReply,
  type ImagesOutcome,
  progressReply,
  type ReplyBody,
  seedReply,
} from './replies.js';

/** Interaction tokens live 15 minutes; past 14.5 we don't try the edit. */
const INTERACTION_TOKEN_TTL_MS = 15 * 60 * 1000;
const TOKEN_MARGIN_MS = 30_000;

// Discord answers these when the interaction webhook is gone (expired token, unknown webhook/interaction).
const EXPIRED_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.UnknownWebhook,
  RESTJSONErrorCodes.UnknownInteraction,
  RESTJSONErrorCodes.InvalidWebhookToken,
]);
// The channel is gone or closed to the bot, or the member takes no DMs from it.
const CANT_POST_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
]);

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

const isExpired = (error: unknown) =>
  error instanceof DiscordAPIError && (EXPIRED_CODES.has(Number(error.code)) || error.status === 401);
const cantPost = (error: unknown) =>
  error instanceof DiscordAPIError &&
  (CANT_POST_CODES.has(Number(error.code)) || error.status === 403 || error.status === 404);

/**
 * A body built by discord.js's own MessagePayload (attachment ids, allowed mentions, flags as Discord's API wants them).
 * The files keep the content type the images were served with instead of one sniffed from their bytes.
 */
function payloadFor(
  target: MessageTarget,
  body: ReplyBody,
  files: AttachedImage[],
  allowedMentions: MessageMentionOptions,
): MessagePayload {
  const payload = MessagePayload.create(target, {
    content: body.content,
    embeds: body.embeds,
    components: body.components ?? [],
    files: files.map((f) => ({ attachment: f.data, name: f.name })),
    allowedMentions,
  }).resolveBody();
  payload.files = files.map((f) => ({ name: f.name, data: f.data, contentType: f.contentType }));
  return payload;
}

const CRLF = Buffer.from('\r\n');

/**
 * The multipart body of a message with files, as one Buffer: `files[n]` then `payload_json`, the form Discord reads.
 * @discordjs/rest would copy each image into a Blob and stream the form through web streams, which cost more CPU than
 * the rest of an answer (`npm run bench -- --profile`); the bytes are the same. (It takes a Buffer as it is; any other
 * body, a list of pieces too, it copies into one first.) File names come from safeFilename (letters, digits, `_.-`),
 * so they need no quoting.
 */
function multipartBody(body: unknown, files: AttachedImage[]) {
  const boundary = `seed-bot-${randomBytes(16).toString('hex')}`;
  const pieces: Buffer[] = [];
  files.forEach((f, n) => {
    pieces.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files[${n}]"; filename="${f.name}"\r\n` +
          `Content-Type: ${f.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.data,
      CRLF,
    );
  });
  pieces.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\n` +
        `Content-Type: application/json\r\n\r\n${JSON.stringify(body)}\r\n--${boundary}--\r\n`,
    ),
  );
  return {
    data: Buffer.concat(pieces),
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
  };
}

export function createDiscordNotifier(deps: DiscordNotifierDeps): Notifier {
  const now = deps.now ?? Date.now;
  const uploadLimit = deps.uploadLimit ?? (() => DEFAULT_UPLOAD_LIMIT);
  // Requests whose token Discord refused: not tried again (each refusal counts toward Discord's invalid-request ban).
  const refused = new Set<string>();
  const tokenUsable = (r: SeedRequest) =>
    !refused.has(r.id) && now() - r.createdAt < INTERACTION_TOKEN_TTL_MS - TOKEN_MARGIN_MS;
  // discord.js types an interaction webhook with a logged-in client; the first READY gives one (it stays usable for
  // REST across gateway reconnects). Nothing is delivered before it: open requests resume after READY.
  let ready = deps.client.isReady() ? deps.client : undefined;
  deps.client.once(Events.ClientReady, (client) => {
    ready = client;
  });
  const webhookOf = (request: SeedRequest): InteractionWebhook => {
    if (!ready) throw new Error('the Discord client has not been ready yet');
    return new InteractionWebhook(ready, request.applicationId, request.interactionToken);
  };
  // Images are the heavy part of an answer (a few MiB down and up, most of its CPU): a burst of answers takes them
  // a few at a time, so the seeds of the whole burst go out first instead of waiting behind everyone's images.
  const imageSlots = createSlots(IMAGE_DELIVERIES);
  // Requests whose seed is on screen without its images (shown from the prompt, or the first of two edits): their
  // answer is one edit more, the images. Forgotten once answered; after a restart the seed is shown again first.
  const seedShown = new Set<string>();

  async function editOriginal(request: SeedRequest, body: ReplyBody, files: AttachedImage[] = []) {
    if (!tokenUsable(request)) return false;
    try {
      const webhook = webhookOf(request);
      const payload = payloadFor(webhook, body, files, { parse: [] });
      // The request InteractionWebhook.editMessage sends, without building (and caching) a Message of the answer
      // nobody reads here; a form with files is built in one piece.
      const route = Routes.webhookMessage(request.applicationId, request.interactionToken, '@original');
      if (files.length === 0) await webhook.client.rest.patch(route, { body: payload.body, auth: false });
      else {
        const form = multipartBody(payload.body, files);
        await webhook.client.rest.patch(route, {
          body: form.data,
          passThroughBody: true,
          headers: form.headers,
          auth: false,
        });
      }
      return true;
    } catch (error) {
      if (!isExpired(error)) throw error;
      if (refused.size >= 10_000) refused.clear();
      refused.add(request.id);
      return false;
    }
  }

  async function postLate(
    request: SeedRequest,
    body: ReplyBody,
    files: AttachedImage[],
  ): Promise<DeliveredVia> {
    const mentions: MessageMentionOptions = { users: [request.userId] };
    // A private request is answered privately.
    if (request.channelId && !request.ephemeral) {
      try {
        // From the cache (the Guilds intent fills it) or GET /channels/{id}; in a process whose shard does not own
        // the guild, too.
        const channel = await deps.client.channels.fetch(request.channelId, { allowUnknownGuild: true });
        if (channel?.isSendable()) {
          await channel.send(payloadFor(channel, body, files, mentions));
          return 'channel';
        }
        deps.log.info(
          { cid: request.correlationId, requestId: request.id, channelId: request.channelId },
          'the channel takes no messages; sending a DM',
        );
      } catch (error) {
        if (!cantPost(error)) throw error;
        deps.log.info(
          { cid: request.correlationId, requestId: request.id, channelId: request.channelId },
          'cannot post in the channel; sending a DM',
        );
      }
    }
    // Not cached: one DM channel per member who ever got a late answer would stay in memory for good.
    const dm = await deps.client.users.createDM(request.userId, { cache: false });
    await dm.send(payloadFor(dm, body, files, mentions));
    return 'dm';
  }

  /**
   * The record with its message's server, when the upstream does not say it (a midjourney-proxy knows only the
   * channel) and the channel is one of the bot's guilds': the jump link then opens the message.
   */
  const withServer = (record: SeedRecord): SeedRecord => {
    if (record.server || !record.channel) return record;
    const channel = deps.client.channels.cache.get(record.channel);
    return channel && 'guildId' in channel && channel.guildId
      ? { ...record, server: channel.guildId }
      : record;
  };

  /** The seed alone, its images announced. Its failure is not the answer's: the edit with the images follows. */
  async function showSeed(request: SeedRequest, record: SeedRecord, t: Translate) {
    try {
      await editOriginal(request, seedReply(record, t, { files: [] }, { imagesPending: true }));
    } catch (error) {
      deps.log.warn(
        { err: error, cid: request.correlationId, requestId: request.id },
        'could not show the seed before its images',
      );
    }
  }

  return {
    async progress(request: SeedRequest, progress: Progress) {
      const t = translator(request.locale);
      await editOriginal(request, progressReply(progress, t, now()));
    },
    async deliver(request: SeedRequest, stored: SeedRecord, options: { partial: boolean }) {
      const record = withServer(stored);
      const t = translator(request.locale);
      if (options.partial) {
        if (!(await editOriginal(request, seedReply(record, t, { files: [] }, { partial: true }))))
          return 'none';
        if (seedShown.size >= 10_000) seedShown.clear();
        seedShown.add(request.id);
        return 'edit';
      }
      // The seed goes out on its own (once) at once: the member has it before the images.
      const first =
        (record.images.length > 0 || record.grid !== undefined) &&
        !seedShown.has(request.id) &&
        tokenUsable(request)
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
        const files = images.files;
        if (await editOriginal(request, seedReply(record, t, images), files)) return 'edit';
        const late = translator(deps.guildLocale?.(request.guildId) ?? request.locale);
        return postLate(request, seedReply(record, late, images, { mentionUserId: request.userId }), files);
      });
    },
    async fail(request: SeedRequest, error: unknown) {
      const ref = request.correlationId;
      const t = translator(request.locale);
      if (await editOriginal(request, errorReply(error, t, ref))) return 'edit';
      const late = translator(deps.guildLocale?.(request.guildId) ?? request.locale);
      return postLate(request, errorReply(error, late, ref, request.userId), []);
    },
  };
}
