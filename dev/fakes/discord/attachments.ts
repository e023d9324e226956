// The files of the bot's messages: uploads stored on the fake CDN under signed links, and Discord's rules for which
// attachments a message keeps when it is created or edited.
import { signCdnUrl } from '../cdn.js';
import { type StoredAttachment, snowflake } from '../interaction-data.js';
import { DAY_SECONDS, isRecord, pngSize, type Upload } from './common.js';
import type { World } from './world.js';

/** Where a message's upload goes: its channel, and whether the message is ephemeral. */
interface Destination {
  channelId: string;
  ephemeral: boolean;
}

export function createAttachments({ world }: { world: World }) {
  const storeUpload = (
    upload: Upload,
    to: Destination,
    entry: Record<string, unknown> | undefined,
  ): StoredAttachment => {
    const id = snowflake();
    const filename = typeof entry?.filename === 'string' ? entry.filename : upload.filename;
    const url = signCdnUrl(
      `${world.origin}/cdn/attachments/${to.channelId}/${id}/${encodeURIComponent(filename)}`,
      Math.floor(Date.now() / 1000) + DAY_SECONDS,
    );
    const contentType = upload.contentType ?? 'application/octet-stream';
    world.cdnFiles.set(`${to.channelId}/${id}/${filename}`, { data: upload.data, contentType });
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
      ...(to.ephemeral ? { ephemeral: true } : {}),
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
    to: Destination,
  ): StoredAttachment[] => {
    const used = new Set<Upload>();
    const result: StoredAttachment[] = Array.isArray(payload.attachments) ? [] : [...existing];
    for (const entry of Array.isArray(payload.attachments) ? payload.attachments.filter(isRecord) : []) {
      const id = String(entry.id);
      const upload = uploads.find((u) => String(u.index) === id);
      if (upload) {
        used.add(upload);
        result.push(storeUpload(upload, to, entry));
        continue;
      }
      const kept = existing.find((a) => a.id === id);
      if (kept) result.push({ ...kept });
    }
    for (const u of uploads) if (!used.has(u)) result.push(storeUpload(u, to, undefined));
    return result;
  };

  return { resolveAttachments };
}

export type Attachments = ReturnType<typeof createAttachments>;
