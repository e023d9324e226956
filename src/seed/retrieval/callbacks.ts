// What an upstream callback means to the core. A body is a hint: it feeds the job index (read again first when the
// upstream's bodies are not to be trusted as they are), wakes the follower of a seed job we started (which re-reads
// it with GET), or a wait after a 429 that named the job; nothing else named in it is fetched.
import {
  type CallbackHint,
  FINAL_STATUSES,
  SEEDABLE_VERBS,
  seedJobVerb,
  type Upstream,
  type UpstreamJob,
} from '../upstream.js';
import type { SeedService } from './seed-service.js';

export interface CallbackDeps {
  index: { recordJob(job: UpstreamJob): Promise<unknown> };
  seeds: Pick<SeedService, 'seedJobChanged' | 'jobEnded'>;
  /** Reads a job again when the hint asks for it. */
  upstream: Pick<Upstream, 'getJob'>;
  log: { debug(details: object, message: string): void };
}

export function createCallbackHandler(deps: CallbackDeps): (hint: CallbackHint) => Promise<void> {
  return async (hint) => {
    // A body not to be trusted as it is: read again, once it says the job has its result (before that there is no
    // message to index, and an upstream that calls back on every percent would be read as often).
    if (hint.confirm && !FINAL_STATUSES.has(hint.job.status)) return;
    const job = hint.confirm ? await deps.upstream.getJob(hint.job.jobid) : hint.job;
    if (SEEDABLE_VERBS.has(job.verb)) {
      // Every imagine/button/blend job the account makes feeds the index (right-click works on it later).
      await deps.index.recordJob(job);
    } else if (job.verb === seedJobVerb) {
      const ours = await deps.seeds.seedJobChanged(job.jobid, job.parentJobId, job.status);
      // replyRef is `<requestId>:<cid>`: the callback line carries the request's correlation id.
      const [requestId, cid] = job.replyRef?.slice(0, 100).split(':') ?? [];
      deps.log.debug({ cid, requestId, seedJobId: job.jobid, status: job.status, ours }, 'seed callback');
    }
    if (FINAL_STATUSES.has(job.status)) await deps.seeds.jobEnded(job.jobid);
  };
}
