// /healthz and /metrics of the running bot, scraped over real HTTP while it works.
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FakeMessage } from '../../dev/fakes/fake-discord.js';
import {
  ACCOUNT_CHANNEL,
  type Harness,
  isSeedReply,
  OTHER_MEMBER,
  startHarness,
} from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

const scrape = async (harness: Harness) => (await fetch(`${harness.bot.http()?.url}/metrics`)).text();
/** The value of one sample, e.g. metric('seedbot_cache_hits_total') or with labels in Prometheus order. */
const sample = (text: string, series: string) => {
  const escaped = series.replace(/[{}"=,.+]/g, (c) => `\\${c}`);
  const value = new RegExp(`^${escaped} (\\S+)$`, 'm').exec(text)?.[1];
  return value === undefined ? undefined : Number(value);
};
const queued = (m: FakeMessage) => /In the queue: position 1\b/.test(m.content);

describe('GET /healthz', () => {
  it('answers 200 with details while Discord is connected and storage answers, 503 when storage fails', async () => {
    h = await startHarness();
    const ok = await fetch(`${h.bot.http()?.url}/healthz`);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({
      ok: true,
      discord: 'ready',
      storage: 'ok',
      storageBackend: 'sqlite',
      requestsInFlight: 0,
      waiting: 0,
      running: 0,
    });
    await h.bot.storage.close();
    const down = await fetch(`${h.bot.http()?.url}/healthz`);
    expect(down.status).toBe(503);
    expect(await down.json()).toMatchObject({ ok: false, discord: 'ready', storage: 'error' });
  });
});

describe('GET /metrics', () => {
  it('counts interactions, cache hits, upstream calls and latency, the queue, requests in flight, 429 and 596', async () => {
    h = await startHarness({ env: { USEAPI_MAX_JOBS: '1', USEAPI_BUSY_WAIT_MS: '100' } });
    const harness = h;
    const first = harness.imagineJob({ seedValue: 11 });
    harness.useapi.failNext({ method: 'POST', path: '/v2/jobs/seed_async' }, [
      { status: 429, body: { error: 'busy', executingJobs: [], code: 429 } },
    ]);
    await harness.slashSeed(first.jobid).waitForEdit(isSeedReply, 10_000);
    await harness.slashSeed(first.jobid).waitForEdit(isSeedReply, 10_000);
    await harness.slashSeed('not a job at all').waitForCallback(5_000);

    // One seed job running upstream, one request waiting for its turn.
    harness.useapi.setSeedDuration(60_000);
    const running = harness.slashSeed(harness.imagineJob().jobid);
    await running.waitForEdit((m) => /Asking Midjourney/.test(m.content), 10_000);
    await harness.slashSeed(harness.imagineJob().jobid, OTHER_MEMBER).waitForEdit(queued, 10_000);
    const text = await scrape(harness);
    expect(sample(text, 'seedbot_interactions_total{command="seed",outcome="ok"}')).toBe(4);
    expect(sample(text, 'seedbot_interactions_total{command="seed",outcome="refused"}')).toBe(1);
    expect(sample(text, 'seedbot_cache_hits_total')).toBe(1);
    expect(sample(text, 'seedbot_useapi_calls_total{endpoint="seed_async",status="429"}')).toBe(1);
    expect(sample(text, 'seedbot_useapi_calls_total{endpoint="seed_async",status="200"}')).toBe(2);
    expect(sample(text, 'seedbot_useapi_calls_total{endpoint="get_job",status="200"}')).toBeGreaterThan(0);
    expect(sample(text, 'seedbot_useapi_latency_seconds_count{endpoint="seed_async",status="200"}')).toBe(2);
    expect(
      sample(text, 'seedbot_useapi_latency_seconds_bucket{le="+Inf",endpoint="get_job",status="200"}'),
    ).toBe(sample(text, 'seedbot_useapi_calls_total{endpoint="get_job",status="200"}'));
    expect(sample(text, 'seedbot_useapi_429_total')).toBe(1);
    expect(sample(text, 'seedbot_queue_depth')).toBe(1);
    expect(sample(text, 'seedbot_requests_in_flight')).toBe(2);
    expect(sample(text, 'seedbot_requests_total{outcome="done"}')).toBe(2);
    expect(sample(text, 'seedbot_useapi_596_total')).toBe(0);

    // The account gets a moderation message: the running seed job ends failed with 596.
    harness.useapi.setPendingModeration(ACCOUNT_CHANNEL);
    await vi.waitFor(
      async () => expect(sample(await scrape(harness), 'seedbot_useapi_596_total')).toBeGreaterThan(0),
      { timeout: 10_000, interval: 100 },
    );
    // The request is counted held once it is stored as held, a moment after the 596 was counted.
    await vi.waitFor(
      async () =>
        expect(sample(await scrape(harness), 'seedbot_requests_total{outcome="held"}')).toBeGreaterThan(0),
      { timeout: 10_000, interval: 100 },
    );
  });
});
