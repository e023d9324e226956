// useapi.net v2 behind the core's upstream port: seed_async (a seed job the core follows, or the original job with
// its seed when it was already retrieved), GET /jobs, the accounts and their 596 reset. Bodies were parsed by the
// client; failures are already the core's UpstreamError kinds.
import type { CallbackHint, Upstream } from '../seed/upstream.js';
import { useapiJobids } from './jobid.js';
import type { UseapiClient } from './port.js';
import { jobSchema } from './schemas.js';

export const useapiCallbackRoute = '/useapi/callback/';

export function createUseapiUpstream(client: UseapiClient): Upstream {
  return {
    name: 'useapi',
    jobids: useapiJobids,
    callbackRoute: useapiCallbackRoute,
    holdsClearThemselves: false,
    requestSeed: (jobid, options) => client.seedAsync(jobid, options),
    getJob: (jobid, options) => client.getJob(jobid, options),
    getExecutingJobs: (options) => client.getExecutingJobs(options),
    getAccounts: (options) => client.getAccounts(options),
    async checkAccount(account, _probeJobid, options) {
      // Only a missing pendingModMessage counts as done.
      const { pendingModMessage } = await client.getAccount(account, options);
      return pendingModMessage ? { held: true, text: pendingModMessage } : { held: false };
    },
    resetAccount: (account, options) => client.resetAccount(account, options),
    callbackHint: useapiCallbackHint,
  };
}

/**
 * useapi's callback is the job object itself: it feeds the index as it is, and wakes the follower of a seed job, which
 * re-reads it with GET before acting.
 */
export function useapiCallbackHint(body: unknown): CallbackHint | undefined {
  const parsed = jobSchema.safeParse(body);
  return parsed.success ? { job: parsed.data, confirm: false } : undefined;
}
