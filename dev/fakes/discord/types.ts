// The fake Discord's public types: what tests, the demo and the benchmark see.

export interface FakeDiscordOptions {
  token?: string;
  applicationId?: string;
  botUserId?: string;
  /** HELLO heartbeat_interval; default 500 */
  heartbeatIntervalMs?: number;
  /** GET /gateway/bot `shards`; default 1 */
  shards?: number;
  /** how long interaction webhook tokens stay valid; default 15 min */
  interactionTokenTtlMs?: number;
  /** time to the first callback before 10062 Unknown interaction; default 3000 */
  ackDeadlineMs?: number;
  /**
   * Discord's rate limits, off when absent: a global limit per bot token (default 50 requests/s; interaction callbacks
   * and webhooks are exempt) and per-route buckets per major parameter (default 5 per 2 s) with X-RateLimit-* headers;
   * past them, 429 with retry_after, Retry-After and X-RateLimit-Scope
   */
  rateLimits?: { globalPerSecond?: number; route?: { limit: number; windowMs: number } };
  /** refuse gateway connections from the start (REST answers); default false. See FakeDiscord.refuseGateway. */
  refuseGateway?: boolean;
  /**
   * Check bodies against Discord's OpenAPI spec only when `checkDeferredSpec()` is called, not while answering them
   * (the benchmark: after its timed phase, so the check costs the bot nothing). Default false: tests check every body.
   */
  deferSpecCheck?: boolean;
}

export interface FakeGuild {
  id: string;
  name?: string;
  preferredLocale?: string;
  ownerId?: string;
  channels?: {
    id: string;
    name?: string;
    /** default 0 (GUILD_TEXT) */
    type?: number;
    /** default true: POST /channels/{id}/messages answers 403 50013 Missing Permissions when false */
    botCanSend?: boolean;
  }[];
  /** a role whose id is the guild id is @everyone; it defaults to permissions '0' */
  roles?: { id: string; name?: string; permissions?: string }[];
  premiumTier?: number;
}

export interface InteractionUser {
  id: string;
  username?: string;
  roles?: string[];
  /**
   * member permission bitfield as a decimal string; default: the OR of the guild roles the user has (FakeGuild.roles,
   * @everyone included), which is '0' when none are defined; the guild owner and Administrator get every permission
   */
  permissions?: string;
  locale?: string;
}

export interface RecordedRest {
  method: string;
  /** decoded, without the /api/v10 prefix */
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  /** parsed JSON, or for multipart { payload_json, files: [{ name, filename, contentType, size, data }] } */
  body: unknown;
  at: number;
  status: number;
  /** the JSON the fake answered (absent for 204) */
  response?: unknown;
  /**
   * with rate limits on: the request's bucket, and for a 429 how long the client must wait, why, and until when (the
   * time of the answer plus retry_after, on the clock of `at`)
   */
  rateLimit?: { bucket: string; retryAfterMs?: number; scope?: 'global' | 'user'; retryUntil?: number };
}

export interface InteractionEvent {
  kind: 'callback' | 'edit' | 'followup' | 'delete';
  at: number;
  /** the callback type (4/5/6/7/8/9) for callbacks */
  type?: number;
  body: unknown;
  files: { filename: string; size: number; contentType?: string }[];
  /** the message the event created or changed, when there is one */
  messageId?: string;
}

export interface InteractionHandle {
  id: string;
  token: string;
  sentAt: number;
  /** every response of the bot to this interaction, in order: callbacks (type 4/5/6/7/8/9), edits, follow-ups, deletes */
  events: InteractionEvent[];
  /** current state of the original response message (content, embeds, components, attachments, flags), or undefined */
  original(): FakeMessage | undefined;
  followups(): FakeMessage[];
  /**
   * the messages answering this interaction that still exist, as the member who sent it sees them (their ephemeral
   * ones included) and as anyone else in the channel sees them; a deferral still "thinking" carries the loading flag
   */
  seen(): { member: FakeMessage[]; others: FakeMessage[] };
  /** resolves once predicate holds (checked now and after every new event); rejects with the events so far on timeout */
  waitFor(predicate: (h: InteractionHandle) => boolean, timeoutMs?: number): Promise<void>;
  waitForCallback(timeoutMs?: number): Promise<InteractionEvent>;
  /**
   * resolves with @original once the bot has given it content (PATCH @original, or a type 4 / type 7 callback; a
   * deferral does not count) and it matches predicate; checked now and after every new event
   */
  waitForEdit(predicate?: (m: FakeMessage) => boolean, timeoutMs?: number): Promise<FakeMessage>;
  /** make the token invalid now: webhook calls answer 401 50027 Invalid Webhook Token, callbacks 10062 */
  expire(): void;
}

export interface FakeMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: { id: string; username: string; bot?: boolean };
  content: string;
  embeds: unknown[];
  components: unknown[];
  attachments: { id: string; filename: string; size: number; url: string; content_type?: string }[];
  flags?: number;
  mentions?: unknown[];
  timestamp: string;
  message_reference?: unknown;
  /** on a message that answers an interaction: `{ id, type, user, … }` of that interaction */
  interaction_metadata?: Record<string, unknown>;
}

