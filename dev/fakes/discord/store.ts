import { MessageFlags, MessageType } from 'discord-api-types/v10';
import { signCdnUrl } from '../cdn.js';
import { type StoredAttachment, type StoredMessage, snowflake } from '../interaction-data.js';
import {
  DAY_SECONDS,
  type InteractionState,
  iso,
  isRecord,
  LOADING_FLAG,
  pngSize,
  type Upload,
} from './common.js';
import type { FakeMessage } from './types.js';
import type { World } from './world.js';

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

export function createMessageStore(w: World) {
  const { applicationId, botUser, messages, cdnFiles } = w;
  const storeUpload = (
    upload: Upload,
    channelId: string,
    entry: Record<string, unknown> | undefined,
    ephemeral: boolean,
  ): StoredAttachment => {
    const id = snowflake();
    const filename = typeof entry?.filename === 'string' ? entry.filename : upload.filename;
    const url = signCdnUrl(
      `${w.origin}/cdn/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`,
      Math.floor(Date.now() / 1000) + DAY_SECONDS,
    );
    const contentType = upload.contentType ?? 'application/octet-stream';
    cdnFiles.set(`${channelId}/${id}/${filename}`, { data: upload.data, contentType });
    return {
      id,
      filename,
      size: upload.size,
      url,
      proxy_url: url,
      content_type: contentType,
      ...pngSize(upload.data),
      ...(typeof entry?.description === 'string' ? { description: entry.description } : {}),
      ...(typeof entry?.title === 'string' ? { title: entry.title } : {}),
      ...(ephemeral ? { ephemeral: true } : {}),
    };
  };

  /**
   * Discord's rules: an `attachments` array lists what the message keeps (existing ids) and gets (upload indexes);
   * without it a new message gets every upload and an edit keeps its attachments and appends the uploads.
   */
  const resolveAttachments = (
    existing: StoredAttachment[],
    payload: Record<string, unknown>,
    uploads: Upload[],
    channelId: string,
    ephemeral: boolean,
  ): StoredAttachment[] => {
    const used = new Set<Upload>();
    let result: StoredAttachment[];
    if (Array.isArray(payload.attachments)) {
      result = [];
      for (const entry of payload.attachments.filter(isRecord)) {
        const id = String(entry.id);
        const upload = uploads.find((u) => String(u.index) === id);
        if (upload) {
          used.add(upload);
          result.push(storeUpload(upload, channelId, entry, ephemeral));
          continue;
        }
        const kept = existing.find((a) => a.id === id);
        if (kept) result.push({ ...kept });
      }
    } else {
      result = [...existing];
    }
    for (const u of uploads) if (!used.has(u)) result.push(storeUpload(u, channelId, undefined, ephemeral));
    return result;
  };

  /** What Discord does to embeds: `type: 'rich'`, attachment:// links resolved to the uploaded file's CDN url. */

  const createMessage = (m: {
    channelId: string;
    guildId?: string;
    payload: Record<string, unknown>;
    uploads: Upload[];
    type: number;
    interaction?: InteractionState;
    flags?: number;
  }): StoredMessage => {
    const flags = m.flags ?? (typeof m.payload.flags === 'number' ? m.payload.flags : 0);
    const attachments = resolveAttachments(
      [],
      m.payload,
      m.uploads,
      m.channelId,
      (flags & MessageFlags.Ephemeral) !== 0,
    );
    const st = m.interaction;
    const message: StoredMessage = {
      id: snowflake(),
      channel_id: m.channelId,
      ...(m.guildId ? { guild_id: m.guildId } : {}),
      author: { id: botUser.id, username: botUser.username, bot: true },
      content: typeof m.payload.content === 'string' ? m.payload.content : '',
      embeds: normalizeEmbeds(m.payload.embeds, attachments),
      components: Array.isArray(m.payload.components) ? m.payload.components : [],
      attachments,
      flags,
      mentions: [],
      timestamp: iso(),
      edited_timestamp: null,
      type: m.type,
      ...(m.payload.message_reference ? { message_reference: m.payload.message_reference } : {}),
      ...(st
        ? {
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
          }
        : {}),
    };
    messages.set(message.id, message);
    return message;
  };

  const applyEdit = (m: StoredMessage, payload: Record<string, unknown>, uploads: Upload[]): void => {
    if ('content' in payload) m.content = typeof payload.content === 'string' ? payload.content : '';
    if ('components' in payload) m.components = Array.isArray(payload.components) ? payload.components : [];
    if ('attachments' in payload || uploads.length > 0) {
      m.attachments = resolveAttachments(
        m.attachments,
        payload,
        uploads,
        m.channel_id,
        ((m.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
      );
    }
    if ('embeds' in payload) m.embeds = normalizeEmbeds(payload.embeds, m.attachments);
    const sticky = (m.flags ?? 0) & (MessageFlags.Ephemeral | MessageFlags.IsComponentsV2);
    const flags = typeof payload.flags === 'number' ? sticky | payload.flags : (m.flags ?? 0);
    m.flags = flags & ~LOADING_FLAG;
    m.edited_timestamp = iso();
  };

  const toStored = (m: FakeMessage): StoredMessage => {
    const existing = messages.get(m.id);
    if (existing) return existing;
    const stored: StoredMessage = {
      ...structuredClone(m),
      attachments: m.attachments.map((a) => ({ ...a, proxy_url: a.url })),
      type: m.message_reference ? MessageType.Reply : MessageType.Default,
      edited_timestamp: null,
    };
    messages.set(stored.id, stored);
    return stored;
  };
  return { storeUpload, resolveAttachments, createMessage, applyEdit, toStored };
}

export type MessageStore = ReturnType<typeof createMessageStore>;
