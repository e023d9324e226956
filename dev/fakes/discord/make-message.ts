// Messages "by" someone else (the Midjourney bot, a member) that tests put in a channel, with their files on the fake
// CDN, optionally dispatched as MESSAGE_CREATE.
import { MessageType } from 'discord-api-types/v10';
import { pngBytes, signCdnUrl } from '../cdn.js';
import {
  apiUser,
  type StoredAttachment,
  type StoredMessage,
  snapshot,
  snowflake,
} from '../interaction-data.js';
import { DAY_SECONDS, iso } from './common.js';
import type { Dispatcher } from './dispatch.js';
import type { FakeMessage, MakeMessageInput } from './types.js';
import type { World } from './world.js';

type AttachmentInput = NonNullable<MakeMessageInput['attachments']>[number];

export function createMakeMessage({ world, dispatcher }: { world: World; dispatcher: Dispatcher }) {
  return (input: MakeMessageInput): FakeMessage => {
    const author = {
      id: input.author.id,
      username: input.author.username ?? `user${input.author.id.slice(-4)}`,
      ...(input.author.bot ? { bot: true } : {}),
    };
    if (!world.users.has(author.id)) world.users.set(author.id, apiUser(author));
    const expires = Math.floor(Date.now() / 1000) + DAY_SECONDS;
    const guildId = input.guildId ?? world.findChannel(input.channelId)?.guildId;
    const m: StoredMessage = {
      id: input.id ?? snowflake(),
      channel_id: input.channelId,
      ...(guildId ? { guild_id: guildId } : {}),
      author,
      content: input.content ?? '',
      embeds: input.embeds ?? [],
      components: input.components ?? [],
      attachments: (input.attachments ?? []).map((a) => attachmentOf(world, input.channelId, a, expires)),
      flags: 0,
      mentions: [],
      timestamp: iso(),
      edited_timestamp: null,
      type: input.messageReference ? MessageType.Reply : MessageType.Default,
      ...(input.messageReference ? { message_reference: input.messageReference } : {}),
    };
    world.messages.set(m.id, m);
    if (input.dispatch) dispatcher.dispatchMessageCreate(m);
    return snapshot(m);
  };
}

/** One attachment of a made message: the given url, or a file on the fake CDN as it would be on Discord's. */
function attachmentOf(
  world: World,
  channelId: string,
  a: AttachmentInput,
  expires: number,
): StoredAttachment {
  const id = snowflake();
  const url =
    a.url ??
    signCdnUrl(
      `${world.origin}/cdn/attachments/${channelId}/${id}/${encodeURIComponent(a.filename)}`,
      expires,
    );
  const size = a.data?.length ?? a.size ?? 1024;
  if (!a.url) {
    // the given bytes, or a PNG of the stated size
    const contentType = a.content_type ?? 'application/octet-stream';
    const data = a.data ?? (contentType === 'image/png' ? pngBytes(size) : Buffer.alloc(size));
    world.cdnFiles.set(`${channelId}/${id}/${a.filename}`, { data, contentType });
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
}
