// useapi going away for a while does not end accepted requests: they stay open, the member is told the request is
// kept and being retried, and the seed arrives once useapi answers again, asked for once per job.
import { afterEach, expect, it } from 'vitest';
import type { InteractionHandle } from '../../dev/fakes/fake-discord.js';
import { type Harness, isSeedReply, MEMBER, startHarness, uniqueId } from '../helpers/harness.js';

const texts = (handle: InteractionHandle) => handle.events.map((e) => JSON.stringify(e.body));
const toldKept = (handle: InteractionHandle) => texts(handle).some((t) => t.includes('your request is kept'));

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
  // The 503s last at least 5 s, and until every member has read that the request is kept: on a slow machine the
  // client's own retries can end just before the recovery, and an answer that follows within a second rightly
  // replaces a notice not yet shown. Each wait fails the test if that member is never told.
  await Promise.all([
    new Promise((r) => setTimeout(r, 5_000)),
    ...handles.map((handle) => handle.waitFor(() => toldKept(handle), 45_000)),
  ]);
  // Read in the same tick as the switch, which clears the 503 before its first await: every request recorded from
  // this index on was answered by a useapi that is back.
  const recoveredFrom = harness.useapi.requests.length;
  await harness.useapi.outage('none');

  const finals = await Promise.all(handles.map((i) => i.waitForEdit(isSeedReply, 60_000)));
  const seedOf = (m: (typeof finals)[number]) =>
    /`--seed (\d+)`/.exec(String((m.embeds[0] as { description?: string }).description))?.[1];
  expect(finals.map(seedOf)).toEqual(['11', '12', '13', '14', '15']);
  // Every member was told the request is kept while useapi was away, never that it failed.
  for (const handle of handles) {
    expect(toldKept(handle)).toBe(true);
    expect(texts(handle).some((t) => t.includes('not answering right now'))).toBe(false);
  }
  // Once useapi answered again, each job was asked for exactly once (the calls before were refused or got 503).
  const asked = harness.useapi.requests
    .slice(recoveredFrom)
    .filter((r) => r.path === '/v2/jobs/seed_async')
    .map((r) => (r.body as { jobid?: string }).jobid);
  expect(asked.sort()).toEqual([...jobs].sort());
  expect(harness.logText()).toContain('request kept, asking again later');
}, 90_000);
