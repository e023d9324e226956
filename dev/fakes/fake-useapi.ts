// A local HTTP server that behaves like useapi.net v2 as /work/shared/reference describes it: seed_async with
// its errors, jobs that advance by timers, accounts with maxJobs and pending moderation (596), callbacks to
// replyUrl, and the Discord CDN links of the seed images (served here, expiring like the real ones).
// Every request is recorded. Deterministic where it can be: ids come from counters and hashes, the random 429s
// from a seeded PRNG; only timestamps follow the clock.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isCdnUrlExpired, pngBytes, signCdnUrl } from './cdn.js';

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

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  /** Parsed JSON, the raw text when it is not JSON, undefined when empty. */
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  at: number;
}

/** An attachment exactly as useapi sends it (snake_case). */
export interface FakeAttachment {
  id: string;
  url: string;
  proxy_url: string;
  width: number;
  height: number;
  size: number;
  placeholder_version: number;
  placeholder: string;
  filename: string;
  content_type: string;
}

export interface FakeSeed {
  value: number;
  content: string;
  attachments: FakeAttachment[];
}

export interface FakeChild {
  button: string;
  jobid: string;
  messageId?: string;
}

/** A job exactly as useapi stores and sends it. */
export interface FakeJob {
  jobid: string;
  verb: string;
  status: string;
  created: string;
  updated: string;
  parentJobId?: string;
  prompt?: string;
  content?: string;
  button?: string;
  discord?: string;
  channel: string;
  server?: string;
  messageId?: string;
  timestamp?: string;
  maxJobs?: number;
  replyUrl?: string;
  replyRef?: string;
  attachments: FakeAttachment[];
  children?: FakeChild[];
  seed?: FakeSeed;
  error?: string;
  errorDetails?: string;
  code: number;
}

export interface AddJobInput {
  jobid?: string;
  verb?: 'imagine' | 'button' | 'blend' | 'video' | string;
  /** Default 'completed'. */
  status?: string;
  channel?: string;
  server?: string;
  messageId?: string;
  prompt?: string;
  content?: string;
  parentJobId?: string;
  button?: string;
  children?: FakeChild[];
  /** The seed the fake will report for this job. Default: derived from the jobid. */
  seedValue?: number;
  /** Filenames of the job's own attachments (not the seed images). Default: one image. */
  attachmentNames?: string[];
}

export interface InjectedResponse {
  status: number;
  /** A string is sent as is (to fake malformed bodies); anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  delayMs?: number;
  /** Drop the connection instead of answering (after `delayMs`). */
  destroy?: boolean;
}