export interface InteractionTarget {
  guildId: string;
  channelId: string;
  user: InteractionUser;
  locale?: string;
  /** index in sessions() of the session to deliver to; default: round-robin over the sessions owning the guild */
  session?: number;
}

export interface OptionInput {
  name: string;
  type?: number;
  value: string | number | boolean;
  focused?: boolean;
  options?: unknown[];
}

export interface SlashInput extends InteractionTarget {
  name: string;
  options?: OptionInput[];
  subcommand?: string;
}

export interface MessageCommandInput extends InteractionTarget {
  name: string;
  target: FakeMessage | Record<string, unknown>;
}

export interface ButtonInput extends InteractionTarget {
  customId: string;
  message: FakeMessage;
}

export interface ModalSubmitInput extends InteractionTarget {
  customId: string;
  fields: Record<string, string>;
  message?: FakeMessage;
}

export interface MakeMessageInput {
  channelId: string;
  guildId?: string;
  author: { id: string; username?: string; bot?: boolean };
  content?: string;
  embeds?: unknown[];
  attachments?: {
    filename: string;
    url?: string;
    content_type?: string;
    width?: number;
    height?: number;
    size?: number;
    /** The file's bytes on the fake CDN (default: a PNG padded to `size`, or zeros for other types). */
    data?: Buffer;
  }[];
  components?: unknown[];
  messageReference?: unknown;
  id?: string;
  /** also dispatch MESSAGE_CREATE to the sessions whose intents ask for it */
  dispatch?: boolean;
}

export interface SessionInfo {
  shard: [number, number] | undefined;
  identifiedAt: number;
  sessionId: string;
  connected: boolean;
  resumes: number;
}

export interface FakeDiscord {
  /** 'http://127.0.0.1:<port>/api' (no trailing slash): pass as discord.js rest.api / DISCORD_API_URL */
  apiUrl: string;
  origin: string;
  token: string;
  applicationId: string;
  botUserId: string;
  /** every REST request received, in order */
  rest: RecordedRest[];
  /** every payload the fake refused for breaking Discord's rules (50035, 50006, 40005), human-readable */
  violations: string[];
  /**
   * With `deferSpecCheck`: check the bodies answered since the last call against Discord's spec now; returns what
   * breaks it (also added to `violations`). Those bodies were answered as if valid.
   */
  checkDeferredSpec(): string[];
  /** 'METHOD /path' of every request no route matched (answered 404) */
  unknownRoutes: string[];
  /** guilds are sent in READY/GUILD_CREATE; may be called before the bot connects (later: GUILD_CREATE is dispatched) */
  addGuild(g: FakeGuild): void;
  /** resolves when `count` (default 1) live sessions (of the shard, default any) were sent READY + GUILD_CREATEs */
  waitForReady(options?: { shard?: number; timeoutMs?: number; count?: number }): Promise<void>;
  /** live sessions (identified, not closed by the client), in identify order */
  sessions(): SessionInfo[];
  /** registered application commands (global, or of a guild) */
  commands(scope?: { guildId?: string }): unknown[];
  slash(input: SlashInput): InteractionHandle;
  /** type 4; exactly one option must be focused; the bot answers with callback type 8 */
  autocomplete(input: SlashInput): InteractionHandle;
  messageCommand(input: MessageCommandInput): InteractionHandle;
  button(input: ButtonInput): InteractionHandle;
  modalSubmit(input: ModalSubmitInput): InteractionHandle;
  /** messages the bot posted with POST /channels/{id}/messages */
  channelMessages(channelId: string): FakeMessage[];
  /** messages the bot sent to a user's DM channel (POST /users/@me/channels then messages) */
  dmMessages(userId: string): FakeMessage[];
  /** a message "by" someone (e.g. the Midjourney bot) tests can target; not dispatched unless dispatch: true */
  makeMessage(m: MakeMessageInput): FakeMessage;
  /** resolves with the first recorded request (already received or future) matching predicate */
  waitForRest(predicate: (r: RecordedRest) => boolean, timeoutMs?: number): Promise<RecordedRest>;
  /** fault injection */
  dropHeartbeatAcks(on: boolean): void;
  /**
   * hold every REST request for which match(method, path) holds (path decoded, without /api/v10) for ms before it is
   * handled, e.g. every GET /channels/:id/messages/:id; returns the undo (requests already held still wait)
   */
  delayRest(match: (method: string, path: string) => boolean, ms: number): () => void;
  /** answer the next `times` REST requests for which match(method, path) holds with `status` (e.g. 503) */
  failRest(match: (method: string, path: string) => boolean, status: number, times: number): void;
  /** refuse (on) or accept again (off) gateway WebSocket connections; REST keeps answering */
  refuseGateway(on: boolean): void;
  /** close every gateway socket with code (default 4000, which discord.js answers with a RESUME) */
  disconnectAll(code?: number): void;
  close(): Promise<void>;
}
