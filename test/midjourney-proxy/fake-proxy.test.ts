// The fake midjourney-proxy behaves as the real one does where the bot depends on it: its auth middleware, the routes
// under every mode prefix, notifyHook bodies (the whole task, camelCase, string enums, in order, unsigned, not
// retried), and tasks that match the Midjourney message the fake Discord shows.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startFakeDiscord } from '../../dev/fakes/fake-discord.js';
import {
  type FakeMidjourneyProxy,
  startFakeMidjourneyProxy,
  UNAUTHORIZED_TEXT,
} from '../../dev/fakes/fake-midjourney-proxy.js';
import { MIDJOURNEY_BOT_ID } from '../../dev/fakes/midjourney.js';
import { proxyTaskSchema } from '../../src/midjourney-proxy/schemas.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface Received {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  text: string;
}

let fake: FakeMidjourneyProxy | undefined;
let receiver: Server | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
  await new Promise<void>((resolve) => (receiver ? receiver.close(() => resolve()) : resolve()));
  receiver = undefined;
});

/** A hook endpoint that records what it is sent and answers `status`. */
const startReceiver = async (status = 200): Promise<{ url: string; received: Received[] }> => {
  const received: Received[] = [];
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        text: Buffer.concat(chunks).toString('utf8'),
      });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, '127.0.0.1', resolve));
  const { port } = receiver.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/midjourney-proxy/callback/s3cret`, received };
};

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${fake?.url}${path}`, { headers }).then(async (r) => ({
    status: r.status,
    type: r.headers.get('content-type'),
    text: await r.text(),
  }));

describe('auth middleware', () => {
  it('answers 401 in plain text for a missing token, a wrong one, and a Bearer one', async () => {
    fake = await startFakeMidjourneyProxy({ token: 'tok-123' });
    const task = fake.addImagineTask();
    const attempts: Record<string, string>[] = [
      {},
      { 'Mj-Api-Secret': 'tok-124' },
      { Authorization: 'Bearer tok-123' },
    ];
    for (const headers of attempts) {
      const answer = await get(`/mj/task/${task.id}/fetch`, headers);
      expect(answer).toEqual({ status: 401, type: null, text: UNAUTHORIZED_TEXT });
    }
    expect(fake.calls('fetch')).toBe(3);
  });

  it('takes the token raw in Mj-Api-Secret or Authorization, under every mode prefix', async () => {
    fake = await startFakeMidjourneyProxy({ token: 'tok-123' });
    const task = fake.addImagineTask();
    for (const prefix of ['', '/mj-fast', '/mj-turbo', '/mj-relax']) {
      const answer = await get(`${prefix}/mj/task/${task.id}/fetch`, { 'Mj-Api-Secret': 'tok-123' });
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.text)).toMatchObject({ id: task.id });
    }
    expect((await get(`/mj/task/${task.id}/fetch`, { Authorization: 'tok-123' })).status).toBe(200);
    expect(fake.calls('fetch')).toBe(5);
  });

  it('answers 204 for an unknown task and 404 for an unknown route, once authorized', async () => {
    fake = await startFakeMidjourneyProxy({ token: 'tok-123' });
    expect((await get('/mj/task/1733400000000123/fetch', { 'Mj-Api-Secret': 'tok-123' })).status).toBe(204);
    expect((await get('/mj/nothing', { 'Mj-Api-Secret': 'tok-123' })).status).toBe(404);
    expect((await get('/mj/nothing')).status).toBe(401);
    expect(fake.calls('other')).toBe(2);
  });
});

