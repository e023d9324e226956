// The useapi v2 routes the bot uses, answering as useapi does: the images on the CDN paths (no auth), then the Bearer
// token, then jobs (seed_async with its errors, GET of a job, cancel, the running list) and the account routes.
import type { ServerResponse } from 'node:http';
import type { Faults } from './faults.js';
import type { RouteRequest } from './http.js';
import type { Images } from './images.js';
import { FINAL, SEEDABLE_VERBS } from './job.js';
import type { SeedJobs } from './seed-jobs.js';
import { isRecord, send, sendError } from './send.js';
import type { JobStore } from './store.js';

const PENDING_MOD_ERROR =
  'Your Discord account has received a pending moderation message from Midjourney. Please address this issue and reset the /account pendingModMessage before making any new API calls.';

/** A replyUrl or replyRef as useapi checks it: absent, or a string of at most 1024 characters. */
const badReplyField = (value: unknown, field: string): string | undefined => {
  if (value !== undefined && typeof value !== 'string') return `${field} is not a string`;
  if (typeof value === 'string' && value.length > 1024) return `${field} is too long`;
  return undefined;
};

/** POST /v2/jobs/seed_async, GET /v2/jobs/?jobid=, GET /v2/jobs/cancel, GET /v2/jobs. */
function createJobRoutes(deps: { store: JobStore; seedJobs: SeedJobs; faults: Faults }) {
  const { store, seedJobs, faults } = deps;
  const { jobs, accounts } = store;

  const seedAsync = (res: ServerResponse, body: unknown) => {
    const input = isRecord(body) ? body : {};
    const jobid = input.jobid;
    if (typeof jobid !== 'string' || jobid.trim() === '') return sendError(res, 400, 'jobid is missing');
    for (const field of ['replyUrl', 'replyRef'] as const) {
      const bad = badReplyField(input[field], field);
      if (bad !== undefined) return sendError(res, 400, bad);
    }
    const parent = jobs.get(jobid);
    if (parent === undefined) return sendError(res, 404, `Unable to locate parent job ${jobid}`);
    const account = accounts.get(parent.channel);
    if (account === undefined) return sendError(res, 400, 'channel is missing');
    if (account.pendingModMessage !== undefined) return sendError(res, 596, PENDING_MOD_ERROR);
    if (!SEEDABLE_VERBS.has(parent.verb))
      return sendError(res, 400, `Job of type ${parent.verb} not supported`);
    if (parent.status !== 'completed') return sendError(res, 400, 'Parent job must be completed');
    if (parent.seed !== undefined) return send(res, 200, { ...parent, code: 200 });

    const executingJobs = seedJobs.runningOn(parent.channel);
    if (faults.draws429()) {
      return sendError(res, 429, 'Discord rate limit, please retry later', { executingJobs });
    }
    if (executingJobs.length >= account.maxJobs) {
      const busy = `Account ${account.channel} is busy executing ${executingJobs.length} jobs`;
      return sendError(res, 429, busy, { executingJobs });
    }
    const replyUrl = typeof input.replyUrl === 'string' ? input.replyUrl : undefined;
    const replyRef = typeof input.replyRef === 'string' ? input.replyRef : undefined;
    send(res, 200, seedJobs.start(parent, account, replyUrl, replyRef));
  };

  const getJob = (res: ServerResponse, query: Record<string, string>) => {
    const jobid = query.jobid;
    if (jobid === undefined || jobid.trim() === '')
      return sendError(res, 400, 'Query param jobid not provided');
    const job = jobs.get(jobid);
    if (job === undefined) return sendError(res, 404, `Unable to locate job ${jobid}`);
    if (accounts.get(job.channel)?.pendingModMessage !== undefined)
      return sendError(res, 596, PENDING_MOD_ERROR);
    send(res, 200, job);
  };

  const cancel = (res: ServerResponse, query: Record<string, string>) => {
    const jobid = query.jobid;
    if (jobid === undefined || jobid.trim() === '')
      return sendError(res, 400, 'Query param jobid not provided');
    const job = jobs.get(jobid);
    if (job === undefined) return sendError(res, 404, `Unable to locate job ${jobid}`);
    if (seedJobs.isRunning(jobid)) seedJobs.finish(jobid, 'cancelled');
    else if (!FINAL.has(job.status)) job.status = 'cancelled';
    send(res, 200, { jobid, status: job.status, code: 200 });
  };

  /** True when it answered. */
  return ({ res, method, path, query, body }: RouteRequest): boolean => {
    if (method === 'POST' && path === '/v2/jobs/seed_async') seedAsync(res, body);
    else if (method === 'GET' && path.startsWith('/v2/jobs/cancel')) cancel(res, query);
    else if (method === 'GET' && (path === '/v2/jobs/' || (path === '/v2/jobs' && 'jobid' in query)))
      getJob(res, query);
    else if (method === 'GET' && path === '/v2/jobs')
      send(
        res,
        200,
        [...jobs.values()].filter((j) => !FINAL.has(j.status)).map((j) => j.jobid),
      );
    else return false;
    return true;
  };
}

