// A Discord message (discord.js `Message`, or the raw API message of `resolved.messages`) as the plain clues the core
// resolves (src/seed/lookup/resolve.ts). Messages of interactions carry no guild id: the interaction's is passed in.
import type { APIEmbed, Embed, Message } from 'discord.js';
import type { EmbedClue, MessageClues } from '../seed/lookup/resolve.js';

const embedClue = (e: Embed | APIEmbed): EmbedClue => {
  const data: APIEmbed = 'data' in e ? e.data : e;
  return {
    title: data.title,
    description: data.description,
    footerText: data.footer?.text,
    fields: (data.fields ?? []).map((f) => ({ name: f.name, value: f.value })),
    imageUrl: data.image?.url ?? data.thumbnail?.url,
  };
};

export function cluesFromMessage(message: Message, guildId?: string | null): MessageClues {
  return {
    id: message.id,
    guildId: message.guildId ?? guildId ?? undefined,
    channelId: message.channelId,
    authorId: message.author.id,
    content: message.content ?? '',
    embeds: message.embeds.map(embedClue),
    attachments: [...message.attachments.values()].map((a) => ({
      filename: a.name,
      url: a.url,
      contentType: a.contentType ?? undefined,
      size: a.size,
      width: a.width ?? undefined,
      height: a.height ?? undefined,
    })),
    referencedMessageId: message.reference?.messageId ?? undefined,
    mentionedUserIds: [...message.mentions.users.keys()],
    buttonLabels: message.components.flatMap((row) =>
      'components' in row
        ? row.components.flatMap((c) => ('label' in c && typeof c.label === 'string' ? [c.label] : []))
        : [],
    ),
  };
}