describe('tasks', () => {
  it('ids are Unix milliseconds and 3 digits, distinct even when made in the same millisecond', async () => {
    fake = await startFakeMidjourneyProxy();
    const before = Date.now();
    const ids = Array.from({ length: 50 }, () => fake?.addImagineTask().id ?? '');
    expect(new Set(ids).size).toBe(50);
    for (const id of ids) {
      expect(id).toMatch(/^\d{16}$/);
      expect(Number(id.slice(0, 13))).toBeGreaterThanOrEqual(before);
    }
  });

  it('a task made from a grid URL takes its job UUID from the file name, as the proxy does', async () => {
    fake = await startFakeMidjourneyProxy();
    const jobUuid = '26695e7d-3f6c-4923-a3b8-8a266a170d97';
    const imageUrl = `https://cdn.discordapp.com/attachments/1/2/fakeuser_a_fox_${jobUuid}.png?ex=1`;
    const task = fake.addImagineTask({ imageUrl });
    expect(task).toMatchObject({ jobId: jobUuid, imageUrl, properties: { messageHash: jobUuid } });
  });

  it('matches the Midjourney message the fake Discord shows: id, grid file name, --seed when the proxy appended it', async () => {
    fake = await startFakeMidjourneyProxy();
    const discord = await startFakeDiscord();
    try {
      const task = fake.addImagineTask({
        prompt: 'a red fox',
        seed: 1234,
        seedKnown: true,
        channelId: '10',
        guildId: '20',
      });
      const message = fake.showInDiscord(discord, task.id, { ownerId: '30' });
      expect(message).toMatchObject({ channel_id: '10', guild_id: '20' });
      expect(message.id).toBe(task.messageId);
      expect(message.author).toMatchObject({ id: MIDJOURNEY_BOT_ID, bot: true });
      expect(message.content).toBe('**a red fox --seed 1234** - <@30> (fast)');
      expect(message.attachments[0]?.filename).toBe(`fakeuser_a_red_fox_${task.jobId}.png`);
      expect(task.imageUrl).toBe(message.attachments[0]?.url);
      // The proxy strips the seed it appended from the task's own prompts; only `seed` carries it.
      expect(task.prompt).toBe('a red fox');
      expect(task.properties.finalPrompt).toBe('a red fox');
    } finally {
      await discord.close();
    }
  });
});

describe('notifyHook', () => {
  it('carries the Discord attachment as imageUrl when the message was shown before the task succeeded', async () => {
    const { url, received } = await startReceiver();
    fake = await startFakeMidjourneyProxy({ notifyHook: url });
    const discord = await startFakeDiscord();
    try {
      const task = fake.addImagineTask({ status: 'IN_PROGRESS' });
      const message = fake.showInDiscord(discord, task.id, { channelId: '10', guildId: '20', ownerId: '30' });
      fake.advanceTask(task.id, { status: 'SUCCESS' });
      await fake.settleNotifications();
      const last = JSON.parse(received.at(-1)?.text ?? '{}') as Record<string, unknown>;
      expect(last).toMatchObject({
        status: 'SUCCESS',
        messageId: message.id,
        imageUrl: message.attachments[0]?.url,
      });
      expect(message.attachments[0]?.filename).toContain(String(last.jobId));
    } finally {
      await discord.close();
    }
  });

  it('POSTs the whole task as camelCase JSON with string enums on every change, in order, unsigned', async () => {
    const { url, received } = await startReceiver();
    fake = await startFakeMidjourneyProxy({ notifyHook: url });
    const task = await fake.runImagineTask({ prompt: 'a red fox' }, { steps: 2, stepMs: 5 });
    await fake.settleNotifications();

    const bodies = received.map((r) => JSON.parse(r.text) as Record<string, unknown>);
    expect(bodies.map((b) => `${b.status}:${b.progress}`)).toEqual([
      'SUBMITTED:0%',
      'IN_PROGRESS:0%',
      'IN_PROGRESS:50%',
      'SUCCESS:100%',
    ]);
    for (const r of received) {
      expect(r.method).toBe('POST');
      expect(r.path).toBe('/midjourney-proxy/callback/s3cret');
      expect(r.headers['content-type']).toMatch(/^application\/json/);
      expect(Object.keys(r.headers).filter((h) => /signature|secret|authorization/i.test(h))).toEqual([]);
    }
    const last = bodies.at(-1) ?? {};
    expect(last).toMatchObject({
      id: task.id,
      action: 'IMAGINE',
      status: 'SUCCESS',
      botType: 'MID_JOURNEY',
      mode: 'FAST',
      prompt: 'a red fox',
      messageId: task.messageId,
      messageIds: [task.messageId],
      seed: null,
      failReason: null,
      isCompleted: true,
    });
    expect(last.jobId).toMatch(UUID);
    expect(last.properties).toMatchObject({ messageHash: last.jobId, finalPrompt: 'a red fox' });
    expect(Object.keys(last).every((k) => /^[a-z][A-Za-z]*$/.test(k))).toBe(true);
    for (const body of bodies) expect(proxyTaskSchema.safeParse(body).success).toBe(true);
    expect(fake.notifications.map((n) => n.status)).toEqual([200, 200, 200, 200]);
  });

  it('prefers the task’s own hook, drops an update that is not newer, and does not retry a failed callback', async () => {
    const own = await startReceiver(500);
    fake = await startFakeMidjourneyProxy({ notifyHook: 'http://127.0.0.1:9/never' });
    const task = fake.addImagineTask({ status: 'IN_PROGRESS', notifyHook: own.url });
    fake.advanceTask(task.id, { progress: '50%' });
    fake.advanceTask(task.id, { progress: '20%' });
    fake.advanceTask(task.id, { progress: '50%' });
    fake.advanceTask(task.id, { status: 'SUCCESS' });
    await fake.settleNotifications();
    const seen = own.received.map((r) => JSON.parse(r.text) as { status: string; progress: string });
    expect(seen.map((b) => `${b.status}:${b.progress}`)).toEqual([
      'IN_PROGRESS:0%',
      'IN_PROGRESS:50%',
      'SUCCESS:100%',
    ]);
    expect(fake.notifications.map((n) => n.status)).toEqual([500, 500, 500]);
  });

  it('sends nothing when no hook is set, and nothing for a seed retrieval', async () => {
    const { url, received } = await startReceiver();
    fake = await startFakeMidjourneyProxy();
    fake.addImagineTask();
    fake.setNotifyHook(url);
    const task = fake.addImagineTask();
    await fake.settleNotifications();
    expect(received).toHaveLength(1);
    const seed = await fetch(`${fake.url}/mj/task/${task.id}/image-seed`, {
      headers: { 'Mj-Api-Secret': fake.token },
    });
    expect(await seed.json()).toMatchObject({ code: 1, description: '成功', properties: {} });
    await fake.settleNotifications();
    expect(received).toHaveLength(1);
  });
});

