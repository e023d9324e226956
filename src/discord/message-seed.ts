// From a Discord message to the seed flow: shared by the "Get seed" context menu, `/seed` with a message link or id,
// and the paste-jobid modal. Every refusal here is a UserFacingError thrown before any upstream call; the router turns
// it into an ephemeral reply.

import {
  ActionRowBuilder,
  ButtonBuilder,
  ButtonStyle,
  type ChatInputCommandInteraction,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import { translator } from '../i18n/index.js';
import {
  checkTarget,
  gridSourceOf,
  knownSeedOf,
  type MessageClues,
  resolveJob,
  type TargetRefusal,
} from '../seed/lookup/resolve.js';
import { messageSeedKey } from '../seed/model/message-key.js';
import type { IndexEntry } from '../seed/model/types.js';
import { acknowledge, replyPrivately } from './acknowledge.js';
import { UserFacingError } from './errors.js';
import { assertSeedAccess } from './permissions.js';
import { runSeed, type SeedInteraction } from './seed-flow.js';
import type { CommandServices, InteractionScope } from './types.js';
import { upstreamWords } from './upstream-words.js';

export const PASTE_JOBID_PREFIX = 'paste-jobid';

const REFUSAL_KEYS = {
  not_midjourney: 'error.notMidjourney',
  video: 'error.video',
  no_image: 'error.noImage',
} as const satisfies Record<TargetRefusal, string>;

type MessageInteraction = MessageContextMenuCommandInteraction | ChatInputCommandInteraction;

/**
 * The message's job is not known: say why and offer to paste the jobid (checked against this message). (A seed written
 * in the prompt never gets here: the message's own image gives the rest of the answer.)
 */
async function replyUnknown(
  interaction: MessageInteraction,
  services: CommandServices,
  messageId: string,
  resolution: { contentHidden?: boolean | undefined },
) {
  const t = translator(interaction.locale);
  const why = t(resolution.contentHidden ? 'why.contentHidden' : 'why.notIndexed');
  const row = new ActionRowBuilder<ButtonBuilder>().addComponents(
    new ButtonBuilder()
      .setCustomId(`${PASTE_JOBID_PREFIX}:${messageId}`)
      .setLabel(t('button.pasteJobid'))
      .setStyle(ButtonStyle.Primary),
  );
  const content = t(upstreamWords(services.upstream).unknownMessage, { why });
  await replyPrivately(interaction, { content, components: [row] });
}

/** Check the message, check who asks, find its job, and run the seed flow (or offer the paste-jobid button). */
export async function seedFromMessage(
  interaction: MessageInteraction,
  services: CommandServices,
  scope: InteractionScope,
  clues: MessageClues,
  options: { ephemeral: boolean },
): Promise<void> {
  const refusal = checkTarget(clues, services.settings.seed.midjourneyBotIds, services.jobids);
  if (refusal) throw new UserFacingError(REFUSAL_KEYS[refusal]);
  // Past the checks that need no I/O: acknowledged before the index is read.
  await acknowledge(interaction, options.ephemeral);
  const resolution = await resolveJob(clues, services.index, services.jobids);
  // Access before the "unknown" answer: nobody is offered a button they may not use.
  assertSeedAccess(interaction, services.settings, { known: true, ownerId: resolution.ownerId });
  // The seed in the prompt and the message's own image: the whole answer, whatever the bot knows of its job.
  const grid = resolution.knownSeed && gridSourceOf(clues);
  const knownSeed = resolution.knownSeed && { ...resolution.knownSeed, channelId: clues.channelId, grid };
  if (!resolution.ok && knownSeed?.grid) {
    scope.log.info(
      { messageId: clues.id },
      'message job unknown; seed from its prompt, images from its grid',
    );
    await runSeed(interaction, services, scope, {
      jobid: messageSeedKey(clues.id),
      ephemeral: options.ephemeral,
      messageId: clues.id,
      knownSeed,
    });
    return;
  }
  if (!resolution.ok) {
    scope.log.info({ messageId: clues.id, contentHidden: resolution.contentHidden }, 'message job unknown');
    await replyUnknown(interaction, services, clues.id, resolution);
    return;
  }
  scope.log.debug(
    { messageId: clues.id, jobid: resolution.jobid, via: resolution.via },
    'message resolved to a job',
  );
  await runSeed(interaction, services, scope, {
    jobid: resolution.jobid,
    ephemeral: options.ephemeral,
    messageId: clues.id,
    knownSeed,
  });
}

/**
 * A job the index already knows (by message id or jobid): no need to read the message itself. A bare `{ jobid }` is a
 * jobid the index has never seen (its owner unknown).
 */
export async function seedFromEntry(
  interaction: SeedInteraction,
  services: CommandServices,
  scope: InteractionScope,
  entry: Pick<IndexEntry, 'jobid'> &
    Partial<Pick<IndexEntry, 'ownerId' | 'prompt' | 'messageId' | 'channel' | 'grid'>>,
  options: { ephemeral: boolean },
): Promise<void> {
  assertSeedAccess(interaction, services.settings, { known: true, ownerId: entry.ownerId });
  const knownSeed = knownSeedOf(entry.prompt);
  await runSeed(interaction, services, scope, {
    jobid: entry.jobid,
    ephemeral: options.ephemeral,
    messageId: entry.messageId,
    // With its own image stored too, the whole answer is known: nothing goes upstream.
    knownSeed: knownSeed && { ...knownSeed, channelId: entry.channel, grid: entry.grid },
  });
}
