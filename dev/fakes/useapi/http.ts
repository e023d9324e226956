// The fake useapi's HTTP front: every request is recorded, then injected faults and outages answer before the routes.
// Also the small body and answer helpers the routes share.
import type { IncomingMessage, ServerResponse } from 'node:http';
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

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const parseBody = (text: string): unknown => {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

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

export interface Front {
  requests: RecordedRequest[];
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export function createFront(options: {
  origin: () => string;
  faults: Faults;
  route: (request: RouteRequest) => void;
}): Front {
  const { origin, faults, route } = options;
  const requests: RecordedRequest[] = [];
  return {
    requests,
    async handle(req, res) {
      const text = await readBody(req);
      const url = new URL(req.url ?? '/', origin());
      const method = req.method ?? 'GET';
      const query = Object.fromEntries(url.searchParams);
      const body = parseBody(text);
      requests.push({ method, path: url.pathname, query, body, headers: { ...req.headers }, at: Date.now() });

      const injected = faults.takeInjected(method, url.pathname);
      if (injected !== undefined) return faults.answer(res, injected);
      const outageStatus = faults.outageStatus();
      if (outageStatus !== undefined)
        return sendError(res, outageStatus, outageStatus === 503 ? 'Service Unavailable' : 'Server error');
      route({ req, res, method, path: url.pathname, query, body });
    },
  };
}
