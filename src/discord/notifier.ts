// The Notifier port over Discord's REST API. It needs only what a stored request holds (application id and
// interaction token, channel, user), so a request accepted by one process or before a restart is answered the same way.
// Within the token's 15 minutes it edits the original reply; after that, or when the edit fails, it posts in the
// channel and mentions the member; when it can't post there, it sends a DM.
import {
  type Client,
  DiscordAPIError,
  Events,
  InteractionWebhook,
  type MessageMentionOptions,
  MessagePayload,
  type MessageTarget,
  RESTJSONErrorCodes,
} from 'discord.js';
import type { Logger } from 'pino';
import { translator } from '../i18n/index.js';
import type { SeedRecord, SeedRequest } from '../seed/model/types.js';
import type { DeliveredVia, Notifier, Progress } from '../seed/ports.js';
import { DEFAULT_UPLOAD_LIMIT, type ImageFetcher } from './images.js';
import { type AttachedImage, errorReply, progressReply, type ReplyBody, seedReply } from './replies.js';

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

  async function editOriginal(request: SeedRequest, body: ReplyBody, files: AttachedImage[] = []) {
    if (!tokenUsable(request)) return false;
    try {
      const webhook = webhookOf(request);
      await webhook.editMessage('@original', payloadFor(webhook, body, files, { parse: [] }));
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

  return {
    async progress(request: SeedRequest, progress: Progress) {
      const t = translator(request.locale);
      await editOriginal(request, progressReply(progress, t, now()));
    },
    async deliver(request: SeedRequest, stored: SeedRecord, options: { partial: boolean }) {
      const record = withServer(stored);
      const images = options.partial
        ? { files: [] }
        : await deps.images.prepare(
            record,
            uploadLimit(request.guildId),
            deps.log.child({ cid: request.correlationId, requestId: request.id }),
          );
      const files = images.files;
      const t = translator(request.locale);
      if (await editOriginal(request, seedReply(record, t, images, { partial: options.partial }), files))
        return 'edit';
      if (options.partial) return 'none';
      const late = translator(deps.guildLocale?.(request.guildId) ?? request.locale);
      return postLate(request, seedReply(record, late, images, { mentionUserId: request.userId }), files);
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
