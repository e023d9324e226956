// "Paste the jobid" on an unknown message: the button opens a modal; the core checks the pasted jobid against
// the upstream's job and records it in the index (src/seed/lookup/verify-jobid.ts), and the seed flow runs.
import {
  type ButtonInteraction,
  LabelBuilder,
  MessageFlags,
  ModalBuilder,
  type ModalSubmitInteraction,
  TextInputBuilder,
  TextInputStyle,
} from 'discord.js';
import { UserFacingError } from '../src/discord/errors.js';
import { jobInputProblem, pastedJobid } from '../src/discord/job-input.js';
import { PASTE_JOBID_PREFIX } from '../src/discord/message-seed.js';
import { assertMayAsk, assertSeedAccess } from '../src/discord/permissions.js';
import { runSeed } from '../src/discord/seed-flow.js';
import type { ComponentHandler } from '../src/discord/types.js';
import { upstreamWords } from '../src/discord/upstream-words.js';
import { translator } from '../src/i18n/index.js';
import type { PastedJobid } from '../src/seed/lookup/verify-jobid.js';
import { isSnowflake } from '../src/snowflake.js';

const FIELD = 'jobid';

function targetOf(args: string[]): string {
  const [messageId = ''] = args;
  if (!isSnowflake(messageId)) throw new Error(`malformed ${PASTE_JOBID_PREFIX} custom id`);
  return messageId;
}

export const pasteJobidHandler = {
  prefix: PASTE_JOBID_PREFIX,
  async button(interaction: ButtonInteraction, services, _scope, args) {
    const messageId = targetOf(args);
    assertMayAsk(interaction, services.settings);
    const t = translator(interaction.locale);
    const words = upstreamWords(services.upstream);
    const modal = new ModalBuilder()
      .setCustomId(`${PASTE_JOBID_PREFIX}:${messageId}`)
      .setTitle(t(words.modalTitle))
      .addLabelComponents(
        new LabelBuilder().setLabel(t('modal.label')).setTextInputComponent(
          new TextInputBuilder()
            .setCustomId(FIELD)
            .setStyle(TextInputStyle.Short)
            .setPlaceholder(words.placeholder)
            // A proxy's task id is 16 characters; useapi's jobids are longer.
            .setMinLength(16)
            .setMaxLength(1000)
            .setRequired(true),
        ),
      );
    await interaction.showModal(modal);
  },
  async modal(interaction: ModalSubmitInteraction, services, scope, args) {
    const messageId = targetOf(args);
    const pasted = interaction.fields.getTextInputValue(FIELD);
    const parsed = pastedJobid(pasted, services.jobids);
    if (!parsed)
      throw new UserFacingError(
        jobInputProblem(pasted, upstreamWords(services.upstream).pastedNotJobid, services.jobids),
      );
    if (services.jobids.isVideo(parsed.jobid)) throw new UserFacingError('error.video');
    assertMayAsk(interaction, services.settings);
    // The check reads the job upstream (GET, never seed_async) and may take a while: acknowledge first.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const pastedJob = await services.verifyJobid(parsed.jobid, {
      messageId,
      guildId: interaction.guildId ?? undefined,
      authorize: (ownerId) => assertSeedAccess(interaction, services.settings, { known: true, ownerId }),
    });
    if (!pastedJob.ok) throw refusal(pastedJob);
    await runSeed(interaction, services, scope, {
      jobid: pastedJob.jobid,
      ephemeral: true,
      messageId,
      knownSeed: pastedJob.knownSeed,
    });
  },
} satisfies ComponentHandler;

function refusal(result: Extract<PastedJobid, { ok: false }>): UserFacingError {
  switch (result.problem) {
    case 'mismatch':
      return new UserFacingError('error.jobidMismatch');
    case 'not_finished':
      return new UserFacingError('error.notFinished');
    case 'video':
      return new UserFacingError('error.video', { verb: result.verb });
    case 'unsupported':
      return new UserFacingError('error.unsupported', { verb: result.verb });
  }
}
