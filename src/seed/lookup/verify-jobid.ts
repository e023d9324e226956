// A jobid a member pasted for a message the index doesn't know: it counts only when the upstream's own job object
// says it is that message's job (a read, never a seed request), in this guild, seedable and finished. A verified job
// is recorded in the index, so right-click works on that message from now on, for everyone.
import type { KnownSeed } from '../model/types.js';
import { type UpstreamJob as Job, SEEDABLE_VERBS, type Upstream } from '../upstream.js';
import { isSameGuild, type JobIndex, ownerOf } from './job-index.js';
import { knownSeedOf } from './resolve.js';

export type PastedJobid =
  | {
      ok: true;
      jobid: string;
      /** `--seed N` already in the prompt, with the channel of the job's message. */
      knownSeed: KnownSeed | undefined;
    }
  | { ok: false; problem: 'mismatch' | 'not_finished' }
  | { ok: false; problem: 'video' | 'unsupported'; verb: string };

export interface PastedTarget {
  messageId: string;
  guildId: string | undefined;
  /** Called with the job's owner before anything is recorded; throws to refuse the member. */
  authorize(ownerId: string | undefined): void;
}

export type JobidVerifier = (jobid: string, target: PastedTarget) => Promise<PastedJobid>;

export interface JobidVerifierDeps {
  upstream: Pick<Upstream, 'getJob'>;
  index: Pick<JobIndex, 'recordJob'>;
  log: { info(details: object, message: string): void };
}

export function createJobidVerifier(deps: JobidVerifierDeps): JobidVerifier {
  return async (jobid, target) => {
    const job = await deps.upstream.getJob(jobid);
    const otherGuild = !isSameGuild(job.server, target.guildId);
    const ofMessage = job.messageId === target.messageId || job.messageIds?.includes(target.messageId);
    if (!ofMessage || otherGuild) {
      deps.log.info(
        { messageId: target.messageId, jobMessageId: job.messageId, jobid: job.jobid },
        'pasted jobid does not match',
      );
      return { ok: false, problem: 'mismatch' };
    }
    target.authorize(ownerOf(job.content));
    const problem = seedableProblem(job);
    if (problem) return problem;
    await deps.index.recordJob(job);
    const knownSeed = knownSeedOf(job.content) ?? knownSeedOf(job.prompt);
    return { ok: true, jobid: job.jobid, knownSeed: knownSeed && { ...knownSeed, channelId: job.channel } };
  };
}

function seedableProblem(job: Job): Extract<PastedJobid, { ok: false }> | undefined {
  if (!SEEDABLE_VERBS.has(job.verb)) {
    return { ok: false, problem: job.verb.includes('video') ? 'video' : 'unsupported', verb: job.verb };
  }
  if (job.status !== 'completed') return { ok: false, problem: 'not_finished' };
  return undefined;
}
