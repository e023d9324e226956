// Request bodies as discord.js sends them: JSON, or multipart/form-data with `payload_json` and `files[n]`.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiError, type Upload } from './common.js';

/** A request body as the routes read it (`payload`, `uploads`) and as the fake records it. */
export const parseBody = async (
  contentType: string | undefined,
  raw: Buffer,
): Promise<{ payload: unknown; uploads: Upload[]; recorded: unknown }> => {
  if (raw.length === 0) return { payload: undefined, uploads: [], recorded: undefined };
  if (contentType?.startsWith('multipart/form-data')) return parseMultipart(contentType, raw);
  const payload = parseJson(raw);
  return { payload, uploads: [], recorded: payload };
};

const parseJson = (raw: Buffer): unknown => {
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch {
    throw apiError(
      400,
      RESTJSONErrorCodes.RequestBodyContainsInvalidJSON,
      'The request body contains invalid JSON.',
    );
  }
};

/** discord.js's multipart form: the JSON in `payload_json`, the files in `files[n]`. */
function parseMultipart(
  contentType: string,
  raw: Buffer,
): { payload: unknown; uploads: Upload[]; recorded: unknown } {
  let payload: unknown;
  const uploads: Upload[] = [];
  for (const part of multipartParts(contentType, raw)) {
    if (part.filename === undefined) {
      if (part.name === 'payload_json') payload = parseJson(part.data);
      continue;
    }
    const index = /^files\[(\d+)\]$/.exec(part.name)?.[1];
    uploads.push({
      name: part.name,
      filename: part.filename,
      contentType: part.contentType,
      size: part.data.length,
      data: part.data,
      index: index === undefined ? uploads.length : Number(index),
    });
  }
  const files = uploads.map(({ name, filename, contentType, size, data }) => ({
    name,
    filename,
    contentType,
    size,
    data,
  }));
  return { payload, uploads, recorded: { payload_json: payload, files } };
}

/**
 * The parts of a multipart/form-data body (RFC 7578), their data sliced from the body without a copy: a fake that
 * parsed a 1 MiB form through `Response.formData()` spent more CPU per reply than the bot did building it.
 */
function multipartParts(
  contentType: string,
  raw: Buffer,
): { name: string; filename?: string; contentType?: string; data: Buffer }[] {
  const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  const malformed = () => apiError(400, 0, '400: Bad Request (malformed multipart body)');
  if (!boundary) throw malformed();
  const delimiter = Buffer.from(`--${boundary[1] ?? boundary[2]}`);
  const next = Buffer.from(`\r\n${delimiter.toString('latin1')}`);
  const parts = [];
  let at = raw.indexOf(delimiter);
  if (at < 0) throw malformed();
  at += delimiter.length;
  // Each delimiter is followed by CRLF and a part, or by `--` after the last one.
  while (raw.toString('latin1', at, at + 2) === '\r\n') {
    const headEnd = raw.indexOf('\r\n\r\n', at + 2);
    const end = raw.indexOf(next, headEnd + 4);
    if (headEnd < 0 || end < 0) throw malformed();
    const head = raw.toString('utf8', at + 2, headEnd);
    const disposition = /^content-disposition:\s*form-data(.*)$/im.exec(head)?.[1] ?? '';
    const field = (key: string) => {
      const value = new RegExp(`;\\s*${key}="([^"]*)"`, 'i').exec(disposition)?.[1];
      return value?.replace(/%22/g, '"').replace(/%0D/g, '\r').replace(/%0A/g, '\n');
    };
    const name = field('name');
    if (name === undefined) throw malformed();
    const filename = field('filename');
    const type = /^content-type:\s*(.+)$/im.exec(head)?.[1]?.trim();
    parts.push({
      name,
      ...(filename === undefined ? {} : { filename }),
      ...(type ? { contentType: type } : {}),
      data: raw.subarray(headEnd + 4, end),
    });
    at = end + next.length;
  }
  if (raw.toString('latin1', at, at + 2) !== '--') throw malformed();
  return parts;
}