export interface FakeCallback {
  url: string;
  body: unknown;
  status: number | 'error';
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
  outage(mode: 'refuse' | 'none' | { status: number }): Promise<void>;
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

interface Account {
  channel: string;
  discord: string;
  maxJobs: number;
  pendingModMessage?: string;
}

const DEFAULT_TOKEN = 'fake-useapi-token-0123456789';
const DEFAULT_CHANNEL = '1316232391072944131';
const DEFAULT_SERVER = '1316232391072944000';
const USER_NUMBER = 1308;
const DISCORD_USER_ID = '1100000000000000001';
const MJ_USER = 'fakeuser';
const DISCORD_EPOCH = 1_420_070_400_000n;
const SEEDABLE_VERBS = new Set(['imagine', 'button', 'blend']);
const FINAL = new Set(['completed', 'moderated', 'failed', 'cancelled']);
const PENDING_MOD_ERROR =
  'Your Discord account has received a pending moderation message from Midjourney. Please address this issue and reset the /account pendingModMessage before making any new API calls.';
const DEFAULT_MOD_TEXT =
  'You have a pending moderation message. Please acknowledge it before using the bot further.';
const CDN_GONE = 'This content is no longer available.';
const CALLBACK_TIMEOUT_MS = 5_000;

/** mulberry32: small, seedable, good enough to pick which calls fail. */
export const prngOf = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

const uuidOf = (text: string): string => {
  const h = sha256(text).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

const channelOfJobid = (jobid: string): string | undefined =>
  /(?:^|-)channel:(\d+)/.exec(jobid)?.[1] ?? /^j\d+[iv]-u\d+-c(\d+)-bot:/.exec(jobid)?.[1];

const maskDiscord = (discord: string): string => `${discord.slice(0, 3)}…secured…${discord.slice(-3)}`;

const slugOf = (prompt: string): string =>
  prompt
    .toLowerCase()
    .replace(/--\S+(\s+\S+)?/g, ' ')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40) || 'image';

/** `yyyyMMddHHmmssSSS` in UTC. */
const jobTimestamp = (ms: number): string => new Date(ms).toISOString().replace(/[-T:.Z]/g, '');

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

const parseBody = (text: string): unknown => {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const send = (
  res: ServerResponse,
  status: number,
  body?: unknown,
  headers: Record<string, string> = {},
): void => {
  if (res.destroyed || res.writableEnded) return;
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const isText = typeof body === 'string';
  const payload = isText ? body : JSON.stringify(body);
  res.writeHead(status, {
    'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload).toString(),
    ...headers,
  });
  res.end(payload);
};

const sendError = (res: ServerResponse, status: number, error: string, extra: Record<string, unknown> = {}) =>
  send(res, status, { error, ...extra, code: status });

export async function startFakeUseapi(options: FakeUseapiOptions = {}): Promise<FakeUseapi> {
  const token = options.token ?? DEFAULT_TOKEN;
  let seedDurationMs = options.seedDurationMs ?? 300;
  const progressSteps = Math.max(0, options.progressSteps ?? 1);
  const imageBytes = options.imageBytes ?? 2048;
  const cdnTtlSec = options.cdnTtlSec ?? 86_400;

  const requests: RecordedRequest[] = [];
  const callbacks: FakeCallback[] = [];
  const accounts = new Map<string, Account>();
  const jobs = new Map<string, FakeJob>();
  const seedValues = new Map<string, number>();
  /** Running seed jobs and their pending timers. */
  const running = new Map<string, Set<NodeJS.Timeout>>();
  const timers = new Set<NodeJS.Timeout>();
  const injections: { method?: string; path: string; responses: InjectedResponse[] }[] = [];
  /** Per job, the chain of its callbacks, so they arrive in order. */
  const callbackChains = new Map<string, Promise<void>>();
  const closing = new AbortController();
  let defaultReplyUrl: string | undefined;
  let rate429 = 0;
  let prng = prngOf(1);
  let maxRunning = 0;
  let sequence = 0;
  let lastJobMs = 0;
  let origin = '';

  const schedule = (fn: () => void, ms: number, group?: Set<NodeJS.Timeout>): void => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      group?.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
    group?.add(timer);
  };

  const snowflake = (): string => {
    sequence += 1;
    return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | BigInt(sequence & 0x3fffff)).toString();
  };

  const newJobid = (channel: string): string => {
    lastJobMs = Math.max(Date.now(), lastJobMs + 1);
    return `job:${jobTimestamp(lastJobMs)}-user:${USER_NUMBER}-channel:${channel}-bot:midjourney`;
  };

  const cdnAttachment = (channel: string, filename: string, width: number): FakeAttachment => {
    const id = snowflake();
    const expires = Math.floor(Date.now() / 1000) + cdnTtlSec;
    const path = `attachments/${channel}/${id}/${encodeURIComponent(filename)}`;
    return {
      id,
      url: signCdnUrl(`${origin}/cdn/${path}`, expires),
      proxy_url: signCdnUrl(`${origin}/media/${path}`, expires),
      width,
      height: width,
      size: imageBytes,
      placeholder_version: 1,
      placeholder: sha256(filename).toString('base64').slice(0, 24),
      filename,
      content_type: 'image/png',
    };
  };

