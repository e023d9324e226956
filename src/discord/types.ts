// The two precise command shapes and the services every handler receives.
import type {
  AutocompleteInteraction,
  ButtonInteraction,
  ChatInputCommandInteraction,
  Client,
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

export interface BotContext {
  config: Config;
  log: Logger;
  client: Client;
  seeds: SeedService;
  requests: RequestProcessor;
  index: JobIndex;
  limiter: RateLimiter;
  metrics: Metrics;
  /** Account status and reset for moderators (the 596 workflow). */
  moderation: Moderation;
  /** Checks a jobid a member pasted for a message against the upstream's job object, and records it in the index. */
  verifyJobid: JobidVerifier;
  /** What a job id of the upstream looks like, and its account. */
  jobids: JobidGrammar;
  /** Which upstream retrieves the seeds (the words members read about job ids follow it). */
  upstream: UpstreamName;
  /** A short id for logs and "reference" lines in error replies. */
  newRef(): string;
  /**
   * The correlation id of the interaction being handled, set by the router (with `log` bound to it): it follows the
   * request through storage, useapi (`replyRef`) and callbacks to the reply, and is the reference an error shows.
   */
  cid?: string | undefined;
}

export interface SlashCommand {
  data: RESTPostAPIChatInputApplicationCommandsJSONBody;
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
  autocomplete?(interaction: AutocompleteInteraction, ctx: BotContext): Promise<void>;
}

export interface MessageCommand {
  data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
  execute(interaction: MessageContextMenuCommandInteraction, ctx: BotContext): Promise<void>;
}

/** Buttons and modals are routed by the first segment of their custom id (`<prefix>:<args…>`). */
export interface ComponentHandler {
  prefix: string;
  button?(interaction: ButtonInteraction, ctx: BotContext, args: string[]): Promise<void>;
  modal?(interaction: ModalSubmitInteraction, ctx: BotContext, args: string[]): Promise<void>;
}

export interface CommandSet {
  slash: SlashCommand[];
  message: MessageCommand[];
  components: ComponentHandler[];
}
