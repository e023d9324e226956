// The proxy behind the core's upstream port, against the fake proxy on a real port: task ids, the task as a job, the
// seed through image-seed, and every outcome in the core's kinds (the proxy's Chinese texts kept for logs only).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type FakeMidjourneyProxy, startFakeMidjourneyProxy } from '../../dev/fakes/fake-midjourney-proxy.js';
import {
  createMidjourneyProxyUpstream,
  PROXY_ACCOUNT,
  proxyCallbackHint,
  proxyJobids,
  verbOf,
} from '../../src/midjourney-proxy/adapter.js';
import { createMidjourneyProxyClient } from '../../src/midjourney-proxy/http-client.js';
import { isUpstreamError, type UpstreamError } from '../../src/seed/errors.js';
import type { Upstream } from '../../src/seed/upstream.js';

let proxy: FakeMidjourneyProxy;
let upstream: Upstream;

beforeEach(async () => {
  proxy = await startFakeMidjourneyProxy();
  upstream = createMidjourneyProxyUpstream(
    createMidjourneyProxyClient({ baseUrl: proxy.url, token: proxy.token, retry: { baseDelayMs: 1 } }),
  );
});
afterEach(() => proxy.close());

const failure = async (promise: Promise<unknown>): Promise<UpstreamError> => {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isUpstreamError(error)) throw new Error(`expected an UpstreamError, got ${String(error)}`);
  return error;
};

describe('proxyJobids', () => {
  it('reads a 16-digit task id, wrapped or written in a line, and never a Discord id', () => {
    expect(proxyJobids.parse(' `1733400000000123` ')).toEqual({
      jobid: '1733400000000123',
      channel: PROXY_ACCOUNT,
    });
    expect(proxyJobids.parse('1234567890123456789')).toBeUndefined();
    expect(proxyJobids.parse('173340000000012')).toBeUndefined();
    // Not a plausible Unix millisecond time (before 2020): any 16-digit number is not a task id.
    expect(proxyJobids.parse('0000000000000000')).toBeUndefined();
    expect(proxyJobids.find('task 1733400000000123 done')).toBe('1733400000000123');
    expect(proxyJobids.findAll('1733400000000123 and 1733400000000456, 1733400000000123')).toEqual([
      '1733400000000123',
      '1733400000000456',
    ]);
    expect(proxyJobids.find('message 12345678901234567890')).toBeUndefined();
    expect(proxyJobids.accountOf('1733400000000123')).toBe(PROXY_ACCOUNT);
    expect(proxyJobids.isAccount(PROXY_ACCOUNT)).toBe(true);
    expect(proxyJobids.isAccount('1316232391072944131')).toBe(false);
  });

  it('maps the proxy’s actions to the core’s verbs', () => {
    expect(['IMAGINE', 'BLEND', 'UPSCALE', 'VARIATION', 'PAN', 'VIDEO', 'DESCRIBE'].map(verbOf)).toEqual([
      'imagine',
      'blend',
      'button',
      'button',
      'button',
      'video',
      'describe',
    ]);
  });
});

describe('createMidjourneyProxyUpstream', () => {
  it('reads a task as a job: message ids, the grid as its attachment, the job UUID', async () => {
    const task = proxy.addImagineTask({ prompt: 'a lighthouse', messageId: '1555555555555555555' });
    const job = await upstream.getJob(task.id);
    expect(job).toMatchObject({
      jobid: task.id,
      verb: 'imagine',
      status: 'completed',
      messageId: '1555555555555555555',
      channel: proxy.instanceId,
    });
    expect(job.messageIds).toContain('1555555555555555555');
    expect(job.uuids).toContain(task.jobId);
    expect(job.attachments).toHaveLength(1);
    expect(job.attachments[0]?.filename).toContain(String(task.jobId));
    expect(job.seed).toBeUndefined();
  });

  it('answers a seed request with the task and its seed, from one blocking image-seed', async () => {
    const task = proxy.addImagineTask({ seed: 31337 });
    const job = await upstream.requestSeed(task.id);
    expect(job.verb).toBe('imagine');
    expect(job.seed?.value).toBe(31337);
    // No separate images: the grid (the job's attachment) stands for them.
    expect(job.seed?.attachments).toEqual([]);
    expect(job.attachments[0]?.url).toBe(task.imageUrl);
    expect(proxy.calls('image-seed')).toBe(1);
  });

  it('gives the four images when the proxy filled them, and asks nothing when the seed is already known', async () => {
    const task = proxy.addImagineTask({ seed: 7, seedKnown: true, imageUrls: 'official-cdn' });
    const job = await upstream.requestSeed(task.id);
    expect(job.seed?.value).toBe(7);
    expect(job.seed?.attachments.map((a) => a.url)).toHaveLength(4);
    expect(proxy.calls('image-seed')).toBe(0);
  });

  it('maps every outcome to the core’s kinds, keeping the proxy’s text for the log only', async () => {
    const pending = proxy.addImagineTask({ seedPlan: { notFoundTimes: 1 } });
    const notFound = await failure(upstream.requestSeed(pending.id));
    expect(notFound).toMatchObject({ kind: 'seed_pending', source: 'midjourney-proxy' });
    expect(notFound.upstream).toMatch(/未找到 seed/);

    expect((await failure(upstream.requestSeed('1733400000000999'))).kind).toBe('not_found');

    const running = proxy.addImagineTask({ status: 'IN_PROGRESS' });
    expect((await failure(upstream.requestSeed(running.id))).kind).toBe('parent_not_completed');

    const failed = proxy.addImagineTask({ seedPlan: { failure: '获取 seed 失败' } });
    const seedFailed = await failure(upstream.requestSeed(failed.id));
    expect(seedFailed.kind).toBe('seed_failed');
    expect(seedFailed.upstream).toBe('获取 seed 失败');

    proxy.setAccountAlive(false);
    const held = await failure(upstream.requestSeed(proxy.addImagineTask().id));
    expect(held).toMatchObject({ kind: 'account_unavailable', channel: PROXY_ACCOUNT });

    const refused = createMidjourneyProxyUpstream(
      createMidjourneyProxyClient({ baseUrl: proxy.url, token: 'wrong-token-0123456789' }),
    );
    expect((await failure(refused.getJob(pending.id))).kind).toBe('unauthorized');
  });

  it('tells a held proxy from one that has an account again by asking for a waiting task’s seed', async () => {
    const task = proxy.addImagineTask({ seed: 99 });
    proxy.setAccountAlive(false);
    expect(await upstream.checkAccount(PROXY_ACCOUNT, task.id)).toEqual({ held: true });
    proxy.setAccountAlive(true);
    expect(await upstream.checkAccount(PROXY_ACCOUNT, task.id)).toEqual({ held: false });
    expect(upstream.resetAccount).toBeUndefined();
    expect(upstream.holdsClearThemselves).toBe(true);
  });

  it('reads a notifyHook body as a hint to confirm, and refuses what is not a task', () => {
    const task = proxy.addImagineTask();
    const hint = proxyCallbackHint(JSON.parse(JSON.stringify(task)));
    expect(hint?.confirm).toBe(true);
    expect(hint?.job.jobid).toBe(task.id);
    expect(proxyCallbackHint({ jobid: 'job:1', status: 'completed' })).toBeUndefined();
  });
});
