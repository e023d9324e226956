// zod schemas for every useapi body the client reads. Lenient where we do not depend on a field (unknown keys
// are dropped, a malformed optional field becomes undefined), strict where we do (jobid, status, seed.value,
// attachment url + filename). Each schema outputs the camelCase domain types of port.ts.
import { z } from 'zod';
import { lenientId, lenientString, optionalNumber } from '../lib/lenient-fields.js';
import type { Attachment, Job, JobChild, JobStatus, MidjourneyAccount, SeedInfo } from './port.js';

const JOB_STATUSES = [
  'created',
  'started',
  'progress',
  'completed',
  'moderated',
  'failed',
  'cancelled',
] as const satisfies readonly JobStatus[];

/** An empty string useapi sends is kept as it is. */
const optionalString = lenientString({ emptyIsAbsent: false });
const optionalId = lenientId({ emptyIsAbsent: false });

const jobStatusSchema = z.enum(JOB_STATUSES);

const attachmentSchema = z
  .object({
    id: optionalId,
    url: z.string().min(1),
    proxy_url: optionalString,
    width: optionalNumber,
    height: optionalNumber,
    size: optionalNumber,
    filename: z.string().min(1),
    content_type: optionalString,
  })
  .transform(
    (a): Attachment => ({
      id: a.id ?? '',
      url: a.url,
      proxyUrl: a.proxy_url,
      width: a.width,
      height: a.height,
      size: a.size,
      filename: a.filename,
      contentType: a.content_type,
    }),
  );

const attachmentsSchema = z
  .array(attachmentSchema)
  .nullish()
  .transform((v) => v ?? []);

const jobChildSchema = z
  .object({ button: z.string(), jobid: z.string().min(1), messageId: optionalString })
  .transform((c): JobChild => ({ button: c.button, jobid: c.jobid, messageId: c.messageId }));

/** Midjourney seeds are unsigned 32-bit integers. */
const seedValueSchema = z.int().min(0).max(4_294_967_295);

const seedSchema = z
  .object({ value: seedValueSchema, content: optionalString, attachments: attachmentsSchema })
  .transform((s): SeedInfo => ({ value: s.value, content: s.content, attachments: s.attachments }));

/** The vendor "Model": poll response, callback body, seed_async answer. */
export const jobSchema = z
  .object({
    jobid: z.string().min(1),
    verb: z.string().min(1),
    status: jobStatusSchema,
    parentJobId: optionalString,
    created: optionalString,
    updated: optionalString,
    prompt: optionalString,
    content: optionalString,
    channel: optionalId,
    server: optionalId,
    messageId: optionalId,
    timestamp: optionalString,
    replyRef: optionalString,
    attachments: attachmentsSchema,
    children: z
      .array(jobChildSchema)
      .nullish()
      .transform((v) => v ?? []),
    seed: seedSchema.nullish().transform((v) => v ?? undefined),
    error: optionalString,
    errorDetails: optionalString,
    code: optionalNumber,
  })
  .transform(
    (j): Job => ({
      jobid: j.jobid,
      verb: j.verb,
      status: j.status,
      parentJobId: j.parentJobId,
      created: j.created,
      updated: j.updated,
      prompt: j.prompt,
      content: j.content,
      channel: j.channel,
      server: j.server,
      messageId: j.messageId,
      timestamp: j.timestamp,
      replyRef: j.replyRef,
      attachments: j.attachments,
      children: j.children,
      seed: j.seed,
      error: j.error,
      errorDetails: j.errorDetails,
      code: j.code,
    }),
  );

/** Either answer of POST /jobs/seed_async; anything else is a bad response. */
export const seedAsyncResponseSchema = jobSchema.refine(
  (j) => j.verb === 'seed_async' || j.seed !== undefined,
  {
    message: 'seed_async answered a job that is neither a seed job nor carries a seed',
  },
);

/** `{error, code, ...}` of any non-2xx answer; a 596 may also be a whole failed job. */
export const errorBodySchema = z.object({
  error: optionalString,
  code: optionalNumber,
  errorDetails: optionalString,
  executingJobs: z.array(z.string()).optional().catch(undefined),
  channel: optionalId,
  jobid: optionalString,
});
export type ErrorBody = z.infer<typeof errorBodySchema>;

/** GET /jobs: jobids currently executing (an entry given as a job object is read for its jobid). */
export const executingJobsSchema = z.array(
  z.union([z.string().min(1), z.object({ jobid: z.string().min(1) }).transform((j) => j.jobid)]),
);

/** GET /account/midjourney/<channel>. `channel` may be absent: the caller knows which one it asked for. */
const accountBodySchema = z
  .object({
    channel: optionalId,
    discord: z
      .string()
      .nullish()
      .transform((v) => v ?? '')
      .catch(''),
    maxJobs: optionalNumber,
    pendingModMessage: optionalString,
  })
  .transform((a) => ({
    channel: a.channel,
    discord: a.discord,
    maxJobs: a.maxJobs,
    // An empty string means "nothing pending".
    pendingModMessage: a.pendingModMessage === '' ? undefined : a.pendingModMessage,
  }));

export const accountSchema = (channel: string) =>
  accountBodySchema.transform((a): MidjourneyAccount => ({ ...a, channel: a.channel ?? channel }));

/** GET /account/midjourney: an object keyed by channel id. */
export const accountMapSchema = z
  .record(z.string(), accountBodySchema)
  .transform((map): MidjourneyAccount[] =>
    Object.entries(map).map(([key, a]) => ({ ...a, channel: a.channel ?? key })),
  );