describe('seed retrieval', () => {
  const seedOf = async (id: string) => {
    const answer = await fetch(`${fake?.url}/mj/task/${id}/image-seed`, {
      headers: { 'Mj-Api-Secret': fake?.token ?? '' },
    });
    return { status: answer.status, body: (await answer.json()) as { code: number; result: unknown } };
  };

  it('answers 未找到 seed when the retrieval outlasts the proxy’s wait, then the seed stored meanwhile at once', async () => {
    fake = await startFakeMidjourneyProxy({ seedWaitMs: 50 });
    const task = fake.addImagineTask({ seed: 77, seedPlan: { blockMs: 300 } });
    expect(await seedOf(task.id)).toEqual({
      status: 200,
      body: { code: 3, description: '未找到 seed', result: null, properties: {} },
    });
    await fake.settleRetrievals();
    expect(fake.getTask(task.id)?.seed).toBe('77');
    expect((await seedOf(task.id)).body).toMatchObject({ code: 1, result: '77' });
    expect(fake.retrievals(task.id)).toBe(1);
  });

  it('shares one running retrieval between calls for the same task', async () => {
    fake = await startFakeMidjourneyProxy();
    const task = fake.addImagineTask({ seed: 8, seedPlan: { blockMs: 100 } });
    const answers = await Promise.all([seedOf(task.id), seedOf(task.id)]);
    expect(answers.map((a) => a.body.result)).toEqual(['8', '8']);
    expect(fake.retrievals(task.id)).toBe(1);
    expect(fake.maxSeedCallsInFlight()).toBe(2);
  });

  it('runs at most seedSlotsPerAccount retrievals at once per account; the others queue', async () => {
    fake = await startFakeMidjourneyProxy({ seedSlotsPerAccount: 2 });
    // Long enough that all five calls arrive while the first retrievals run, even on a loaded machine.
    const tasks = [1, 2, 3, 4].map((seed) => fake?.addImagineTask({ seed, seedPlan: { blockMs: 500 } }));
    const other = fake.addImagineTask({ seed: 5, instanceId: '999', seedPlan: { blockMs: 500 } });
    const answers = await Promise.all([...tasks, other].map((t) => seedOf(t?.id ?? '')));
    expect(answers.map((a) => a.body.result)).toEqual(['1', '2', '3', '4', '5']);
    expect(fake.maxRetrievalsRunning()).toBe(3);
  });
});

describe('faults', () => {
  it('counts calls per route, refused and injected ones included, until resetStats', async () => {
    fake = await startFakeMidjourneyProxy();
    const task = fake.addImagineTask();
    fake.failNext('image-seed', [{ status: 503 }]);
    expect((await get(`/mj/task/${task.id}/image-seed`, { 'Mj-Api-Secret': fake.token })).status).toBe(503);
    await get(`/mj/task/${task.id}/image-seed`);
    expect(fake.calls('image-seed')).toBe(2);
    expect(fake.calls('fetch')).toBe(0);
    fake.resetStats();
    expect(fake.calls()).toBe(0);
  });

  it('refuses connections during an outage and serves again after', async () => {
    fake = await startFakeMidjourneyProxy();
    const task = fake.addImagineTask();
    await fake.outage('refuse');
    await expect(get(`/mj/task/${task.id}/fetch`)).rejects.toThrow();
    await fake.outage('none');
    expect((await get(`/mj/task/${task.id}/fetch`, { 'Mj-Api-Secret': fake.token })).status).toBe(200);
  });
});
