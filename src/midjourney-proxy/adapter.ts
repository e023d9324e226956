// A self-hosted trueai-org/midjourney-proxy behind the core's upstream port. Its seed comes from one call that may
// block (`image-seed`, up to ~60 s): the port's answer is then the task itself with its seed, as useapi answers for a
// seed already retrieved, so the core never follows a seed job here. Every ProxyError becomes the core's
// UpstreamError; the proxy's own texts (Chinese) go to the log only.
import { isUpstreamError, UpstreamError, type UpstreamErrorKind } from '../seed/errors.js';
import type { JobidGrammar, JobStatus, Upstream, UpstreamAttachment, UpstreamJob } from '../seed/upstream.js';
import { CORE_KINDS, isProxyError, type ProxyError } from './errors.js';
import type { MidjourneyProxyClient, ProxyTask, ProxyTaskStatus } from './port.js';
import { proxyTaskSchema } from './schemas.js';

const PROXY_CALLBACK_ROUTE = '/midjourney-proxy/callback/';

/**
 * The proxy chooses among its Discord accounts itself and says only "no usable account" (`无可用的账号实例`): to the
 * bot it is one account, named so.
 */
export const PROXY_ACCOUNT = 'midjourney-proxy';

/**
 * A task id: Unix milliseconds (13 digits until the year 2286) + 3 random digits. A Discord message id is 17-20
 * digits, so the two never meet; the timestamp must be plausible (2020-2100) so that any 16-digit number in a prompt is
 * not taken for one.
 */
const TASK_ID = /^\d{16}$/;
const TASK_IDS_ANYWHERE = /(?<![\w:-])\d{16}(?![\w:-])/g;
const EARLIEST_MS = Date.UTC(2020, 0, 1);
const LATEST_MS = Date.UTC(2100, 0, 1);
const WRAPPERS = /^[`'"<]+|[`'">]+$/g;

const isTaskId = (value: string): boolean => {
  if (!TASK_ID.test(value)) return false;
  const ms = Number(value.slice(0, 13));
  return ms >= EARLIEST_MS && ms < LATEST_MS;
};

const findTaskIds = (text: string): string[] => [
  ...new Set([...text.matchAll(TASK_IDS_ANYWHERE)].map((m) => m[0]).filter(isTaskId)),
];

/** The proxy's task ids, as the core's port describes a jobid grammar. */
export const proxyJobids: JobidGrammar = {
  parse(input) {
    const id = input.trim().replace(WRAPPERS, '');
    return isTaskId(id) ? { jobid: id, channel: PROXY_ACCOUNT } : undefined;
  },
  find: (text) => (text ? findTaskIds(text)[0] : undefined),
  findAll: findTaskIds,
  accountOf: () => PROXY_ACCOUNT,
  // A video task is known only once read (its action): refused then, as an unsupported job.
  isVideo: () => false,
  isAccount: (value) => value === PROXY_ACCOUNT,
};

const STATUS: Record<ProxyTaskStatus, JobStatus> = {
  NOT_START: 'created',
  SUBMITTED: 'created',
  MODAL: 'progress',
  IN_PROGRESS: 'progress',
  SUCCESS: 'completed',
  FAILURE: 'failed',
  CANCEL: 'cancelled',
};

/** Buttons of a Midjourney message: each makes a job with the seed of its grid (useapi calls these `button`). */
const BUTTON_ACTIONS = new Set([
  'UPSCALE',
  'VARIATION',
  'REROLL',
  'PAN',
  'ZOOM',
  'OUTPAINT',
  'INPAINT',
  'HIGH_VARIATION',
  'LOW_VARIATION',
  'CUSTOM_ZOOM',
  'UPSCALE_HD',
  'UPSCALE_2X',
  'UPSCALE_4X',
  'UPSCALE_CREATIVE',
  'UPSCALE_SUBTLE',
]);

/** The core's verb for a proxy action: imagine, button and blend have a seed; anything else is named as it is. */
export function verbOf(action: string | undefined): string {
  const upper = (action ?? 'IMAGINE').toUpperCase();
  if (upper === 'IMAGINE') return 'imagine';
  if (upper === 'BLEND') return 'blend';
  if (upper.startsWith('VIDEO')) return 'video';
  if (BUTTON_ACTIONS.has(upper)) return 'button';
  return upper.toLowerCase();
}

/** The last path segment of a URL: Midjourney's file name, which carries the job UUID. */
function filenameOf(url: string): string {
  try {
    const name = new URL(url).pathname.split('/').filter(Boolean).pop();
    return name ? decodeURIComponent(name) : 'grid.png';
  } catch {
    return 'grid.png';
  }
}

const attachmentOf = (url: string): UpstreamAttachment => ({ id: '', url, filename: filenameOf(url) });

/**
 * A task as the core's job. The grid (`imageUrl`) is the job's attachment; the four images are the seed's when the
 * proxy filled all four `imageUrls` (EnableFillOfficialCdn), none otherwise: the grid then stands for them.
 */
function jobOfTask(task: ProxyTask, seed: number | undefined = task.seed): UpstreamJob {
  const four = task.imageUrls.length >= 4 ? task.imageUrls.slice(0, 4).map((i) => attachmentOf(i.url)) : [];
  const uuids = [task.jobId, task.properties.messageHash].filter((u): u is string => Boolean(u));
  return {
    jobid: task.id,
    verb: verbOf(task.action),
    status: STATUS[task.status],
    parentJobId: task.parentId,
    created: task.submitTime === undefined ? undefined : new Date(task.submitTime).toISOString(),
    prompt: task.properties.finalPrompt ?? task.promptFull ?? task.promptEn ?? task.prompt,
    content: task.properties.messageContent,
    channel: task.properties.discordChannelId ?? task.instanceId,
    messageId: task.messageId ?? task.properties.messageId,
    messageIds: task.messageIds,
    attachments: task.imageUrl ? [attachmentOf(task.imageUrl)] : [],
    // An upscale's message shows one image; every other action posts a grid.
    gridKind: task.action?.toUpperCase().startsWith('UPSCALE') ? 'single' : 'grid',
    children: [],
    uuids,
    seed: seed === undefined ? undefined : { value: seed, attachments: four },
    // The proxy's own words: for logs only.
    error: task.failReason,
  };
}

/** A ProxyError in the core's terms. Its texts (the proxy's description, seedError) are kept for the log only. */
export function upstreamErrorOf(error: ProxyError): UpstreamError {
  return new UpstreamError(CORE_KINDS[error.kind], error.message, {
    status: error.status,
    endpoint: error.endpoint,
    upstream: error.seedError ?? error.upstream,
    retryAfterMs: error.retryAfterMs,
    channel: error.kind === 'no_account' ? PROXY_ACCOUNT : undefined,
    jobid: error.taskId,
    source: 'midjourney-proxy',
    cause: error,
  });
}

async function mapped<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isProxyError(error) ? upstreamErrorOf(error) : error;
  }
}