  const promptOf = (job: FakeJob): string =>
    job.prompt ?? /^\*\*(.+?)\*\*/.exec(job.content ?? '')?.[1] ?? 'untitled prompt';

  const runningOn = (channel: string): string[] =>
    [...running.keys()].filter((jobid) => jobs.get(jobid)?.channel === channel);

  // --- callbacks -------------------------------------------------------------------------------------------

  const postCallback = async (url: string, body: unknown): Promise<void> => {
    let status: number | 'error' = 'error';
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(CALLBACK_TIMEOUT_MS)]),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch {
      status = 'error';
    }
    callbacks.push({ url, body, status });
  };

  const notify = (job: FakeJob): void => {
    const url = job.replyUrl;
    if (url === undefined || closing.signal.aborted) return;
    const snapshot: unknown = structuredClone(job);
    const previous = callbackChains.get(job.jobid) ?? Promise.resolve();
    callbackChains.set(
      job.jobid,
      previous.then(() => postCallback(url, snapshot)),
    );
  };

  // --- seed jobs -------------------------------------------------------------------------------------------

  const seedOf = (parent: FakeJob): FakeSeed => {
    const value = seedValues.get(parent.jobid) ?? sha256(`seed:${parent.jobid}`).readUInt32BE(0);
    const prompt = promptOf(parent);
    const mjJob = uuidOf(`mj:${parent.jobid}`);
    const base = `${MJ_USER}_${slugOf(prompt)}_${mjJob}`;
    return {
      value,
      content: `**${prompt}**\n**Job ID**: ${mjJob}\n**seed** ${value}`,
      attachments: [1, 2, 3, 4].map((n) => cdnAttachment(parent.channel, `${base}_${n}.png`, 1024)),
    };
  };

  const finishSeedJob = (jobid: string, outcome: 'completed' | 'cancelled' = 'completed'): void => {
    const job = jobs.get(jobid);
    const group = running.get(jobid);
    if (job === undefined || group === undefined) return;
    for (const timer of group) {
      clearTimeout(timer);
      timers.delete(timer);
    }
    running.delete(jobid);
    job.updated = new Date().toISOString();
    const account = accounts.get(job.channel);
    if (outcome === 'cancelled') {
      job.status = 'cancelled';
    } else if (account?.pendingModMessage !== undefined) {
      job.status = 'failed';
      job.error = 'Pending mod message';
      job.errorDetails = account.pendingModMessage;
      job.code = 596;
    } else {
      const parent = job.parentJobId === undefined ? undefined : jobs.get(job.parentJobId);
      if (parent !== undefined) {
        const seed = seedOf(parent);
        job.status = 'completed';
        job.seed = seed;
        job.content = seed.content;
        parent.seed = seed;
        parent.updated = job.updated;
      } else {
        job.status = 'failed';
        job.error = 'Parent job disappeared';
        job.code = 500;
      }
    }
    notify(job);
  };

  const startSeedJob = (parent: FakeJob, account: Account, replyUrl?: string, replyRef?: string): FakeJob => {
    const now = new Date().toISOString();
    const job: FakeJob = {
      jobid: newJobid(parent.channel),
      verb: 'seed_async',
      status: 'started',
      created: now,
      updated: now,
      parentJobId: parent.jobid,
      discord: maskDiscord(account.discord),
      channel: parent.channel,
      attachments: [],
      code: 200,
    };
    if (parent.server !== undefined) job.server = parent.server;
    const callbackUrl = replyUrl ?? defaultReplyUrl;
    if (callbackUrl !== undefined) job.replyUrl = callbackUrl;
    if (replyRef !== undefined) job.replyRef = replyRef;
    jobs.set(job.jobid, job);

    const group = new Set<NodeJS.Timeout>();
    running.set(job.jobid, group);
    maxRunning = Math.max(maxRunning, running.size);
    notify(job);

    const duration = seedDurationMs;
    for (let step = 1; step <= progressSteps; step++) {
      const at = Math.floor((duration * step) / (progressSteps + 1));
      const percent = Math.floor((100 * step) / (progressSteps + 1));
      schedule(
        () => {
          job.status = 'progress';
          job.updated = new Date().toISOString();
          job.content = `Retrieving seed (${percent}%)`;
          notify(job);
        },
        at,
        group,
      );
    }
    schedule(() => finishSeedJob(job.jobid), duration, group);
    return job;
  };

  // --- routes ----------------------------------------------------------------------------------------------

  const seedAsync = (res: ServerResponse, body: unknown) => {
    const input = isRecord(body) ? body : {};
    const jobid = input.jobid;
    if (typeof jobid !== 'string' || jobid.trim() === '') return sendError(res, 400, 'jobid is missing');
    for (const field of ['replyUrl', 'replyRef'] as const) {
      const value = input[field];
      if (value !== undefined && typeof value !== 'string')
        return sendError(res, 400, `${field} is not a string`);
      if (typeof value === 'string' && value.length > 1024)
        return sendError(res, 400, `${field} is too long`);
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

    const executingJobs = runningOn(parent.channel);
    if (rate429 > 0 && prng() < rate429) {
      return sendError(res, 429, 'Discord rate limit, please retry later', { executingJobs });
    }
    if (executingJobs.length >= account.maxJobs) {
      return sendError(
        res,
        429,
        `Account ${account.channel} is busy executing ${executingJobs.length} jobs`,
        {
          executingJobs,
        },
      );
    }
    const replyUrl = typeof input.replyUrl === 'string' ? input.replyUrl : undefined;
    const replyRef = typeof input.replyRef === 'string' ? input.replyRef : undefined;
    send(res, 200, startSeedJob(parent, account, replyUrl, replyRef));
  };

  const getJobRoute = (res: ServerResponse, query: Record<string, string>) => {
    const jobid = query.jobid;
    if (jobid === undefined || jobid.trim() === '')
      return sendError(res, 400, 'Query param jobid not provided');
    const job = jobs.get(jobid);
    if (job === undefined) return sendError(res, 404, `Unable to locate job ${jobid}`);
    if (accounts.get(job.channel)?.pendingModMessage !== undefined)
      return sendError(res, 596, PENDING_MOD_ERROR);
    send(res, 200, job);
  };

  const cancelRoute = (res: ServerResponse, query: Record<string, string>) => {
    const jobid = query.jobid;
    if (jobid === undefined || jobid.trim() === '')
      return sendError(res, 400, 'Query param jobid not provided');
    const job = jobs.get(jobid);
    if (job === undefined) return sendError(res, 404, `Unable to locate job ${jobid}`);
    if (running.has(jobid)) finishSeedJob(jobid, 'cancelled');
    else if (!FINAL.has(job.status)) job.status = 'cancelled';
    send(res, 200, { jobid, status: job.status, code: 200 });
  };

  const accountJson = (a: Account) => ({
    channel: a.channel,
    discord: maskDiscord(a.discord),
    maxJobs: a.maxJobs,
    ...(a.pendingModMessage === undefined ? {} : { pendingModMessage: a.pendingModMessage }),
  });

  const route = (
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
    query: Record<string, string>,
    body: unknown,
  ) => {
    const method = req.method ?? 'GET';
    if (method === 'GET' && /^\/(cdn|media)\/attachments\//.test(path)) return serveCdn(req, res);
    if (!path.startsWith('/v2/')) return sendError(res, 404, 'Not found');
    if (req.headers.authorization !== `Bearer ${token}`) return sendError(res, 401, 'Unauthorized');

    if (method === 'POST' && path === '/v2/jobs/seed_async') return seedAsync(res, body);
    if (method === 'GET' && path.startsWith('/v2/jobs/cancel')) return cancelRoute(res, query);
    if (method === 'GET' && (path === '/v2/jobs/' || (path === '/v2/jobs' && 'jobid' in query))) {
      return getJobRoute(res, query);
    }
    if (method === 'GET' && path === '/v2/jobs') {
      return send(
        res,
        200,
        [...jobs.values()].filter((j) => !FINAL.has(j.status)).map((j) => j.jobid),
      );
    }
    if (method === 'GET' && path === '/v2/account/midjourney') {
      return send(
        res,
        200,
        Object.fromEntries([...accounts.values()].map((a) => [a.channel, accountJson(a)])),
      );
    }
    const accountPath = /^\/v2\/account\/midjourney\/([^/]+)(\/reset)?$/.exec(path);
    if (accountPath) {
      const account = accounts.get(decodeURIComponent(accountPath[1] ?? ''));
      if (account === undefined) return sendError(res, 404, 'Configuration not found for provided channel');
      if (method === 'POST' && accountPath[2] === '/reset') {
        delete account.pendingModMessage;
        return send(res, 204);
      }
      if (method === 'GET' && accountPath[2] === undefined) return send(res, 200, accountJson(account));
    }
    if (path === '/v2/account' && method === 'POST') {
      const replyUrl = isRecord(body) ? body.replyUrl : undefined;
      if (replyUrl !== undefined && typeof replyUrl !== 'string')
        return sendError(res, 400, 'replyUrl is not a string');
      if (typeof replyUrl === 'string' && replyUrl.length > 1024)
        return sendError(res, 400, 'replyUrl is too long');
      defaultReplyUrl = replyUrl === '' ? undefined : replyUrl;
      return send(res, 200, { replyUrl: defaultReplyUrl, code: 200 });
    }
    if (path === '/v2/account' && method === 'GET') {
      return send(res, 200, {
        email: 'fake@example.com',
        sub: 'active',
        replyUrl: defaultReplyUrl,
        code: 200,
      });
    }
    return sendError(res, 404, 'Not found');
  };

  // One image, built once: the fake CDN serves hundreds of them a second in the benchmark.
  let image: Buffer | undefined;
  const servedImage = () => {
    image ??= pngBytes(imageBytes);
    return image;
  };
  const serveCdn = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', origin);
    const ex = url.searchParams.get('ex');
    const hm = url.searchParams.get('hm');
    const expected =
      ex === null
        ? undefined
        : sha256(`${url.pathname}:${Number.parseInt(ex, 16)}`)
            .toString('hex')
            .slice(0, 32);
    if (ex === null || hm !== expected || isCdnUrlExpired(url.toString())) return send(res, 404, CDN_GONE);
    const image = servedImage();
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': image.length.toString() });
    res.end(image);
  };

  const inject = (res: ServerResponse, response: InjectedResponse): void => {
    const answer = () => {
      if (response.destroy) {
        res.socket?.destroy();
        res.destroy();
        return;
      }
      send(res, response.status, response.body, response.headers);
    };
    if (response.delayMs !== undefined && response.delayMs > 0) schedule(answer, response.delayMs);
    else answer();
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const text = await readBody(req);
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const query = Object.fromEntries(url.searchParams);
    const body = parseBody(text);
    requests.push({ method, path: url.pathname, query, body, headers: { ...req.headers }, at: Date.now() });

    const injection = injections.find(
      (i) =>
        i.responses.length > 0 &&
        (i.method === undefined || i.method.toUpperCase() === method) &&
        url.pathname.startsWith(i.path),
    );
    const injected = injection?.responses.shift();
    if (injected !== undefined) return inject(res, injected);
    if (outageStatus !== undefined)
      return sendError(res, outageStatus, outageStatus === 503 ? 'Service Unavailable' : 'Server error');
    route(req, res, url.pathname, query, body);
  };
  let outageStatus: number | undefined;
  let listening = true;

  const server = createServer((req, res) => {
    res.on('error', () => undefined);
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, `fake useapi failed: ${String(error)}`);
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;

  const fake: FakeUseapi = {
    url: `${origin}/v2`,
    origin,
    token,
    requests,
    callbacks,

    count: (method, pathPrefix) =>
      requests.filter((r) => r.method === method.toUpperCase() && r.path.startsWith(pathPrefix)).length,

    addAccount({ channel, discord, maxJobs }) {
      accounts.set(channel, {
        channel,
        discord: discord ?? `fake-discord-token-for-${channel}`,
        maxJobs: maxJobs ?? 3,
      });
    },

    addJob(input) {
      const channel =
        input.channel ??
        (input.jobid === undefined ? undefined : channelOfJobid(input.jobid)) ??
        accounts.keys().next().value ??
        DEFAULT_CHANNEL;
      const jobid = input.jobid ?? newJobid(channel);
      const verb = input.verb ?? 'imagine';
      const prompt = input.prompt ?? 'Steampunk cat --s 750 --v 6.1';
      const now = new Date().toISOString();
      const mention = `<@${DISCORD_USER_ID}>`;
      const defaultContent =
        verb === 'button' ? `**${prompt}** - Image #1 ${mention}` : `**${prompt}** - ${mention} (fast)`;
      const names = input.attachmentNames ?? [`${MJ_USER}_${slugOf(prompt)}_${uuidOf(`mj:${jobid}`)}.png`];
      const account = accounts.get(channel);
      const job: FakeJob = {
        jobid,
        verb,
        status: input.status ?? 'completed',
        created: now,
        updated: now,
        prompt,
        content: input.content ?? defaultContent,
        channel,
        server: input.server ?? DEFAULT_SERVER,
        messageId: input.messageId ?? snowflake(),
        timestamp: now.replace('Z', '000+00:00'),
        attachments: names.map((name) => cdnAttachment(channel, name, verb === 'button' ? 1024 : 2048)),
        code: 200,
      };
      if (account !== undefined) {
        job.discord = maskDiscord(account.discord);
        job.maxJobs = account.maxJobs;
      }
      if (input.parentJobId !== undefined) job.parentJobId = input.parentJobId;
      if (input.button !== undefined) job.button = input.button;
      if (input.children !== undefined) job.children = input.children;
      if (input.seedValue !== undefined) seedValues.set(jobid, input.seedValue);
      jobs.set(jobid, job);
      return job;
    },

    getJob: (jobid) => jobs.get(jobid),

    setPendingModeration(channel, text) {
      const account = accounts.get(channel);
      if (account === undefined) throw new Error(`fake useapi: no account for channel ${channel}`);
      account.pendingModMessage = text ?? DEFAULT_MOD_TEXT;
    },

    async outage(mode) {
      outageStatus = typeof mode === 'object' ? mode.status : undefined;
      if (mode === 'refuse' && listening) {
        listening = false;
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      } else if (mode !== 'refuse' && !listening) {
        await new Promise<void>((resolve, reject) => {
          server.once('error', reject);
          server.listen(port, '127.0.0.1', () => {
            server.off('error', reject);
            resolve();
          });
        });
        listening = true;
      }
    },

    failNext(match, responses) {
      injections.push({ method: match.method, path: match.path, responses: [...responses] });
    },

    random429(rate, seed = 1) {
      rate429 = rate;
      prng = prngOf(seed);
    },

    setSeedDuration(ms) {
      seedDurationMs = ms;
    },

    runningSeedJobs: () => running.size,
    maxRunningSeedJobs: () => maxRunning,

    resetStats() {
      requests.length = 0;
      callbacks.length = 0;
      maxRunning = running.size;
    },

    completeNow(seedJobid) {
      if (!running.has(seedJobid)) throw new Error(`fake useapi: seed job ${seedJobid} is not running`);
      finishSeedJob(seedJobid);
    },

    async settleCallbacks() {
      // A callback can be chained while we wait: loop until no chain changed.
      for (;;) {
        const chains = [...callbackChains.values()];
        await Promise.allSettled(chains);
        if ([...callbackChains.values()].every((c, i) => c === chains[i])) return;
      }
    },

    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      running.clear();
      closing.abort();
      await Promise.allSettled([...callbackChains.values()]);
      if (!listening) return;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
