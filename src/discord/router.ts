// Routes interactions to commands from the explicit list, and holds the one error boundary: whatever a handler
// throws becomes a short, localized reply (with a reference id for unexpected errors) and a log line; the bot never
// crashes on one bad interaction.
import { type Interaction, MessageFlags, type RepliableInteraction } from 'discord.js';
import { translator } from '../i18n/index.js';
import { isSeedError, isUpstreamError } from '../seed/errors.js';
import { isStorageUnavailable } from '../seed/ports.js';
import { logUpstreamFailure } from '../seed/severity.js';
import { replyPrivately } from './acknowledge.js';
import { isUserFacingError } from './errors.js';
import { errorReply } from './replies.js';
import type { BotContext, CommandSet, ComponentHandler, MessageCommand, SlashCommand } from './types.js';

export interface Router {
  handle(interaction: Interaction): Promise<void>;
  /** Interactions being handled right now. */
  inFlight(): number;
  /** Stop taking new interactions (shutdown): they get a short "restarting" answer. */
  close(): void;
}

function uniqueMap<T>(items: T[], nameOf: (item: T) => string, what: string): Map<string, T> {
  const map = new Map<string, T>();
  for (const item of items) {
    const name = nameOf(item);
    if (map.has(name)) throw new Error(`two ${what} are named "${name}"; command names must be unique`);
    map.set(name, item);
  }
  return map;
}

export function createRouter(commands: CommandSet, ctx: BotContext): Router {
  const slash = uniqueMap<SlashCommand>(commands.slash, (c) => c.data.name, 'slash commands');
  const message = uniqueMap<MessageCommand>(commands.message, (c) => c.data.name, 'message commands');
  const components = uniqueMap<ComponentHandler>(commands.components, (c) => c.prefix, 'component handlers');
  let open = true;
  let active = 0;

  async function boundary(
    interaction: RepliableInteraction,
    error: unknown,
    command: string,
    ctx: BotContext,
  ) {
    const ref = ctx.cid ?? ctx.newRef();
    const expected =
      isUserFacingError(error) || isSeedError(error) || isUpstreamError(error) || isStorageUnavailable(error);
    // An upstream failure is logged at the severity its kind has for the operator, once per incident.
    if (isUpstreamError(error)) logUpstreamFailure(ctx.log, error, { ref, command }, 'interaction refused');
    else if (expected)
      ctx.log.info(
        { ref, command, kind: (error as { kind?: string }).kind ?? (error as Error).message },
        'interaction refused',
      );
    else ctx.log.error({ ref, command, err: error }, 'interaction failed');
    ctx.metrics.interactions.inc({ command, outcome: expected ? 'refused' : 'error' });
    const body = errorReply(error, translator(interaction.locale), ref);
    try {
      // A refusal is the member's own business, even after a public deferral.
      await replyPrivately(interaction, { content: body.content, embeds: [], components: [] });
    } catch (replyError) {
      // The interaction may have expired; there is nobody left to tell.
      ctx.log.warn({ ref, err: replyError }, 'could not send the error reply');
    }
  }

  async function dispatch(interaction: Interaction, ctx: BotContext): Promise<void> {
    if (interaction.isAutocomplete()) {
      const command = slash.get(interaction.commandName);
      try {
        await command?.autocomplete?.(interaction, ctx);
      } catch (error) {
        ctx.log.warn({ err: error, command: interaction.commandName }, 'autocomplete failed');
        if (!interaction.responded) await interaction.respond([]).catch(() => {});
      }
      return;
    }
    if (!interaction.isRepliable()) return;
    let name = 'unknown';
    try {
      if (interaction.isChatInputCommand()) {
        name = interaction.commandName;
        const command = slash.get(name);
        if (!command) throw new Error(`no handler for /${name}`);
        await command.execute(interaction, ctx);
      } else if (interaction.isMessageContextMenuCommand()) {
        name = interaction.commandName;
        const command = message.get(name);
        if (!command) throw new Error(`no handler for "${name}"`);
        await command.execute(interaction, ctx);
      } else if (interaction.isButton() || interaction.isModalSubmit()) {
        const [prefix = '', ...args] = interaction.customId.split(':');
        name = `${interaction.isButton() ? 'button' : 'modal'}:${prefix}`;
        const handler = components.get(prefix);
        if (interaction.isButton() && handler?.button) await handler.button(interaction, ctx, args);
        else if (interaction.isModalSubmit() && handler?.modal) await handler.modal(interaction, ctx, args);
        else throw new Error(`no handler for ${name}`);
      } else {
        return;
      }
      ctx.metrics.interactions.inc({ command: name, outcome: 'ok' });
    } catch (error) {
      await boundary(interaction, error, name, ctx);
    }
  }

  /** Shutting down: a short private answer instead of silence (and nothing stored or sent upstream). */
  async function refuseWhileClosed(interaction: Interaction) {
    try {
      if (interaction.isAutocomplete()) await interaction.respond([]);
      else if (interaction.isRepliable())
        await interaction.reply({
          content: translator(interaction.locale)('error.restarting'),
          flags: MessageFlags.Ephemeral,
        });
    } catch (error) {
      ctx.log.debug({ err: error }, 'could not answer an interaction while stopping');
    }
  }

  return {
    async handle(interaction) {
      if (!open) return refuseWhileClosed(interaction);
      active++;
      // One correlation id per interaction: every log line of its handling, and of the request it starts, carries it.
      const cid = ctx.newRef();
      const scoped: BotContext = { ...ctx, cid, log: ctx.log.child({ cid }) };
      scoped.log.debug(
        {
          interaction: interaction.id,
          command:
            'commandName' in interaction ? interaction.commandName : interaction.customId.split(':')[0],
          user: interaction.user.id,
          guild: interaction.guildId,
        },
        'interaction received',
      );
      try {
        await dispatch(interaction, scoped);
      } finally {
        active--;
      }
    },
    inFlight: () => active,
    close() {
      open = false;
    },
  };
}
