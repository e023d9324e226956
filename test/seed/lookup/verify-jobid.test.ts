// The paste-jobid check on plain stubs: only useapi's own job object for that message, in this guild, seedable and
// finished counts, and only such a job reaches the index.
import { describe, expect, it } from 'vitest';
import { createJobidVerifier, type PastedTarget } from '../../../src/seed/lookup/verify-jobid.js';
import type { UpstreamJob as Job } from '../../../src/seed/upstream.js';
import { TEST_JOBID as JOBID, upstreamJob } from '../../helpers/builders.js';

const MESSAGE = '1316232391072944200';
const GUILD = '811111111111111111';
const OWNER = '855555555555555555';

/** The completed imagine job of MESSAGE in GUILD, with `--seed 42` in its prompt. */
const jobWith = (extra: Partial<Job> = {}): Job =>
  upstreamJob({
    server: GUILD,
    channel: '833333333333333333',
    messageId: MESSAGE,
    content: `**a red fox --seed 42** - <@${OWNER}> (fast)`,
    ...extra,
  });

function harness(job: Job) {
  const recorded: string[] = [];
  const asked: string[] = [];
  const verify = createJobidVerifier({
    upstream: {
      getJob: async (jobid) => {
        asked.push(jobid);
        return job;
      },
    },
    index: {
      recordJob: async (j) => {
        recorded.push(j.jobid);
        return { jobid: j.jobid, verb: j.verb, status: j.status, seen: 0, children: [], uuids: [] };
      },
    },
    log: { info: () => {} },
  });
  const owners: (string | undefined)[] = [];
  const target: PastedTarget = { messageId: MESSAGE, guildId: GUILD, authorize: (o) => void owners.push(o) };
  return { verify, recorded, asked, owners, target };
}

describe('createJobidVerifier', () => {
  it('accepts the job of that message, asks the caller with its owner, records it and reads --seed', async () => {
    const h = harness(jobWith());
    expect(await h.verify(JOBID, h.target)).toEqual({
      ok: true,
      jobid: JOBID,
      knownSeed: { seed: 42, prompt: expect.any(String), channelId: '833333333333333333' },
    });
    expect(h.asked).toEqual([JOBID]);
    expect(h.owners).toEqual([OWNER]);
    expect(h.recorded).toEqual([JOBID]);
  });

  it('refuses the job of another message without asking for access or recording', async () => {
    const h = harness(jobWith({ messageId: '1316232391072944999' }));
    expect(await h.verify(JOBID, h.target)).toEqual({ ok: false, problem: 'mismatch' });
    expect(h.owners).toEqual([]);
    expect(h.recorded).toEqual([]);
  });

  it('refuses a job of another guild', async () => {
    const h = harness(jobWith({ server: '822222222222222222' }));
    expect(await h.verify(JOBID, h.target)).toEqual({ ok: false, problem: 'mismatch' });
  });

  it('accepts a job of a direct message (no guild on either side)', async () => {
    const h = harness(jobWith({ server: undefined }));
    expect(await h.verify(JOBID, { ...h.target, guildId: undefined })).toMatchObject({ ok: true });
  });

  it('stops when the caller refuses the member, before anything is recorded', async () => {
    const h = harness(jobWith());
    const refused = new Error('no access');
    const target = {
      ...h.target,
      authorize: () => {
        throw refused;
      },
    };
    await expect(h.verify(JOBID, target)).rejects.toBe(refused);
    expect(h.recorded).toEqual([]);
  });

  it.each([
    ['video', 'video'],
    ['describe', 'unsupported'],
  ])('refuses a %s job as %s', async (verb, problem) => {
    const h = harness(jobWith({ verb }));
    expect(await h.verify(JOBID, h.target)).toEqual({ ok: false, problem, verb });
    expect(h.recorded).toEqual([]);
  });

  it('refuses a job that has not finished', async () => {
    const h = harness(jobWith({ status: 'progress' }));
    expect(await h.verify(JOBID, h.target)).toEqual({ ok: false, problem: 'not_finished' });
    expect(h.recorded).toEqual([]);
  });

  it('has no known seed without --seed in the prompt', async () => {
    const h = harness(jobWith({ content: `**a red fox** - <@${OWNER}> (fast)` }));
    expect(await h.verify(JOBID, h.target)).toMatchObject({ ok: true, knownSeed: undefined });
  });
});
