// What the core needs from any upstream that drives Midjourney (useapi.net v2, a self-hosted midjourney-proxy), in the
// core's terms, owned by the core: each adapter implements this port and maps its answers and failures onto it
// (failures as an UpstreamError, errors.ts). Nothing in src/seed knows which upstream it talks to.

/** Which upstream an adapter speaks for: where a seed came from, which texts and hints fit. */
export type UpstreamName = 'useapi' | 'midjourney-proxy';

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

/** The verbs whose jobs have a seed to reveal (upscales, variations and pans are `button`). */
export const SEEDABLE_VERBS: ReadonlySet<string> = new Set(['imagine', 'button', 'blend']);

/** The verb of a job the upstream started only to retrieve a seed (useapi's seed_async), followed to its end. */
export const seedJobVerb = 'seed_async';

export interface UpstreamAttachment {
  id: string;
  url: string;
  proxyUrl?: string | undefined;
  width?: number | undefined;
  height?: number | undefined;
  size?: number | undefined;
  filename: string;
  contentType?: string | undefined;
}

export interface UpstreamJobChild {
  button: string;
  jobid: string;
  messageId?: string | undefined;
}

export interface UpstreamSeed {
  value: number;
  content?: string | undefined;
  /** The four images; empty when the upstream gives the seed alone (the job's grid then stands for them). */
  attachments: UpstreamAttachment[];
}

/** A Midjourney job as an upstream describes it (a read, a callback, or the answer to a seed request). */
export interface UpstreamJob {
  jobid: string;
  verb: string;
  status: JobStatus;
  parentJobId?: string | undefined;
  created?: string | undefined;
  updated?: string | undefined;
  prompt?: string | undefined;
  content?: string | undefined;
  /** The Midjourney account's Discord channel. */
  channel?: string | undefined;
  server?: string | undefined;
  /** The Discord message with the result. */
  messageId?: string | undefined;
  /** Further Discord messages of the same result (the proxy's `messageIds`). */
  messageIds?: string[] | undefined;
  timestamp?: string | undefined;
  replyRef?: string | undefined;
  /** The job's own images: for a grid, the grid (its file name carries the Midjourney job UUID). */
  attachments: UpstreamAttachment[];
  /** What `attachments[0]` shows, when the upstream says: a 2x2 grid of four images, or one image (an upscale). */
  gridKind?: 'grid' | 'single' | undefined;
  children: UpstreamJobChild[];
  /** Midjourney job UUIDs the upstream names outright (besides those in attachment names). */
  uuids?: string[] | undefined;
  seed?: UpstreamSeed | undefined;
  error?: string | undefined;
  errorDetails?: string | undefined;
  code?: number | undefined;
}

export interface UpstreamAccount {
  /** The account's id: a Discord channel id for useapi, the proxy as a whole for midjourney-proxy. */
  channel: string;
  /** The Discord token as the upstream shows it (already masked); absent when it shows none. */
  discord?: string | undefined;
  maxJobs?: number | undefined;
  pendingModMessage?: string | undefined;
}

export interface ParsedJobid {
  jobid: string;
  /** The account the job belongs to, when its id says. */
  channel: string | undefined;
}

/** What a job id of this upstream looks like, and which account it belongs to. */
export interface JobidGrammar {
  /** A whole text that is one job id (wrappers such as backticks and quotes peeled off). */
  parse(input: string): ParsedJobid | undefined;
  /** The first job id written anywhere in a text. */
  find(text: string | undefined | null): string | undefined;
  /** Every distinct job id written as a whole word in a text, in order. */
  findAll(text: string): string[];
  /** The account a job belongs to, when its id says (the proxy's single account otherwise). */
  accountOf(jobid: string): string | undefined;
  /** A job id that names a video job (no seed exists for it). */
  isVideo(jobid: string): boolean;
  /** Is this text an account id of this upstream (what `/midjourney reset` accepts)? */
  isAccount(value: string): boolean;
}

export interface SeedRequestOptions {
  replyUrl?: string | undefined;
  replyRef?: string | undefined;
  signal?: AbortSignal | undefined;
  /** false: a busy answer is thrown at once, for a caller that waits as the vendor advises. Default true. */
  retryBusy?: boolean | undefined;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

/**
 * A callback body, read as a hint. `confirm`: the body is not to be trusted as it is (no signature, may be stale):
 * read the job again with `getJob` before it feeds anything.
 */
export interface CallbackHint {
  job: UpstreamJob;
  confirm: boolean;
}

/** How an account in trouble stands, re-read after a moderator's work. */
export type AccountCheck = { held: false } | { held: true; text?: string | undefined };

export interface Upstream {
  readonly name: UpstreamName;
  readonly jobids: JobidGrammar;
  /** The path under which the upstream's callbacks are received, ending in `/` (the secret follows). */
  readonly callbackRoute: string;
  /**
   * Retrieve a seed. Either a seed job started for it (verb seedJobVerb, followed with getJob until final), or the
   * job itself with `seed` filled (already retrieved, or an upstream whose one call blocks until it has the seed).
   */
  requestSeed(jobid: string, options?: SeedRequestOptions): Promise<UpstreamJob>;
  getJob(jobid: string, options?: CallOptions): Promise<UpstreamJob>;
  /** Jobs running upstream now (empty when the upstream does not say). */
  getExecutingJobs(options?: CallOptions): Promise<string[]>;
  getAccounts(options?: CallOptions): Promise<UpstreamAccount[]>;
  /**
   * Is the account still in trouble? `probeJobid`: a job waiting for it, for an upstream that can only tell by being
   * asked for one.
   */
  checkAccount(account: string, probeJobid?: string, options?: CallOptions): Promise<AccountCheck>;
  /** Ask the upstream to take the account back into use, where it has such a route (a capability, not a must). */
  resetAccount?(account: string, options?: CallOptions): Promise<void>;
  /**
   * An account in trouble comes back by itself once the upstream answers again (no reset route): the core re-checks
   * held accounts now and then and lets their requests run again.
   */
  readonly holdsClearThemselves: boolean;
  /** A callback body as a hint, or undefined when it is not one of this upstream's. */
  callbackHint(body: unknown): CallbackHint | undefined;
}
