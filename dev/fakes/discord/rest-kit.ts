import {
  ApplicationCommandType,
  ChannelType,
  InteractionType,
  MessageFlags,
  MessageType,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import {
  apiMessage,
  apiUser,
  type ChannelState,
  type GuildState,
  type StoredMessage,
  snowflake,
} from '../interaction-data.js';
import { checkMessage, formatPath, type Issue, isEmptyMessage, nestErrors, type Path } from './checks.js';
import {
  apiError,
  type Ctx,
  HttpError,
  type InteractionState,
  isRecord,
  type Reply,
  uploadLimit,
} from './common.js';
import type { World } from './world.js';

export function createRestKit(w: World) {
  const { token, violations, guilds, users, dmChannels, messages, findChannel } = w;
  const requireBot = (ctx: Ctx): void => {
    if (ctx.headers.authorization !== `Bot ${token}`) throw apiError(401, 0, '401: Unauthorized');
  };

  const reject = (ctx: Ctx, issues: Issue[]): never => {
    for (const i of issues) {
      violations.push(
        `${ctx.method} ${ctx.label}: ${formatPath(i.path)}: ${i.message}${i.detail ? ` (${i.detail})` : ''}`,
      );
    }
    throw new HttpError(400, { code: 50035, message: 'Invalid Form Body', errors: nestErrors(issues) });
  };

  const refuse = (ctx: Ctx, status: number, code: number, message: string): never => {
    violations.push(`${ctx.method} ${ctx.label}: ${message}`);
    throw apiError(status, code, message);
  };

  const checkUploads = (ctx: Ctx, guildId: string | undefined): void => {
    const limit = uploadLimit(guildId ? (guilds.get(guildId)?.premiumTier ?? 0) : 0);
    if (ctx.uploads.length > 10)
      reject(ctx, [
        { path: ['files'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' },
      ]);
    const big = ctx.uploads.find((u) => u.size > limit);
    if (big)
      refuse(
        ctx,
        413,
        RESTJSONErrorCodes.RequestEntityTooLarge,
        `Request entity too large (${big.filename}: ${big.size} bytes)`,
      );
  };

  const validateMessage = (
    ctx: Ctx,
    payload: unknown,
    path: Path,
    creating: boolean,
  ): Record<string, unknown> => {
    const issues: Issue[] = [];
    checkMessage(issues, payload, path);
    if (issues.length) reject(ctx, issues);
    const p = isRecord(payload) ? payload : {};
    if (creating && isEmptyMessage(p, ctx.uploads)) {
      refuse(ctx, 400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message');
    }
    return p;
  };

  const interactionMessageType = (st: InteractionState): number =>
    st.type !== InteractionType.ApplicationCommand
      ? MessageType.Default
      : st.commandType === ApplicationCommandType.ChatInput
        ? MessageType.ChatInputCommand
        : MessageType.ContextMenuCommand;

  const channelOr404 = (id: string): ChannelState => {
    const c = findChannel(id);
    if (!c) throw apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
    return c;
  };

  const channelMessage = (channelId: string, messageId: string): StoredMessage => {
    channelOr404(channelId);
    const m = messages.get(messageId);
    if (!m || m.channel_id !== channelId || ((m.flags ?? 0) & MessageFlags.Ephemeral) !== 0) {
      throw apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
    }
    return m;
  };

  const guildOr404 = (id: string): GuildState => {
    const g = guilds.get(id);
    if (!g) throw apiError(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild');
    return g;
  };

  const messageReply = (m: StoredMessage): Reply => ({ status: 200, body: apiMessage(m) });

  const dmChannelFor = (userId: string): ChannelState => {
    let channel = dmChannels.get(userId);
    if (!channel) {
      const user = users.get(userId) ?? apiUser({ id: userId });
      users.set(userId, user);
      channel = {
        id: snowflake(),
        name: '',
        type: ChannelType.DM,
        position: 0,
        botCanSend: true,
        recipient: user,
      };
      dmChannels.set(userId, channel);
    }
    return channel;
  };
  return {
    requireBot,
    reject,
    refuse,
    checkUploads,
    validateMessage,
    interactionMessageType,
    channelOr404,
    channelMessage,
    guildOr404,
    messageReply,
    dmChannelFor,
  };
}

export type RestKit = ReturnType<typeof createRestKit>;
