// From a finished job to the stored SeedRecord: the seed and the four images, plus the parent's message for the jump
// link when the seed job itself does not say it.
import type { Logger } from 'pino';
import { UseapiError } from '../../useapi/errors.js';
import type { Job, UseapiClient } from '../../useapi/port.js';
import { type JobIndex, promptOf } from '../lookup/job-index.js';
import { channelOfJobid } from './jobid.js';
import type { ImageMeta, SeedRecord } from './types.js';

export function recordFrom(
  parentJobid: string,
  job: Job,
  seedJobId: string | undefined,
  at: number,
): SeedRecord {
  const seed = job.seed;
  if (!seed) throw new UseapiError('bad_response', 'completed seed job without a seed', { jobid: job.jobid });
  const images: ImageMeta[] = seed.attachments.slice(0, 4).map((a) => ({
    url: a.url,
    filename: a.filename,
    width: a.width,
    height: a.height,
    size: a.size,
    contentType: a.contentType,
  }));
  const own = job.verb !== 'seed_async';
  return {
    jobid: parentJobid,
    seed: seed.value,
    prompt: own ? (job.prompt ?? promptOf(job.content)) : promptOf(seed.content),
    seedJobId,
    server: own ? job.server : undefined,
    channel: own ? job.channel : undefined,
    messageId: own ? job.messageId : undefined,
    accountChannel: channelOfJobid(parentJobid) ?? job.channel,
    images,
    retrievedAt: at,
    source: 'useapi',
  };
}

/** The record with its parent's server, channel and message filled in (read again, and kept as long as the seed). */
export async function withParentMessage(
  record: SeedRecord,
  deps: { index: JobIndex; getJob: UseapiClient['getJob'] },
  signal: AbortSignal | undefined,
  log: Logger,
): Promise<SeedRecord> {
  if (record.messageId) return record;
  const known = await deps.index.byJobid(record.jobid);
  let parent = known;
  try {
    parent = await deps.index.recordJob(await deps.getJob(record.jobid, { signal }), { hasSeed: true });
  } catch (error) {
    // The jump link is a nicety; the seed is what matters.
    log.debug({ err: error, jobid: record.jobid }, 'could not read the parent job');
  }
  if (!parent) return record;
  return {
    ...record,
    server: parent.server,
    channel: parent.channel,
    messageId: parent.messageId,
    prompt: record.prompt ?? parent.prompt,
  };
}
