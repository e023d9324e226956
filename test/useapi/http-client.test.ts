import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signCdnUrl } from '../../dev/fakes/cdn.js';
import { type FakeUseapi, type FakeUseapiOptions, startFakeUseapi } from '../../dev/fakes/fake-useapi.js';
import { sleep } from '../../src/lib/sleep.js';
import { isUseapiError, type UseapiError, type UseapiErrorKind } from '../../src/useapi/errors.js';
import {
  createUseapiClient,
  type UseapiCallInfo,
  type UseapiClientOptions,
} from '../../src/useapi/http-client.js';
import type { Job, JobStatus, UseapiClient } from '../../src/useapi/port.js';

const CHANNEL = '1316232391072944131';
const OTHER_CHANNEL = '1316232391072944999';
const SEED = 123_456_789;
const V3_JOBID = 'j1023141520123456789i-u12345-c1234567890123456789-bot:midjourney';

let fake: FakeUseapi;
let sleeps: number[];
let calls: UseapiCallInfo[];

const start = async (options: FakeUseapiOptions = {}) => {
  fake = await startFakeUseapi({ seedDurationMs: 60, ...options });
  fake.addAccount({ channel: CHANNEL });
};

const clientFor = (overrides: Partial<UseapiClientOptions> = {}): UseapiClient =>
  createUseapiClient({
    baseUrl: fake.url,
    token: fake.token,
    timeoutMs: 2_000,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    onCall: (info) => calls.push(info),
    ...overrides,
  });

/** The UseapiError a promise rejects with (fails the test when it resolves or rejects with something else). */
const failure = async (promise: Promise<unknown>): Promise<UseapiError> => {
  const outcome = await promise.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (outcome.ok) throw new Error(`expected a UseapiError, got ${JSON.stringify(outcome.value)}`);
  if (!isUseapiError(outcome.error)) throw outcome.error;
  return outcome.error;
};

