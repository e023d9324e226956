// The useapi.net v2 client: its endpoints as they are. The HTTP implementation lives in http-client.ts; adapter.ts
// turns it into the core's upstream port. A job is the core's UpstreamJob: useapi's job object is its model.
import type {
  CallOptions,
  UpstreamJob as Job,
  SeedRequestOptions,
  UpstreamAccount,
} from '../seed/upstream.js';

/** useapi always shows an account's Discord token (masked by useapi: first and last 3 characters). */
export interface MidjourneyAccount extends UpstreamAccount {
  discord: string;
}

export type {
  CallOptions,
  JobStatus,
  UpstreamAttachment as Attachment,
  UpstreamJob as Job,
  UpstreamJobChild as JobChild,
  UpstreamSeed as SeedInfo,
} from '../seed/upstream.js';

/**
 * `retryBusy: false`: a 429 is thrown at once instead of retried after a short backoff, for a caller that waits as the
 * vendor advises (10-30 s, or until one of `executingJobs` ends).
 */
export type SeedAsyncOptions = SeedRequestOptions;

export interface UseapiClient {
  /**
   * POST /jobs/seed_async. Either the new seed job (`verb: 'seed_async'`, status started) or, when the seed was
   * already retrieved, the original job with `seed` filled in.
   */
  seedAsync(jobid: string, options?: SeedAsyncOptions): Promise<Job>;
  /** GET /jobs/?jobid= */
  getJob(jobid: string, options?: CallOptions): Promise<Job>;
  /** GET /jobs: jobids currently executing. */
  getExecutingJobs(options?: CallOptions): Promise<string[]>;
  /** GET /account/midjourney */
  getAccounts(options?: CallOptions): Promise<MidjourneyAccount[]>;
  /** GET /account/midjourney/<channel> */
  getAccount(channel: string, options?: CallOptions): Promise<MidjourneyAccount>;
  /** POST /account/midjourney/<channel>/reset */
  resetAccount(channel: string, options?: CallOptions): Promise<void>;
}
