// The messages the bot creates and edits (in channels, DMs and as interaction responses), and the messages tests hand
// in (stored on first use, so a component or a context menu can point at them).
import { ApplicationCommandType, InteractionType, MessageFlags, MessageType } from 'discord-api-types/v10';
import { type StoredAttachment, type StoredMessage, snowflake } from '../interaction-data.js';
import type { Attachments } from './attachments.js';
import { type InteractionState, iso, isRecord, LOADING_FLAG, type Upload } from './common.js';
import type { FakeMessage } from './types.js';
import type { World } from './world.js';

/** A message the bot creates: where, with what, and in answer to which interaction, if any. */
interface NewMessage {
  channelId: string;
  guildId?: string;
  payload: Record<string, unknown>;
  uploads: Upload[];
  type: number;
  interaction?: InteractionState;
  flags?: number;
}

export function createMessageStore({ world, attachments }: { world: World; attachments: Attachments }) {
  const { resolveAttachments } = attachments;

  const createMessage = (m: NewMessage): StoredMessage => {
    const flags = m.flags ?? (typeof m.payload.flags === 'number' ? m.payload.flags : 0);
    const ephemeral = (flags & MessageFlags.Ephemeral) !== 0;
    const files = resolveAttachments([], m.payload, m.uploads, { channelId: m.channelId, ephemeral });
    const message: StoredMessage = {
      id: snowflake(),
      channel_id: m.channelId,
      ...(m.guildId ? { guild_id: m.guildId } : {}),
      author: { id: world.botUser.id, username: world.botUser.username, bot: true },
      content: typeof m.payload.content === 'string' ? m.payload.content : '',
      embeds: normalizeEmbeds(m.payload.embeds, files),
      components: Array.isArray(m.payload.components) ? m.payload.components : [],
      attachments: files,
      flags,
      mentions: [],
      timestamp: iso(),
      edited_timestamp: null,
      type: m.type,
      ...(m.payload.message_reference ? { message_reference: m.payload.message_reference } : {}),
      ...(m.interaction ? interactionFields(m.interaction, world.applicationId) : {}),
    };
    world.messages.set(message.id, message);
    return message;
  };

  /** A message answering interaction `st` (a callback or a follow-up), in its channel. */
  const createInteractionMessage = (
    st: InteractionState,
    payload: Record<string, unknown>,
    uploads: Upload[],
    flags?: number,
  ): StoredMessage =>
    createMessage({
      channelId: st.channelId,
      guildId: st.guildId,
      payload,
      uploads,
      type: interactionMessageType(st),
      interaction: st,
      ...(flags === undefined ? {} : { flags }),
    });

  const applyEdit = (m: StoredMessage, payload: Record<string, unknown>, uploads: Upload[]): void => {
    if ('content' in payload) m.content = typeof payload.content === 'string' ? payload.content : '';
    if ('components' in payload) m.components = Array.isArray(payload.components) ? payload.components : [];
    if ('attachments' in payload || uploads.length > 0) {
      const ephemeral = ((m.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
      m.attachments = resolveAttachments(m.attachments, payload, uploads, {
        channelId: m.channel_id,
        ephemeral,
      });
    }
    if ('embeds' in payload) m.embeds = normalizeEmbeds(payload.embeds, m.attachments);
    const sticky = (m.flags ?? 0) & (MessageFlags.Ephemeral | MessageFlags.IsComponentsV2);
    const flags = typeof payload.flags === 'number' ? sticky | payload.flags : (m.flags ?? 0);
    m.flags = flags & ~LOADING_FLAG;
    m.edited_timestamp = iso();
  };

  /** A message a test hands in, stored the first time (a later edit by the bot is then seen through it). */
  const toStored = (m: FakeMessage): StoredMessage => {
    const existing = world.messages.get(m.id);
    if (existing) return existing;
    const stored: StoredMessage = {
      ...structuredClone(m),
      attachments: m.attachments.map((a) => ({ ...a, proxy_url: a.url })),
      type: m.message_reference ? MessageType.Reply : MessageType.Default,
      edited_timestamp: null,
    };
    world.messages.set(stored.id, stored);
    return stored;
  };

  return { createMessage, createInteractionMessage, applyEdit, toStored };
}

export type MessageStore = ReturnType<typeof createMessageStore>;

const interactionMessageType = (st: InteractionState): number =>
  st.type !== InteractionType.ApplicationCommand
    ? MessageType.Default
    : st.commandType === ApplicationCommandType.ChatInput
      ? MessageType.ChatInputCommand
      : MessageType.ContextMenuCommand;

/** What marks a message as the answer to an interaction: the application's webhook and the interaction's metadata. */
const interactionFields = (st: InteractionState, applicationId: string) => ({
  webhook_id: applicationId,
  application_id: applicationId,
  interaction_metadata: {
    id: st.id,
    type: st.type,
    user: st.user,
    authorizing_integration_owners: { '0': st.guildId },
    ...(st.name ? { name: st.name } : {}),
    ...(st.commandType ? { command_type: st.commandType } : {}),
  },
});

/** What Discord does to embeds: `type: 'rich'`, attachment:// links resolved to the uploaded file's CDN url. */
const normalizeEmbeds = (embeds: unknown, attachments: StoredAttachment[]): unknown[] =>
  (Array.isArray(embeds) ? embeds : []).map((e) => {
    if (!isRecord(e)) return e;
    const out: Record<string, unknown> = { type: 'rich', ...e };
    const resolve = (url: unknown): StoredAttachment | undefined =>
      typeof url === 'string' && url.startsWith('attachment://')
        ? attachments.find((a) => a.filename === url.slice('attachment://'.length))
        : undefined;
    for (const key of ['image', 'thumbnail']) {
      const media = out[key];
      if (!isRecord(media)) continue;
      const a = resolve(media.url);
      out[key] = a
        ? {
            url: a.url,
            proxy_url: a.proxy_url,
            width: a.width,
            height: a.height,
            content_type: a.content_type,
          }
        : { ...media, proxy_url: media.url };
    }
    for (const key of ['author', 'footer']) {
      const part = out[key];
      if (!isRecord(part)) continue;
      const a = resolve(part.icon_url);
      if (a) out[key] = { ...part, icon_url: a.url, proxy_icon_url: a.proxy_url };
    }
    return out;
  });
