// The callback routing rules on plain stubs: which verbs feed the index, which wake a seed follower, which end a job.
import { describe, expect, it } from 'vitest';
import { createCallbackHandler } from '../../../src/seed/retrieval/callbacks.js';
import type { UpstreamJob } from '../../../src/seed/upstream.js';
import { TEST_JOBID as JOBID, upstreamJob } from '../../helpers/builders.js';

function harness() {
  const calls: string[] = [];
  const debug: unknown[] = [];
  const handleHint = createCallbackHandler({
    index: {
      recordJob: async (j) => {
        calls.push(`record ${j.verb}`);
      },
    },
    seeds: {
      seedJobChanged: async (id, parent, status) => {
        calls.push(`changed ${id} ${parent} ${status}`);
        return true;
      },
      jobEnded: async (id) => {
        calls.push(`ended ${id}`);
      },
    },
    upstream: {
      getJob: async (jobid) => {
        calls.push(`read ${jobid}`);
        return upstreamJob({ verb: 'imagine', status: 'completed' });
      },
    },
    log: { debug: (details) => debug.push(details) },
  });
  // useapi's bodies feed the index as they are.
  return { handle: (j: UpstreamJob) => handleHint({ job: j, confirm: false }), calls, debug };
}

describe('createCallbackHandler', () => {
  it.each(['imagine', 'button', 'blend'])('records a %s job in the index', async (verb) => {
    const h = harness();
    await h.handle(upstreamJob({ verb, status: 'progress' }));
    expect(h.calls).toEqual([`record ${verb}`]);
  });

  it('records a finished seedable job and then ends it', async () => {
    const h = harness();
    await h.handle(upstreamJob({ verb: 'imagine', status: 'completed' }));
    expect(h.calls).toEqual(['record imagine', `ended ${JOBID}`]);
  });

  it('wakes the follower of a seed job and logs the correlation id from replyRef', async () => {
    const h = harness();
    await h.handle(
      upstreamJob({
        verb: 'seed_async',
        status: 'started',
        jobid: 'seed-1',
        parentJobId: JOBID,
        replyRef: 'req-1:cid-1',
      }),
    );
    expect(h.calls).toEqual([`changed seed-1 ${JOBID} started`]);
    expect(h.debug).toEqual([expect.objectContaining({ requestId: 'req-1', cid: 'cid-1', ours: true })]);
  });

  it('ends a seed job that reached a final status', async () => {
    const h = harness();
    await h.handle(upstreamJob({ verb: 'seed_async', status: 'failed', jobid: 'seed-2' }));
    expect(h.calls).toEqual(['changed seed-2 undefined failed', 'ended seed-2']);
  });

  it('neither records nor wakes for other verbs, and ends them when final', async () => {
    const h = harness();
    await h.handle(upstreamJob({ verb: 'video', status: 'progress' }));
    expect(h.calls).toEqual([]);
    await h.handle(upstreamJob({ verb: 'describe', status: 'moderated' }));
    expect(h.calls).toEqual([`ended ${JOBID}`]);
  });
});