const pollUntilFinal = async (
  client: UseapiClient,
  jobid: string,
): Promise<{ job: Job; seen: JobStatus[] }> => {
  const seen: JobStatus[] = [];
  for (;;) {
    const job = await client.getJob(jobid);
    if (seen.at(-1) !== job.status) seen.push(job.status);
    if (['completed', 'failed', 'moderated', 'cancelled'].includes(job.status)) return { job, seen };
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

/** A port nobody listens on. */
const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
};

beforeEach(() => {
  sleeps = [];
  calls = [];
});

afterEach(async () => {
  await fake?.close();
});

describe('createUseapiClient: seed_async and polling', () => {
  // Long enough that the first poll sees 'started' even on a busy machine.
  beforeEach(() => start({ seedDurationMs: 600, progressSteps: 1 }));

  it('starts a seed job and follows it through progress to completed by polling getJob', async () => {
    const parent = fake.addJob({ prompt: 'Steampunk cat', seedValue: SEED });
    const client = clientFor();

    const started = await client.seedAsync(parent.jobid);
    expect(started).toMatchObject({ verb: 'seed_async', status: 'started', parentJobId: parent.jobid });
    expect(started.jobid).not.toBe(parent.jobid);

    const { job, seen } = await pollUntilFinal(client, started.jobid);
    expect(seen).toEqual(['started', 'progress', 'completed']);
    expect(job.seed?.value).toBe(SEED);
    expect(job.seed?.content).toMatch(
      /^\*\*Steampunk cat\*\*\n\*\*Job ID\*\*: [0-9a-f-]{36}\n\*\*seed\*\* 123456789$/,
    );
    expect(job.seed?.attachments).toHaveLength(4);
    for (const [i, attachment] of (job.seed?.attachments ?? []).entries()) {
      expect(attachment.filename).toMatch(
        new RegExp(`^fakeuser_steampunk_cat_[0-9a-f-]{36}_${i + 1}\\.png$`),
      );
      expect(attachment).toMatchObject({ contentType: 'image/png', width: 1024, height: 1024, size: 2048 });
      expect(attachment.proxyUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/media\/attachments\//);
      expect(attachment.url).toMatch(/\?ex=[0-9a-f]+&is=[0-9a-f]+&hm=[0-9a-f]+$/);
    }
  });

  it('returns the original job with its seed when the seed was already retrieved, starting no second job', async () => {
    fake.setSeedDuration(60_000); // only completeNow ends these jobs, whatever the machine's load
    const parent = fake.addJob({ seedValue: SEED });
    const client = clientFor();
    const started = await client.seedAsync(parent.jobid);
    fake.completeNow(started.jobid);

    const again = await client.seedAsync(parent.jobid);
    expect(again).toMatchObject({ jobid: parent.jobid, verb: 'imagine', status: 'completed' });
    expect(again.seed?.value).toBe(SEED);
    expect(again.seed?.attachments).toHaveLength(4);
    expect(again.attachments).toHaveLength(1);
    expect(fake.count('POST', '/v2/jobs/seed_async')).toBe(2);
    expect(fake.maxRunningSeedJobs()).toBe(1);
    expect(fake.runningSeedJobs()).toBe(0);
  });

  it('sends the bearer token and a JSON body, and URL-encodes the jobid', async () => {
    const urls: string[] = [];
    const client = clientFor({
      fetch: (input, init) => {
        urls.push(String(input));
        return fetch(input, init);
      },
    });
    const parent = fake.addJob({});
    const started = await client.seedAsync(parent.jobid, {
      replyUrl: 'http://127.0.0.1:1/cb',
      replyRef: 'ref-1',
    });
    await client.getJob(started.jobid);

    const [post, get] = fake.requests;
    expect(post?.headers.authorization).toBe(`Bearer ${fake.token}`);
    expect(post?.headers['content-type']).toBe('application/json');
    expect(post?.body).toEqual({ jobid: parent.jobid, replyUrl: 'http://127.0.0.1:1/cb', replyRef: 'ref-1' });
    expect(get).toMatchObject({ method: 'GET', path: '/v2/jobs/', query: { jobid: started.jobid } });
    expect(urls[1]).toBe(`${fake.url}/jobs/?jobid=${encodeURIComponent(started.jobid)}`);
    expect(urls[1]).toContain('job%3A');
    expect(started.replyRef).toBe('ref-1');
  });

  it('accepts a base URL with or without a trailing slash', async () => {
    const parent = fake.addJob({});
    await clientFor({ baseUrl: `${fake.url}/` }).getJob(parent.jobid);
    await clientFor({ baseUrl: fake.url }).getJob(parent.jobid);
    expect(fake.requests.map((r) => r.path)).toEqual(['/v2/jobs/', '/v2/jobs/']);
  });

  it('lists executing jobs, accounts (as an array) and one account', async () => {
    fake.addAccount({ channel: OTHER_CHANNEL, discord: 'abcdefghijklmnopqrstuvwxyz', maxJobs: 5 });
    const client = clientFor();
    const started = await client.seedAsync(fake.addJob({}).jobid);

    expect(await client.getExecutingJobs()).toEqual([started.jobid]);
    const accounts = await client.getAccounts();
    expect(accounts.map((a) => a.channel).sort()).toEqual([CHANNEL, OTHER_CHANNEL].sort());
    expect(await client.getAccount(OTHER_CHANNEL)).toEqual({
      channel: OTHER_CHANNEL,
      discord: 'abc…secured…xyz',
      maxJobs: 5,
      pendingModMessage: undefined,
    });
    expect((await failure(client.getAccount('999'))).kind).toBe('not_found');
    expect(calls.map((c) => c.endpoint)).toEqual([
      'seed_async',
      'list_jobs',
      'accounts',
      'account',
      'account',
    ]);
  });

  it('resets an account (204) and maps an unknown channel to not_found', async () => {
    const client = clientFor();
    fake.setPendingModeration(CHANNEL, 'Please acknowledge');
    expect((await client.getAccount(CHANNEL)).pendingModMessage).toBe('Please acknowledge');
    await expect(client.resetAccount(CHANNEL)).resolves.toBeUndefined();
    expect((await client.getAccount(CHANNEL)).pendingModMessage).toBeUndefined();
    expect((await failure(client.resetAccount('404404404404404404'))).kind).toBe('not_found');
    expect(calls.filter((c) => c.endpoint === 'reset').map((c) => c.status)).toEqual([204, 404]);
  });
});

describe('createUseapiClient: error mapping', () => {
  beforeEach(() => start());

  it.each([
    ['jobid is missing', 'jobid_missing'],
    ['Query param jobid not provided', 'jobid_missing'],
    ['replyRef is too long', 'too_long'],
    ['replyUrl is too long', 'too_long'],
    ['Parent job must be completed', 'parent_not_completed'],
    ['Job of type video not supported', 'unsupported_job'],
    ['discord is missing', 'account_missing'],
    ['channel is missing', 'account_missing'],
    ['<discord | channel> is missing', 'account_missing'],
    ['<jobid> is missing', 'jobid_missing'],
    ['Something else entirely', 'bad_request'],
  ] as const)('maps the 400 "%s" to %s', async (message, kind) => {
    fake.failNext({ path: '/v2/jobs/seed_async' }, [{ status: 400, body: { error: message, code: 400 } }]);
    const error = await failure(clientFor().seedAsync(fake.addJob({}).jobid));
    expect(error.kind).toBe(kind);
    expect(error).toMatchObject({ status: 400, endpoint: 'seed_async', upstream: message });
  });

  it('maps the fake useapi 400s of seed_async and getJob to their kinds', async () => {
    const client = clientFor();
    expect((await failure(client.seedAsync(''))).kind).toBe('jobid_missing');
    expect((await failure(client.getJob(''))).kind).toBe('jobid_missing');
    const done = fake.addJob({});
    const tooLong = await failure(client.seedAsync(done.jobid, { replyRef: 'x'.repeat(1025) }));
    expect(tooLong.kind).toBe('too_long');
    const running = fake.addJob({ status: 'progress' });
    expect((await failure(client.seedAsync(running.jobid))).kind).toBe('parent_not_completed');
    const video = await failure(client.seedAsync(fake.addJob({ verb: 'video' }).jobid));
    expect(video).toMatchObject({ kind: 'unsupported_job', verb: 'video' });
    const noAccount = fake.addJob({ channel: OTHER_CHANNEL });
    expect((await failure(client.seedAsync(noAccount.jobid))).kind).toBe('account_missing');
    const unknown = await failure(client.seedAsync(`job:20241218021941022-user:1308-channel:${CHANNEL}`));
    expect(unknown).toMatchObject({ kind: 'not_found', status: 404 });
    expect(unknown.upstream).toMatch(/^Unable to locate parent job /);
    expect((await failure(client.getJob(`job:20241218021941022-user:1308-channel:${CHANNEL}`))).kind).toBe(
      'not_found',
    );
  });

  it.each([
    [401, 'unauthorized'],
    [402, 'no_subscription'],
    [404, 'not_found'],
    [409, 'conflict'],
    [422, 'moderated'],
    [429, 'busy'],
    [500, 'unavailable'],
    [502, 'unavailable'],
    [503, 'unavailable'],
    [504, 'untrackable'],
    [596, 'pending_moderation'],
  ] as const)('maps HTTP %i to %s', async (status, kind: UseapiErrorKind) => {
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, [
      { status, body: { error: `status ${status}`, code: status } },
    ]);
    const error = await failure(clientFor({ retry: { maxAttempts: 1 } }).getJob(fake.addJob({}).jobid));
    expect(error).toMatchObject({ kind, status, endpoint: 'get_job' });
    expect(error.message).toContain('get_job');
    expect(error.message).toContain(`HTTP ${status}`);
  });

  it('maps 410 on any route, 404 on the account list and a "discontinued" text to discontinued', async () => {
    const client = clientFor();
    fake.failNext({ path: '/v2/account/midjourney' }, [
      { status: 404, body: { error: 'Not found', code: 404 } },
    ]);
    expect(await failure(client.getAccounts())).toMatchObject({ kind: 'discontinued', status: 404 });
    fake.failNext({ path: '/v2/account/midjourney' }, [{ status: 410, body: 'Gone' }]);
    expect((await failure(client.getAccount(CHANNEL))).kind).toBe('discontinued');
    const done = fake.addJob({});
    fake.failNext({ path: '/v2/jobs/seed_async' }, [{ status: 410, body: { error: 'Gone', code: 410 } }]);
    expect((await failure(client.seedAsync(done.jobid))).kind).toBe('discontinued');
    const notice = 'Midjourney support was discontinued on June 24, 2026';
    fake.failNext({ path: '/v2/jobs/seed_async' }, [{ status: 400, body: { error: notice, code: 400 } }]);
    expect(await failure(client.seedAsync(done.jobid))).toMatchObject({
      kind: 'discontinued',
      upstream: notice,
    });
    // Documented 404s keep their meaning: an account channel that is not configured, a job useapi does not know.
    expect((await failure(client.getAccount(OTHER_CHANNEL))).kind).toBe('not_found');
    expect((await failure(client.getJob(`job:20241218021941022-user:1308-channel:${CHANNEL}`))).kind).toBe(
      'not_found',
    );
    // Not retried: a gone API does not come back in a second.
    expect(fake.count('POST', '/v2/jobs/seed_async')).toBe(2);
  });

  it('reports each failed call once to onError, after its retries', async () => {
    const errors: UseapiError[] = [];
    const client = clientFor({ onError: (e) => errors.push(e), retry: { maxAttempts: 3 } });
    fake.failNext({ method: 'GET', path: '/v2/jobs' }, [{ status: 503 }, { status: 503 }, { status: 503 }]);
    await failure(client.getExecutingJobs());
    fake.failNext({ method: 'GET', path: '/v2/jobs' }, [{ status: 200, body: '{"not":"a list"}' }]);
    await failure(client.getExecutingJobs());
    fake.failNext({ method: 'POST', path: '/v2/account/midjourney' }, [{ status: 401 }]);
    await failure(client.resetAccount(CHANNEL));
    expect(await client.getExecutingJobs()).toEqual([]);
    expect(errors.map((e) => e.kind)).toEqual(['unavailable', 'bad_response', 'unauthorized']);
  });

  it('maps a wrong token to unauthorized', async () => {
    const error = await failure(clientFor({ token: 'not-the-token' }).getJob(fake.addJob({}).jobid));
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, upstream: 'Unauthorized' });
  });

  it('maps 596 to pending_moderation with the channel read from the jobid asked about', async () => {
    const parent = fake.addJob({});
    fake.setPendingModeration(CHANNEL);
    const error = await failure(clientFor().seedAsync(parent.jobid));
    expect(error).toMatchObject({
      kind: 'pending_moderation',
      status: 596,
      channel: CHANNEL,
      jobid: parent.jobid,
    });
    expect(error.moderationText).toMatch(/pending moderation message/);
    expect(fake.count('POST', '/v2/jobs/seed_async')).toBe(1);
  });

  it('takes the 596 channel and moderation text from the body when present, and reads v3 jobids', async () => {
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, [
      {
        status: 596,
        body: {
          error: 'Pending mod message',
          errorDetails: 'Acknowledge it',
          channel: OTHER_CHANNEL,
          code: 596,
        },
      },
      {
        status: 596,
        body: { error: 'Your Discord account has received a pending moderation message', code: 596 },
      },
    ]);
    const client = clientFor();
    const fromBody = await failure(client.getJob(fake.addJob({}).jobid));
    expect(fromBody).toMatchObject({ channel: OTHER_CHANNEL, moderationText: 'Acknowledge it' });
    const fromV3 = await failure(client.getJob(V3_JOBID));
    expect(fromV3).toMatchObject({ kind: 'pending_moderation', channel: '1234567890123456789' });
  });

  it('returns a failed seed job with code 596 from getJob instead of throwing', async () => {
    fake.setSeedDuration(60_000); // only completeNow ends these jobs, whatever the machine's load
    const client = clientFor();
    const started = await client.seedAsync(fake.addJob({}).jobid);
    fake.setPendingModeration(CHANNEL, 'Acknowledge the message');
    fake.completeNow(started.jobid);
    expect((await failure(client.getJob(started.jobid))).kind).toBe('pending_moderation');
    await client.resetAccount(CHANNEL);

    const job = await client.getJob(started.jobid);
    expect(job).toMatchObject({
      jobid: started.jobid,
      status: 'failed',
      code: 596,
      error: 'Pending mod message',
      errorDetails: 'Acknowledge the message',
    });
    expect(job.seed).toBeUndefined();
  });

  it.each([
    ['a body that is not JSON', 'Internal <b>oops</b>'],
    ['a job without jobid', { verb: 'imagine', status: 'completed' }],
    ['an unknown status', { jobid: 'j', verb: 'imagine', status: 'exploded' }],
    [
      'a seed out of range',
      { jobid: 'j', verb: 'imagine', status: 'completed', seed: { value: 4_294_967_296 } },
    ],
    ['a negative seed', { jobid: 'j', verb: 'imagine', status: 'completed', seed: { value: -1 } }],
    [
      'an attachment without url',
      { jobid: 'j', verb: 'imagine', status: 'completed', attachments: [{ id: '1' }] },
    ],
  ])('maps %s to bad_response without retrying', async (_label, body) => {
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, [{ status: 200, body }]);
    const error = await failure(clientFor().getJob(fake.addJob({}).jobid));
    expect(error).toMatchObject({ kind: 'bad_response', status: 200 });
    expect(fake.count('GET', '/v2/jobs/')).toBe(1);
  });

  it('rejects a seed_async answer that is neither a seed job nor carries a seed', async () => {
    const parent = fake.addJob({});
    fake.failNext({ path: '/v2/jobs/seed_async' }, [{ status: 200, body: { ...parent, seed: undefined } }]);
    expect((await failure(clientFor().seedAsync(parent.jobid))).kind).toBe('bad_response');
  });

  it('ignores unknown fields and maps snake_case attachments to camelCase', async () => {
    const parent = fake.addJob({ attachmentNames: ['grid.png'] });
    const raw = fake.getJob(parent.jobid);
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, [
      {
        status: 200,
        body: { ...raw, somethingNew: { nested: true }, attachments: [{ ...raw?.attachments[0], extra: 1 }] },
      },
    ]);
    const job = await clientFor().getJob(parent.jobid);
    expect(job.attachments).toEqual([
      {
        id: raw?.attachments[0]?.id,
        url: raw?.attachments[0]?.url,
        proxyUrl: raw?.attachments[0]?.proxy_url,
        width: 2048,
        height: 2048,
        size: 2048,
        filename: 'grid.png',
        contentType: 'image/png',
      },
    ]);
    expect(job).not.toHaveProperty('somethingNew');
    expect(job.children).toEqual([]);
  });
});