/** GET /v2/account/midjourney(/:channel), POST …/:channel/reset, GET and POST /v2/account (the replyUrl). */
function createAccountRoutes(store: JobStore) {
  const { accounts } = store;
  const setReplyUrl = (res: ServerResponse, body: unknown) => {
    const replyUrl = isRecord(body) ? body.replyUrl : undefined;
    const bad = badReplyField(replyUrl, 'replyUrl');
    if (bad !== undefined) return sendError(res, 400, bad);
    store.defaultReplyUrl = replyUrl === '' ? undefined : (replyUrl as string | undefined);
    send(res, 200, { replyUrl: store.defaultReplyUrl, code: 200 });
  };

  /** True when it answered. */
  return ({ res, method, path, body }: RouteRequest): boolean => {
    if (method === 'GET' && path === '/v2/account/midjourney') {
      const all = [...accounts.values()].map((a) => [a.channel, store.accountJson(a)]);
      send(res, 200, Object.fromEntries(all));
      return true;
    }
    const accountPath = /^\/v2\/account\/midjourney\/([^/]+)(\/reset)?$/.exec(path);
    if (accountPath) {
      const account = accounts.get(decodeURIComponent(accountPath[1] ?? ''));
      if (account === undefined) {
        sendError(res, 404, 'Configuration not found for provided channel');
        return true;
      }
      if (method === 'POST' && accountPath[2] === '/reset') {
        delete account.pendingModMessage;
        send(res, 204);
        return true;
      }
      if (method === 'GET' && accountPath[2] === undefined) {
        send(res, 200, store.accountJson(account));
        return true;
      }
    }
    if (path === '/v2/account' && method === 'POST') setReplyUrl(res, body);
    else if (path === '/v2/account' && method === 'GET')
      send(res, 200, {
        email: 'fake@example.com',
        sub: 'active',
        replyUrl: store.defaultReplyUrl,
        code: 200,
      });
    else return false;
    return true;
  };
}

export function createRoutes(deps: {
  token: string;
  store: JobStore;
  seedJobs: SeedJobs;
  faults: Faults;
  images: Images;
}): (request: RouteRequest) => void {
  const { token, images } = deps;
  const jobRoutes = createJobRoutes(deps);
  const accountRoutes = createAccountRoutes(deps.store);
  return (request) => {
    const { req, res, method, path } = request;
    if (images.isImagePath(method, path)) return images.serve(req, res);
    if (!path.startsWith('/v2/')) return sendError(res, 404, 'Not found');
    if (req.headers.authorization !== `Bearer ${token}`) return sendError(res, 401, 'Unauthorized');
    if (jobRoutes(request) || accountRoutes(request)) return;
    sendError(res, 404, 'Not found');
  };
}
