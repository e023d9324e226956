// The port to useapi.net, in the terms the core needs. The HTTP implementation lives in http-client.ts;
// nothing outside src/useapi/ sees raw response bodies.

export type JobStatus =
  | 'created'
  | 'started'
  | 'progress'
  | 'completed'
  | 'moderated'
  | 'failed'
  | 'cancelled';

export const FINAL_STATUSES: ReadonlySet<JobStatus> = new Set([
  'completed',
  'moderated',
  'failed',
  'cancelled',
]);

/** The verbs whose jobs have a seed that seed_async can reveal (upscales, variations and pans are `button`). */
export const SEEDABLE_VERBS: ReadonlySet<string> = new Set(['imagine', 'button', 'blend']);

export interface Attachment {
  id: string;
  url: string;
  proxyUrl?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  size?: number | undefined;
  filename: string;
  contentType?: string | undefined;
}

export interface JobChild {
  button: string;
  jobid: string;
  messageId?: string | undefined;
}

export interface SeedInfo {
  value: number;
  content?: string | undefined;
  attachments: Attachment[];
}

/** A useapi job object (poll response, callback body, or the original job returned by seed_async). */
export interface Job {
  jobid: string;
  verb: string;
  status: JobStatus;
  parentJobId?: string | undefined;
  created?: string | undefined;
  updated?: string | undefined;
  prompt?: string | undefined;
  content?: string | undefined;
  channel?: string | undefined;
  server?: string | undefined;
  messageId?: string | undefined;
  timestamp?: string | undefined;
  replyRef?: string | undefined;
  attachments: Attachment[];
  children: JobChild[];
  seed?: SeedInfo | undefined;
  error?: string | undefined;
  errorDetails?: string | undefined;
  code?: number | undefined;
}

export interface MidjourneyAccount {
  channel: string;
  /** Masked by useapi (first and last 3 characters); never the real token. */
  discord: string;
  maxJobs?: number | undefined;
  pendingModMessage?: string | undefined;
}

export interface SeedAsyncOptions {
  replyUrl?: string | undefined;
  replyRef?: string | undefined;
  signal?: AbortSignal | undefined;
  /**
   * false: a 429 is thrown at once instead of retried after a short backoff, for a caller that waits as the vendor
   * advises (10-30 s, or until one of `executingJobs` ends). Default true.
   */
  retryBusy?: boolean | undefined;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

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