describe('createUseapiClient: retries', () => {
  beforeEach(() => start());

  it('retries 429 twice then succeeds, with exactly 3 POSTs', async () => {
    fake.failNext({ method: 'POST', path: '/v2/jobs/seed_async' }, [
      { status: 429, body: { error: 'busy', code: 429 } },
      { status: 429, body: { error: 'busy', code: 429 } },
    ]);
    const job = await clientFor().seedAsync(fake.addJob({}).jobid);
    expect(job.status).toBe('started');
    expect(fake.count('POST', '/v2/jobs/seed_async')).toBe(3);
    expect(sleeps).toHaveLength(2);
    expect(calls.map((c) => [c.status, c.attempt])).toEqual([
      [429, 1],
      [429, 2],
      [200, 3],
    ]);
  });

  it('backs off exponentially with full jitter, capped by maxDelayMs', async () => {
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, Array(5).fill({ status: 503 }));
    const client = clientFor({ retry: { maxAttempts: 6, baseDelayMs: 100, maxDelayMs: 250 } });
    await client.getJob(fake.addJob({}).jobid);
    expect(sleeps).toHaveLength(5);
    const caps = [100, 200, 250, 250, 250];
    sleeps.forEach((ms, i) => {
      expect(ms).toBeGreaterThanOrEqual(0);
      expect(ms).toBeLessThanOrEqual(caps[i] ?? 0);
    });
  });

  it('draws the jitter from the injected random source', async () => {
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, Array(3).fill({ status: 503 }));
    const client = clientFor({
      random: () => 0.5,
      retry: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 },
    });
    await client.getJob(fake.addJob({}).jobid);
    expect(sleeps).toEqual([50, 100, 125]);
  });

  it('gives up after maxAttempts and says how many attempts it made', async () => {
    fake.failNext(
      { path: '/v2/jobs/seed_async' },
      Array(4).fill({ status: 429, body: { error: 'busy', code: 429 } }),
    );
    const error = await failure(clientFor().seedAsync(fake.addJob({}).jobid));
    expect(error.kind).toBe('busy');
    expect(error.message).toMatch(/after 4 attempts$/);
    expect(fake.count('POST', '/v2/jobs/seed_async')).toBe(4);
  });

  it('reports executingJobs and a Retry-After in seconds on 429', async () => {
    fake.failNext({ path: '/v2/jobs/seed_async' }, [
      {
        status: 429,
        body: { error: 'Account busy', executingJobs: ['job:a', 'job:b'], code: 429 },
        headers: { 'Retry-After': '2' },
      },
    ]);
    const error = await failure(clientFor({ retry: { maxAttempts: 1 } }).seedAsync(fake.addJob({}).jobid));
    expect(error).toMatchObject({ kind: 'busy', executingJobs: ['job:a', 'job:b'], retryAfterMs: 2000 });
  });

  it('reads a Retry-After date against the injected clock', async () => {
    const at = Date.UTC(2030, 0, 1);
    fake.failNext({ path: '/v2/jobs/seed_async' }, [
      { status: 429, headers: { 'Retry-After': new Date(at + 7_000).toUTCString() } },
    ]);
    const client = clientFor({ now: () => at, retry: { maxAttempts: 1 } });
    const error = await failure(client.seedAsync(fake.addJob({}).jobid));
    expect(error).toMatchObject({ kind: 'busy', retryAfterMs: 7_000 });
  });

  it('waits at least Retry-After (seconds or HTTP date) before retrying', async () => {
    fake.failNext({ path: '/v2/jobs/seed_async' }, [
      { status: 429, headers: { 'Retry-After': '3' } },
      { status: 429, headers: { 'Retry-After': new Date(Date.now() + 5_000).toUTCString() } },
    ]);
    await clientFor({ retry: { baseDelayMs: 1 } }).seedAsync(fake.addJob({}).jobid);
    expect(sleeps[0]).toBeGreaterThanOrEqual(3_000);
    expect(sleeps[1]).toBeGreaterThanOrEqual(3_000);
    expect(sleeps[1]).toBeLessThanOrEqual(5_000);
  });

  it('does not wait for a Retry-After longer than maxDelayMs: throws busy at once', async () => {
    fake.failNext({ path: '/v2/jobs/seed_async' }, [{ status: 429, headers: { 'Retry-After': '120' } }]);
    const error = await failure(clientFor().seedAsync(fake.addJob({}).jobid));
    expect(error).toMatchObject({ kind: 'busy', retryAfterMs: 120_000 });
    expect(fake.count('POST', '/v2/jobs/seed_async')).toBe(1);
  });

  it('retries 5xx for GET and for seed_async', async () => {
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, [
      { status: 500 },
      { status: 503, body: '<html>busy</html>' },
    ]);
    fake.failNext({ method: 'POST', path: '/v2/jobs/seed_async' }, [{ status: 502 }]);
    const client = clientFor();
    const parent = fake.addJob({});
    await client.getJob(parent.jobid);
    await client.seedAsync(parent.jobid);
    expect(fake.count('GET', '/v2/jobs/')).toBe(3);
    expect(fake.count('POST', '/v2/jobs/seed_async')).toBe(2);
  });

  it('retries 504 for GET but not for seed_async, where the job may have been queued', async () => {
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, [{ status: 504 }]);
    fake.failNext({ method: 'POST', path: '/v2/jobs/seed_async' }, [{ status: 504 }]);
    const client = clientFor();
    const parent = fake.addJob({});
    await client.getJob(parent.jobid);
    expect(fake.count('GET', '/v2/jobs/')).toBe(2);
    expect((await failure(client.seedAsync(parent.jobid))).kind).toBe('untrackable');
    expect(fake.count('POST', '/v2/jobs/seed_async')).toBe(1);
  });

  it.each([400, 401, 402, 404, 409, 422, 596])('never retries HTTP %i', async (status) => {
    fake.failNext({ method: 'POST', path: '/v2/jobs/seed_async' }, [
      { status, body: { error: 'no', code: status } },
    ]);
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, [{ status, body: { error: 'no', code: status } }]);
    const client = clientFor();
    const parent = fake.addJob({});
    await failure(client.seedAsync(parent.jobid));
    await failure(client.getJob(parent.jobid));
    expect(fake.count('POST', '/v2/jobs/seed_async')).toBe(1);
    expect(fake.count('GET', '/v2/jobs/')).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it('times out a slow GET and retries it', async () => {
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, [
      { status: 200, delayMs: 1_000 },
      { status: 200, delayMs: 1_000 },
    ]);
    const client = clientFor({ timeoutMs: 100, retry: { maxAttempts: 3 } });
    const parent = fake.addJob({});
    const job = await client.getJob(parent.jobid);
    expect(job.jobid).toBe(parent.jobid);
    expect(fake.count('GET', '/v2/jobs/')).toBe(3);
    expect(calls.map((c) => c.status)).toEqual(['error', 'error', 200]);
  });

  it('times out a slow seed_async and does not retry it (the job may have started)', async () => {
    fake.failNext({ method: 'POST', path: '/v2/jobs/seed_async' }, [{ status: 200, delayMs: 1_000 }]);
    const error = await failure(clientFor({ timeoutMs: 100 }).seedAsync(fake.addJob({}).jobid));
    expect(error.kind).toBe('timeout');
    expect(error.message).toContain('seed_async');
    expect(fake.count('POST', '/v2/jobs/seed_async')).toBe(1);
  });

  it('retries a GET whose connection was dropped', async () => {
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, [
      { status: 0, destroy: true },
      { status: 0, destroy: true },
    ]);
    const parent = fake.addJob({});
    expect((await clientFor().getJob(parent.jobid)).jobid).toBe(parent.jobid);
    expect(fake.count('GET', '/v2/jobs/')).toBe(3);
  });

  it('does not retry a seed_async whose connection was dropped after it was sent', async () => {
    fake.failNext({ method: 'POST', path: '/v2/jobs/seed_async' }, [{ status: 0, destroy: true }]);
    const error = await failure(clientFor().seedAsync(fake.addJob({}).jobid));
    expect(error).toMatchObject({ kind: 'network', status: undefined });
    expect(fake.count('POST', '/v2/jobs/seed_async')).toBe(1);
  });

  it('retries seed_async when the connection is refused (nothing was sent)', async () => {
    const port = await closedPort();
    const client = clientFor({ baseUrl: `http://127.0.0.1:${port}/v2` });
    const error = await failure(client.seedAsync(`job:20241218021941022-user:1308-channel:${CHANNEL}`));
    expect(error.kind).toBe('network');
    expect(error.message).toContain('ECONNREFUSED');
    expect(calls.map((c) => [c.endpoint, c.status, c.attempt])).toEqual([
      ['seed_async', 'error', 1],
      ['seed_async', 'error', 2],
      ['seed_async', 'error', 3],
      ['seed_async', 'error', 4],
    ]);
  });

  it('stops at once when the caller aborts, rejecting with the abort reason', async () => {
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, [{ status: 200, delayMs: 1_000 }]);
    const controller = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => controller.abort(reason), 50);
    await expect(clientFor().getJob(fake.addJob({}).jobid, { signal: controller.signal })).rejects.toBe(
      reason,
    );
    expect(fake.count('GET', '/v2/jobs/')).toBe(1);
  });
});

