// The REST side of the fake Discord on node:http: the fake CDN, then for /api every request recorded, held or failed
// as the faults say, and routed (rate limits, the spec check, the route's handler); errors answered as Discord does.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { isCdnUrlExpired } from '../cdn.js';
import { type Ctx, type Handler, HttpError, now, type Reply, type Route } from './common.js';
import type { Faults } from './faults.js';
import { parseBody } from './multipart.js';
import type { RestLog } from './rest-log.js';
import type { SpecGate } from './spec.js';
import type { RecordedRest } from './types.js';
import type { World } from './world.js';

interface RouteMatch {
  method: string;
  pattern: string;
  handler: Handler;
  params: Record<string, string>;
}

export function createHttp({
  world,
  routes,
  faults,
  restLog,
  specGate,
}: {
  world: World;
  routes: Route[];
  faults: Faults;
  restLog: RestLog;
  specGate: SpecGate;
}) {
  const match = routeMatcher(routes);

  /** The route's answer to an API request (or 404/405), with the rate limit's verdict and headers. */
  const answer = async (
    req: IncomingMessage,
    raw: Buffer,
    apiSegs: string[] | undefined,
    record: RecordedRest,
  ) => {
    const { method } = record;
    // A bucket's headers go with every answer of its route, refusals and errors included.
    let limitHeaders: Record<string, string> | undefined;
    try {
      const parsed = await parseBody(req.headers['content-type'], raw);
      record.body = parsed.recorded;
      const candidates = apiSegs ? match(apiSegs) : [];
      const route = candidates.find((c) => c.method === method);
      if (!route) {
        if (candidates.length) return { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
        world.unknownRoutes.push(`${method} ${record.path}`);
        return { status: 404, body: { message: '404: Not Found', code: 0 } };
      }
      const ctx = requestContext(method, route.pattern, record.query, req.headers, parsed);
      const checkedAt = now();
      const limits = world.rateLimits.check(method, route.pattern, route.params, req.headers, checkedAt);
      limitHeaders = limits?.headers;
      if (limits?.bucket) record.rateLimit = { bucket: limits.bucket };
      if (limits?.refused) {
        const { retryAfterMs, scope, bucket, ...refused } = limits.refused;
        record.rateLimit = { bucket, retryAfterMs, scope, retryUntil: checkedAt + retryAfterMs };
        return refused;
      }
      specGate.check(ctx, method, route.pattern, parsed.payload);
      const handled = route.handler(ctx, route.params);
      return limits ? { ...handled, headers: { ...handled.headers, ...limits.headers } } : handled;
    } catch (error) {
      return errorReply(error, record, limitHeaders);
    }
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', world.origin);
    const method = req.method ?? 'GET';
    const segs = pathSegments(url);
    if (segs[0] === 'cdn' && segs[1] === 'attachments' && method === 'GET') {
      write(res, serveCdn(world, segs, url));
      return;
    }
    const isApi = segs[0] === 'api';
    const apiSegs = isApi ? segs.slice(/^v\d+$/.test(segs[1] ?? '') ? 2 : 1) : segs;
    const path = `/${apiSegs.join('/')}`;
    const record: RecordedRest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: undefined,
      at,
      status: 0,
    };
    world.rest.push(record);
    const held = faults.heldFor(method, path);
    if (held > 0) await sleep(held);
    const failure = faults.takeFailure(method, path);
    const reply: Reply = failure
      ? { status: failure.status, body: { message: `${failure.status}: fake-discord fault`, code: 0 } }
      : await answer(req, raw, isApi ? apiSegs : undefined, record);
    record.status = reply.status;
    if (!failure && reply.body !== undefined) record.response = reply.body;
    write(res, reply);
    restLog.answered(record);
  };

  return { onRequest };
}

const requestContext = (
  method: string,
  pattern: string,
  query: Record<string, string>,
  headers: IncomingHttpHeaders,
  parsed: Pick<Ctx, 'uploads'> & { payload: unknown },
): Ctx => ({ method, label: `/${pattern}`, query, headers, body: parsed.payload, uploads: parsed.uploads });

/** Discord's error for an HttpError a route threw; anything else is the fake's own bug, answered 500 and logged. */
function errorReply(
  error: unknown,
  record: RecordedRest,
  limitHeaders: Record<string, string> | undefined,
): Reply {
  if (error instanceof HttpError)
    return { status: error.status, body: error.body, ...(limitHeaders ? { headers: limitHeaders } : {}) };
  console.error('fake-discord: internal error handling', record.method, record.path, error);
  return { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
}

/** The decoded segments of the path (a segment that is not valid percent-encoding is kept as it is). */
const pathSegments = (url: URL): string[] =>
  url.pathname
    .split('/')
    .filter((s) => s !== '')
    .map((s) => {
      try {
        return decodeURIComponent(s);
      } catch {
        return s;
      }
    });

/** The routes whose pattern fits the segments (any method), with the parameters they name. */
function routeMatcher(routes: Route[]): (segs: string[]) => RouteMatch[] {
  const compiled = routes.map(([method, pattern, handler]) => ({
    method,
    parts: pattern.split('/'),
    pattern,
    handler,
  }));
  return (segs) => {
    const found: RouteMatch[] = [];
    for (const r of compiled) {
      if (r.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length && ok; i++) {
        const part = r.parts[i] ?? '';
        const seg = segs[i] ?? '';
        if (part.startsWith(':')) params[part.slice(1)] = seg;
        else ok = part === seg;
      }
      if (ok) found.push({ method: r.method, pattern: r.pattern, handler: r.handler, params });
    }
    return found;
  };
}

/** GET /cdn/attachments/…: a file while its signed link is valid, Discord's plain-text 404 after. */
function serveCdn(world: World, segs: string[], url: URL): Reply {
  const file = world.cdnFiles.get(segs.slice(2).join('/'));
  if (!file || isCdnUrlExpired(url.toString())) {
    return {
      status: 404,
      raw: { data: Buffer.from('This content is no longer available.'), contentType: 'text/plain' },
    };
  }
  return { status: 200, raw: { data: file.data, contentType: file.contentType } };
}

const write = (res: ServerResponse, reply: Reply): void => {
  if (reply.raw) {
    res.writeHead(reply.status, {
      'content-type': reply.raw.contentType,
      'content-length': reply.raw.data.length,
    });
    res.end(reply.raw.data);
    return;
  }
  if (reply.status === 204 || reply.body === undefined) {
    res.writeHead(reply.status, reply.headers ?? {});
    res.end();
    return;
  }
  const json = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
  });
  res.end(json);
};
