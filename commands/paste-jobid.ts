// "Paste the jobid" on an unknown message: the button opens a modal; the pasted jobid is checked with GET /jobs (its
// messageId must be the message the member pointed at), stored in the index, and the seed flow runs.
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
import { assertMayAsk, assertSeedAccess, PASTE_JOBID_PREFIX } from '../src/discord/message-seed.js';
import { runSeed } from '../src/discord/seed-flow.js';
import type { ComponentHandler } from '../src/discord/types.js';
import { translator } from '../src/i18n/index.js';
import { ownerOf } from '../src/seed/job-index.js';
import { isVideoJobid } from '../src/seed/jobid.js';
import { knownSeedOf } from '../src/seed/resolve.js';

const FIELD = 'jobid';
const SEEDABLE = new Set(['imagine', 'button', 'blend']);
const SNOWFLAKE = /^\d{17,20}$/;

function targetOf(args: string[]): string {
  const [messageId = ''] = args;
  if (!SNOWFLAKE.test(messageId)) throw new Error(`malformed ${PASTE_JOBID_PREFIX} custom id`);
  return messageId;
}

export const pasteJobidHandler = {
  prefix: PASTE_JOBID_PREFIX,
  async button(interaction: ButtonInteraction, ctx, args) {
    const messageId = targetOf(args);
    assertMayAsk(interaction, ctx);
    const t = translator(interaction.locale);
    const modal = new ModalBuilder()
      .setCustomId(`${PASTE_JOBID_PREFIX}:${messageId}`)
      .setTitle(t('modal.title'))
      .addLabelComponents(
        new LabelBuilder()
          .setLabel(t('modal.label'))
          .setTextInputComponent(
            new TextInputBuilder()
              .setCustomId(FIELD)
              .setStyle(TextInputStyle.Short)
              .setPlaceholder('job:20241218021941022-user:1308-channel:…')
              .setMinLength(20)
              .setMaxLength(1000)
              .setRequired(true),
          ),
      );
    await interaction.showModal(modal);
  },
  async modal(interaction: ModalSubmitInteraction, ctx, args) {
    const messageId = targetOf(args);
    const pasted = interaction.fields.getTextInputValue(FIELD);
    const parsed = pastedJobid(pasted);
    if (!parsed) throw new UserFacingError(jobInputProblem(pasted, 'error.pastedNotJobid'));
    if (isVideoJobid(parsed.jobid)) throw new UserFacingError('error.video');
    assertMayAsk(interaction, ctx);
    // The check reads the job upstream (GET, never seed_async) and may take a while: acknowledge first.
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const job = await ctx.useapi.getJob(parsed.jobid);
    const otherGuild =
      job.server !== undefined && interaction.guildId !== null && job.server !== interaction.guildId;
    if (job.messageId !== messageId || otherGuild) {
      ctx.log.info(
        { messageId, jobMessageId: job.messageId, jobid: job.jobid },
        'pasted jobid does not match',
      );
      throw new UserFacingError('error.jobidMismatch');
    }
    assertSeedAccess(interaction, ctx, { known: true, ownerId: ownerOf(job.content) });
    if (!SEEDABLE.has(job.verb)) {
      throw new UserFacingError(job.verb.includes('video') ? 'error.video' : 'error.unsupported', {
        verb: job.verb,
      });
    }
    if (job.status !== 'completed') throw new UserFacingError('error.notFinished');
    // Right-click works on this message from now on, for everyone.
    await ctx.index.recordJob(job);
    const knownSeed = knownSeedOf(job.content) ?? knownSeedOf(job.prompt);
    await runSeed(interaction, ctx, {
      jobid: job.jobid,
      ephemeral: true,
      messageId,
      knownSeed: knownSeed && { ...knownSeed, channelId: job.channel },
    });
  },
} satisfies ComponentHandler;
