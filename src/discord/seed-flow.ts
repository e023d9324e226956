// The one core call shared by /seed, the "Get seed" context menu and the paste-jobid modal: check the member's
// limit, acknowledge, store the request and hand it to the processor. The answer arrives through the notifier.
import type {
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageContextMenuCommandInteraction,
  ModalSubmitInteraction,
} from 'discord.js';
import type { NewRequest } from '../seed/requests/processor.js';
import { acknowledge } from './acknowledge.js';
import { UserFacingError } from './errors.js';
import type { CommandServices, InteractionScope } from './types.js';

export type SeedInteraction =
  | ChatInputCommandInteraction
  | MessageContextMenuCommandInteraction
  | ModalSubmitInteraction
  | ButtonInteraction;

export interface SeedTarget {
  jobid: string;
  ephemeral: boolean;
  /** The Discord message the job belongs to, when the member pointed at one. */
  messageId?: string | undefined;
  /**
   * `--seed N` already in the prompt: answered at once, images follow. `channelId`: the message's channel; `grid`: the
   * message's image, cut into the four images (then nothing goes upstream).
   */
  knownSeed?: NewRequest['knownSeed'];
}

export async function runSeed(
  interaction: SeedInteraction,
  services: CommandServices,
  scope: InteractionScope,
  target: SeedTarget,
): Promise<void> {
  // Acknowledged before the cache or the limiter is read (the callers that read more defer earlier still).
  await acknowledge(interaction, target.ephemeral);
  // A stored seed beats the one in the prompt when it has images to show (its own four, or a grid to cut).
  const stored = await services.seeds.cached(target.jobid);
  const cached =
    stored && (stored.images.length > 0 || stored.grid || !target.knownSeed?.grid) ? stored : undefined;
  if (cached) services.metrics.cacheHits.inc();
  else {
    const allowed = await services.limiter.take(interaction.user.id);
    if (!allowed.ok)
      throw new UserFacingError('error.rateLimited', { seconds: Math.ceil(allowed.retryInMs / 1000) });
  }
  await services.requests.accept({
    id: interaction.id,
    correlationId: scope.cid,
    jobid: target.jobid,
    accountChannel: services.jobids.accountOf(target.jobid),
    applicationId: interaction.applicationId,
    interactionToken: interaction.token,
    guildId: interaction.guildId ?? undefined,
    channelId: interaction.channelId ?? undefined,
    userId: interaction.user.id,
    locale: interaction.locale,
    ephemeral: target.ephemeral,
    messageId: target.messageId,
    knownSeed: cached ? undefined : target.knownSeed,
  });
}
