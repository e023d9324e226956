// The schemas of what the core stores. A record is parsed when it is read: the process reading it may be newer or
// older than the one that wrote it (a rolling deploy on a shared Redis). Objects are loose, so a field a newer version
// added survives an older version's read-modify-write; a record that does not fit reads as absent.
import { z } from 'zod';
import type {
  FlightMarker,
  GridSource,
  Hold,
  ImageMeta,
  IndexEntry,
  RecentJob,
  ResetAudit,
  SeedRecord,
  SeedRequest,
} from './types.js';

const optString = z.string().optional();
const optNumber = z.number().optional();

const imageSchema = z.looseObject({
  url: z.string(),
  filename: z.string(),
  width: optNumber,
  height: optNumber,
  size: optNumber,
  contentType: optString,
}) satisfies z.ZodType<ImageMeta>;

const gridSchema = imageSchema.extend({ kind: z.enum(['grid', 'single']) }) satisfies z.ZodType<GridSource>;

export const seedRecordSchema = z.looseObject({
  jobid: z.string(),
  seed: z.number(),
  prompt: optString,
  seedJobId: optString,
  server: optString,
  channel: optString,
  messageId: optString,
  accountChannel: optString,
  images: z.array(imageSchema),
  // Absent in records written before grids were cut.
  grid: gridSchema.optional(),
  retrievedAt: z.number(),
  source: z.enum(['useapi', 'midjourney-proxy', 'prompt']),
}) satisfies z.ZodType<SeedRecord>;

export const indexEntrySchema = z.looseObject({
  jobid: z.string(),
  verb: optString,
  status: optString,
  server: optString,
  channel: optString,
  messageId: optString,
  messageIds: z.array(z.string()).optional().catch(undefined),
  prompt: optString,
  parentJobId: optString,
  button: optString,
  ownerId: optString,
  children: z.array(z.looseObject({ button: z.string(), jobid: z.string(), messageId: optString })),
  uuids: z.array(z.string()),
  seen: z.number(),
  created: optNumber,
  grid: gridSchema.optional().catch(undefined),
}) satisfies z.ZodType<IndexEntry>;

export const seedRequestSchema = z.looseObject({
  id: z.string(),
  correlationId: z.string(),
  jobid: z.string(),
  accountChannel: optString,
  applicationId: z.string(),
  interactionToken: z.string(),
  guildId: optString,
  channelId: optString,
  userId: z.string(),
  locale: z.string(),
  ephemeral: z.boolean(),
  messageId: optString,
  state: z.enum(['accepted', 'queued', 'held', 'running', 'delivering', 'done', 'failed']),
  seedJobId: optString,
  createdAt: z.number(),
  updatedAt: z.number(),
  attempts: z.number(),
  lastError: optString,
  deliveredVia: z.enum(['edit', 'channel', 'dm', 'none']).optional(),
}) satisfies z.ZodType<SeedRequest>;

export const holdSchema = z.looseObject({
  channel: z.string(),
  since: z.number(),
  moderationText: optString,
  alertMessageId: optString,
  alertChannelId: optString,
  incidentId: z.string(),
}) satisfies z.ZodType<Hold>;

export const resetAuditsSchema = z.array(
  z.looseObject({
    channel: z.string(),
    by: z.string(),
    at: z.number(),
    result: z.enum(['ok', 'still_pending', 'unauthorized', 'not_found', 'error']),
    incidentId: optString,
  }),
) satisfies z.ZodType<ResetAudit[]>;

export const lastErrorSchema = z.looseObject({ kind: z.string(), at: z.number() }) satisfies z.ZodType<{
  kind: string;
  at: number;
}>;

export const flightMarkerSchema = z.looseObject({ seedJobId: optString }) satisfies z.ZodType<FlightMarker>;

export const recentJobsSchema = z.array(
  z.looseObject({
    jobid: z.string(),
    prompt: optString,
    messageId: optString,
    ownerId: optString,
    seen: z.number(),
  }),
) satisfies z.ZodType<RecentJob[]>;
