// The REST side of the fake Discord on node:http: routing, JSON and multipart bodies (`payload_json` + `files[n]`), the
// fake CDN, faults (requests held before they are handled), and waits on what the bot sent.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { isCdnUrlExpired } from '../cdn.js';
import { formatPath } from './checks.js';
import {
  apiError,
  type Ctx,
  DEFAULT_WAIT_MS,
  type Handler,
  HttpError,
  now,
  type Reply,
  type Route,
  type Upload,
} from './common.js';
import type { RestKit } from './rest-kit.js';
import { refusal, specIssues } from './spec.js';
import type { FakeDiscord, RecordedRest } from './types.js';
import type { World } from './world.js';

const parseBody = async (
  contentType: string | undefined,
  raw: Buffer,
): Promise<{ payload: unknown; uploads: Upload[]; recorded: unknown }> => {
  if (raw.length === 0) return { payload: undefined, uploads: [], recorded: undefined };
  const invalidJson = (): HttpError =>
    apiError(
      400,
      RESTJSONErrorCodes.RequestBodyContainsInvalidJSON,
      'The request body contains invalid JSON.',
    );
  if (contentType?.startsWith('multipart/form-data')) {
    let payload: unknown;
    const uploads: Upload[] = [];
    for (const part of multipartParts(contentType, raw)) {
      if (part.filename === undefined) {
        if (part.name === 'payload_json') {
          try {
            payload = JSON.parse(part.data.toString('utf8'));
          } catch {
            throw invalidJson();
          }
        }
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
    return {
      payload,
      uploads,
      recorded: {
        payload_json: payload,
        files: uploads.map((u) => ({
          name: u.name,
          filename: u.filename,
          contentType: u.contentType,
          size: u.size,
          data: u.data,
        })),
      },
    };
  }
  try {
    const payload: unknown = JSON.parse(raw.toString('utf8'));
    return { payload, uploads: [], recorded: payload };
  } catch {
    throw invalidJson();
  }
};

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

export function createHttp(w: World & RestKit, routes: Route[]) {
  const { rest, unknownRoutes, restWaiters, delays, failures, cdnFiles, reject } = w;
  const compiled = routes.map(([method, pattern, handler]) => ({
    method,
    parts: pattern.split('/'),
    pattern,
    handler,
  }));

  const match = (
    segs: string[],
  ): { method: string; pattern: string; handler: Handler; params: Record<string, string> }[] => {
    const found = [];
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

  const serveCdn = (segs: string[], url: URL): Reply => {
    const key = segs.slice(2).join('/');
    const file = cdnFiles.get(key);
    if (!file || isCdnUrlExpired(url.toString())) {
      return {
        status: 404,
        raw: { data: Buffer.from('This content is no longer available.'), contentType: 'text/plain' },
      };
    }
    return { status: 200, raw: { data: file.data, contentType: file.contentType } };
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', w.origin);
    const method = req.method ?? 'GET';
    const segs = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    if (segs[0] === 'cdn' && segs[1] === 'attachments' && method === 'GET') {
      write(res, serveCdn(segs, url));
      return;
    }
    const isApi = segs[0] === 'api';
    const apiSegs = isApi ? segs.slice(/^v\d+$/.test(segs[1] ?? '') ? 2 : 1) : segs;
    const record: RecordedRest = {
      method,
      path: `/${apiSegs.join('/')}`,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: undefined,
      at,
      status: 0,
    };
    rest.push(record);
    const held = Math.max(0, ...[...delays].filter((d) => d.match(method, record.path)).map((d) => d.ms));
    if (held > 0) await sleep(held);
    let reply: Reply;
    const failure = [...failures].find((f) => f.left > 0 && f.match(method, record.path));
    if (failure) {
      failure.left--;
      if (failure.left === 0) failures.delete(failure);
      record.status = failure.status;
      write(res, {
        status: failure.status,
        body: { message: `${failure.status}: fake-discord fault`, code: 0 },
      });
      for (const waiter of [...restWaiters]) waiter(record);
      return;
    }
    // A bucket's headers go with every answer of its route, refusals and errors included.
    let limitHeaders: Record<string, string> | undefined;
    try {
      const parsed = await parseBody(req.headers['content-type'], raw);
      record.body = parsed.recorded;
      const candidates = isApi ? match(apiSegs) : [];
      const route = candidates.find((c) => c.method === method);
      if (!route) {
        if (candidates.length) {
          reply = { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
        } else {
          unknownRoutes.push(`${method} ${record.path}`);
          reply = { status: 404, body: { message: '404: Not Found', code: 0 } };
        }
      } else {
        const ctx: Ctx = {
          method,
          label: `/${route.pattern}`,
          query: record.query,
          headers: req.headers,
          body: parsed.payload,
          uploads: parsed.uploads,
        };
        const checkedAt = now();
        const limits = w.rateLimits.check(method, route.pattern, route.params, req.headers, checkedAt);
        limitHeaders = limits?.headers;
        if (limits?.bucket) record.rateLimit = { bucket: limits.bucket };
        if (limits?.refused) {
          const { retryAfterMs, scope, bucket, ...refused } = limits.refused;
          record.rateLimit = { bucket, retryAfterMs, scope, retryUntil: checkedAt + retryAfterMs };
          reply = refused;
        } else {
          if (w.deferSpecCheck)
            w.uncheckedBodies.push({ method, pattern: route.pattern, body: parsed.payload });
          else {
            const issues = specIssues(method, route.pattern, parsed.payload);
            if (issues.length) reject(ctx, refusal(method, route.pattern, parsed.payload, issues));
          }
          const handled = route.handler(ctx, route.params);
          reply = limits ? { ...handled, headers: { ...handled.headers, ...limits.headers } } : handled;
        }
      }
    } catch (error) {
      if (error instanceof HttpError)
        reply = {
          status: error.status,
          body: error.body,
          ...(limitHeaders ? { headers: limitHeaders } : {}),
        };
      else {
        console.error('fake-discord: internal error handling', method, record.path, error);
        reply = { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
      }
    }
    record.status = reply.status;
    if (reply.body !== undefined) record.response = reply.body;
    write(res, reply);
    for (const waiter of [...restWaiters]) waiter(record);
  };

  const waitForRest: FakeDiscord['waitForRest'] = (predicate, timeoutMs = DEFAULT_WAIT_MS) =>
    new Promise((resolve, reject) => {
      const seen = rest.find((r) => r.status !== 0 && predicate(r));
      if (seen) return resolve(seen);
      const waiter = (r: RecordedRest): void => {
        if (!predicate(r)) return;
        clearTimeout(timer);
        restWaiters.delete(waiter);
        resolve(r);
      };
      const timer = setTimeout(() => {
        restWaiters.delete(waiter);
        const last = rest.slice(-10).map((r) => `  ${r.method} ${r.path} -> ${r.status}`);
        reject(
          new Error(
            `fake-discord: timed out after ${timeoutMs} ms waiting for a REST request; last ones:\n${last.join('\n')}`,
          ),
        );
      }, timeoutMs);
      restWaiters.add(waiter);
    });

  /** Hold every REST request matching `match` for `ms` before handling it; returns the undo. */
  const delayRest: FakeDiscord['delayRest'] = (match, ms) => {
    const delay = { match, ms };
    delays.add(delay);
    return () => {
      delays.delete(delay);
    };
  };

  const failRest: FakeDiscord['failRest'] = (match, status, times) => {
    failures.add({ match, status, left: times });
  };

  const checkDeferredSpec: FakeDiscord['checkDeferredSpec'] = () => {
    const found: string[] = [];
    for (const { method, pattern, body } of w.uncheckedBodies.splice(0)) {
      const issues = specIssues(method, pattern, body);
      if (issues.length === 0) continue;
      for (const i of refusal(method, pattern, body, issues))
        found.push(`${method} /${pattern}: ${formatPath(i.path)}: ${i.message}`);
    }
    w.violations.push(...found);
    return found;
  };

  return { onRequest, waitForRest, delayRest, failRest, checkDeferredSpec };
}
