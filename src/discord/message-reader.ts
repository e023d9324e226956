// How handlers read a message a member pointed at (a link or an id): through this, not the whole discord.js Client.
import type { Client } from 'discord.js';
import type { MessageReader } from './types.js';

export function createMessageReader(client: Pick<Client, 'channels'>): MessageReader {
  return {
    async read(channelId, messageId, guildId) {
      const channel = await client.channels.fetch(channelId);
      if (channel && 'guildId' in channel && channel.guildId !== guildId) return { refused: 'other_guild' };
      if (!channel?.isTextBased()) return { refused: 'no_messages' };
      return { message: await channel.messages.fetch(messageId) };
    },
  };
}