describe('retry pauses', () => {
  it('aborting during the backoff pause stops the retries', async () => {
    await start();
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, [{ status: 503 }]);
    const controller = new AbortController();
    // Full jitter may pick a pause of a few ms; the pause here is always long, so the abort lands inside it.
    const client = clientFor({
      sleep: (_ms, signal) => sleep(60_000, signal),
      retry: { baseDelayMs: 60_000, maxDelayMs: 60_000 },
    });
    const pending = client.getJob(fake.addJob({}).jobid, { signal: controller.signal });
    // The first attempt has been answered once onCall reported it.
    await expect.poll(() => calls.length).toBe(1);
    controller.abort(new Error('deadline'));
    await expect(pending).rejects.toThrow('deadline');
    expect(fake.count('GET', '/v2/jobs/')).toBe(1);
  });
});

describe('createUseapiClient: secrets', () => {
  beforeEach(() => start({ token: 'sk-useapi-SECRET-0123456789abcdef' }));

  it('never puts the token in an error message or stack', async () => {
    const token = fake.token;
    const echo = `token was ${token}`;
    fake.failNext({ method: 'GET', path: '/v2/jobs/' }, [
      { status: 400, body: { error: echo, code: 400 } },
      { status: 401, body: { error: `Unauthorized ${token}`, code: 401 } },
      { status: 500, body: `<html>${echo}</html>` },
      { status: 596, body: { error: echo, errorDetails: echo, code: 596 } },
      { status: 200, body: `not json ${echo}` },
      { status: 200, body: { jobid: token } },
      { status: 0, destroy: true },
      { status: 200, delayMs: 500 },
    ]);
    const client = clientFor({ retry: { maxAttempts: 1 }, timeoutMs: 100 });
    const parent = fake.addJob({});
    const errors: UseapiError[] = [];
    for (let i = 0; i < 8; i++) errors.push(await failure(client.getJob(parent.jobid)));
    errors.push(await failure(clientFor({ token: `${token}x` }).getJob(parent.jobid)));

    expect(errors.map((e) => e.kind)).toEqual([
      'bad_request',
      'unauthorized',
      'unavailable',
      'pending_moderation',
      'bad_response',
      'bad_response',
      'network',
      'timeout',
      'unauthorized',
    ]);
    for (const error of errors) {
      expect(String(error)).not.toContain(token);
      expect(error.stack ?? '').not.toContain(token);
      expect(error.upstream ?? '').not.toContain(token);
      expect(error.moderationText ?? '').not.toContain(token);
      expect(error.message).toContain('get_job');
    }
  });

  it('refuses an empty token or one with whitespace', () => {
    expect(() => createUseapiClient({ baseUrl: fake.url, token: '' })).toThrow(/token/);
    expect(() => createUseapiClient({ baseUrl: fake.url, token: 'a b' })).toThrow(/token/);
  });
});

