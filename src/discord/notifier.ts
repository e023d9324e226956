// The Notifier port over Discord's REST API. It needs only what a stored request holds (application id and
// interaction token, channel, user), so a request accepted by one process or before a restart is answered the same way.
// Within the token's 15 minutes it edits the original reply; after that, or when the edit fails, it posts in the
// channel and mentions the member; when it can't post there, it sends a DM.
import { DiscordAPIError, type RawFile, type REST, Routes } from 'discord.js';
import type { Logger } from 'pino';
import { translator } from '../i18n/index.js';
import type { DeliveredVia, Notifier, Progress } from '../seed/requests.js';
import type { SeedRecord, SeedRequest } from '../seed/types.js';
import { DEFAULT_UPLOAD_LIMIT, type ImageFetcher } from './images.js';
import { errorReply, progressReply, type ReplyBody, seedReply } from './replies.js';

/** Interaction tokens live 15 minutes; past 14.5 we don't try the edit. */
export const INTERACTION_TOKEN_TTL_MS = 15 * 60 * 1000;
const TOKEN_MARGIN_MS = 30_000;

// Discord answers these when the interaction webhook is gone (expired token, unknown webhook/interaction).
const EXPIRED_CODES = new Set([10015, 10062, 50027]);
const CANT_POST_CODES = new Set([50001, 50013, 10003, 50007]);

export interface DiscordNotifierDeps {
  rest: REST;
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

export function createDiscordNotifier(deps: DiscordNotifierDeps): Notifier & {
  /** Edit the original reply; false when the token is no longer usable. */
  editOriginal(request: SeedRequest, body: ReplyBody, files?: RawFile[]): Promise<boolean>;
} {
  const now = deps.now ?? Date.now;
  const uploadLimit = deps.uploadLimit ?? (() => DEFAULT_UPLOAD_LIMIT);
  // Requests whose token Discord refused: not tried again (each refusal counts toward Discord's invalid-request ban).
  const refused = new Set<string>();
  const tokenUsable = (r: SeedRequest) =>
    !refused.has(r.id) && now() - r.createdAt < INTERACTION_TOKEN_TTL_MS - TOKEN_MARGIN_MS;

  async function editOriginal(request: SeedRequest, body: ReplyBody, files: RawFile[] = []) {
    if (!tokenUsable(request)) return false;
    try {
      await deps.rest.patch(
        Routes.webhookMessage(request.applicationId, request.interactionToken, '@original'),
        {
          body: {
            content: body.content,
            embeds: body.embeds,
            components: body.components ?? [],
            attachments: files.map((f, id) => ({ id, filename: f.name })),
            allowed_mentions: { parse: [] },
          },
          files,
          auth: false,
        },
      );
      return true;
    } catch (error) {
      if (!isExpired(error)) throw error;
      if (refused.size >= 10_000) refused.clear();
      refused.add(request.id);
      return false;
    }
  }

  async function postLate(request: SeedRequest, body: ReplyBody, files: RawFile[]): Promise<DeliveredVia> {
    const payload = {
      content: body.content,
      embeds: body.embeds,
      components: body.components ?? [],
      attachments: files.map((f, id) => ({ id, filename: f.name })),
      allowed_mentions: { users: [request.userId] },
    };
    // A private request is answered privately.
    if (request.channelId && !request.ephemeral) {
      try {
        await deps.rest.post(Routes.channelMessages(request.channelId), { body: payload, files });
        return 'channel';
      } catch (error) {
        if (!cantPost(error)) throw error;
        deps.log.info(
          { cid: request.correlationId, requestId: request.id, channelId: request.channelId },
          'cannot post in the channel; sending a DM',
        );
      }
    }
    const dm = (await deps.rest.post(Routes.userChannels(), { body: { recipient_id: request.userId } })) as {
      id: string;
    };
    await deps.rest.post(Routes.channelMessages(dm.id), { body: payload, files });
    return 'dm';
  }

  const toRaw = (files: { name: string; data: Buffer; contentType?: string | undefined }[]): RawFile[] =>
    files.map((f) => ({ name: f.name, data: f.data, contentType: f.contentType }));

  return {
    editOriginal,
    async progress(request: SeedRequest, progress: Progress) {
      const t = translator(request.locale);
      await editOriginal(request, progressReply(progress, t, now()));
    },
    async deliver(request: SeedRequest, record: SeedRecord, options: { partial: boolean }) {
      const images = options.partial
        ? { files: [] }
        : await deps.images.prepare(
            record.images,
            uploadLimit(request.guildId),
            deps.log.child({ cid: request.correlationId, requestId: request.id }),
          );
      const files = toRaw(images.files);
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
