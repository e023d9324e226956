// What REST routes look up by id, answered 404 with Discord's code when it does not exist; DM channels are opened on
// first use.
import { ChannelType, MessageFlags, RESTJSONErrorCodes } from 'discord-api-types/v10';
import {
  apiUser,
  type ChannelState,
  type GuildState,
  type StoredMessage,
  snowflake,
} from '../interaction-data.js';
import { apiError } from './common.js';
import type { Guards } from './guards.js';
import type { World } from './world.js';

export function createLookups({ world }: { world: World }) {
  const channelOr404 = (id: string): ChannelState => {
    const c = world.findChannel(id);
    if (!c) throw apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
    return c;
  };

  /** A message of the channel that the bot can see (ephemeral messages are not in a channel). */
  const channelMessage = (channelId: string, messageId: string): StoredMessage => {
    channelOr404(channelId);
    const m = world.messages.get(messageId);
    if (!m || m.channel_id !== channelId || ((m.flags ?? 0) & MessageFlags.Ephemeral) !== 0) {
      throw apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
    }
    return m;
  };

  const guildOr404 = (id: string): GuildState => {
    const g = world.guilds.get(id);
    if (!g) throw apiError(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild');
    return g;
  };

  const dmChannelFor = (userId: string): ChannelState => {
    const open = world.dmChannels.get(userId);
    if (open) return open;
    const user = world.users.get(userId) ?? apiUser({ id: userId });
    world.users.set(userId, user);
    const channel = {
      id: snowflake(),
      name: '',
      type: ChannelType.DM,
      position: 0,
      botCanSend: true,
      recipient: user,
    };
    world.dmChannels.set(userId, channel);
    return channel;
  };

  return { channelOr404, channelMessage, guildOr404, dmChannelFor };
}

export type Lookups = ReturnType<typeof createLookups>;

/** What the routes that read the fake's state by id use. */
export interface ReadRouteParts {
  world: World;
  guards: Guards;
  lookups: Lookups;
}
