import { MessageType } from 'discord-api-types/v10';
import { pngBytes, signCdnUrl } from '../cdn.js';
import { apiUser, type StoredMessage, snapshot, snowflake } from '../interaction-data.js';
import { DAY_SECONDS, iso } from './common.js';
import type { Gateway } from './gateway.js';
import type { FakeMessage, MakeMessageInput } from './types.js';
import type { World } from './world.js';

export function createMakeMessage(w: World & Gateway) {
  const { users, messages, cdnFiles, findChannel, dispatchMessageCreate } = w;
  const makeMessage = (input: MakeMessageInput): FakeMessage => {
    const channel = findChannel(input.channelId);
    const author = {
      id: input.author.id,
      username: input.author.username ?? `user${input.author.id.slice(-4)}`,
      ...(input.author.bot ? { bot: true } : {}),
    };
    if (!users.has(author.id)) users.set(author.id, apiUser(author));
    const expires = Math.floor(Date.now() / 1000) + DAY_SECONDS;
    const guildId = input.guildId ?? channel?.guildId;
    const m: StoredMessage = {
      id: input.id ?? snowflake(),
      channel_id: input.channelId,
      ...(guildId ? { guild_id: guildId } : {}),
      author,
      content: input.content ?? '',
      embeds: input.embeds ?? [],
      components: input.components ?? [],
      attachments: (input.attachments ?? []).map((a) => {
        const id = snowflake();
        const url =
          a.url ??
          signCdnUrl(
            `${w.origin}/cdn/attachments/${input.channelId}/${id}/${encodeURIComponent(a.filename)}`,
            expires,
          );
        const size = a.data?.length ?? a.size ?? 1024;
        if (!a.url) {
          // the file exists on the fake CDN, as it would on Discord's: the given bytes, or a PNG of the stated size
          const contentType = a.content_type ?? 'application/octet-stream';
          const data = a.data ?? (contentType === 'image/png' ? pngBytes(size) : Buffer.alloc(size));
          cdnFiles.set(`${input.channelId}/${id}/${a.filename}`, { data, contentType });
        }
        return {
          id,
          filename: a.filename,
          size,
          url,
          proxy_url: url,
          ...(a.content_type ? { content_type: a.content_type } : {}),
          ...(a.width !== undefined ? { width: a.width } : {}),
          ...(a.height !== undefined ? { height: a.height } : {}),
        };
      }),
      flags: 0,
      mentions: [],
      timestamp: iso(),
      edited_timestamp: null,
      type: input.messageReference ? MessageType.Reply : MessageType.Default,
      ...(input.messageReference ? { message_reference: input.messageReference } : {}),
    };
    messages.set(m.id, m);
    if (input.dispatch) dispatchMessageCreate(m);
    return snapshot(m);
  };
  return { makeMessage };
}

export type MakeMessage = ReturnType<typeof createMakeMessage>;
