// The fake useapi's HTTP front: every request is recorded, then injected faults and outages answer before the routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRecordingFront, type RecordingFront } from '../http/recording-front.js';
import type { Faults } from './faults.js';
import { sendError } from './send.js';

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
