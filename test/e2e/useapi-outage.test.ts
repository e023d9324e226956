// useapi going away for a while does not end accepted requests: they stay open, the member is told the request is
// kept and being retried, and the seed arrives once useapi answers again, asked for once per job.
import { afterEach, expect, it } from 'vitest';
import { type Harness, isSeedReply, MEMBER, startHarness, uniqueId } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

it('waits out useapi refusing connections, then answering 503, and gives all five members their seed', async () => {
  h = await startHarness();
  const harness = h;
  const jobs = [11, 12, 13, 14, 15].map((seedValue) => harness.imagineJob({ seedValue }).jobid);
  await harness.useapi.outage('refuse');
  const handles = jobs.map((jobid) => harness.slashSeed(jobid, { ...MEMBER, id: uniqueId('85') }));
  const acks = await Promise.all(handles.map((i) => i.waitForCallback()));
  for (const [i, ack] of acks.entries()) expect(ack.at - (handles[i]?.sentAt ?? 0)).toBeLessThan(3_000);
  await new Promise((r) => setTimeout(r, 5_000));
  await harness.useapi.outage({ status: 503 });
  await new Promise((r) => setTimeout(r, 5_000));
  const recoveredAt = Date.now();
  await harness.useapi.outage('none');

  const finals = await Promise.all(handles.map((i) => i.waitForEdit(isSeedReply, 60_000)));
  const seedOf = (m: (typeof finals)[number]) =>
    /`--seed (\d+)`/.exec(String((m.embeds[0] as { description?: string }).description))?.[1];
  expect(finals.map(seedOf)).toEqual(['11', '12', '13', '14', '15']);
  // Every member was told the request is kept while useapi was away, never that it failed.
  for (const handle of handles) {
    const texts = handle.events.map((e) => JSON.stringify(e.body));
    expect(texts.some((t) => t.includes('your request is kept'))).toBe(true);
    expect(texts.some((t) => t.includes('not answering right now'))).toBe(false);
  }
  // Once useapi answered again, each job was asked for exactly once (the calls before were refused or got 503).
  const asked = harness.useapi.requests
    .filter((r) => r.path === '/v2/jobs/seed_async' && r.at >= recoveredAt)
    .map((r) => (r.body as { jobid?: string }).jobid);
  expect(asked.sort()).toEqual([...jobs].sort());
  expect(harness.logText()).toContain('request kept, asking again later');
}, 90_000);
