// The HTTP server on its own, on a real port: callback hygiene, health and metrics, through real HTTP requests.
import { request } from 'node:http';
import { Counter, Registry } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import { type HttpServer, MAX_CALLBACK_BYTES, startHttpServer } from '../../src/http/server.js';
import { useapiCallbackHint, useapiCallbackRoute } from '../../src/useapi/adapter.js';
import type { Job } from '../../src/useapi/port.js';
import { silentLogger } from '../helpers/builders.js';

const upstream = { callbackRoute: useapiCallbackRoute, callbackHint: useapiCallbackHint };

const SECRET = 'a-callback-secret-of-at-least-32-characters';
const log = silentLogger;

interface Setup {
  server: HttpServer;
  received: Job[];
  outcomes: string[];
  healthy: { value: boolean };
}

let setup: Setup | undefined;
afterEach(async () => {
  await setup?.server.close();
  setup = undefined;
});

async function start(options: { rateLimit?: { perSecond: number; burst: number } } = {}): Promise<Setup> {
  const received: Job[] = [];
  const outcomes: string[] = [];
  const healthy = { value: true };
  const registry = new Registry();
  new Counter({ name: 'test_counter_total', help: 'a counter', registers: [registry] }).inc(3);
  const server = await startHttpServer({
    port: 0,
    host: '127.0.0.1',
    callbackSecret: SECRET,
    registry,
    log,
    health: async () => ({ ok: healthy.value, discord: healthy.value ? 'ready' : 'reconnecting' }),
    upstream,
    onCallback: async (hint) => {
      received.push(hint.job);
    },
    onCallbackOutcome: (o) => outcomes.push(o),
    rateLimit: options.rateLimit,
  });
  setup = { server, received, outcomes, healthy };
  return setup;
}

const seedJob = (over: Record<string, unknown> = {}) => ({
  jobid: 'job:20250101000000001-user:1308-channel:1316232391072944131-bot:midjourney',
  verb: 'seed_async',
  status: 'completed',
  parentJobId: 'job:20250101000000000-user:1308-channel:1316232391072944131-bot:midjourney',
  code: 200,
  ...over,
});

