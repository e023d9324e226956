// /seed job:<jobid | message link | message id> [private]
import {
  type ChatInputCommandInteraction,
  DiscordAPIError,
  type Message,
  RESTJSONErrorCodes,
  SlashCommandBuilder,
} from 'discord.js';
import { acknowledge } from '../src/discord/acknowledge.js';
import { UserFacingError } from '../src/discord/errors.js';
import { jobInputProblem, parseJobInput } from '../src/discord/job-input.js';
import { cluesFromMessage } from '../src/discord/message-clues.js';
import { seedFromEntry, seedFromMessage } from '../src/discord/message-seed.js';
import { assertMayAsk, isModeratorAsker } from '../src/discord/permissions.js';
import { recentJobChoices } from '../src/discord/recent-jobs.js';
import type { CommandServices, SlashCommand } from '../src/discord/types.js';
import { upstreamWords } from '../src/discord/upstream-words.js';
import { localizations } from '../src/i18n/index.js';

/** Discord answers these when the message or its channel is gone or out of the bot's sight. */
const UNREADABLE = new Set<number>([
  RESTJSONErrorCodes.UnknownMessage,
  RESTJSONErrorCodes.UnknownChannel,
  RESTJSONErrorCodes.MissingAccess,
  RESTJSONErrorCodes.MissingPermissions,
]);

async function fetchMessage(
  interaction: ChatInputCommandInteraction,
  services: CommandServices,
  channelId: string,
  messageId: string,
  notFound: 'error.messageNotFound' | 'error.messageNotHere',
): Promise<Message> {
  let read: Awaited<ReturnType<CommandServices['messages']['read']>>;
  try {
    read = await services.messages.read(channelId, messageId, interaction.guildId);
  } catch (error) {
    if (error instanceof DiscordAPIError && UNREADABLE.has(Number(error.code)))
      throw new UserFacingError(notFound);
    throw error;
  }
  if ('message' in read) return read.message;
  // A link whose channel lies in another guild than the one it names.
  throw new UserFacingError(read.refused === 'other_guild' ? 'error.otherGuild' : notFound);
}

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
        .setMaxLength(1000)
        .setAutocomplete(true),
    )
    .addBooleanOption((o) =>
      o
        .setName('private')
        .setNameLocalizations(localizations('cmd.seed.private.name'))
        .setDescription('Only you see the answer')
        .setDescriptionLocalizations(localizations('cmd.seed.private.description')),
    )
    .toJSON(),
  async execute(interaction, services, scope) {
    const raw = interaction.options.getString('job', true);
    const input = parseJobInput(raw, services.jobids);
    const ephemeral = interaction.options.getBoolean('private') ?? false;
    if (!input)
      throw new UserFacingError(
        jobInputProblem(raw, upstreamWords(services.upstream).invalidInput, services.jobids),
      );
    assertMayAsk(interaction, services.settings);

    // Mistakes that need no I/O are answered privately at once; anything else is acknowledged before the first read.
    if (input.kind === 'jobid' && services.jobids.isVideo(input.jobid))
      throw new UserFacingError('error.video');
    if (input.kind === 'link' && input.guildId !== (interaction.guildId ?? undefined))
      throw new UserFacingError('error.otherGuild');
    await acknowledge(interaction, ephemeral);

    if (input.kind === 'jobid') {
      // SEED_ACCESS=owner: the owner comes from the index (the Midjourney message of a job the bot has seen); a
      // jobid the bot has never seen is refused rather than looked up upstream.
      const entry = await services.index.byJobid(input.jobid);
      await seedFromEntry(interaction, services, scope, entry ?? { jobid: input.jobid }, { ephemeral });
      return;
    }

    // A message the index knows needs no fetch (and no Message Content intent).
    const entry = await services.index.byMessage(input.messageId, interaction.guildId ?? undefined);
    if (entry) {
      await seedFromEntry(interaction, services, scope, entry, { ephemeral });
      return;
    }
    const message =
      input.kind === 'link'
        ? await fetchMessage(interaction, services, input.channelId, input.messageId, 'error.messageNotFound')
        : await fetchMessage(
            interaction,
            services,
            interaction.channelId,
            input.messageId,
            'error.messageNotHere',
          );
    await seedFromMessage(interaction, services, scope, cluesFromMessage(message, interaction.guildId), {
      ephemeral,
    });
  },
  async autocomplete(interaction, services) {
    const guildId = interaction.guildId;
    const access = services.settings.seed.access;
    // Suggestions only for those who may ask; in `owner` mode, only one's own images.
    if (!guildId || (access === 'moderators' && !isModeratorAsker(interaction, services.settings))) {
      await interaction.respond([]);
      return;
    }
    const recent = await services.index.recent(guildId);
    await interaction.respond(
      recentJobChoices(recent, interaction.options.getFocused(), {
        now: Date.now(),
        locale: interaction.locale,
        onlyOwner: access === 'owner' ? interaction.user.id : undefined,
      }),
    );
  },
} satisfies SlashCommand;
