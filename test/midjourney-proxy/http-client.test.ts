// The midjourney-proxy client against the fake proxy over real HTTP: every documented outcome of the routes the bot
// uses becomes a ProxyError of its kind, the token travels raw and never reaches a message, retries are bounded and
// honour Retry-After, the blocking image-seed waits as long as the proxy does and no longer than its own timeout.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type FakeMidjourneyProxy,
  type FakeMidjourneyProxyOptions,
  PROXY_TEXT,
  startFakeMidjourneyProxy,
  UNAUTHORIZED_TEXT,
} from '../../dev/fakes/fake-midjourney-proxy.js';
import { freePort } from '../../dev/fakes/net.js';
import {
  isProxyError,
  type ProxyError,
  type ProxyErrorKind,
  TRANSIENT_PROXY_KINDS,
} from '../../src/midjourney-proxy/errors.js';
import {
  createMidjourneyProxyClient,
  type MidjourneyProxyClientOptions,
  type ProxyCallInfo,
} from '../../src/midjourney-proxy/http-client.js';
import { FINAL_TASK_STATUSES, type MidjourneyProxyClient } from '../../src/midjourney-proxy/port.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MESSAGE_ID = '1316232391072944777';

let fake: FakeMidjourneyProxy;
let sleeps: number[];
let calls: ProxyCallInfo[];
let errors: ProxyError[];

const start = async (options: FakeMidjourneyProxyOptions = {}) => {
  fake = await startFakeMidjourneyProxy(options);
};

const clientFor = (overrides: Partial<MidjourneyProxyClientOptions> = {}): MidjourneyProxyClient =>
  createMidjourneyProxyClient({
    baseUrl: fake.url,
    token: fake.token,
    timeoutMs: 5_000,
    seedTimeoutMs: 10_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onCall: (info) => calls.push(info),
    onError: (error) => errors.push(error),
    ...overrides,
  });

