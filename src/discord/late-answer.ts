// An answer past the interaction token (or after the edit failed): posted in the request's channel with a mention,
// or as a DM when the bot can't post there. A private request is answered privately.
import {
  type Client,
  DiscordAPIError,
  type MessageMentionOptions,
  type MessagePayload,
  type MessageTarget,
  RESTJSONErrorCodes,
} from 'discord.js';
import type { Logger } from 'pino';
import type { SeedRequest } from '../seed/model/types.js';
import type { DeliveredVia } from '../seed/ports.js';
import { payloadFor } from './message-payload.js';
import type { AttachedImage, ReplyBody } from './replies.js';

// The channel is gone or closed to the bot, or the member takes no DMs from it.
const CANT_POST_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.CannotSendMessagesToThisUser,
]);

const cantPost = (error: unknown) =>
  error instanceof DiscordAPIError &&
  (CANT_POST_CODES.has(Number(error.code)) || error.status === 403 || error.status === 404);

/** The message for one place it may go (the channel, else the DM). */
type PayloadTo = (target: MessageTarget) => MessagePayload;

type PostLate = (request: SeedRequest, body: ReplyBody, files: AttachedImage[]) => Promise<DeliveredVia>;

export function createLateAnswer(deps: { client: Client; log: Logger }): PostLate {
  /** Posts in the request's channel; false when that channel takes no messages from the bot. */
  async function postInChannel(request: SeedRequest, channelId: string, payloadTo: PayloadTo) {
    const where = { cid: request.correlationId, requestId: request.id, channelId };
    try {
      // From the cache (the Guilds intent fills it) or GET /channels/{id}; in a process whose shard does not own
      // the guild, too.
      const channel = await deps.client.channels.fetch(channelId, { allowUnknownGuild: true });
      if (channel?.isSendable()) {
        await channel.send(payloadTo(channel));
        return true;
      }
      deps.log.info(where, 'the channel takes no messages; sending a DM');
    } catch (error) {
      if (!cantPost(error)) throw error;
      deps.log.info(where, 'cannot post in the channel; sending a DM');
    }
    return false;
  }

  return async (request, body, files) => {
    const mentions: MessageMentionOptions = { users: [request.userId] };
    const payloadTo: PayloadTo = (target) => payloadFor(target, body, files, mentions);
    if (
      request.channelId &&
      !request.ephemeral &&
      (await postInChannel(request, request.channelId, payloadTo))
    )
      return 'channel';
    // Not cached: one DM channel per member who ever got a late answer would stay in memory for good.
    const dm = await deps.client.users.createDM(request.userId, { cache: false });
    await dm.send(payloadTo(dm));
    return 'dm';
  };
}
