// From a finished job to the stored SeedRecord: the seed and the four images, plus the parent's message for the jump
// link when the seed job itself does not say it.
import type { Logger } from 'pino';
import { UpstreamError } from '../errors.js';
import { type JobIndex, promptOf } from '../lookup/job-index.js';
import { seedJobVerb, type Upstream, type UpstreamJob } from '../upstream.js';
import { ownImageOf } from './own-image.js';
import type { ImageMeta, SeedRecord } from './types.js';

/** Which upstream a record comes from, and how it reads a job's account. */
export type RecordSource = Pick<Upstream, 'name' | 'jobids'>;

export function recordFrom(
  parentJobid: string,
  job: UpstreamJob,
  seedJobId: string | undefined,
  at: number,
  source: RecordSource,
): SeedRecord {
  const seed = job.seed;
  if (!seed)
    throw new UpstreamError('bad_response', 'completed seed job without a seed', {
      jobid: job.jobid,
      source: source.name,
    });
  const images: ImageMeta[] = seed.attachments.slice(0, 4).map((a) => ({
    url: a.url,
    filename: a.filename,
    width: a.width,
    height: a.height,
    size: a.size,
    contentType: a.contentType,
  }));
  const own = job.verb !== seedJobVerb;
  // An upstream that gives the seed alone (a midjourney-proxy without its EnableFillOfficialCdn): the job's own image,
  // its grid, is cut into the four images on delivery.
  const grid = own && images.length === 0 ? ownImageOf(job) : undefined;
  return {
    jobid: parentJobid,
    seed: seed.value,
    prompt: own ? (job.prompt ?? promptOf(job.content)) : promptOf(seed.content),
    seedJobId,
    server: own ? job.server : undefined,
    channel: own ? job.channel : undefined,
    messageId: own ? job.messageId : undefined,
    accountChannel: source.jobids.accountOf(parentJobid) ?? job.channel,
    images,
    grid,
    retrievedAt: at,
    source: source.name,
  };
}

/** The record with its parent's server, channel and message filled in (read again, and kept as long as the seed). */
export async function withParentMessage(
  record: SeedRecord,
  deps: { index: JobIndex; getJob: Upstream['getJob'] },
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