/** The ProxyError a promise rejects with (fails the test when it resolves or rejects with something else). */
const failure = async (promise: Promise<unknown>): Promise<ProxyError> => {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected a ProxyError, got ${JSON.stringify(outcome.value)}`);
  if (!isProxyError(outcome.error)) throw outcome.error;
  return outcome.error;
};

const expectKind = async (promise: Promise<unknown>, kind: ProxyErrorKind): Promise<ProxyError> => {
  const error = await failure(promise);
  expect(error.kind, error.message).toBe(kind);
  return error;
};

beforeEach(async () => {
  sleeps = [];
  calls = [];
  errors = [];
  await start();
});

afterEach(async () => {
  await fake?.close();
});

describe('fetchTask', () => {
  it('reads a finished imagine task: 16-digit id, job UUID in jobId, messageHash and the grid file name', async () => {
    const added = fake.addImagineTask({ prompt: 'a red fox --ar 16:9', messageId: MESSAGE_ID });
    const task = await clientFor().fetchTask(added.id);

    expect(task.id).toMatch(/^\d{16}$/);
    expect(task).toMatchObject({
      id: added.id,
      status: 'SUCCESS',
      action: 'IMAGINE',
      botType: 'MID_JOURNEY',
      prompt: 'a red fox --ar 16:9',
      progress: '100%',
      messageId: MESSAGE_ID,
      messageIds: [MESSAGE_ID],
      instanceId: fake.instanceId,
      imageUrls: [],
      seed: undefined,
    });
    expect(task.jobId).toMatch(UUID);
    expect(task.properties.messageHash).toBe(task.jobId);
    expect(task.properties).toMatchObject({ messageId: MESSAGE_ID, discordInstanceId: fake.instanceId });
    expect(task.imageUrl).toContain(`${task.jobId}.png`);
    expect(task.buttons.map((b) => b.customId)).toContain(`MJ::JOB::upsample::1::${task.jobId}`);
    expect(task.submitTime).toBeTypeOf('number');
    expect(FINAL_TASK_STATUSES.has(task.status)).toBe(true);
  });

  it('reads a task still running as not final', async () => {
    const added = fake.addImagineTask({ status: 'IN_PROGRESS' });
    const task = await clientFor().fetchTask(added.id);
    expect(task).toMatchObject({
      status: 'IN_PROGRESS',
      progress: '0%',
      jobId: undefined,
      imageUrl: undefined,
    });
    expect(task.properties.messageHash).toBeUndefined();
    expect(FINAL_TASK_STATUSES.has(task.status)).toBe(false);
  });

  it('reads the seed the proxy appended as a number, up to 4294967295', async () => {
    const added = fake.addImagineTask({ seed: 4_294_967_295, seedKnown: true });
    expect(added.seed).toBe('4294967295');
    expect((await clientFor().fetchTask(added.id)).seed).toBe(4_294_967_295);
  });

  it('reads the four images when the proxy filled them', async () => {
    const added = fake.addImagineTask({ imageUrls: 'official-cdn' });
    const task = await clientFor().fetchTask(added.id);
    expect(task.imageUrls.map((i) => i.url)).toEqual(
      [0, 1, 2, 3].map((i) => `https://cdn.midjourney.com/${task.jobId}/0_${i}.png`),
    );
  });

  it('sends the token raw in Mj-Api-Secret, never as a Bearer Authorization', async () => {
    const added = fake.addImagineTask();
    await clientFor().fetchTask(added.id);
    const [request] = fake.requests;
    expect(request?.headers['mj-api-secret']).toBe(fake.token);
    expect(request?.headers.authorization).toBeUndefined();
    expect(request).toMatchObject({ method: 'GET', path: `/mj/task/${added.id}/fetch`, route: 'fetch' });
  });

  it('works under a base URL with a trailing slash', async () => {
    const added = fake.addImagineTask();
    const task = await clientFor({ baseUrl: `${fake.url}/` }).fetchTask(added.id);
    expect(task.id).toBe(added.id);
  });

  it('is not_found for an unknown id (the proxy answers 204), without retrying', async () => {
    const error = await expectKind(clientFor().fetchTask('1733400000000123'), 'not_found');
    expect(error).toMatchObject({ status: 204, endpoint: 'fetch', taskId: '1733400000000123' });
    expect(fake.calls('fetch')).toBe(1);
    expect(errors).toEqual([error]);
  });

  it('is not_found for a null body and for a 404', async () => {
    fake.failNext('fetch', [{ status: 200, body: 'null', headers: { 'content-type': 'application/json' } }]);
    await expectKind(clientFor().fetchTask('1733400000000123'), 'not_found');
    fake.failNext('fetch', [{ status: 404 }]);
    await expectKind(clientFor().fetchTask('1733400000000123'), 'not_found');
  });

  it('refuses an id that is not digits without calling the proxy', async () => {
    await expectKind(clientFor().fetchTask('../../admin/accounts'), 'not_found');
    expect(fake.calls()).toBe(0);
  });

  it('reads a task the way the proxy writes it: nulls, extra fields, numbers for ids, a seed as a number', async () => {
    const body = {
      id: '1733400000000123',
      status: 'IN_PROGRESS',
      action: 'UPSCALE',
      parentId: null,
      prompt: null,
      submitTime: 1_733_400_000_000,
      imageUrls: [{ url: 'https://example.test/0.png', thumbnail: null }, { nope: true }],
      buttons: null,
      messageIds: ['1316232391072944777', 42],
      instanceId: 1316232391072944,
      seed: 1234,
      seedError: '',
      someFieldFromANewerProxy: { nested: [1, 2] },
      properties: { messageHash: 'a1b2', custom_id: 'MJ::X', notifyHook: null },
    };
    fake.failNext('fetch', [{ status: 200, body }]);
    const task = await clientFor().fetchTask('1733400000000123');
    expect(task).toMatchObject({
      id: '1733400000000123',
      status: 'IN_PROGRESS',
      action: 'UPSCALE',
      parentId: undefined,
      prompt: undefined,
      imageUrls: [{ url: 'https://example.test/0.png', thumbnail: undefined }],
      buttons: [],
      messageIds: ['1316232391072944777', '42'],
      instanceId: '1316232391072944',
      seed: 1234,
      seedError: undefined,
    });
    expect(task.properties).toMatchObject({
      messageHash: 'a1b2',
      notifyHook: undefined,
      extra: { custom_id: 'MJ::X' },
    });
    expect(task).not.toHaveProperty('someFieldFromANewerProxy');
  });

  it.each([
    ['a body that is not JSON', '<html>proxy error</html>'],
    ['a task without an id', { status: 'SUCCESS' }],
    ['a status the proxy does not have', { id: '1733400000000123', status: 'DONE' }],
    ['a seed that is no seed', { id: '1733400000000123', status: 'SUCCESS', seed: '12ab' }],
    ['a seed above 32 bits', { id: '1733400000000123', status: 'SUCCESS', seed: '4294967296' }],
  ])('is bad_response for %s', async (_, body) => {
    fake.failNext('fetch', [{ status: 200, body }]);
    await expectKind(clientFor().fetchTask('1733400000000123'), 'bad_response');
    expect(fake.calls('fetch')).toBe(1);
  });
});

