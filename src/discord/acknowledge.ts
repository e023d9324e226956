// Acknowledge first: an interaction that may need storage, useapi or a Discord fetch is deferred before any of it,
// with its privacy decided up front, so a slow store or a REST bucket wait can never cost Discord's 3 s.
import {
  type InteractionEditReplyOptions,
  type InteractionReplyOptions,
  MessageFlags,
  type RepliableInteraction,
} from 'discord.js';

export async function acknowledge(interaction: RepliableInteraction, ephemeral: boolean): Promise<void> {
  if (interaction.deferred || interaction.replied) return;
  await interaction.deferReply(ephemeral ? { flags: MessageFlags.Ephemeral } : {});
}

type PrivateBody = Pick<
  InteractionReplyOptions & InteractionEditReplyOptions,
  'content' | 'embeds' | 'components'
>;

/**
 * An answer only the member sees: a refusal, an "I don't know this message". After a public deferral it goes as an
 * ephemeral follow-up, and the public "thinking…" message is deleted, so the channel keeps no trace of it.
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
  await interaction.followUp({ ...body, flags: MessageFlags.Ephemeral });
  await interaction.deleteReply();
}
