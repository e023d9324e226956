// The bodies the notifier sends: discord.js builds them, and a message with files goes as one multipart Buffer.
import { randomBytes } from 'node:crypto';
import { type MessageMentionOptions, MessagePayload, type MessageTarget } from 'discord.js';
import type { AttachedImage, ReplyBody } from './replies.js';

/**
 * A body built by discord.js's own MessagePayload (attachment ids, allowed mentions, flags as Discord's API wants them).
 * The files keep the content type the images were served with instead of one sniffed from their bytes.
 */
export function payloadFor(
  target: MessageTarget,
  body: ReplyBody,
  files: AttachedImage[],
  allowedMentions: MessageMentionOptions,
): MessagePayload {
  const payload = MessagePayload.create(target, {
    content: body.content,
    embeds: body.embeds,
    components: body.components ?? [],
    files: files.map((f) => ({ attachment: f.data, name: f.name })),
    allowedMentions,
  }).resolveBody();
  payload.files = files.map((f) => ({ name: f.name, data: f.data, contentType: f.contentType }));
  return payload;
}

const CRLF = Buffer.from('\r\n');

/**
 * The multipart body of a message with files, as one Buffer: `files[n]` then `payload_json`, the form Discord reads.
 * @discordjs/rest would copy each image into a Blob and stream the form through web streams, which cost more CPU than
 * the rest of an answer (`npm run bench -- --profile`); the bytes are the same. (It takes a Buffer as it is; any other
 * body, a list of pieces too, it copies into one first.) File names come from safeFilename (letters, digits, `_.-`),
 * so they need no quoting.
 */
export function multipartBody(body: unknown, files: AttachedImage[]) {
  const boundary = `seed-bot-${randomBytes(16).toString('hex')}`;
  const pieces: Buffer[] = [];
  files.forEach((f, n) => {
    pieces.push(
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="files[${n}]"; filename="${f.name}"\r\n` +
          `Content-Type: ${f.contentType ?? 'application/octet-stream'}\r\n\r\n`,
      ),
      f.data,
      CRLF,
    );
  });
  pieces.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="payload_json"\r\n` +
        `Content-Type: application/json\r\n\r\n${JSON.stringify(body)}\r\n--${boundary}--\r\n`,
    ),
  );
  return {
    data: Buffer.concat(pieces),
    headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` },
  };
}