describe('imageSeed', () => {
  it('answers at once with a seed the proxy already has', async () => {
    const added = fake.addImagineTask({ seed: 987_654_321, seedKnown: true });
    expect(await clientFor().imageSeed(added.id)).toBe(987_654_321);
    expect(fake.retrievals(added.id)).toBe(0);
  });

  it('returns the seed the proxy retrieves, stored in the task afterwards', async () => {
    const added = fake.addImagineTask({ seed: 0 });
    const client = clientFor();
    expect(await client.imageSeed(added.id)).toBe(0);
    expect(fake.retrievals(added.id)).toBe(1);
    expect((await client.fetchTask(added.id)).seed).toBe(0);
    expect(await client.imageSeed(added.id)).toBe(0);
    expect(fake.retrievals(added.id)).toBe(1);
  });

  it('is seed_pending for 未找到 seed, each time the proxy says so, then the seed', async () => {
    const added = fake.addImagineTask({ seed: 42, seedPlan: { notFoundTimes: 2 } });
    const client = clientFor();
    for (let i = 0; i < 2; i++) {
      const error = await expectKind(client.imageSeed(added.id), 'seed_pending');
      expect(error).toMatchObject({ status: 200, code: 3, upstream: PROXY_TEXT.seedNotFound });
    }
    expect(await client.imageSeed(added.id)).toBe(42);
    expect(fake.calls('image-seed')).toBe(3);
    expect(sleeps).toEqual([]);
  });

  it('waits out a proxy that blocks while it asks Midjourney, and returns the seed', async () => {
    const added = fake.addImagineTask({ seed: 7, seedPlan: { blockMs: 400 } });
    let settled = false;
    const pending = clientFor()
      .imageSeed(added.id)
      .finally(() => {
        settled = true;
      });
    while (fake.seedCallsInFlight() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(settled).toBe(false);
    expect(await pending).toBe(7);
    expect(fake.seedCallsInFlight()).toBe(0);
    expect(fake.calls('image-seed')).toBe(1);
  });

  it('times out after its own seedTimeoutMs, separate from timeoutMs, and does not ask again', async () => {
    const added = fake.addImagineTask({ seedPlan: { blockMs: 5_000 } });
    const client = clientFor({ timeoutMs: 100, seedTimeoutMs: 300 });
    const error = await expectKind(client.imageSeed(added.id, { attempts: 3 }), 'timeout');
    expect(error.message).toContain('300 ms');
    expect(fake.calls('image-seed')).toBe(1);
  });

  it('stops when the caller aborts, with the caller reason', async () => {
    const added = fake.addImagineTask({ seedPlan: { blockMs: 5_000 } });
    const controller = new AbortController();
    const pending = clientFor().imageSeed(added.id, { signal: controller.signal });
    while (fake.seedCallsInFlight() === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    controller.abort(new Error('shutting down'));
    await expect(pending).rejects.toThrow('shutting down');
  });

  it('is not_found (404, code 3) for a task the proxy does not know', async () => {
    const error = await expectKind(clientFor().imageSeed('1733400000000123'), 'not_found');
    expect(error).toMatchObject({ status: 404, code: 3, upstream: PROXY_TEXT.taskUnknown });
  });

  it('is not_finished (400, code 4) for a task without a Midjourney job yet', async () => {
    const added = fake.addImagineTask({ status: 'IN_PROGRESS' });
    const error = await expectKind(clientFor().imageSeed(added.id), 'not_finished');
    expect(error).toMatchObject({ status: 400, code: 4, upstream: PROXY_TEXT.taskState });
  });

  it('is failed (code 9), keeping the proxy text as seedError for logs', async () => {
    const added = fake.addImagineTask({ seedPlan: { failure: '获取 seed 失败: DM channel closed' } });
    const error = await expectKind(clientFor().imageSeed(added.id), 'failed');
    expect(error).toMatchObject({ status: 200, code: 9, seedError: '获取 seed 失败: DM channel closed' });
    expect(fake.getTask(added.id)?.seedError).toBe('获取 seed 失败: DM channel closed');
  });

  it('is no_account (code 3 无可用的账号实例) while the account is down, and the seed once it is back', async () => {
    const added = fake.addImagineTask({ seed: 99 });
    const client = clientFor();
    fake.setAccountAlive(false);
    const error = await expectKind(client.imageSeed(added.id), 'no_account');
    expect(error).toMatchObject({ status: 200, code: 3, upstream: PROXY_TEXT.noAccount });
    fake.setAccountAlive(true);
    expect(await client.imageSeed(added.id)).toBe(99);
  });

  it('still answers a stored seed while the account is down', async () => {
    const added = fake.addImagineTask({ seed: 5, seedKnown: true });
    fake.setAccountAlive(false);
    expect(await clientFor().imageSeed(added.id)).toBe(5);
  });

  it.each([
    ['a seed that is not digits', { code: 1, description: '成功', result: 'soon' }],
    ['no seed at all', { code: 1, description: '成功', result: null }],
    ['a code image-seed does not have', { code: 22, description: '排队中', result: null }],
    ['no envelope', { seed: 1 }],
  ])('is bad_response for %s', async (_, body) => {
    fake.failNext('image-seed', [{ status: 200, body }]);
    await expectKind(clientFor().imageSeed('1733400000000123'), 'bad_response');
  });

  it('reads a seed sent as a number', async () => {
    fake.failNext('image-seed', [
      { status: 200, body: { code: 1, description: 'ok', result: 12, properties: {} } },
    ]);
    expect(await clientFor().imageSeed('1733400000000123')).toBe(12);
  });

  it('does not repeat a 429 unless the caller asks, then honours Retry-After', async () => {
    const added = fake.addImagineTask({ seed: 3 });
    fake.failNext('image-seed', [{ status: 429, headers: { 'retry-after': '4' } }]);
    const error = await expectKind(clientFor().imageSeed(added.id), 'busy');
    expect(error.retryAfterMs).toBe(4_000);
    expect(fake.calls('image-seed')).toBe(1);

    fake.failNext('image-seed', [{ status: 429, headers: { 'retry-after': '4' } }]);
    expect(await clientFor().imageSeed(added.id, { attempts: 2 })).toBe(3);
    expect(sleeps).toEqual([4_000]);
  });

  it('never repeats a 5xx, which may come after a retrieval started', async () => {
    const added = fake.addImagineTask();
    fake.failNext('image-seed', [{ status: 502 }, { status: 502 }]);
    await expectKind(clientFor().imageSeed(added.id, { attempts: 3 }), 'unavailable');
    expect(fake.calls('image-seed')).toBe(1);
  });
});

describe('listByIds', () => {
  it('posts the ids and reads the tasks that exist', async () => {
    const a = fake.addImagineTask();
    const b = fake.addImagineTask({ status: 'IN_PROGRESS' });
    const tasks = await clientFor().listByIds([a.id, b.id, '1733400000000123']);
    expect(tasks.map((t) => [t.id, t.status]).sort()).toEqual(
      [
        [a.id, 'SUCCESS'],
        [b.id, 'IN_PROGRESS'],
      ].sort(),
    );
    expect(fake.requests[0]).toMatchObject({
      method: 'POST',
      route: 'list-by-ids',
      body: { ids: [a.id, b.id, '1733400000000123'] },
    });
  });

  it('asks nothing for no ids', async () => {
    expect(await clientFor().listByIds([])).toEqual([]);
    expect(fake.calls()).toBe(0);
  });
});

describe('auth', () => {
  it('is unauthorized (401, plain text) for a token the proxy does not know, and the token is in no message', async () => {
    const token = 'wrong-token-abcdef123456';
    const client = clientFor({ token });
    const error = await expectKind(client.fetchTask('1733400000000123'), 'unauthorized');
    expect(error).toMatchObject({ status: 401, upstream: UNAUTHORIZED_TEXT });
    expect(error.message).not.toContain(token);
    expect(JSON.stringify(error)).not.toContain(token);
    expect(fake.calls('fetch')).toBe(1);
    await expectKind(client.imageSeed('1733400000000123', { attempts: 3 }), 'unauthorized');
    expect(fake.calls('image-seed')).toBe(1);
  });

  it('is unauthorized for a 403 too', async () => {
    fake.failNext('fetch', [{ status: 403, body: '账号不可用' }]);
    await expectKind(clientFor().fetchTask('1733400000000123'), 'unauthorized');
  });

  it('redacts the token when the proxy echoes it', async () => {
    fake.failNext('image-seed', [
      {
        status: 200,
        body: { code: 9, description: `token ${fake.token} rejected by Discord`, result: null },
      },
    ]);
    const error = await expectKind(clientFor().imageSeed('1733400000000123'), 'failed');
    expect(error.message).not.toContain(fake.token);
    expect(error.seedError).not.toContain(fake.token);
    expect(error.upstream).toContain('[redacted]');
  });

  it('refuses at construction a token that cannot travel raw in a header', () => {
    for (const token of ['Bearer abc', ' abc', '', 'tök']) {
      expect(() => clientFor({ token })).toThrow(/printable ASCII without whitespace/);
    }
  });
});

describe('retries', () => {
  it('repeats a GET after a 429, waiting at least its Retry-After', async () => {
    const added = fake.addImagineTask();
    fake.failNext('fetch', [{ status: 429, headers: { 'retry-after': '2' } }]);
    const task = await clientFor().fetchTask(added.id);
    expect(task.id).toBe(added.id);
    expect(fake.calls('fetch')).toBe(2);
    expect(sleeps).toHaveLength(1);
    expect(sleeps[0]).toBeGreaterThanOrEqual(2_000);
    expect(calls.map((c) => c.status)).toEqual([429, 200]);
  });

  it('repeats a GET after 5xx with growing jittered backoff, then succeeds', async () => {
    const added = fake.addImagineTask();
    fake.failNext('fetch', [
      { status: 503 },
      { status: 500, body: { success: false, code: -1, message: '操作失败' } },
    ]);
    const task = await clientFor({ random: () => 1, retry: { baseDelayMs: 100 } }).fetchTask(added.id);
    expect(task.id).toBe(added.id);
    expect(sleeps).toEqual([100, 200]);
    expect(calls.map((c) => [c.status, c.attempt])).toEqual([
      [503, 1],
      [500, 2],
      [200, 3],
    ]);
  });

  it('gives up after maxAttempts with unavailable, reported once', async () => {
    await fake.outage({ status: 503 });
    const error = await expectKind(clientFor().fetchTask('1733400000000123'), 'unavailable');
    expect(error.message).toContain('after 3 attempts');
    expect(fake.calls('fetch')).toBe(3);
    expect(errors).toHaveLength(1);
  });

  it('does not wait for a Retry-After longer than maxDelayMs: busy at once, with the wait', async () => {
    fake.failNext('fetch', [{ status: 429, headers: { 'retry-after': '120' } }]);
    const error = await expectKind(clientFor().fetchTask('1733400000000123'), 'busy');
    expect(error.retryAfterMs).toBe(120_000);
    expect(sleeps).toEqual([]);
  });

  it('reads a Retry-After given as an HTTP date', async () => {
    const now = Date.parse('2026-12-05T12:00:00Z');
    fake.failNext('fetch', [{ status: 429, headers: { 'retry-after': 'Sat, 05 Dec 2026 12:00:03 GMT' } }]);
    const added = fake.addImagineTask();
    await clientFor({ now: () => now, random: () => 0 }).fetchTask(added.id);
    expect(sleeps).toEqual([3_000]);
  });

  it('waits with real timers by default', async () => {
    const added = fake.addImagineTask();
    fake.failNext('fetch', [{ status: 503 }]);
    const client = createMidjourneyProxyClient({
      baseUrl: fake.url,
      token: fake.token,
      retry: { baseDelayMs: 5 },
    });
    expect((await client.fetchTask(added.id)).id).toBe(added.id);
  });
});

describe('connection failures', () => {
  it('is network when connections are refused, after the retries of a GET', async () => {
    await fake.outage('refuse');
    const error = await expectKind(clientFor().fetchTask('1733400000000123'), 'network');
    expect(error.message).toContain('ECONNREFUSED');
    expect(sleeps).toHaveLength(2);
  });

  it('repeats image-seed after a refused connection only when the caller asks (the request never left)', async () => {
    await fake.outage('refuse');
    await expectKind(clientFor().imageSeed('1733400000000123'), 'network');
    expect(sleeps).toHaveLength(0);
    await expectKind(clientFor().imageSeed('1733400000000123', { attempts: 2 }), 'network');
    expect(sleeps).toHaveLength(1);
  });

  it('is network when the proxy drops the connection, and a GET is repeated', async () => {
    const added = fake.addImagineTask();
    fake.failNext('fetch', [{ status: 0, destroy: true }]);
    expect((await clientFor().fetchTask(added.id)).id).toBe(added.id);
    fake.failNext('image-seed', [{ status: 0, destroy: true }]);
    await expectKind(clientFor().imageSeed(added.id, { attempts: 3 }), 'network');
    expect(fake.calls('image-seed')).toBe(1);
  });

  it('is network for a host that does not resolve', async () => {
    const client = clientFor({ baseUrl: 'http://mj-proxy.invalid:8080', retry: { maxAttempts: 1 } });
    await expectKind(client.fetchTask('1733400000000123'), 'network');
  });

  it('is timeout when a GET gets no answer in time, after its retries', async () => {
    fake.failNext('fetch', [
      { status: 200, delayMs: 2_000 },
      { status: 200, delayMs: 2_000 },
    ]);
    const client = clientFor({ timeoutMs: 100, retry: { maxAttempts: 2 } });
    await expectKind(client.fetchTask('1733400000000123'), 'timeout');
    expect(fake.calls('fetch')).toBe(2);
  });
});

describe('ping', () => {
  it('resolves when the proxy answers and takes the token, reading a task that cannot exist', async () => {
    await clientFor().ping();
    expect(fake.requests.map((r) => [r.route, r.path])).toEqual([
      ['fetch', '/mj/task/0000000000000000/fetch'],
    ]);
  });

  it('is unauthorized for a refused token', async () => {
    await expectKind(clientFor({ token: 'nope' }).ping(), 'unauthorized');
  });

  it('is network when nothing listens', async () => {
    const port = await freePort();
    await expectKind(
      clientFor({ baseUrl: `http://127.0.0.1:${port}`, retry: { maxAttempts: 1 } }).ping(),
      'network',
    );
  });
});

describe('error kinds', () => {
  it('says which kinds may succeed when asked again later', () => {
    expect([...TRANSIENT_PROXY_KINDS].sort()).toEqual(
      ['busy', 'network', 'no_account', 'seed_pending', 'timeout', 'unavailable'].sort(),
    );
  });
});
