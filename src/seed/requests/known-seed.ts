// A request may come with its seed already known (`--seed N` in the message's prompt, and maybe its own grid): the
// scheduler stores that answer before the request, and the runner shows it at once.
import type { KnownSeed, SeedRecord, SeedRequest } from '../model/types.js';

export interface NewRequest
  extends Omit<SeedRequest, 'state' | 'createdAt' | 'updatedAt' | 'attempts' | 'deliveredVia' | 'lastError'> {
  /**
   * A seed already known from the message (`--seed N` in the prompt): answered at once, images follow. With the
   * message's own image (`grid`), everything is known: the four images are cut from it and nothing goes upstream.
   */
  knownSeed?: KnownSeed | undefined;
}

/** The answer a message gives by itself: the seed written in its prompt, the images of its own grid. */
export const promptRecord = (
  request: Pick<SeedRequest, 'jobid' | 'messageId' | 'guildId' | 'channelId'>,
  known: KnownSeed,
  at: number,
): SeedRecord => ({
  jobid: request.jobid,
  seed: known.seed,
  prompt: known.prompt,
  messageId: request.messageId,
  server: request.guildId,
  channel: known.channelId ?? request.channelId,
  images: [],
  grid: known.grid,
  retrievedAt: at,
  source: 'prompt',
});
