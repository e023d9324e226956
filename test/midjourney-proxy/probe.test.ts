// The doctor's probe of a midjourney-proxy, against the fake over real HTTP: one line for "reachable", one for
// "token accepted", each with the fix when it fails; never the token.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeMidjourneyProxy, startFakeMidjourneyProxy } from '../../dev/fakes/fake-midjourney-proxy.js';
import { freePort } from '../../dev/fakes/net.js';
import { createMidjourneyProxyClient } from '../../src/midjourney-proxy/http-client.js';
import { probeMidjourneyProxy } from '../../src/midjourney-proxy/probe.js';

let fake: FakeMidjourneyProxy;
let other: Server | undefined;

const probe = (baseUrl: string, token = fake.token) =>
  probeMidjourneyProxy(
    createMidjourneyProxyClient({ baseUrl, token, timeoutMs: 2_000, retry: { maxAttempts: 1 } }),
    baseUrl,
  );

beforeEach(async () => {
  fake = await startFakeMidjourneyProxy();
});

afterEach(async () => {
  await fake.close();
  await new Promise<void>((resolve) => (other ? other.close(() => resolve()) : resolve()));
  other = undefined;
});

describe('probeMidjourneyProxy', () => {
  it('says reachable and token accepted with one authenticated call', async () => {
    const lines = await probe(fake.url);
    expect(lines).toEqual([
      { check: 'reachable', status: 'ok', detail: `midjourney-proxy answers at ${fake.url}` },
      { check: 'token', status: 'ok', detail: 'MJ_PROXY_TOKEN accepted' },
    ]);
    expect(fake.calls()).toBe(1);
    expect(fake.calls('fetch')).toBe(1);
  });

  it('says the token is refused, how to fix it, and never shows it', async () => {
    const token = 'not-the-token-987654';
    const lines = await probe(fake.url, token);
    expect(lines.map((l) => [l.check, l.status])).toEqual([
      ['reachable', 'ok'],
      ['token', 'fail'],
    ]);
    expect(lines[1]?.detail).toContain('HTTP 401');
    expect(lines[1]?.fix).toMatch(/MJ_PROXY_TOKEN.*Mj-Api-Secret/);
    expect(JSON.stringify(lines)).not.toContain(token);
  });

  it('says unreachable when nothing listens, and skips the token', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const lines = await probe(url);
    expect(lines.map((l) => [l.check, l.status])).toEqual([
      ['reachable', 'fail'],
      ['token', 'skipped'],
    ]);
    expect(lines[0]?.detail).toContain(url);
    expect(lines[0]?.fix).toMatch(/MJ_PROXY_URL/);
  });

  it('says something else answers when the URL is not the proxy (a 404 without its envelope)', async () => {
    other = createServer((_req, res) =>
      res.writeHead(404, { 'content-type': 'text/html' }).end('<h1>Not Found</h1>'),
    );
    await new Promise<void>((resolve) => other?.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const lines = await probe(url);
    expect(lines[0]).toMatchObject({ check: 'reachable', status: 'fail' });
    expect(lines[0]?.detail).toContain('not as a midjourney-proxy (HTTP 404)');
    expect(lines[0]?.fix).toMatch(/proxy's root/);
  });

  it('says something else answers for a page that is not the proxy’s JSON', async () => {
    fake.failNext('fetch', [{ status: 200, body: '<!doctype html><title>admin</title>' }]);
    const lines = await probe(fake.url);
    expect(lines[0]).toMatchObject({ check: 'reachable', status: 'fail' });
  });

  it('says the proxy is failing on a 5xx', async () => {
    await fake.outage({ status: 502 });
    const lines = await probe(fake.url);
    expect(lines[0]).toMatchObject({
      check: 'reachable',
      status: 'fail',
      detail: `${fake.url} answered HTTP 502`,
    });
  });

  it('says the proxy rate limits this address on a 429', async () => {
    fake.failNext('fetch', [{ status: 429 }]);
    const lines = await probe(fake.url);
    expect(lines.map((l) => [l.check, l.status])).toEqual([
      ['reachable', 'ok'],
      ['token', 'skipped'],
    ]);
  });

  it('shows the URL without credentials', async () => {
    const withUser = fake.url.replace('http://', 'http://admin:hunter2@');
    const lines = await probe(withUser);
    expect(JSON.stringify(lines)).not.toContain('hunter2');
  });
});
