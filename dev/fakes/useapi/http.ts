// The fake useapi's HTTP front: every request is recorded, then injected faults and outages answer before the routes.
// Also the small answer helpers the routes share.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRecordingFront, type RecordingFront } from '../http/recording-front.js';
import type { Faults } from './faults.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  at: number;
}

/** What a route is handed: the request as the front parsed it. */
export interface RouteRequest {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
}

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

export type Front = RecordingFront<RecordedRequest>;

export function createFront(options: { faults: Faults; route: (request: RouteRequest) => void }): Front {
  const { faults, route } = options;
  const pathAndQuery = (url: URL) => ({ path: url.pathname, query: Object.fromEntries(url.searchParams) });
  return createRecordingFront({
    record: ({ req, method, url, body }) => ({
      method,
      ...pathAndQuery(url),
      body,
      headers: { ...req.headers },
      at: Date.now(),
    }),
    answerFault({ res, method, url }) {
      const injected = faults.takeInjected(method, url.pathname);
      if (injected !== undefined) faults.answer(res, injected);
      else {
        const outageStatus = faults.outageStatus();
        if (outageStatus === undefined) return false;
        sendError(res, outageStatus, outageStatus === 503 ? 'Service Unavailable' : 'Server error');
      }
      return true;
    },
    answer: ({ req, res, method, url, body }) => route({ req, res, method, ...pathAndQuery(url), body }),
  });
}
