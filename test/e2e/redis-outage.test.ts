// Redis killed mid-run and started again (a server of the test's own, with its data on disk): every member who
// asks meanwhile is acknowledged within 3 s and told plainly, the requests stored before the kill complete after
// the restart, /healthz says storage is down while it is, and the log says so once, not once per call.
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  type Harness,
  isSeedReply,
  MEMBER,
  privateAnswer,
  startHarness,
  uniqueId,
} from '../helpers/harness.js';
import { type OwnRedis, redisServerMissing, startOwnRedis } from '../helpers/redis-server.js';

let h: Harness | undefined;
let server: OwnRedis | undefined;
afterEach(async () => {
  await h?.stop().catch(() => {});
  await server?.close();
  h = undefined;
  server = undefined;
});

if (redisServerMissing) console.warn(`skipping the Redis outage test: ${redisServerMissing}`);

describe.skipIf(Boolean(redisServerMissing))('a Redis outage', () => {
  it('acknowledges and answers every member during it, and completes what was stored before it', async () => {
    server = await startOwnRedis();
    h = await startHarness({
      env: {
        STORAGE_URL: `${server.url}?prefix=outage:`,
        STORAGE_LEASE_MS: '2000',
        USEAPI_POLL_INTERVAL_MS: '200',
      },
    });
    const harness = h;
    const redis = server;
    harness.useapi.setSeedDuration(3_600_000);
    const before = [21, 22].map((seedValue) => harness.imagineJob({ seedValue }).jobid);
    const stored = before.map((jobid) => harness.slashSeed(jobid, { ...MEMBER, id: uniqueId('85') }));
    await vi.waitFor(() => expect(harness.useapi.runningSeedJobs()).toBe(2), { timeout: 10_000 });
    const seedJobs = harness.useapi.requests.filter((r) => r.path === '/v2/jobs/seed_async').length;
    expect(seedJobs).toBe(2);

    await redis.kill();
    const during = [31, 32, 33].map((seedValue) => harness.imagineJob({ seedValue }).jobid);
    const asked = during.map((jobid) => harness.slashSeed(jobid, { ...MEMBER, id: uniqueId('85') }));
    for (const handle of asked) {
      const ack = await handle.waitForCallback();
      expect(ack.at - handle.sentAt).toBeLessThan(3_000);
      // Told plainly, privately: storage is down, try again in a minute.
      expect((await privateAnswer(handle)).content).toContain('Storage is not answering');
    }
    const health = await fetch(`${harness.bot.http()?.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ ok: false, storage: expect.stringMatching(/error|timeout/) });

    // Longer than the lease: the work on the stored requests stops here and is taken up again after the restart.
    await new Promise((r) => setTimeout(r, 4_000));
    await redis.start();
    // The seed jobs end upstream; the two requests stored before the kill are answered (taken up again by the sweep).
    const running = harness.useapi.requests
      .filter((r) => r.method === 'GET' && r.path.startsWith('/v2/jobs/'))
      .map((r) => r.query.jobid ?? '')
      .filter(
        (id, i, all) => id && all.indexOf(id) === i && harness.useapi.getJob(id)?.verb === 'seed_async',
      );
    for (const id of running) harness.useapi.completeNow(id);
    const finals = await Promise.all(stored.map((i) => i.waitForEdit(isSeedReply, 30_000)));
    expect(finals).toHaveLength(2);
    // No second seed job for them: the stored ones were followed.
    expect(harness.useapi.requests.filter((r) => r.path === '/v2/jobs/seed_async')).toHaveLength(seedJobs);
    // The work stopped when its lease could not be renewed, and the sweep took the requests up again.
    expect(harness.logText()).toContain('request lease lost');
    expect(harness.logText()).toContain('resumed open requests');
    const outageLines = harness.logs.filter((l) => l.includes('storage unavailable'));
    expect(outageLines).toHaveLength(1);
    await vi.waitFor(() => expect(harness.logText()).toContain('storage answering again'), {
      timeout: 10_000,
    });
  }, 60_000);
});
