// The fake proxy's HTTP front: records every request, answers injected faults, then the auth middleware
// (SimpleAuthMiddleware: the token is the `Authorization` header if present, else `Mj-Api-Secret`, compared raw;
// missing or unknown → 401 plain text `Authorization header missing.`), then the routes.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRecordingFront } from '../http/recording-front.js';
import type { ProxyRoute, Reply, Routes } from './routes.js';
import { routeOf } from './routes.js';

export interface RecordedProxyRequest {
  method: string;
  path: string;
  route: ProxyRoute;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, the raw text when not JSON, undefined when empty. */
  body: unknown;
  at: number;
}

export interface InjectedReply {
  status: number;
  /** A string is sent as plain text, anything else as JSON; none: an empty body. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Drop the connection instead of answering (after `delayMs`). */
  destroy?: boolean;
}

export const UNAUTHORIZED_TEXT = 'Authorization header missing.';

const send = (res: ServerResponse, reply: Reply): void => {
  if (res.destroyed || res.writableEnded) return;
  if (reply.body === undefined) {
    res.writeHead(reply.status, { 'content-length': '0', ...reply.headers });
    res.end();
    return;
  }
  // The proxy's middlewares write plain text without a content type; MVC writes JSON.
  const isText = typeof reply.body === 'string';
  const payload = isText ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...(isText ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    'content-length': Buffer.byteLength(payload).toString(),
    ...reply.headers,
  });
  res.end(payload);
};

export interface Front {
  requests: RecordedProxyRequest[];
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  failNext(route: ProxyRoute | '*', replies: InjectedReply[]): void;
  /** Every request answered with this status from now on (undefined: none). */
  setOutageStatus(status: number | undefined): void;
}

/** An injected answer: after its delay (cut short when the fake closes), the connection dropped or the reply sent. */
async function answerInjected(
  res: ServerResponse,
  reply: InjectedReply,
  closing: AbortSignal,
): Promise<void> {
  if ((reply.delayMs ?? 0) > 0) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, reply.delayMs);
      closing.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          resolve();
        },
        { once: true },
      );
    });
  }
  if (reply.destroy) {
    res.socket?.destroy();
    res.destroy();
    return;
  }
  send(res, { status: reply.status, body: reply.body, headers: reply.headers });
}

export function createFront(options: { token: string; routes: Routes; closing: AbortSignal }): Front {
  const { token, routes, closing } = options;
  const injections: { route: ProxyRoute | '*'; replies: InjectedReply[] }[] = [];
  let outageStatus: number | undefined;

  /** SimpleAuthMiddleware: `/health` is open; everything else needs a known token. */
  const authorized = (req: IncomingMessage, path: string): boolean => {
    if (/^\/health/i.test(path)) return true;
    const given = req.headers.authorization ?? req.headers['mj-api-secret'];
    return typeof given === 'string' && given === token;
  };

  /** The first queued answer for that route, taken off its queue. */
  const takeInjected = (route: ProxyRoute): InjectedReply | undefined =>
    injections.find((i) => i.replies.length > 0 && (i.route === '*' || i.route === route))?.replies.shift();

  const front = createRecordingFront<RecordedProxyRequest>({
    record: ({ req, method, url, body }) => ({
      method,
      path: url.pathname,
      route: routeOf(method, url.pathname),
      headers: { ...req.headers },
      body,
      at: Date.now(),
    }),
    async answerFault({ res }, { route }) {
      const injected = takeInjected(route);
      if (injected !== undefined) await answerInjected(res, injected, closing);
      else if (outageStatus !== undefined) send(res, { status: outageStatus });
      else return false;
      return true;
    },
    async answer({ req, res, method, url, body }, { route }) {
      if (!authorized(req, url.pathname)) return send(res, { status: 401, body: UNAUTHORIZED_TEXT });
      if (/^\/health\/?$/i.test(url.pathname)) return send(res, { status: 200, body: 'Healthy' });
      send(res, await routes.handle(route, { method, path: url.pathname, body }));
    },
  });

  return {
    requests: front.requests,
    handle: (req, res) => front.handle(req, res),
    failNext(route, replies) {
      injections.push({ route, replies: [...replies] });
    },
    setOutageStatus(status) {
      outageStatus = status;
    },
  };
}
