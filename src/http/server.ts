// The bot's small HTTP server: the upstream's callbacks (useapi's replyUrl, the proxy's notifyHook), /healthz and
// /metrics. Callback bodies are hints: they wake the follower of a job we asked for, which re-reads the job with GET
// before acting; nothing in a body makes the bot fetch a URL it names.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { CallbackHint, Upstream } from '../seed/upstream.js';

export const MAX_CALLBACK_BYTES = 1024 * 1024;

export interface HealthReport {
  ok: boolean;
  [detail: string]: unknown;
}

export interface HttpServerDeps {
  port: number;
  host: string;
  /** Without a secret the callback route does not exist (404). */
  callbackSecret: string | undefined;
  /** Where the upstream's callbacks come (`<route><secret>`), and how a body becomes a hint. */
  upstream: Pick<Upstream, 'callbackRoute' | 'callbackHint'>;
  onCallback(hint: CallbackHint): Promise<void>;
  health(): Promise<HealthReport>;
  registry: Registry;
  /** Called before each scrape of /metrics, to set gauges to what they are now. */
  onScrape?: () => void;
  log: Logger;
  onCallbackOutcome?: (outcome: string) => void;
  /** Callback requests per second allowed (token bucket), and the burst. */
  rateLimit?: { perSecond: number; burst: number };
}

export interface HttpServer {
  server: Server;
  url: string;
  port: number;
  close(): Promise<void>;
}

const digest = (value: string) => createHash('sha256').update(value).digest();

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': type, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

/** Reads a body up to `limit` bytes; undefined as soon as it is known to be larger (nothing more is kept). */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit) {
      resolve(undefined);
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      chunks.length = 0;
      resolve(undefined);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The secret part of a callback path; undefined when it is not valid percent-encoding. */
function secretOf(path: string, route: string): string | undefined {
  try {
    return decodeURIComponent(path.slice(route.length));
  } catch {
    return undefined;
  }
}

/** A token bucket: `burst` requests at once, refilled at `perSecond`. */
function createTokenBucket(rate: { perSecond: number; burst: number }) {
  let tokens = rate.burst;
  let refilled = Date.now();
  return (): boolean => {
    const now = Date.now();
    tokens = Math.min(rate.burst, tokens + ((now - refilled) / 1000) * rate.perSecond);
    refilled = now;
    if (tokens < 1) return false;
    tokens -= 1;
    return true;
  };
}

interface CallbackDeps {
  callbackSecret: string | undefined;
  upstream: Pick<Upstream, 'callbackHint'>;
  onCallback(hint: CallbackHint): Promise<void>;
  onOutcome(outcome: string): void;
  rateLimit: { perSecond: number; burst: number };
  log: Logger;
}

/** POST <route><secret>: checked against the secret and the rate limit, its body read as a hint and handed on. */
function createCallbackHandler(deps: CallbackDeps) {
  const expected = deps.callbackSecret ? digest(deps.callbackSecret) : undefined;
  const takeToken = createTokenBucket(deps.rateLimit);

  return async (req: IncomingMessage, res: ServerResponse, secret: string | undefined) => {
    // Constant-time comparison of fixed-length digests: the secret's length leaks nothing either.
    if (!expected || secret === undefined || !timingSafeEqual(digest(secret), expected)) {
      deps.onOutcome('forbidden');
      send(res, 404, { error: 'Not found' });
      return;
    }
    if (!takeToken()) {
      deps.onOutcome('rate_limited');
      res.setHeader('retry-after', '1');
      send(res, 429, { error: 'Too many requests' });
      return;
    }
    const body = await readBody(req, MAX_CALLBACK_BYTES);
    if (!body) {
      deps.onOutcome('too_large');
      // Close the connection rather than read the rest of an oversized body.
      res.setHeader('connection', 'close');
      send(res, 413, { error: 'Body too large' });
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      deps.onOutcome('bad_json');
      send(res, 400, { error: 'Body is not JSON' });
      return;
    }
    const hint = deps.upstream.callbackHint(json);
    if (!hint) {
      deps.onOutcome('bad_schema');
      send(res, 400, { error: 'Body is not a job of this upstream' });
      return;
    }
    deps.onOutcome('accepted');
    // Handled before answering (it is quick: a lookup and a wake-up), so the answer means "taken into account".
    // A failure is ours, not the upstream's: it still gets 200, and polling remains the safety net.
    await deps.onCallback(hint).catch((error) => deps.log.warn({ err: error }, 'callback handling failed'));
    send(res, 200, { ok: true });
  };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
}

export async function startHttpServer(deps: HttpServerDeps): Promise<HttpServer> {
  const route = deps.upstream.callbackRoute;
  const callback = createCallbackHandler({
    callbackSecret: deps.callbackSecret,
    upstream: deps.upstream,
    onCallback: (hint) => deps.onCallback(hint),
    onOutcome: (outcome) => deps.onCallbackOutcome?.(outcome),
    rateLimit: deps.rateLimit ?? { perSecond: 50, burst: 200 },
    log: deps.log,
  });

  async function handle(req: IncomingMessage, res: ServerResponse, path: string) {
    if (req.method === 'POST' && path.startsWith(route)) return callback(req, res, secretOf(path, route));
    if (req.method === 'GET' && path === '/healthz') {
      const report = await deps.health();
      return send(res, report.ok ? 200 : 503, report);
    }
    if (req.method === 'GET' && path === '/metrics') {
      deps.onScrape?.();
      return send(res, 200, await deps.registry.metrics(), deps.registry.contentType);
    }
    send(res, 404, { error: 'Not found' });
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    handle(req, res, path).catch((error) => {
      deps.log.error({ err: error, path: path.startsWith(route) ? route : path }, 'http handler failed');
      if (!res.headersSent) send(res, 500, { error: 'Internal error' });
      else res.end();
    });
  });
  server.keepAliveTimeout = 5_000;
  server.headersTimeout = 10_000;
  server.requestTimeout = 15_000;
  await listen(server, deps.port, deps.host);
  const port = (server.address() as AddressInfo).port;
  const host = deps.host === '0.0.0.0' || deps.host === '::' ? '127.0.0.1' : deps.host;
  return {
    server,
    port,
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