const refusal = (kind: UpstreamErrorKind, message: string, task: ProxyTask, verb?: string) =>
  new UpstreamError(kind, message, { jobid: task.id, verb, source: 'midjourney-proxy' });

export function createMidjourneyProxyUpstream(client: MidjourneyProxyClient): Upstream {
  const getJob: Upstream['getJob'] = (jobid, options) =>
    mapped(async () => jobOfTask(await client.fetchTask(jobid, options)));

  return {
    name: 'midjourney-proxy',
    jobids: proxyJobids,
    callbackRoute: PROXY_CALLBACK_ROUTE,
    holdsClearThemselves: true,
    getJob,
    async requestSeed(jobid, options = {}) {
      const signal = options.signal;
      return mapped(async () => {
        // Read first: the images, the message and the prompt come with the task, and what has no seed is said now.
        const task = await client.fetchTask(jobid, { signal });
        const job = jobOfTask(task);
        if (job.seed) return job;
        if (job.verb === 'video' || !['imagine', 'button', 'blend'].includes(job.verb))
          throw refusal('unsupported_job', `task ${task.id} is ${task.action ?? 'unknown'}`, task, job.verb);
        if (job.status === 'failed' || job.status === 'cancelled')
          throw refusal('seed_failed', `task ${task.id} ended ${task.status}`, task);
        if (job.status !== 'completed')
          throw refusal('parent_not_completed', `task ${task.id} is ${task.status}`, task);
        // One call that may block up to ~60 s while the proxy asks Midjourney; the answer is the task's seed.
        return jobOfTask(task, await client.imageSeed(jobid, { signal }));
      });
    },
    // The proxy lists no running jobs.
    getExecutingJobs: async () => [],
    getAccounts: async () => [{ channel: PROXY_ACCOUNT }],
    async checkAccount(_account, probeJobid, options) {
      // No route tells whether the proxy has a usable account: asking for a waiting task's seed does. Any answer
      // but "no usable account" (a seed, not found yet, an unknown task) means one is back.
      if (!probeJobid) {
        await mapped(() => client.ping(options));
        return { held: false };
      }
      try {
        await mapped(() => client.imageSeed(probeJobid, options));
        return { held: false };
      } catch (error) {
        if (!isUpstreamError(error)) throw error;
        if (error.kind === 'account_unavailable') return { held: true };
        if (['network', 'timeout', 'unavailable', 'busy', 'unauthorized'].includes(error.kind)) throw error;
        return { held: false };
      }
    },
    // No reset route: the proxy's operator unlocks accounts in its admin page.
    callbackHint: proxyCallbackHint,
  };
}

/** A notifyHook body: the whole task, unsigned and possibly stale, so the core reads it again before using it. */
export function proxyCallbackHint(body: unknown) {
  const parsed = proxyTaskSchema.safeParse(body);
  return parsed.success ? { job: jobOfTask(parsed.data), confirm: true } : undefined;
}