const post = (s: Setup, path: string, body: string | Buffer, headers: Record<string, string> = {}) =>
  fetch(`${s.server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body,
  });

/** A raw request, for bodies fetch will not send as they are (too large, streamed). */
function rawPost(
  s: Setup,
  path: string,
  size: number,
  declareLength: boolean,
): Promise<{ status: number | 'closed' }> {
  // 'closed' when the connection ends before any answer: the test then fails on the status.
  return new Promise((resolve) => {
    const req = request(
      `${s.server.url}${path}`,
      {
        method: 'POST',
        headers: declareLength
          ? { 'content-type': 'application/json', 'content-length': String(size) }
          : { 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
      },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0 });
      },
    );
    req.on('error', () => resolve({ status: 'closed' }));
    const chunk = Buffer.alloc(64 * 1024, 0x20);
    let sent = 0;
    const pump = () => {
      while (sent < size) {
        const part = chunk.subarray(0, Math.min(chunk.length, size - sent));
        sent += part.length;
        if (!req.write(part)) {
          req.once('drain', pump);
          return;
        }
      }
      req.end();
    };
    pump();
  });
}

describe('POST /useapi/callback/<secret>', () => {
  it('accepts a useapi job body and hands it over', async () => {
    const s = await start();
    const res = await post(s, `/useapi/callback/${SECRET}`, JSON.stringify(seedJob()));
    expect(res.status).toBe(200);
    expect(s.received).toHaveLength(1);
    expect(s.received[0]?.jobid).toBe(seedJob().jobid);
    expect(s.outcomes).toEqual(['accepted']);
  });

  it('answers 404 to a wrong, shorter, longer or missing secret and hands nothing over', async () => {
    const s = await start();
    for (const path of [
      `/useapi/callback/${SECRET.slice(0, -1)}x`,
      `/useapi/callback/${SECRET.slice(0, 8)}`,
      `/useapi/callback/${SECRET}extra`,
      '/useapi/callback/',
      `/useapi/callback/%E0%A4%A`,
      `/useapi/callback/${SECRET}/more`,
    ]) {
      const res = await post(s, path, JSON.stringify(seedJob()));
      expect(res.status, path).toBe(404);
    }
    expect(s.received).toHaveLength(0);
    expect(s.outcomes.every((o) => o === 'forbidden')).toBe(true);
  });

  it('answers 404 when no secret is configured at all', async () => {
    const registry = new Registry();
    const server = await startHttpServer({
      port: 0,
      host: '127.0.0.1',
      callbackSecret: undefined,
      upstream,
      registry,
      log,
      health: async () => ({ ok: true }),
      onCallback: async () => {
        throw new Error('must not be called');
      },
    });
    try {
      const res = await fetch(`${server.url}/useapi/callback/undefined`, { method: 'POST', body: '{}' });
      expect(res.status).toBe(404);
    } finally {
      await server.close();
    }
  });

  it('answers 413 to a body over 1 MiB, declared or streamed, and hands nothing over', async () => {
    const s = await start();
    const declared = await rawPost(s, `/useapi/callback/${SECRET}`, MAX_CALLBACK_BYTES + 1, true);
    const streamed = await rawPost(s, `/useapi/callback/${SECRET}`, MAX_CALLBACK_BYTES + 100_000, false);
    expect(declared.status).toBe(413);
    expect(streamed.status).toBe(413);
    expect(s.received).toHaveLength(0);
    expect(s.outcomes.filter((o) => o === 'too_large')).toHaveLength(2);
    // Exactly 1 MiB of valid JSON is still accepted.
    const padded = JSON.stringify(seedJob({ content: '' }));
    const body = `${padded.slice(0, -1)},"pad":"${'x'.repeat(MAX_CALLBACK_BYTES - padded.length - 9)}"}`;
    expect(Buffer.byteLength(body)).toBe(MAX_CALLBACK_BYTES);
    const ok = await post(s, `/useapi/callback/${SECRET}`, body);
    expect(ok.status).toBe(200);
  });

  it('answers 400 to a body that is not JSON or not a useapi job', async () => {
    const s = await start();
    const bodies = [
      '{"jobid": ',
      'not json at all',
      '',
      '[]',
      '42',
      JSON.stringify({ jobid: 'x' }),
      JSON.stringify(seedJob({ status: 'exploded' })),
      JSON.stringify(seedJob({ jobid: 17 })),
      JSON.stringify(seedJob({ seed: { value: -1, attachments: [] } })),
    ];
    for (const body of bodies) {
      const res = await post(s, `/useapi/callback/${SECRET}`, body);
      expect(res.status, body).toBe(400);
    }
    expect(s.received).toHaveLength(0);
  });

  it('rate-limits the endpoint with 429 and Retry-After', async () => {
    const s = await start({ rateLimit: { perSecond: 1, burst: 3 } });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await post(s, `/useapi/callback/${SECRET}`, JSON.stringify(seedJob()));
      statuses.push(res.status);
      if (res.status === 429) expect(res.headers.get('retry-after')).toBe('1');
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
    expect(statuses.slice(3)).toEqual([429, 429]);
    expect(s.received).toHaveLength(3);
  });

  it('does not offer the callback route to other methods', async () => {
    const s = await start();
    const res = await fetch(`${s.server.url}/useapi/callback/${SECRET}`);
    expect(res.status).toBe(404);
    expect(s.received).toHaveLength(0);
  });
});

describe('GET /healthz and /metrics', () => {
  it('answers 200 with details when healthy and 503 when not', async () => {
    const s = await start();
    const ok = await fetch(`${s.server.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, discord: 'ready' });
    s.healthy.value = false;
    const bad = await fetch(`${s.server.url}/healthz`);
    expect(bad.status).toBe(503);
    expect(await bad.json()).toEqual({ ok: false, discord: 'reconnecting' });
  });

  it('serves the registry as Prometheus text', async () => {
    const s = await start();
    const res = await fetch(`${s.server.url}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/plain/);
    expect(await res.text()).toMatch(/^test_counter_total 3$/m);
  });
});
