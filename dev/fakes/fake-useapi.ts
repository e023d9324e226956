// A local HTTP server that behaves like useapi.net v2 as /work/shared/reference describes it: seed_async with
// its errors, jobs that advance by timers, accounts with maxJobs and pending moderation (596), callbacks to
// replyUrl, and the Discord CDN links of the seed images (served here, expiring like the real ones).
// Every request is recorded. Deterministic where it can be: ids come from counters and hashes, the random 429s
// from a seeded PRNG; only timestamps follow the clock.
// The parts live in ./useapi/: job (the job shape, ids), store (accounts, jobs, the replyUrl), images (the CDN
// links), seed-jobs (seed jobs and their timers), callbacks (replyUrl calls), faults (injected answers, outages,
// random 429s), routes (the v2 routes), http (recording, faults first).
import { type OutageMode, startLocalServer, switchOutage } from './http/local-server.js';
import { createCallbackSender, type FakeCallback } from './useapi/callbacks.js';
import { createFaults, type InjectedResponse } from './useapi/faults.js';
import { createFront, type RecordedRequest } from './useapi/http.js';
import { createImages } from './useapi/images.js';
import { type AddJobInput, createIds, type FakeJob } from './useapi/job.js';
import { createRoutes } from './useapi/routes.js';
import { createScheduler, createSeedJobs } from './useapi/seed-jobs.js';
import { sendError } from './useapi/send.js';
import { createJobStore } from './useapi/store.js';

export type { FakeCallback } from './useapi/callbacks.js';
export type { InjectedResponse } from './useapi/faults.js';
export type { RecordedRequest } from './useapi/http.js';
export type { AddJobInput, FakeAttachment, FakeChild, FakeJob, FakeSeed } from './useapi/job.js';
export { prngOf } from './useapi/job.js';

export interface FakeUseapiOptions {
  token?: string;
  /** From seed_async to the completed seed job. Default 300. */
  seedDurationMs?: number;
  /** Number of 'progress' updates before completed. Default 1. */
  progressSteps?: number;
  /** Size of each served image. Default 2048. */
  imageBytes?: number;
  /** Lifetime of the CDN links the fake hands out. Default 86400. */
  cdnTtlSec?: number;
}

export interface FakeUseapi {
  /** Base including /v2, e.g. http://127.0.0.1:12345/v2 */
  url: string;
  /** e.g. http://127.0.0.1:12345 */
  origin: string;
  token: string;
  requests: RecordedRequest[];
  /** Requests with this method whose path starts with `pathPrefix`. */
  count(method: string, pathPrefix: string): number;
  addAccount(a: { channel: string; discord?: string; maxJobs?: number }): void;
  /** Stores a job (jobid generated in v2 form when missing) and returns the live stored object. */
  addJob(job: AddJobInput): FakeJob;
  getJob(jobid: string): FakeJob | undefined;
  /**
   * The account gets `pendingModMessage`: seed_async and GET of jobs on that channel answer 596, and a seed job
   * running on it ends failed with code 596.
   */
  setPendingModeration(channel: string, text?: string): void;
  /**
   * An outage from now on: 'refuse' closes the listening socket (new connections are refused, open ones dropped),
   * a status answers every request with it (e.g. 503); 'none' ends it (listening again on the same port).
   */
  outage(mode: OutageMode): Promise<void>;
  /** Queued answers for requests matching method (any when absent) and path prefix, used before normal handling. */
  failNext(match: { method?: string; path: string }, responses: InjectedResponse[]): void;
  /** That share of seed_async calls answer 429 with executingJobs. `seed` reseeds the PRNG (default 1). */
  random429(rate: number, seed?: number): void;
  /** Duration of seed jobs started from now on. */
  setSeedDuration(ms: number): void;
  /** Seed jobs between started and a final status. */
  runningSeedJobs(): number;
  /** Most seed jobs running at once since start or resetStats(). */
  maxRunningSeedJobs(): number;
  /** Clears requests and callbacks and restarts maxRunningSeedJobs from the current count. */
  resetStats(): void;
  /** Finishes a running seed job at once (callbacks fire as usual). */
  completeNow(seedJobid: string): void;
  /** Callback POSTs made to replyUrls, recorded once answered (or failed). */
  callbacks: FakeCallback[];
  /** Resolves when every callback sent so far has been answered or has failed. */
  settleCallbacks(): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_TOKEN = 'fake-useapi-token-0123456789';

export async function startFakeUseapi(options: FakeUseapiOptions = {}): Promise<FakeUseapi> {
  const token = options.token ?? DEFAULT_TOKEN;
  const ids = createIds();
  const images = createImages({
    ids,
    imageBytes: options.imageBytes ?? 2048,
    ttlSec: options.cdnTtlSec ?? 86_400,
  });
  const store = createJobStore({ ids, images });
  const callbacks = createCallbackSender();
  const scheduler = createScheduler();
  const seedJobs = createSeedJobs({
    store,
    ids,
    images,
    callbacks,
    scheduler,
    durationMs: options.seedDurationMs ?? 300,
    progressSteps: Math.max(0, options.progressSteps ?? 1),
  });
  const faults = createFaults(scheduler);
  const route = createRoutes({ token, store, seedJobs, faults, images });
  const front = createFront({ faults, route });
  const server = await startLocalServer({
    handle: (req, res) => front.handle(req, res),
    answerFailure: (res, error) => sendError(res, 500, `fake useapi failed: ${String(error)}`),
  });
  const origin = server.origin;
  images.origin = origin;

  return {
    url: `${origin}/v2`,
    origin,
    token,
    requests: front.requests,
    callbacks: callbacks.sent,
    count: (method, pathPrefix) =>
      front.requests.filter((r) => r.method === method.toUpperCase() && r.path.startsWith(pathPrefix)).length,
    addAccount: (account) => store.addAccount(account),
    addJob: (input) => store.addJob(input),
    getJob: (jobid) => store.jobs.get(jobid),
    setPendingModeration: (channel, text) => store.setPendingModeration(channel, text),
    outage: (mode) =>
      switchOutage(mode, { server, setOutageStatus: (status) => faults.setOutageStatus(status) }),
    failNext: (match, responses) => faults.failNext(match, responses),
    random429: (rate, seed = 1) => faults.random429(rate, seed),
    setSeedDuration: (ms) => seedJobs.setDuration(ms),
    runningSeedJobs: () => seedJobs.running(),
    maxRunningSeedJobs: () => seedJobs.maxRunning(),
    resetStats() {
      front.requests.length = 0;
      callbacks.sent.length = 0;
      seedJobs.resetMax();
    },
    completeNow(seedJobid) {
      if (!seedJobs.isRunning(seedJobid))
        throw new Error(`fake useapi: seed job ${seedJobid} is not running`);
      seedJobs.finish(seedJobid);
    },
    settleCallbacks: () => callbacks.settle(),
    async close() {
      scheduler.clear();
      seedJobs.clear();
      await callbacks.close();
      await server.close();
    },
  };
}
