// What Midjourney leaves behind, for the fakes: a completed imagine job at useapi and the message Midjourney's bot
// posts for it in Discord. One place builds both, so tests, the demo and the benchmark agree on their shape.
import type { FakeDiscord, FakeMessage } from './fake-discord.js';
import type { FakeJob, FakeUseapi } from './fake-useapi.js';

export const MIDJOURNEY_BOT_ID = '936929561302675456';

let sequence = 0;
/** A snowflake-shaped id that is unique within this process. */
const uniqueMessageId = (): string =>
  `7${Date.now()}${(sequence++).toString().padStart(4, '0')}`.slice(0, 19);

/** `**<prompt>** - <@user> (fast)`, as Midjourney writes a grid. */
export const gridContent = (prompt: string, ownerId: string): string =>
  `**${prompt}** - <@${ownerId}> (fast)`;

export interface ImagineJobInput {
  /** The Midjourney account's channel at useapi (part of the jobid). */
  accountChannel: string;
  guildId: string;
  ownerId: string;
  prompt?: string;
  seedValue?: number | undefined;
  messageId?: string;
}

/** A completed imagine job, as useapi holds it. */
export function addImagineJob(useapi: FakeUseapi, input: ImagineJobInput): FakeJob {
  const messageId = input.messageId ?? uniqueMessageId();
  const prompt = input.prompt ?? `a lighthouse at dusk ${messageId}`;
  return useapi.addJob({
    verb: 'imagine',
    channel: input.accountChannel,
    server: input.guildId,
    messageId,
    prompt,
    content: gridContent(prompt, input.ownerId),
    seedValue: input.seedValue,
  });
}

/** The message Midjourney's bot posted for `job` in `channelId`. */
export function midjourneyMessage(
  discord: FakeDiscord,
  job: FakeJob,
  where: { channelId: string; guildId: string; ownerId: string; filename?: string; grid?: Buffer },
): FakeMessage {
  const prompt = String(job.prompt ?? '');
  return discord.makeMessage({
    id: String(job.messageId),
    channelId: where.channelId,
    guildId: where.guildId,
    author: { id: MIDJOURNEY_BOT_ID, username: 'Midjourney Bot', bot: true },
    content: gridContent(prompt, where.ownerId),
    attachments: [
      {
        filename:
          where.filename ??
          job.attachments[0]?.filename ??
          `member_${prompt.replace(/\W+/g, '_')}_${crypto.randomUUID()}.png`,
        content_type: 'image/png',
        // A real image (the fake CDN serves it) when the test cuts the grid; a placeholder otherwise.
        ...(where.grid ? { data: where.grid } : {}),
      },
    ],
  });
}
