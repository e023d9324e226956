// /seed job:<jobid | message link | message id> [private]
import { SlashCommandBuilder } from 'discord.js';
import { UserFacingError } from '../src/discord/errors.js';
import { runSeed } from '../src/discord/seed-flow.js';
import type { SlashCommand } from '../src/discord/types.js';
import { localizations } from '../src/i18n/index.js';
import { isVideoJobid, parseJobid } from '../src/seed/jobid.js';

export const seedCommand = {
  data: new SlashCommandBuilder()
    .setName('seed')
    .setNameLocalizations(localizations('cmd.seed.name'))
    .setDescription('Get the seed and the four upscaled images of a Midjourney job')
    .setDescriptionLocalizations(localizations('cmd.seed.description'))
    .addStringOption((o) =>
      o
        .setName('job')
        .setNameLocalizations(localizations('cmd.seed.job.name'))
        .setDescription('useapi jobid, Discord message link or message id')
        .setDescriptionLocalizations(localizations('cmd.seed.job.description'))
        .setRequired(true)
        .setMaxLength(200),
    )
    .addBooleanOption((o) =>
      o
        .setName('private')
        .setNameLocalizations(localizations('cmd.seed.private.name'))
        .setDescription('Only you see the answer')
        .setDescriptionLocalizations(localizations('cmd.seed.private.description')),
    )
    .toJSON(),
  async execute(interaction, ctx) {
    const input = interaction.options.getString('job', true).trim();
    const ephemeral = interaction.options.getBoolean('private') ?? false;
    const parsed = parseJobid(input);
    if (!parsed) throw new UserFacingError('error.invalidInput');
    if (isVideoJobid(parsed.jobid)) throw new UserFacingError('error.video');
    await runSeed(interaction, ctx, { jobid: parsed.jobid, ephemeral });
  },
} satisfies SlashCommand;
