// Acknowledge first: an interaction that may need storage, useapi or a Discord fetch is deferred before any of it,
// with its privacy decided up front, so a slow store or a REST bucket wait can never cost Discord's 3 s.
import {
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  MessageFlags,
  type RepliableInteraction,
} from 'discord.js';
import { translator } from '../i18n/index.js';

export async function acknowledge(interaction: RepliableInteraction, ephemeral: boolean): Promise<void> {
  if (interaction.deferred || interaction.replied) return;
  await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
}

type PrivateBody = Pick<
  InteractionReplyOptions & InteractionEditReplyOptions,
  'content' | 'embeds' | 'components'
>;

/**
 * An answer only the member sees: a refusal, an "I don't know this message". After a public deferral, Discord applies
 * the first follow-up to the deferred message itself, with the deferral's visibility (its ephemeral flag is ignored):
 * an ephemeral follow-up sent straight away would land in the channel. So the public "thinking…" message is settled
 * first (a neutral edit), which makes the next follow-up a message of its own; the private answer goes as that
 * follow-up, and the public message is deleted, so the channel keeps no trace. The answer goes before the delete:
 * if the delete fails, the channel keeps a neutral line and the member still has the answer.
 */
export async function replyPrivately(interaction: RepliableInteraction, body: PrivateBody): Promise<void> {
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
    return;
  }
  if (interaction.ephemeral) {
    await interaction.editReply({ ...body, components: body.components ?? [] });
    return;
  }
  // Only a deferral makes the first follow-up special; a message already sent (reply, update) leaves it independent.
  if (interaction.deferred) {
    const t = translator(interaction.locale);
    await interaction.editReply({ content: t('reply.answeredPrivately'), embeds: [], components: [] });
  }
  await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  await interaction.deleteReply();
}
