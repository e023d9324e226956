// /midjourney status | reset channel:<channel>, and the buttons of the reset workflow (moderators only).
// Discord hides the command from members without Manage Server, but that is a default a server can change: every
// command and every button checks the member again here, before anything is sent upstream.
import {
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from 'discord.js';
import { UserFacingError } from '../src/discord/errors.js';
import {
  CANCEL_BUTTON,
  CONFIRM_BUTTON,
  confirmReply,
  RESET_BUTTON,
  resetOutcomeText,
  resetWorkingText,
  statusReply,
} from '../src/discord/mod-replies.js';
import { isModeratorAsker } from '../src/discord/permissions.js';
import type { CommandServices, ComponentHandler, SlashCommand } from '../src/discord/types.js';
import { localizations, translator } from '../src/i18n/index.js';
import { en } from '../src/i18n/locales/en.js';

type ModInteraction = ChatInputCommandInteraction | ButtonInteraction;

function requireModerator(interaction: ModInteraction, services: CommandServices): void {
  if (!isModeratorAsker(interaction, services.settings)) throw new UserFacingError('mod.refused');
}

function accountChannel(value: string | undefined, services: CommandServices): string {
  const channel = (value ?? '').trim();
  // A useapi account is a Discord channel id; the upstream's grammar says.
  if (!services.moderation.isAccount(channel)) throw new UserFacingError('mod.reset.invalidChannel');
  return channel;
}

/** The confirmation, shared by `/midjourney reset` and the Reset button of the alert. */
async function askToConfirm(
  interaction: ModInteraction,
  services: CommandServices,
  channel: string,
): Promise<void> {
  const body = confirmReply(channel, translator(interaction.locale), services.moderation.upstream);
  await interaction.reply({ ...body, flags: MessageFlags.Ephemeral });
}

export const midjourneyCommand = {
  data: new SlashCommandBuilder()
    .setName('midjourney')
    .setNameLocalizations(localizations('cmd.midjourney.name'))
    .setDescription(en['cmd.midjourney.description'])
    .setDescriptionLocalizations(localizations('cmd.midjourney.description'))
    .setContexts(InteractionContextType.Guild)
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .addSubcommand((s) =>
      s
        .setName('status')
        .setNameLocalizations(localizations('cmd.midjourney.status.name'))
        .setDescription(en['cmd.midjourney.status.description'])
        .setDescriptionLocalizations(localizations('cmd.midjourney.status.description')),
    )
    .addSubcommand((s) =>
      s
        .setName('reset')
        .setNameLocalizations(localizations('cmd.midjourney.reset.name'))
        .setDescription(en['cmd.midjourney.reset.description'])
        .setDescriptionLocalizations(localizations('cmd.midjourney.reset.description'))
        .addStringOption((o) =>
          o
            .setName('channel')
            .setNameLocalizations(localizations('cmd.midjourney.reset.channel.name'))
            .setDescription(en['cmd.midjourney.reset.channel.description'])
            .setDescriptionLocalizations(localizations('cmd.midjourney.reset.channel.description'))
            .setRequired(true)
            .setAutocomplete(true)
            .setMaxLength(20),
        ),
    )
    .toJSON(),

  async execute(interaction, services) {
    requireModerator(interaction, services);
    if (interaction.options.getSubcommand(true) === 'status') {
      await interaction.deferReply({ flags: MessageFlags.Ephemeral });
      const status = await services.moderation.status();
      await interaction.editReply(
        statusReply(status, translator(interaction.locale), {
          guildId: interaction.guildId ?? undefined,
          upstream: services.moderation.upstream,
        }),
      );
      return;
    }
    await askToConfirm(
      interaction,
      services,
      accountChannel(interaction.options.getString('channel', true), services),
    );
  },

  async autocomplete(interaction, services) {
    // Suggestions come from useapi: nobody but a moderator makes the bot ask.
    if (!isModeratorAsker(interaction, services.settings)) {
      await interaction.respond([]);
      return;
    }
    const typed = String(interaction.options.getFocused()).trim();
    const channels = await services.moderation.accountChannels();
    await interaction.respond(
      channels
        .filter((c) => c.includes(typed))
        .slice(0, 25)
        .map((c) => ({ name: c, value: c })),
    );
  },
} satisfies SlashCommand;

/** The Reset button on an alert: leads to the same confirmation as the command. */
export const modResetButton = {
  prefix: RESET_BUTTON,
  async button(interaction, services, _scope, [channel]) {
    requireModerator(interaction, services);
    await askToConfirm(interaction, services, accountChannel(channel, services));
  },
} satisfies ComponentHandler;

export const modConfirmButton = {
  prefix: CONFIRM_BUTTON,
  async button(interaction, services, _scope, [value]) {
    requireModerator(interaction, services);
    const channel = accountChannel(value, services);
    const t = translator(interaction.locale);
    // Replace the buttons at once, so the same confirmation cannot be pressed twice.
    await interaction.update({
      content: resetWorkingText(channel, t, services.moderation.upstream),
      embeds: [],
      components: [],
    });
    const outcome = await services.moderation.reset(channel, interaction.user.id);
    await interaction.editReply({
      content: resetOutcomeText(outcome, t, interaction.user.id, services.moderation.upstream),
      components: [],
    });
  },
} satisfies ComponentHandler;

export const modCancelButton = {
  prefix: CANCEL_BUTTON,
  async button(interaction, services) {
    requireModerator(interaction, services);
    const t = translator(interaction.locale);
    await interaction.update({ content: t('mod.cancelled'), embeds: [], components: [] });
  },
} satisfies ComponentHandler;
