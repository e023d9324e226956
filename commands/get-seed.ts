// Right-click a Midjourney image → Apps → "Get seed": the same answer as /seed, found from the message itself.
import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  ContextMenuCommandBuilder,
  InteractionContextType,
} from 'discord.js';
import { cluesFromMessage } from '../src/discord/message-clues.js';
import { seedFromMessage } from '../src/discord/message-seed.js';
import type { MessageCommand } from '../src/discord/types.js';
import { localizations } from '../src/i18n/index.js';

export const getSeedCommand = {
  // Guild only: the bot is installed in servers, and the Midjourney outputs it can index are posted there (a
  // Midjourney DM is not a channel the bot is part of).
  data: new ContextMenuCommandBuilder()
    .setName('Get seed')
    .setNameLocalizations(localizations('cmd.getSeed.name'))
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild)
    .setIntegrationTypes(ApplicationIntegrationType.GuildInstall)
    .toJSON(),
  async execute(interaction, services, scope) {
    // Private answer: a right-click is a quick look-up for oneself; posting for everyone would fill the channel
    // with copies whenever several members look at the same image. /seed offers a public answer.
    const clues = cluesFromMessage(interaction.targetMessage, interaction.guildId);
    await seedFromMessage(interaction, services, scope, clues, { ephemeral: true });
  },
} satisfies MessageCommand;