describe('fake useapi', () => {
  beforeEach(() => start());

  it('answers 429 with executingJobs once running seed jobs reach maxJobs', async () => {
    fake.setSeedDuration(60_000); // only completeNow ends these jobs, whatever the machine's load
    fake.addAccount({ channel: CHANNEL, maxJobs: 2 });
    const client = clientFor({ retry: { maxAttempts: 1 } });
    const first = await client.seedAsync(fake.addJob({}).jobid);
    const second = await client.seedAsync(fake.addJob({}).jobid);
    const error = await failure(client.seedAsync(fake.addJob({}).jobid));
    expect(error).toMatchObject({ kind: 'busy', status: 429 });
    expect(error.executingJobs).toEqual([first.jobid, second.jobid]);
    expect(fake.runningSeedJobs()).toBe(2);

    fake.completeNow(first.jobid);
    await expect(client.seedAsync(fake.addJob({}).jobid)).resolves.toMatchObject({ status: 'started' });
    expect(fake.maxRunningSeedJobs()).toBe(2);
  });

  it('answers 596 while an account has a pending moderation message, and fails its running seed jobs', async () => {
    fake.setSeedDuration(60_000); // only completeNow ends these jobs, whatever the machine's load
    const client = clientFor();
    const parent = fake.addJob({});
    const running = await client.seedAsync(parent.jobid);
    fake.setPendingModeration(CHANNEL, 'CAPTCHA');

    expect((await failure(client.seedAsync(fake.addJob({}).jobid))).kind).toBe('pending_moderation');
    expect((await failure(client.getJob(parent.jobid))).kind).toBe('pending_moderation');
    fake.completeNow(running.jobid);
    expect(fake.getJob(running.jobid)).toMatchObject({
      status: 'failed',
      code: 596,
      errorDetails: 'CAPTCHA',
    });
    expect(fake.getJob(parent.jobid)?.seed).toBeUndefined();

    await client.resetAccount(CHANNEL);
    await expect(client.seedAsync(parent.jobid)).resolves.toMatchObject({ verb: 'seed_async' });
  });

  it('posts every status change of a seed job to its replyUrl, in order', async () => {
    const received: unknown[] = [];
    let onCompleted: () => void = () => undefined;
    const completed = new Promise<void>((resolve) => {
      onCompleted = resolve;
    });
    const receiver: Server = createServer((req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        received.push(body);
        res.writeHead(204).end();
        if ((body as { status?: string }).status === 'completed') onCompleted();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const replyUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/useapi/callback/secret`;
    try {
      await fake.close();
      fake = await startFakeUseapi({ seedDurationMs: 40, progressSteps: 2 });
      fake.addAccount({ channel: CHANNEL });
      const started = await clientFor().seedAsync(fake.addJob({ seedValue: SEED }).jobid, {
        replyUrl,
        replyRef: 'ref-42',
      });
      await completed;
      await fake.settleCallbacks();

      const statuses = received.map((b) => (b as { status: string }).status);
      expect(statuses).toEqual(['started', 'progress', 'progress', 'completed']);
      expect(received.at(-1)).toMatchObject({
        jobid: started.jobid,
        replyRef: 'ref-42',
        seed: { value: SEED },
      });
      expect(fake.callbacks.map((c) => [c.url, c.status])).toEqual(statuses.map(() => [replyUrl, 204]));
    } finally {
      await new Promise<void>((resolve) => receiver.close(() => resolve()));
    }
  });

  it('uses the account default replyUrl set with POST /v2/account', async () => {
    fake.setSeedDuration(60_000); // only completeNow ends these jobs, whatever the machine's load
    const set = await fetch(`${fake.url}/account`, {
      method: 'POST',
      headers: { authorization: `Bearer ${fake.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ replyUrl: `http://127.0.0.1:${await closedPort()}/cb` }),
    });
    expect(set.status).toBe(200);
    const started = await clientFor().seedAsync(fake.addJob({}).jobid);
    fake.completeNow(started.jobid);
    await fake.settleCallbacks();
    expect(fake.callbacks.map((c) => c.status)).toEqual(['error', 'error']);
  });

  it('serves the seed images until their CDN link expires, then 404', async () => {
    await fake.close();
    // A long job: only completeNow ends it, whatever the machine's load.
    fake = await startFakeUseapi({ seedDurationMs: 60_000, imageBytes: 4096, cdnTtlSec: 0 });
    fake.addAccount({ channel: CHANNEL });
    const client = clientFor();
    const started = await client.seedAsync(fake.addJob({}).jobid);
    fake.completeNow(started.jobid);
    const [image] = (await client.getJob(started.jobid)).seed?.attachments ?? [];
    if (image === undefined) throw new Error('no seed image');

    const expired = await fetch(image.url);
    expect(expired.status).toBe(404);
    expect(await expired.text()).toBe('This content is no longer available.');

    const refreshed = await fetch(signCdnUrl(image.url, Math.floor(Date.now() / 1000) + 3600));
    expect(refreshed.status).toBe(200);
    expect(refreshed.headers.get('content-type')).toBe('image/png');
    expect((await refreshed.arrayBuffer()).byteLength).toBe(4096);

    const unsigned = await fetch(image.url.split('?')[0] ?? '');
    expect(unsigned.status).toBe(404);
  });

  it('picks its random 429s from a seeded PRNG', async () => {
    const pattern = async (): Promise<string[]> => {
      fake.random429(0.5, 7);
      const client = clientFor({ retry: { maxAttempts: 1 } });
      const out: string[] = [];
      for (let i = 0; i < 8; i++) {
        const job = fake.addJob({});
        out.push(
          await client.seedAsync(job.jobid).then(
            () => 'ok',
            (e: unknown) => (isUseapiError(e) ? e.kind : 'other'),
          ),
        );
      }
      return out;
    };
    fake.addAccount({ channel: CHANNEL, maxJobs: 100 });
    const first = await pattern();
    expect(await pattern()).toEqual(first);
    expect(first).toContain('busy');
    expect(first).toContain('ok');
  });
});
