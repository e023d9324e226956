// The two precise command shapes, the services every handler receives, and the scope of one interaction.
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Message,
  MessageContextMenuCommandInteraction,
  ModalSubmitInteraction,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from 'discord.js';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { Metrics } from '../metrics.js';
import type { JobIndex } from '../seed/lookup/job-index.js';
import type { JobidVerifier } from '../seed/lookup/verify-jobid.js';
import type { Moderation } from '../seed/moderation/moderation.js';
import type { RequestProcessor } from '../seed/requests/processor.js';
import type { RateLimiter } from '../seed/requests/rate-limit.js';
import type { SeedService } from '../seed/retrieval/seed-service.js';
import type { JobidGrammar, UpstreamName } from '../seed/upstream.js';

/** What handlers read of the configuration: who may ask, and which bots are Midjourney's. Never a token. */
export interface HandlerSettings {
  seed: Pick<Config['seed'], 'access' | 'midjourneyBotIds'>;
  moderation: Pick<Config['moderation'], 'roleIds'>;
}

/** A message a member pointed at, read from Discord for the guild the member asks in. */
export interface MessageReader {
  /**
   * Its channel is read first: one of another guild, or one that holds no messages, is refused without reading the
   * message. Discord's own errors (unknown message, no access) pass through.
   */
  read(
    channelId: string,
    messageId: string,
    guildId: string | null,
  ): Promise<{ message: Message } | { refused: 'other_guild' | 'no_messages' }>;
}

/** The app-wide services a handler receives, each narrowed to what handlers use. */
export interface CommandServices {
  settings: HandlerSettings;
  seeds: Pick<SeedService, 'cached'>;
  /** A member's request, stored and handed to the processor; its answer comes through the notifier. */
  requests: Pick<RequestProcessor, 'accept'>;
  messages: MessageReader;
  index: Pick<JobIndex, 'byMessage' | 'byUuid' | 'byJobid' | 'recent'>;
  limiter: RateLimiter;
  metrics: Pick<Metrics, 'cacheHits'>;
  /** Account status and reset for moderators (the 596 workflow). */
  moderation: Moderation;
  /** Checks a jobid a member pasted for a message against the upstream's job object, and records it in the index. */
  verifyJobid: JobidVerifier;
  /** What a job id of the upstream looks like, and its account. */
  jobids: JobidGrammar;
  /** Which upstream retrieves the seeds (the words members read about job ids follow it). */
  upstream: UpstreamName;
}

/**
 * One interaction's own scope, made by the router: its correlation id follows the request through storage, the
 * upstream (`replyRef`) and callbacks to the reply, and is the reference an error shows; `log` carries it.
 */
export interface InteractionScope {
  cid: string;
  log: Logger;
}

export interface SlashCommand {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(
    interaction: ChatInputCommandInteraction,
    services: CommandServices,
    scope: InteractionScope,
  ): Promise<void>;
  autocomplete?(
    interaction: AutocompleteInteraction,
    services: CommandServices,
    scope: InteractionScope,
  ): Promise<void>;
}

export interface MessageCommand {
  data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  execute(
    interaction: MessageContextMenuCommandInteraction,
    services: CommandServices,
    scope: InteractionScope,
  ): Promise<void>;
}

/** Buttons and modals are routed by the first segment of their custom id (`<prefix>:<args…>`). */
export interface ComponentHandler {
  prefix: string;
  button?(
    interaction: ButtonInteraction,
    services: CommandServices,
    scope: InteractionScope,
    args: string[],
  ): Promise<void>;
  modal?(
    interaction: ModalSubmitInteraction,
    services: CommandServices,
    scope: InteractionScope,
    args: string[],
  ): Promise<void>;
}

export interface CommandSet {
  slash: SlashCommand[];
  message: MessageCommand[];
  components: ComponentHandler[];
}
