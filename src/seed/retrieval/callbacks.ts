// What a useapi callback means to the core. A body is a hint: it wakes the follower of a seed job we started (which
// re-reads it with GET), or a wait after a 429 that named the job; nothing named in it is fetched.
import { FINAL_STATUSES, type Job, SEEDABLE_VERBS } from '../../useapi/port.js';
import type { SeedService } from './seed-service.js';

export interface CallbackDeps {
  index: { recordJob(job: Job): Promise<unknown> };
  seeds: Pick<SeedService, 'seedJobChanged' | 'jobEnded'>;
  log: { debug(details: object, message: string): void };
}

export function createCallbackHandler(deps: CallbackDeps): (job: Job) => Promise<void> {
  return async (job) => {
    if (SEEDABLE_VERBS.has(job.verb)) {
      // Every imagine/button/blend job the account makes feeds the index (right-click works on it later).
      await deps.index.recordJob(job);
    } else if (job.verb === 'seed_async') {
      const ours = await deps.seeds.seedJobChanged(job.jobid, job.parentJobId, job.status);
      // replyRef is `<requestId>:<cid>`: the callback line carries the request's correlation id.
      const [requestId, cid] = job.replyRef?.slice(0, 100).split(':') ?? [];
      deps.log.debug({ cid, requestId, seedJobId: job.jobid, status: job.status, ours }, 'seed callback');
    }
    if (FINAL_STATUSES.has(job.status)) await deps.seeds.jobEnded(job.jobid);
  };
}
