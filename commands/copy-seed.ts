// "Copy prompt with seed" on a seed reply: a private, plain-text answer with the prompt and `--seed N` ready to paste
// into /imagine. It reads the stored seed record only (keyed by the parent jobid in the button's custom id), so it
// works for anyone who can see the reply, after restarts, and never calls the upstream.
import { type ButtonInteraction, MessageFlags } from 'discord.js';
import { UserFacingError } from '../src/discord/errors.js';
import { COPY_SEED_PREFIX, copySeedReply } from '../src/discord/replies.js';
import type { ComponentHandler } from '../src/discord/types.js';
import { isMessageSeedKey } from '../src/seed/model/message-key.js';

export const copySeedButton = {
  prefix: COPY_SEED_PREFIX,
  async button(interaction: ButtonInteraction, services, _scope, args) {
    // The router splits the custom id on ':', which jobids contain.
    const jobid = args.join(':');
    if (!services.jobids.parse(jobid) && !isMessageSeedKey(jobid))
      throw new Error(`malformed ${COPY_SEED_PREFIX} custom id`);
    await interaction.deferReply({ flags: MessageFlags.Ephemeral });
    const record = await services.seeds.cached(jobid);
    if (!record) throw new UserFacingError('copy.gone');
    const { content, file } = copySeedReply(record);
    await interaction.editReply({
      content,
      files: file ? [{ attachment: file.data, name: file.name }] : [],
      // A prompt may hold links and text that looks like mentions: nothing of it pings or unfurls.
      allowedMentions: { parse: [] },
      flags: MessageFlags.SuppressEmbeds,
    });
  },
} satisfies ComponentHandler;
