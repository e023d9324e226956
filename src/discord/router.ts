// Routes interactions to commands from the explicit list, and holds the one error boundary: whatever a handler
// throws becomes a short, localized reply (with a reference id for unexpected errors) and a log line; the bot never
// crashes on one bad interaction. Each interaction gets its own scope (correlation id, logger) here.
import { type Interaction, MessageFlags, type RepliableInteraction } from 'discord.js';
import type { Logger } from 'pino';
import { translator } from '../i18n/index.js';
import type { Metrics } from '../metrics.js';
import { isSeedError, isUpstreamError } from '../seed/errors.js';
import { isStorageUnavailable } from '../seed/ports.js';
import { logUpstreamFailure } from '../seed/severity.js';
import { replyPrivately } from './acknowledge.js';
import { isUserFacingError } from './errors.js';
import { errorReply } from './replies.js';
import type { CommandServices, CommandSet, InteractionScope } from './types.js';

export interface Router {
  handle(interaction: Interaction): Promise<void>;
  /** Interactions being handled right now. */
  inFlight(): number;
  /** Stop taking new interactions (shutdown): they get a short "restarting" answer. */
  close(): void;
}

/** What the router itself needs, besides the handlers' services. */
export interface RouterDeps {
  log: Logger;
  metrics: Pick<Metrics, 'interactions'>;
  /** A short id: the correlation id of one interaction, and the reference its error reply shows. */
  newRef(): string;
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

/** The handlers by name (slash and context-menu commands) and by custom-id prefix (buttons, modals). */
function handlerMaps(commands: CommandSet) {
  return {
    slash: uniqueMap(commands.slash, (c) => c.data.name, 'slash commands'),
    message: uniqueMap(commands.message, (c) => c.data.name, 'message commands'),
    components: uniqueMap(commands.components, (c) => c.prefix, 'component handlers'),
  };
}

/** The one error boundary: a log line at the right level, the metric, and a private reply that says what to do. */
async function boundary(
  interaction: RepliableInteraction,
  error: unknown,
  command: string,
  { scope, metrics }: { scope: InteractionScope; metrics: RouterDeps['metrics'] },
) {
  const ref = scope.cid;
  const { log } = scope;
  const expected =
    isUserFacingError(error) || isSeedError(error) || isUpstreamError(error) || isStorageUnavailable(error);
  // An upstream failure is logged at the severity its kind has for the operator, once per incident.
  if (isUpstreamError(error)) logUpstreamFailure(log, error, { ref, command }, 'interaction refused');
  else if (expected)
    log.info(
      { ref, command, kind: (error as { kind?: string }).kind ?? (error as Error).message },
      'interaction refused',
    );
  else log.error({ ref, command, err: error }, 'interaction failed');
  metrics.interactions.inc({ command, outcome: expected ? 'refused' : 'error' });
  const body = errorReply(error, translator(interaction.locale), ref);
  try {
    // A refusal is the member's own business, even after a public deferral.
    await replyPrivately(interaction, { content: body.content, embeds: [], components: [] });
  } catch (replyError) {
    // The interaction may have expired; there is nobody left to tell.
    log.warn({ ref, err: replyError }, 'could not send the error reply');
  }
}

/** Shutting down: a short private answer instead of silence (and nothing stored or sent upstream). */
async function refuseWhileClosed(interaction: Interaction, log: Logger) {
  try {
    if (interaction.isAutocomplete()) await interaction.respond([]);
    else if (interaction.isRepliable())
      await interaction.reply({
        content: translator(interaction.locale)('error.restarting'),
        flags: MessageFlags.Ephemeral,
      });
  } catch (error) {
    log.debug({ err: error }, 'could not answer an interaction while stopping');
  }
}

/** The name an interaction's metric and log lines carry; undefined for the kinds the bot does not handle. */
function nameOf(interaction: RepliableInteraction): string | undefined {
  if (interaction.isChatInputCommand() || interaction.isMessageContextMenuCommand())
    return interaction.commandName;
  if (interaction.isButton() || interaction.isModalSubmit())
    return `${interaction.isButton() ? 'button' : 'modal'}:${interaction.customId.split(':')[0] ?? ''}`;
  return undefined;
}

/** Runs the handler the interaction names (an unknown name is a bug: the boundary answers it). */
async function runHandler(
  interaction: RepliableInteraction,
  handlers: ReturnType<typeof handlerMaps>,
  services: CommandServices,
  scope: InteractionScope,
): Promise<void> {
  if (interaction.isChatInputCommand()) {
    const command = handlers.slash.get(interaction.commandName);
    if (!command) throw new Error(`no handler for /${interaction.commandName}`);
    await command.execute(interaction, services, scope);
  } else if (interaction.isMessageContextMenuCommand()) {
    const command = handlers.message.get(interaction.commandName);
    if (!command) throw new Error(`no handler for "${interaction.commandName}"`);
    await command.execute(interaction, services, scope);
  } else if (interaction.isButton() || interaction.isModalSubmit()) {
    const [prefix = '', ...args] = interaction.customId.split(':');
    const handler = handlers.components.get(prefix);
    if (interaction.isButton() && handler?.button) await handler.button(interaction, services, scope, args);
    else if (interaction.isModalSubmit() && handler?.modal)
      await handler.modal(interaction, services, scope, args);
    else throw new Error(`no handler for ${nameOf(interaction)}`);
  }
}

export function createRouter(commands: CommandSet, services: CommandServices, deps: RouterDeps): Router {
  const handlers = handlerMaps(commands);
  const { metrics } = deps;
  let open = true;
  let active = 0;

  async function dispatch(interaction: Interaction, scope: InteractionScope): Promise<void> {
    if (interaction.isAutocomplete()) {
      try {
        await handlers.slash.get(interaction.commandName)?.autocomplete?.(interaction, services, scope);
      } catch (error) {
        scope.log.warn({ err: error, command: interaction.commandName }, 'autocomplete failed');
        if (!interaction.responded) await interaction.respond([]).catch(() => {});
      }
      return;
    }
    if (!interaction.isRepliable()) return;
    const name = nameOf(interaction);
    if (!name) return;
    try {
      await runHandler(interaction, handlers, services, scope);
      metrics.interactions.inc({ command: name, outcome: 'ok' });
    } catch (error) {
      await boundary(interaction, error, name, { scope, metrics });
    }
  }

  /** One correlation id per interaction: every log line of its handling, and of the request it starts, carries it. */
  function scopeOf(interaction: Interaction): InteractionScope {
    const cid = deps.newRef();
    const log = deps.log.child({ cid });
    log.debug(
      {
        interaction: interaction.id,
        command: 'commandName' in interaction ? interaction.commandName : interaction.customId.split(':')[0],
        user: interaction.user.id,
        guild: interaction.guildId,
      },
      'interaction received',
    );
    return { cid, log };
  }

  return {
    async handle(interaction) {
      if (!open) return refuseWhileClosed(interaction, deps.log);
      active++;
      try {
        await dispatch(interaction, scopeOf(interaction));
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
