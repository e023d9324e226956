// The small answer helpers the fake useapi's front, faults and routes share.
import type { ServerResponse } from 'node:http';

export const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const send = (
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void => {
  if (res.destroyed || res.writableEnded) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const isText = typeof body === 'string';
  const payload = isText ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload).toString(),
    ...headers,
  });
  res.end(payload);
};

export const sendError = (
  res: ServerResponse,
  status: number,
  error: string,
  extra: Record<string, unknown> = {},
): void => send(res, status, { error, ...extra, code: status });
