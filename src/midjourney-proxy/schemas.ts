// zod schemas for every proxy body the client reads. The proxy serialises with System.Text.Json (camelCase, enums as
// strings, nulls written out) and adds fields between versions, so: unknown keys are dropped, an absent, null or
// mistyped field we only pass along reads as undefined. Strict where we depend on it: the task id, its status (one
// of the documented strings), a seed (an unsigned 32-bit integer, sent as a string or a number), image URLs.
import { z } from 'zod';
import { lenientId, lenientString, optionalNumber } from '../lib/lenient-fields.js';
import type { ProxyButton, ProxyImage, ProxyTask, ProxyTaskProperties, ProxyTaskStatus } from './port.js';

const TASK_STATUSES = [
  'NOT_START',
  'SUBMITTED',
  'MODAL',
  'IN_PROGRESS',
  'SUCCESS',
  'FAILURE',
  'CANCEL',
] as const satisfies readonly ProxyTaskStatus[];

/** The proxy writes "" for what it has not filled: that reads as absent. */
const optionalString = lenientString({ emptyIsAbsent: true });
const optionalId = lenientId({ emptyIsAbsent: true });

const MAX_SEED = 4_294_967_295;

/** A Midjourney seed as the proxy stores it (a string), or as a number. */
export const seedValueSchema = z
  .union([
    z
      .string()
      .trim()
      .regex(/^\d{1,10}$/, 'a seed is 1 to 10 digits'),
    z.int(),
  ])
  .transform((v) => Number(v))
  .pipe(z.int().min(0).max(MAX_SEED));

/** The task's seed: absent, null or empty until known; anything else must be a seed. */
const taskSeedSchema = z
  .union([z.literal(''), z.null(), z.undefined(), seedValueSchema])
  .transform((v) => (typeof v === 'number' ? v : undefined));

const imageSchema = z
  .object({ url: z.string().min(1), thumbnail: optionalString })
  .transform((i): ProxyImage => ({ url: i.url, thumbnail: i.thumbnail }));

const buttonSchema = z
  .object({ customId: z.string(), label: optionalString, emoji: optionalString })
  .transform((b): ProxyButton => ({ customId: b.customId, label: b.label, emoji: b.emoji }));

/** An array whose malformed entries are dropped rather than failing the whole task. */
const lenientArray = <T>(item: z.ZodType<T>) =>
  z
    .array(z.unknown())
    .nullish()
    .catch(undefined)
    .transform((values) =>
      (values ?? []).flatMap((value) => {
        const parsed = item.safeParse(value);
        return parsed.success ? [parsed.data] : [];
      }),
    );

const KNOWN_PROPERTIES = [
  'messageHash',
  'messageId',
  'discordInstanceId',
  'discordChannelId',
  'finalPrompt',
  'notifyHook',
  'botType',
  'messageContent',
] as const;

const propertiesSchema = z
  .record(z.string(), z.unknown())
  .nullish()
  .catch(undefined)
  .transform((raw): ProxyTaskProperties => {
    const all = raw ?? {};
    const extra: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(all)) {
      if (!(KNOWN_PROPERTIES as readonly string[]).includes(key)) extra[key] = value;
    }
    const read = (key: (typeof KNOWN_PROPERTIES)[number]) => optionalId.parse(all[key]);
    return {
      messageHash: read('messageHash'),
      messageId: read('messageId'),
      discordInstanceId: read('discordInstanceId'),
      discordChannelId: read('discordChannelId'),
      finalPrompt: read('finalPrompt'),
      notifyHook: read('notifyHook'),
      botType: read('botType'),
      messageContent: read('messageContent'),
      extra,
    };
  });

/** A task: the body of `fetch`, of a notifyHook callback, an entry of `list-by-ids`. */
export const proxyTaskSchema = z
  .object({
    id: z.union([z.string().regex(/^\d+$/, 'a task id is digits'), z.int().nonnegative()]).transform(String),
    status: z.enum(TASK_STATUSES),
    action: optionalString,
    parentId: optionalId,
    botType: optionalString,
    prompt: optionalString,
    promptEn: optionalString,
    promptFull: optionalString,
    description: optionalString,
    state: optionalString,
    submitTime: optionalNumber,
    startTime: optionalNumber,
    finishTime: optionalNumber,
    progress: optionalString,
    failReason: optionalString,
    imageUrl: optionalString,
    imageUrls: lenientArray(imageSchema),
    thumbnailUrl: optionalString,
    buttons: lenientArray(buttonSchema),
    messageId: optionalId,
    messageIds: lenientArray(z.union([z.string().min(1), z.number()]).transform(String)),
    instanceId: optionalId,
    nonce: optionalId,
    jobId: optionalString,
    seed: taskSeedSchema,
    seedError: optionalString,
    seedMessageId: optionalId,
    mode: optionalString,
    properties: propertiesSchema,
  })
  .transform((t): ProxyTask => ({ ...t }));

/** `fetch`: the task, or nothing (the proxy answers 204 for an unknown id; `null` is read the same). */
export const fetchedTaskSchema = z.union([z.null(), proxyTaskSchema]);

/** `list-by-ids`: an array of tasks. */
export const taskListSchema = z.array(proxyTaskSchema);

/** `{code, description, result, properties}` of the submit and seed routes. `result` is checked per code. */
export const envelopeSchema = z.object({
  code: z.int(),
  description: optionalString,
  result: z.unknown().optional(),
  properties: z.record(z.string(), z.unknown()).nullish().catch(undefined),
});
export type Envelope = z.infer<typeof envelopeSchema>;
