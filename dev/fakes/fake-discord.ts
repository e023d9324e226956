// A fake Discord for end-to-end tests and the benchmark: REST (node:http) and the gateway (ws) on one 127.0.0.1 port.
// An unmodified discord.js Client logs in to it with `rest: { api: fake.apiUrl }`. It answers at once, enforces the
// rules Discord enforces (3 s to acknowledge, one acknowledgement, 15-minute tokens, message limits) and records
// everything so tests can assert on what the bot sent. See /work/shared/reference/discord-testing.md.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type APIApplicationCommandInteractionDataOption,
  type APIChatInputApplicationCommandGuildInteraction,
  type APIUser,
  ApplicationCommandType,
  ChannelType,
  ComponentType,
  GatewayIntentBits,
  InteractionResponseType,
  InteractionType,
  type Locale,
  MessageFlags,
  MessageType,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import { type WebSocket, WebSocketServer } from 'ws';
import { isCdnUrlExpired, pngBytes, signCdnUrl } from './cdn.js';
import {
  apiChannel,
  apiGuild,
  apiMessage,
  apiUser,
  BOT_PERMISSIONS,
  botChannelPermissions,
  type ChannelState,
  commandOptions,
  type GuildState,
  guildCreate,
  member,
  memberPermissions,
  modalSubmission,
  type OptionInput,
  role,
  type StoredAttachment,
  type StoredMessage,
  shardOf,
  snapshot,
  snowflake,
} from './interaction-data.js';

export { shardOf } from './interaction-data.js';

// ---------------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------------

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
}

export interface InteractionTarget {
  guildId: string;
  channelId: string;
  user: InteractionUser;
  locale?: string;
  /** index in sessions() of the session to deliver to; default: round-robin over the sessions owning the guild */
  session?: number;
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
  /** close every gateway socket with code (default 4000, which discord.js answers with a RESUME) */
  disconnectAll(code?: number): void;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------------
// Internals
// ---------------------------------------------------------------------------------------------------------------

const FIFTEEN_MINUTES = 15 * 60 * 1000;
const DAY_SECONDS = 24 * 60 * 60;
const REPLAY_BUFFER = 5000;
const DEFAULT_WAIT_MS = 5000;
const LOADING_FLAG = 1 << 7;
/** Close codes after which Discord does not let the session resume. */
const NON_RESUMABLE_CLOSE = new Set([1000, 1001, 4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014]);

const now = (): number => performance.timeOrigin + performance.now();
const iso = (): string => new Date().toISOString();

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

const apiError = (status: number, code: number, message: string): HttpError =>
  new HttpError(status, { message, code });

interface Upload {
  name: string;
  filename: string;
  contentType: string | undefined;
  size: number;
  data: Buffer;
  /** n of the `files[n]` field */
  index: number;
}

interface Reply {
  status: number;
  body?: unknown;
  raw?: { data: Buffer; contentType: string };
}

interface Ctx {
  method: string;
  label: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  uploads: Upload[];
}

type Handler = (ctx: Ctx, params: Record<string, string>) => Reply;

interface Session {
  sessionId: string;
  shard: [number, number] | undefined;
  intents: number;
  seq: number;
  buffer: { s: number; frame: string }[];
  ws: WebSocket | undefined;
  identifiedAt: number;
  readyAt: number | undefined;
  /** closed by the client (1000/1001) or invalidated: never receives anything again */
  dead: boolean;
  resumes: number;
}

interface InteractionState {
  id: string;
  token: string;
  type: InteractionType;
  label: string;
  commandType?: number;
  name?: string;
  guildId: string;
  channelId: string;
  user: APIUser;
  sentAt: number;
  acked: boolean;
  expired: boolean;
  originalId?: string;
  /** the message a component (or a modal opened from one) belongs to: @original after a type 6/7 callback */
  sourceMessageId?: string;
  followupIds: string[];
  modal?: unknown;
  events: InteractionEvent[];
  listeners: Set<() => void>;
}

// --- validation of what the bot sends, against Discord's documented limits ---

type Path = (string | number)[];
interface Issue {
  path: Path;
  code: string;
  message: string;
  detail?: string;
}

const codePoints = (s: string): number => [...s].length;

interface StringRule {
  max: number;
  min?: number;
  required?: boolean;
}

/** Returns the length (in code points, as Discord counts) of a valid string, 0 otherwise. */
const checkString = (issues: Issue[], v: unknown, path: Path, rule: StringRule): number => {
  if (v === undefined || v === null || (rule.required && v === '')) {
    if (rule.required) issues.push({ path, code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    return 0;
  }
  if (typeof v !== 'string') {
    issues.push({
      path,
      code: 'STRING_TYPE_CONVERT',
      message: `Could not interpret "${String(v)}" as string.`,
    });
    return 0;
  }
  const n =
    v.length > rule.max || (rule.min !== undefined && v.length <= rule.min) ? codePoints(v) : v.length;
  if (rule.min !== undefined && (n < rule.min || n > rule.max)) {
    issues.push({
      path,
      code: 'BASE_TYPE_BAD_LENGTH',
      message: `Must be between ${rule.min} and ${rule.max} in length.`,
      detail: `got ${n}`,
    });
  } else if (n > rule.max) {
    issues.push({
      path,
      code: 'BASE_TYPE_MAX_LENGTH',
      message: `Must be ${rule.max} or fewer in length.`,
      detail: `got ${n}`,
    });
  }
  return n;
};

const checkArray = (issues: Issue[], v: unknown, path: Path, max: number, min = 0): unknown[] | undefined => {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) {
    issues.push({ path, code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' });
    return undefined;
  }
  if (v.length > max) {
    issues.push({
      path,
      code: 'BASE_TYPE_MAX_LENGTH',
      message: `Must be ${max} or fewer in length.`,
      detail: `got ${v.length}`,
    });
  } else if (v.length < min) {
    issues.push({ path, code: 'BASE_TYPE_MIN_LENGTH', message: `Must be ${min} or more in length.` });
  }
  return v;
};

const checkDict = (issues: Issue[], v: unknown, path: Path): v is Record<string, unknown> => {
  if (isRecord(v)) return true;
  issues.push({ path, code: 'DICT_TYPE_CONVERT', message: 'Only dictionaries may be used in a DictType' });
  return false;
};

const checkUrl = (issues: Issue[], v: unknown, path: Path, allowAttachment: boolean, max = 2048): void => {
  if (v === undefined || v === null) return;
  if (typeof v !== 'string') {
    issues.push({
      path,
      code: 'STRING_TYPE_CONVERT',
      message: `Could not interpret "${String(v)}" as string.`,
    });
    return;
  }
  let scheme: string;
  try {
    scheme = new URL(v).protocol.slice(0, -1);
  } catch {
    issues.push({
      path,
      code: 'URL_TYPE_INVALID_URL',
      message: 'Not a well formed URL.',
      detail: v.slice(0, 80),
    });
    return;
  }
  if (scheme !== 'http' && scheme !== 'https' && !(allowAttachment && scheme === 'attachment')) {
    issues.push({
      path,
      code: 'URL_TYPE_INVALID_SCHEME',
      message: `Scheme "${scheme}" is not supported. Scheme must be one of ('http', 'https').`,
    });
  }
  checkString(issues, v, path, { max });
};

/** Checks one embed; returns the characters it counts towards the 6000 limit. */
const checkEmbed = (issues: Issue[], e: unknown, path: Path): number => {
  if (!checkDict(issues, e, path)) return 0;
  let chars = 0;
  chars += checkString(issues, e.title, [...path, 'title'], { max: 256 });
  chars += checkString(issues, e.description, [...path, 'description'], { max: 4096 });
  checkUrl(issues, e.url, [...path, 'url'], false);
  if (e.color !== undefined && e.color !== null) {
    if (typeof e.color !== 'number' || !Number.isInteger(e.color) || e.color < 0 || e.color > 0xffffff) {
      issues.push({
        path: [...path, 'color'],
        code: 'NUMBER_TYPE_MAX',
        message: 'int value should be less than or equal to 16777215.',
      });
    }
  }
  if (e.timestamp !== undefined && e.timestamp !== null) {
    if (typeof e.timestamp !== 'string' || Number.isNaN(Date.parse(e.timestamp))) {
      issues.push({
        path: [...path, 'timestamp'],
        code: 'DATE_TYPE_PARSE',
        message: 'Could not parse timestamp. Should be ISO8601.',
      });
    }
  }
  for (const key of ['image', 'thumbnail'] as const) {
    const media = e[key];
    if (media !== undefined && media !== null && checkDict(issues, media, [...path, key])) {
      checkUrl(issues, media.url, [...path, key, 'url'], true);
    }
  }
  if (e.footer !== undefined && e.footer !== null && checkDict(issues, e.footer, [...path, 'footer'])) {
    chars += checkString(issues, e.footer.text, [...path, 'footer', 'text'], { max: 2048, required: true });
    checkUrl(issues, e.footer.icon_url, [...path, 'footer', 'icon_url'], true);
  }
  if (e.author !== undefined && e.author !== null && checkDict(issues, e.author, [...path, 'author'])) {
    chars += checkString(issues, e.author.name, [...path, 'author', 'name'], { max: 256, required: true });
    checkUrl(issues, e.author.url, [...path, 'author', 'url'], false);
    checkUrl(issues, e.author.icon_url, [...path, 'author', 'icon_url'], true);
  }
  const fields = checkArray(issues, e.fields, [...path, 'fields'], 25);
  fields?.forEach((f, i) => {
    const at = [...path, 'fields', i];
    if (!checkDict(issues, f, at)) return;
    chars += checkString(issues, f.name, [...at, 'name'], { max: 256, required: true });
    chars += checkString(issues, f.value, [...at, 'value'], { max: 1024, required: true });
  });
  return chars;
};

const SELECT_TYPES = new Set<unknown>([
  ComponentType.StringSelect,
  ComponentType.UserSelect,
  ComponentType.RoleSelect,
  ComponentType.MentionableSelect,
  ComponentType.ChannelSelect,
]);

const checkComponents = (issues: Issue[], v: unknown, path: Path, v2: boolean): void => {
  const top = checkArray(issues, v, path, v2 ? 40 : 5);
  if (!top) return;
  const seen = new Set<string>();
  let total = 0;
  const visit = (c: unknown, at: Path, depth: number): void => {
    total++;
    if (!checkDict(issues, c, at)) return;
    const interactive =
      c.type === ComponentType.Button || SELECT_TYPES.has(c.type) || c.type === ComponentType.TextInput;
    const isLink = c.type === ComponentType.Button && (c.style === 5 || c.style === 6);
    if (c.custom_id !== undefined || (interactive && !isLink)) {
      checkString(issues, c.custom_id, [...at, 'custom_id'], { min: 1, max: 100, required: true });
      if (typeof c.custom_id === 'string') {
        if (seen.has(c.custom_id)) {
          issues.push({
            path: [...at, 'custom_id'],
            code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
            message: 'Component custom id cannot be duplicated',
            detail: c.custom_id,
          });
        }
        seen.add(c.custom_id);
      }
    }
    switch (c.type) {
      case ComponentType.ActionRow: {
        if (depth > 0 && !v2) {
          issues.push({
            path: [...at, 'type'],
            code: 'UNION_TYPE_CHOICES',
            message: 'Action rows cannot be nested.',
          });
        }
        const children = checkArray(issues, c.components, [...at, 'components'], 5, 1);
        if (
          children &&
          children.length > 1 &&
          children.some((x) => isRecord(x) && SELECT_TYPES.has(x.type))
        ) {
          issues.push({
            path: [...at, 'components'],
            code: 'COMPONENT_LAYOUT_WIDTH_EXCEEDED',
            message: 'The specified component exceeds the maximum width',
          });
        }
        children?.forEach((x, i) => {
          visit(x, [...at, 'components', i], depth + 1);
        });
        break;
      }
      case ComponentType.Button: {
        if (typeof c.style !== 'number' || c.style < 1 || c.style > 6) {
          issues.push({
            path: [...at, 'style'],
            code: 'BASE_TYPE_CHOICES',
            message: 'Value must be one of (1, 2, 3, 4, 5, 6).',
          });
        }
        if (c.style === 5) {
          if (c.custom_id !== undefined) {
            issues.push({
              path: [...at, 'custom_id'],
              code: 'BUTTON_COMPONENT_CUSTOM_ID_NOT_ALLOWED',
              message: 'A custom id cannot be set for link buttons',
            });
          }
          checkString(issues, c.url, [...at, 'url'], { max: 512, required: true });
          checkUrl(issues, c.url, [...at, 'url'], false, 512);
        }
        checkString(issues, c.label, [...at, 'label'], { max: 80 });
        break;
      }
      case ComponentType.StringSelect: {
        const options = checkArray(issues, c.options, [...at, 'options'], 25, 1);
        options?.forEach((o, i) => {
          const oat = [...at, 'options', i];
          if (!checkDict(issues, o, oat)) return;
          checkString(issues, o.label, [...oat, 'label'], { min: 1, max: 100, required: true });
          checkString(issues, o.value, [...oat, 'value'], { min: 1, max: 100, required: true });
          checkString(issues, o.description, [...oat, 'description'], { max: 100 });
        });
        checkString(issues, c.placeholder, [...at, 'placeholder'], { max: 150 });
        break;
      }
      default: {
        if (SELECT_TYPES.has(c.type)) {
          checkString(issues, c.placeholder, [...at, 'placeholder'], { max: 150 });
        }
        // components v2 containers and sections nest further components
        const children = Array.isArray(c.components) ? c.components : [];
        children.forEach((x, i) => {
          visit(x, [...at, 'components', i], depth + 1);
        });
        if (isRecord(c.accessory)) visit(c.accessory, [...at, 'accessory'], depth + 1);
        if (c.type === ComponentType.TextDisplay)
          checkString(issues, c.content, [...at, 'content'], { max: 4000 });
      }
    }
  };
  top.forEach((c, i) => {
    if (!v2 && isRecord(c) && c.type !== ComponentType.ActionRow) {
      issues.push({
        path: [...path, i, 'type'],
        code: 'UNION_TYPE_CHOICES',
        message: 'Value of field "type" must be one of (1,).',
        detail: `got ${String(c.type)} without the IS_COMPONENTS_V2 flag`,
      });
    }
    visit(c, [...path, i], 0);
  });
  if (v2 && total > 40) {
    issues.push({
      path,
      code: 'BASE_TYPE_MAX_LENGTH',
      message: 'Must be 40 or fewer in length.',
      detail: `${total} in total`,
    });
  }
};

const checkMessage = (issues: Issue[], p: unknown, path: Path): void => {
  if (!checkDict(issues, p, path)) return;
  const v2 = typeof p.flags === 'number' && (p.flags & MessageFlags.IsComponentsV2) !== 0;
  checkString(issues, p.content, [...path, 'content'], { max: 2000 });
  const embeds = checkArray(issues, p.embeds, [...path, 'embeds'], 10);
  if (embeds) {
    let chars = 0;
    embeds.forEach((e, i) => {
      chars += checkEmbed(issues, e, [...path, 'embeds', i]);
    });
    if (chars > 6000) {
      issues.push({
        path: [...path, 'embeds'],
        code: 'MAX_EMBED_SIZE_EXCEEDED',
        message: 'Embed size exceeds maximum size of 6000',
        detail: `got ${chars}`,
      });
    }
  }
  if (p.components !== undefined && p.components !== null)
    checkComponents(issues, p.components, [...path, 'components'], v2);
  checkArray(issues, p.attachments, [...path, 'attachments'], 10);
  if (v2 && ((typeof p.content === 'string' && p.content !== '') || (embeds && embeds.length > 0))) {
    issues.push({
      path: [...path, typeof p.content === 'string' && p.content !== '' ? 'content' : 'embeds'],
      code: 'MESSAGE_CANNOT_USE_LEGACY_FIELDS_WITH_COMPONENTS_V2',
      message: "The 'content' and 'embeds' fields cannot be used when using MessageFlags.IS_COMPONENTS_V2",
    });
  }
};

const isEmptyMessage = (p: Record<string, unknown>, uploads: Upload[]): boolean => {
  const nonEmpty = (v: unknown): boolean =>
    typeof v === 'string' ? v !== '' : Array.isArray(v) && v.length > 0;
  return (
    !nonEmpty(p.content) &&
    !nonEmpty(p.embeds) &&
    !nonEmpty(p.components) &&
    !nonEmpty(p.attachments) &&
    !nonEmpty(p.sticker_ids) &&
    !isRecord(p.poll) &&
    uploads.length === 0
  );
};

const checkChoices = (issues: Issue[], data: unknown, path: Path): void => {
  if (!checkDict(issues, data, path)) return;
  const choices = checkArray(issues, data.choices, [...path, 'choices'], 25);
  choices?.forEach((c, i) => {
    const at = [...path, 'choices', i];
    if (!checkDict(issues, c, at)) return;
    checkString(issues, c.name, [...at, 'name'], { min: 1, max: 100, required: true });
    if (typeof c.value === 'string') checkString(issues, c.value, [...at, 'value'], { max: 100 });
    else if (typeof c.value !== 'number') {
      issues.push({ path: [...at, 'value'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' });
    }
  });
};

const checkModal = (issues: Issue[], data: unknown, path: Path): void => {
  if (!checkDict(issues, data, path)) return;
  checkString(issues, data.custom_id, [...path, 'custom_id'], { min: 1, max: 100, required: true });
  checkString(issues, data.title, [...path, 'title'], { min: 1, max: 45, required: true });
  const seen = new Set<string>();
  const input = (c: unknown, at: Path, inLabel: boolean): void => {
    if (!checkDict(issues, c, at)) return;
    checkString(issues, c.custom_id, [...at, 'custom_id'], { min: 1, max: 100, required: true });
    if (typeof c.custom_id === 'string') {
      if (seen.has(c.custom_id)) {
        issues.push({
          path: [...at, 'custom_id'],
          code: 'COMPONENT_CUSTOM_ID_DUPLICATED',
          message: 'Component custom id cannot be duplicated',
        });
      }
      seen.add(c.custom_id);
    }
    if (c.type === ComponentType.TextInput) {
      if (!inLabel) checkString(issues, c.label, [...at, 'label'], { min: 1, max: 45, required: true });
      if (c.style !== 1 && c.style !== 2) {
        issues.push({
          path: [...at, 'style'],
          code: 'BASE_TYPE_CHOICES',
          message: 'Value must be one of (1, 2).',
        });
      }
      checkString(issues, c.value, [...at, 'value'], { max: 4000 });
      checkString(issues, c.placeholder, [...at, 'placeholder'], { max: 100 });
    }
  };
  const components = checkArray(issues, data.components, [...path, 'components'], 5, 1);
  components?.forEach((c, i) => {
    const at = [...path, 'components', i];
    if (!checkDict(issues, c, at)) return;
    if (c.type === ComponentType.ActionRow) {
      checkArray(issues, c.components, [...at, 'components'], 1, 1)?.forEach((x, j) => {
        input(x, [...at, 'components', j], false);
      });
    } else if (c.type === ComponentType.Label) {
      checkString(issues, c.label, [...at, 'label'], { min: 1, max: 45, required: true });
      checkString(issues, c.description, [...at, 'description'], { max: 100 });
      input(c.component, [...at, 'component'], true);
    } else if (c.type === ComponentType.TextDisplay) {
      checkString(issues, c.content, [...at, 'content'], { max: 4000 });
    }
  });
};

const NAME_PATTERN = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;

const checkCommandName = (issues: Issue[], name: unknown, path: Path): void => {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name) || name !== name.toLowerCase()) {
    issues.push({
      path,
      code: 'APPLICATION_COMMAND_INVALID_NAME',
      message: 'Command name is invalid',
      detail: `${JSON.stringify(name)}: 1-32 lower-case letters, digits, - _ '`,
    });
  }
};

const checkOptions = (issues: Issue[], options: unknown, path: Path): void => {
  const list = checkArray(issues, options, path, 25);
  let optionalSeen = false;
  const names = new Set<string>();
  list?.forEach((o, i) => {
    const at = [...path, i];
    if (!checkDict(issues, o, at)) return;
    checkCommandName(issues, o.name, [...at, 'name']);
    if (typeof o.name === 'string') {
      if (names.has(o.name)) {
        issues.push({
          path: [...at, 'name'],
          code: 'APPLICATION_COMMAND_OPTIONS_NAME_ALREADY_EXISTS',
          message: 'Option names must be unique',
        });
      }
      names.add(o.name);
    }
    checkString(issues, o.description, [...at, 'description'], { min: 1, max: 100, required: true });
    if (o.required === true && optionalSeen) {
      issues.push({
        path: [...at, 'required'],
        code: 'APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID',
        message: 'Required options must be placed before non-required options',
      });
    }
    if (o.required !== true && o.type !== 1 && o.type !== 2) optionalSeen = true;
    checkArray(issues, o.choices, [...at, 'choices'], 25)?.forEach((c, j) => {
      const cat = [...at, 'choices', j];
      if (!checkDict(issues, c, cat)) return;
      checkString(issues, c.name, [...cat, 'name'], { min: 1, max: 100, required: true });
      if (typeof c.value === 'string') checkString(issues, c.value, [...cat, 'value'], { max: 100 });
    });
    if (o.type === 1 || o.type === 2) checkOptions(issues, o.options, [...at, 'options']);
  });
};

const checkCommand = (issues: Issue[], c: unknown, path: Path): void => {
  if (!checkDict(issues, c, path)) return;
  const type = c.type ?? ApplicationCommandType.ChatInput;
  if (type === ApplicationCommandType.ChatInput) {
    checkCommandName(issues, c.name, [...path, 'name']);
    checkString(issues, c.description, [...path, 'description'], { min: 1, max: 100, required: true });
    checkOptions(issues, c.options, [...path, 'options']);
  } else if (type === ApplicationCommandType.User || type === ApplicationCommandType.Message) {
    checkString(issues, c.name, [...path, 'name'], { min: 1, max: 32, required: true });
    if (typeof c.description === 'string' && c.description !== '') {
      issues.push({
        path: [...path, 'description'],
        code: 'APPLICATION_COMMAND_CONTEXT_MENU_DESCRIPTION_INVALID',
        message: 'Context menu commands cannot have description',
      });
    }
  } else if (type !== ApplicationCommandType.PrimaryEntryPoint) {
    issues.push({
      path: [...path, 'type'],
      code: 'BASE_TYPE_CHOICES',
      message: 'Value must be one of (1, 2, 3, 4).',
    });
  }
};

const formatPath = (path: Path): string =>
  path.reduce<string>((s, seg) => (typeof seg === 'number' ? `${s}[${seg}]` : s ? `${s}.${seg}` : seg), '') ||
  '(body)';

/** Discord's nested `errors` object: `{ embeds: { '0': { title: { _errors: [{ code, message }] } } } }`. */
const nestErrors = (issues: Issue[]): Record<string, unknown> => {
  const root: Record<string, unknown> = {};
  for (const issue of issues) {
    let node = root;
    for (const seg of issue.path) {
      const key = String(seg);
      const next = node[key];
      if (isRecord(next)) node = next;
      else {
        const created: Record<string, unknown> = {};
        node[key] = created;
        node = created;
      }
    }
    const list = Array.isArray(node._errors) ? node._errors : [];
    list.push({ code: issue.code, message: issue.message });
    node._errors = list;
  }
  return root;
};

/** Width and height of a PNG, read from its IHDR chunk, so image attachments carry dimensions like Discord's. */
const pngSize = (data: Buffer): { width: number; height: number } | undefined =>
  data.length >= 24 && data.readUInt32BE(0) === 0x89504e47 && data.toString('latin1', 12, 16) === 'IHDR'
    ? { width: data.readUInt32BE(16), height: data.readUInt32BE(20) }
    : undefined;

const uploadLimit = (premiumTier: number): number =>
  premiumTier >= 3 ? 100 * 1024 * 1024 : premiumTier === 2 ? 50 * 1024 * 1024 : 10 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------------------------
// The fake
// ---------------------------------------------------------------------------------------------------------------

export const startFakeDiscord = async (options: FakeDiscordOptions = {}): Promise<FakeDiscord> => {
  const botUserId = options.botUserId ?? options.applicationId ?? '1100000000000000001';
  const applicationId = options.applicationId ?? botUserId;
  const token =
    options.token ??
    `${Buffer.from(botUserId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`;
  const heartbeatIntervalMs = options.heartbeatIntervalMs ?? 500;
  const shardCount = Math.max(1, options.shards ?? 1);
  const tokenTtlMs = options.interactionTokenTtlMs ?? FIFTEEN_MINUTES;
  const ackDeadlineMs = options.ackDeadlineMs ?? 3000;

  const botUser: APIUser = {
    ...apiUser({ id: botUserId, username: 'mj-seed-bot', bot: true }),
    global_name: null,
  };

  const rest: RecordedRest[] = [];
  const violations: string[] = [];
  const unknownRoutes: string[] = [];
  const guilds = new Map<string, GuildState>();
  const users = new Map<string, APIUser>([[botUserId, botUser]]);
  const dmChannels = new Map<string, ChannelState>(); // by user id
  const messages = new Map<string, StoredMessage>();
  const channelPosts = new Map<string, string[]>(); // channel id -> ids of messages the bot posted there
  const cdnFiles = new Map<string, { data: Buffer; contentType: string }>();
  const interactions = new Map<string, InteractionState>();
  const byToken = new Map<string, InteractionState>();
  const globalCommands: Record<string, unknown>[] = [];
  const guildCommands = new Map<string, Record<string, unknown>[]>();
  const sessionList: Session[] = [];
  const readyWaiters = new Set<() => void>();
  const restWaiters = new Set<(r: RecordedRest) => void>();
  const sockets = new Set<WebSocket>();
  let dropAcks = false;
  let identifies = 0;
  let roundRobin = 0;
  let origin = '';
  let wsUrl = '';

  // --- lookups ---

  const findChannel = (id: string): ChannelState | undefined => {
    for (const g of guilds.values()) {
      const c = g.channels.find((x) => x.id === id);
      if (c) return c;
    }
    for (const c of dmChannels.values()) if (c.id === id) return c;
    return undefined;
  };

  const liveSessions = (): Session[] => sessionList.filter((s) => !s.dead);
  const owns = (s: Session, guildId: string): boolean => {
    const [id, count] = s.shard ?? [0, 1];
    return shardOf(guildId, count) === id;
  };

  // --- gateway ---

  const dispatch = (s: Session, t: string, d: unknown): void => {
    s.seq += 1;
    const frame = JSON.stringify({ op: 0, t, s: s.seq, d });
    s.buffer.push({ s: s.seq, frame });
    if (s.buffer.length > REPLAY_BUFFER) s.buffer.shift();
    if (s.ws && s.ws.readyState === s.ws.OPEN) s.ws.send(frame);
  };

  const sendOp = (ws: WebSocket, op: number, d: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ op, d, s: null, t: null }));
  };

  const guildsOf = (s: Session): GuildState[] => [...guilds.values()].filter((g) => owns(s, g.id));

  const identify = (ws: WebSocket, conn: { session?: Session }, d: unknown): void => {
    if (conn.session) {
      ws.close(4005, 'Already authenticated.');
      return;
    }
    if (!isRecord(d) || d.token !== token) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    let shard: [number, number] | undefined;
    if (d.shard !== undefined) {
      const [id, count] = Array.isArray(d.shard) ? d.shard : [];
      if (typeof id !== 'number' || typeof count !== 'number' || id < 0 || count < 1 || id >= count) {
        ws.close(4010, 'Invalid shard.');
        return;
      }
      shard = [id, count];
    }
    const session: Session = {
      sessionId: randomBytes(16).toString('hex'),
      shard,
      intents: typeof d.intents === 'number' ? d.intents : 0,
      seq: 0,
      buffer: [],
      ws,
      identifiedAt: now(),
      readyAt: undefined,
      dead: false,
      resumes: 0,
    };
    identifies++;
    sessionList.push(session);
    conn.session = session;
    const own = guildsOf(session);
    dispatch(session, 'READY', {
      v: 10,
      user: botUser,
      guilds: own.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.sessionId,
      session_type: 'normal',
      resume_gateway_url: `${wsUrl}/resume`,
      shard: shard ?? [0, 1],
      application: { id: applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      auth: {},
      _trace: ['["fake-discord",{"micros":0}]'],
    });
    if (session.intents & GatewayIntentBits.Guilds) {
      for (const g of own) dispatch(session, 'GUILD_CREATE', guildCreate(g, botUserId));
    }
    session.readyAt = now();
    for (const w of [...readyWaiters]) w();
  };

  const resume = (ws: WebSocket, conn: { session?: Session }, d: unknown): void => {
    if (!isRecord(d)) {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    const s = sessionList.find((x) => x.sessionId === d.session_id);
    const seq = typeof d.seq === 'number' ? d.seq : -1;
    const first = s?.buffer[0]?.s ?? 1;
    if (!s || s.dead || d.token !== token || seq < first - 1 || seq > s.seq) {
      sendOp(ws, 9, false);
      return;
    }
    const previous = s.ws;
    s.ws = ws;
    conn.session = s;
    if (previous && previous !== ws && previous.readyState === previous.OPEN)
      previous.close(4000, 'Session resumed elsewhere.');
    for (const entry of s.buffer) if (entry.s > seq) ws.send(entry.frame);
    s.resumes++;
    dispatch(s, 'RESUMED', { _trace: ['["fake-discord",{"micros":0}]'] });
  };

  const onSocket = (ws: WebSocket): void => {
    sockets.add(ws);
    const conn: { session?: Session } = {};
    ws.on('message', (raw) => {
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString());
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      if (!isRecord(payload) || typeof payload.op !== 'number') {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      switch (payload.op) {
        case 1:
          if (!dropAcks) sendOp(ws, 11, null);
          return;
        case 2:
          identify(ws, conn, payload.d);
          return;
        case 6:
          resume(ws, conn, payload.d);
          return;
        case 3:
        case 4:
        case 8:
        case 31:
          if (!conn.session) ws.close(4003, 'Not authenticated.');
          return;
        default:
          ws.close(4001, 'Unknown opcode.');
      }
    });
    ws.on('close', (code) => {
      sockets.delete(ws);
      const s = conn.session;
      if (s && s.ws === ws) {
        s.ws = undefined;
        if (NON_RESUMABLE_CLOSE.has(code)) s.dead = true;
      }
    });
    ws.on('error', () => {});
    sendOp(ws, 10, { heartbeat_interval: heartbeatIntervalMs, _trace: ['["fake-discord",{"micros":0}]'] });
  };

  // --- messages ---

  const storeUpload = (
    upload: Upload,
    channelId: string,
    entry: Record<string, unknown> | undefined,
    ephemeral: boolean,
  ): StoredAttachment => {
    const id = snowflake();
    const filename = typeof entry?.filename === 'string' ? entry.filename : upload.filename;
    const url = signCdnUrl(
      `${origin}/cdn/attachments/${channelId}/${id}/${encodeURIComponent(filename)}`,
      Math.floor(Date.now() / 1000) + DAY_SECONDS,
    );
    const contentType = upload.contentType ?? 'application/octet-stream';
    cdnFiles.set(`${channelId}/${id}/${filename}`, { data: upload.data, contentType });
    return {
      id,
      filename,
      size: upload.size,
      url,
      proxy_url: url,
      content_type: contentType,
      ...pngSize(upload.data),
      ...(typeof entry?.description === 'string' ? { description: entry.description } : {}),
      ...(typeof entry?.title === 'string' ? { title: entry.title } : {}),
      ...(ephemeral ? { ephemeral: true } : {}),
    };
  };

  /**
   * Discord's rules: an `attachments` array lists what the message keeps (existing ids) and gets (upload indexes);
   * without it a new message gets every upload and an edit keeps its attachments and appends the uploads.
   */
  const resolveAttachments = (
    existing: StoredAttachment[],
    payload: Record<string, unknown>,
    uploads: Upload[],
    channelId: string,
    ephemeral: boolean,
  ): StoredAttachment[] => {
    const used = new Set<Upload>();
    let result: StoredAttachment[];
    if (Array.isArray(payload.attachments)) {
      result = [];
      for (const entry of payload.attachments.filter(isRecord)) {
        const id = String(entry.id);
        const upload = uploads.find((u) => String(u.index) === id);
        if (upload) {
          used.add(upload);
          result.push(storeUpload(upload, channelId, entry, ephemeral));
          continue;
        }
        const kept = existing.find((a) => a.id === id);
        if (kept) result.push({ ...kept });
      }
    } else {
      result = [...existing];
    }
    for (const u of uploads) if (!used.has(u)) result.push(storeUpload(u, channelId, undefined, ephemeral));
    return result;
  };

  /** What Discord does to embeds: `type: 'rich'`, attachment:// links resolved to the uploaded file's CDN url. */
  const normalizeEmbeds = (embeds: unknown, attachments: StoredAttachment[]): unknown[] =>
    (Array.isArray(embeds) ? embeds : []).map((e) => {
      if (!isRecord(e)) return e;
      const out: Record<string, unknown> = { type: 'rich', ...e };
      const resolve = (url: unknown): StoredAttachment | undefined =>
        typeof url === 'string' && url.startsWith('attachment://')
          ? attachments.find((a) => a.filename === url.slice('attachment://'.length))
          : undefined;
      for (const key of ['image', 'thumbnail']) {
        const media = out[key];
        if (!isRecord(media)) continue;
        const a = resolve(media.url);
        out[key] = a
          ? {
              url: a.url,
              proxy_url: a.proxy_url,
              width: a.width,
              height: a.height,
              content_type: a.content_type,
            }
          : { ...media, proxy_url: media.url };
      }
      for (const key of ['author', 'footer']) {
        const part = out[key];
        if (!isRecord(part)) continue;
        const a = resolve(part.icon_url);
        if (a) out[key] = { ...part, icon_url: a.url, proxy_icon_url: a.proxy_url };
      }
      return out;
    });

  const createMessage = (m: {
    channelId: string;
    guildId?: string;
    payload: Record<string, unknown>;
    uploads: Upload[];
    type: number;
    interaction?: InteractionState;
    flags?: number;
  }): StoredMessage => {
    const flags = m.flags ?? (typeof m.payload.flags === 'number' ? m.payload.flags : 0);
    const attachments = resolveAttachments(
      [],
      m.payload,
      m.uploads,
      m.channelId,
      (flags & MessageFlags.Ephemeral) !== 0,
    );
    const st = m.interaction;
    const message: StoredMessage = {
      id: snowflake(),
      channel_id: m.channelId,
      ...(m.guildId ? { guild_id: m.guildId } : {}),
      author: { id: botUser.id, username: botUser.username, bot: true },
      content: typeof m.payload.content === 'string' ? m.payload.content : '',
      embeds: normalizeEmbeds(m.payload.embeds, attachments),
      components: Array.isArray(m.payload.components) ? m.payload.components : [],
      attachments,
      flags,
      mentions: [],
      timestamp: iso(),
      edited_timestamp: null,
      type: m.type,
      ...(m.payload.message_reference ? { message_reference: m.payload.message_reference } : {}),
      ...(st
        ? {
            webhook_id: applicationId,
            application_id: applicationId,
            interaction_metadata: {
              id: st.id,
              type: st.type,
              user: st.user,
              authorizing_integration_owners: { '0': st.guildId },
              ...(st.name ? { name: st.name } : {}),
              ...(st.commandType ? { command_type: st.commandType } : {}),
            },
          }
        : {}),
    };
    messages.set(message.id, message);
    return message;
  };

  const applyEdit = (m: StoredMessage, payload: Record<string, unknown>, uploads: Upload[]): void => {
    if ('content' in payload) m.content = typeof payload.content === 'string' ? payload.content : '';
    if ('components' in payload) m.components = Array.isArray(payload.components) ? payload.components : [];
    if ('attachments' in payload || uploads.length > 0) {
      m.attachments = resolveAttachments(
        m.attachments,
        payload,
        uploads,
        m.channel_id,
        ((m.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
      );
    }
    if ('embeds' in payload) m.embeds = normalizeEmbeds(payload.embeds, m.attachments);
    const sticky = (m.flags ?? 0) & (MessageFlags.Ephemeral | MessageFlags.IsComponentsV2);
    const flags = typeof payload.flags === 'number' ? sticky | payload.flags : (m.flags ?? 0);
    m.flags = flags & ~LOADING_FLAG;
    m.edited_timestamp = iso();
  };

  const toStored = (m: FakeMessage): StoredMessage => {
    const existing = messages.get(m.id);
    if (existing) return existing;
    const stored: StoredMessage = {
      ...structuredClone(m),
      attachments: m.attachments.map((a) => ({ ...a, proxy_url: a.url })),
      type: m.message_reference ? MessageType.Reply : MessageType.Default,
      edited_timestamp: null,
    };
    messages.set(stored.id, stored);
    return stored;
  };

  const dispatchMessageCreate = (m: StoredMessage): void => {
    const mentionsBot = (m.mentions ?? []).some((u) => isRecord(u) && u.id === botUserId);
    for (const s of liveSessions()) {
      if (m.guild_id) {
        if (!owns(s, m.guild_id) || !(s.intents & GatewayIntentBits.GuildMessages)) continue;
      } else if (!(s.intents & GatewayIntentBits.DirectMessages) || (s.shard?.[0] ?? 0) !== 0) continue;
      const data: Record<string, unknown> = { ...apiMessage(m) };
      if (m.guild_id) {
        data.guild_id = m.guild_id;
        const mem = guilds.get(m.guild_id)?.members.get(m.author.id);
        if (mem) data.member = { ...mem, user: undefined };
      }
      if (
        !(s.intents & GatewayIntentBits.MessageContent) &&
        m.author.id !== botUserId &&
        !mentionsBot &&
        m.guild_id
      ) {
        Object.assign(data, { content: '', embeds: [], attachments: [], components: [] });
      }
      dispatch(s, 'MESSAGE_CREATE', data);
    }
  };

  // --- interactions ---

  const pushEvent = (st: InteractionState, e: InteractionEvent): void => {
    st.events.push(e);
    for (const l of [...st.listeners]) l();
  };

  const fileInfo = (uploads: Upload[]): InteractionEvent['files'] =>
    uploads.map((u) => ({
      filename: u.filename,
      size: u.size,
      ...(u.contentType ? { contentType: u.contentType } : {}),
    }));

  const describe = (st: InteractionState): string => {
    const lines = st.events.map((e, i) => {
      const body = isRecord(e.body) && isRecord(e.body.data) && e.kind === 'callback' ? e.body.data : e.body;
      const parts: string[] = [];
      if (isRecord(body)) {
        if (typeof body.content === 'string')
          parts.push(`content=${JSON.stringify(body.content.slice(0, 80))}`);
        if (Array.isArray(body.embeds)) parts.push(`embeds=${body.embeds.length}`);
        if (Array.isArray(body.components)) parts.push(`components=${body.components.length}`);
        if (typeof body.flags === 'number') parts.push(`flags=${body.flags}`);
        if (Array.isArray(body.choices)) parts.push(`choices=${body.choices.length}`);
      }
      if (e.files.length) parts.push(`files=[${e.files.map((f) => f.filename).join(', ')}]`);
      const type = e.type === undefined ? '' : ` type ${e.type}`;
      return `  #${i + 1} +${(e.at - st.sentAt).toFixed(1)}ms ${e.kind}${type} ${parts.join(' ')}`;
    });
    const refused = rest
      .filter(
        (r) => r.status >= 400 && (r.path.includes(st.token) || r.path.includes(`/interactions/${st.id}/`)),
      )
      .map((r) => {
        const answer = isRecord(r.response)
          ? ` ${String(r.response.code)} ${String(r.response.message)}`
          : '';
        return `  refused: ${r.method} ${r.path.replace(st.token, ':token')} -> ${r.status}${answer}`;
      });
    return [...(lines.length ? lines : ['  (no events)']), ...refused].join('\n');
  };

  const waitOn = (
    st: InteractionState,
    check: () => boolean,
    timeoutMs: number,
    what: string,
  ): Promise<void> =>
    new Promise((resolve, reject) => {
      if (check()) return resolve();
      const listener = (): void => {
        if (!check()) return;
        clearTimeout(timer);
        st.listeners.delete(listener);
        resolve();
      };
      const timer = setTimeout(() => {
        st.listeners.delete(listener);
        reject(
          new Error(
            `fake-discord: timed out after ${timeoutMs} ms waiting for ${what} on ${st.label} (interaction ${st.id}).\n` +
              `Events so far:\n${describe(st)}`,
          ),
        );
      }, timeoutMs);
      st.listeners.add(listener);
    });

  const handleFor = (st: InteractionState): InteractionHandle => {
    const original = (): FakeMessage | undefined => {
      const m = st.originalId ? messages.get(st.originalId) : undefined;
      return m ? snapshot(m) : undefined;
    };
    const isOriginalEdit = (e: InteractionEvent): boolean =>
      (e.kind === 'edit' && e.messageId !== undefined && e.messageId === st.originalId) ||
      (e.kind === 'callback' &&
        (e.type === InteractionResponseType.UpdateMessage ||
          e.type === InteractionResponseType.ChannelMessageWithSource));
    const handle: InteractionHandle = {
      id: st.id,
      token: st.token,
      sentAt: st.sentAt,
      events: st.events,
      original,
      followups: () =>
        st.followupIds.flatMap((id) => {
          const m = messages.get(id);
          return m ? [snapshot(m)] : [];
        }),
      waitFor: (predicate, timeoutMs = DEFAULT_WAIT_MS) =>
        waitOn(st, () => predicate(handle), timeoutMs, 'the predicate'),
      waitForCallback: async (timeoutMs = DEFAULT_WAIT_MS) => {
        const find = (): InteractionEvent | undefined => st.events.find((e) => e.kind === 'callback');
        await waitOn(st, () => find() !== undefined, timeoutMs, 'a callback');
        return find()!;
      },
      waitForEdit: async (predicate, timeoutMs = DEFAULT_WAIT_MS) => {
        let found: FakeMessage | undefined;
        await waitOn(
          st,
          () => {
            if (!st.events.some(isOriginalEdit)) return false;
            const m = original();
            if (m && (!predicate || predicate(m))) found = m;
            return found !== undefined;
          },
          timeoutMs,
          predicate ? 'an edit of @original matching the predicate' : 'an edit of @original',
        );
        return found!;
      },
      expire: () => {
        st.expired = true;
      },
    };
    return handle;
  };

  const prepare = (
    input: InteractionTarget,
    type: InteractionType,
    label: string,
  ): {
    st: InteractionState;
    base: Omit<APIChatInputApplicationCommandGuildInteraction, 'type' | 'data'>;
  } => {
    const guild = guilds.get(input.guildId);
    if (!guild) throw new Error(`fake-discord: unknown guild ${input.guildId}; call addGuild() first`);
    const channel = guild.channels.find((c) => c.id === input.channelId);
    if (!channel) throw new Error(`fake-discord: guild ${guild.id} has no channel ${input.channelId}`);
    const user = apiUser({ id: input.user.id, username: input.user.username });
    users.set(user.id, user);
    const roles = input.user.roles ?? [];
    const mem = member(user, roles, guild.members.get(user.id)?.joined_at ?? iso());
    guild.members.set(user.id, mem);
    const permissions = input.user.permissions ?? memberPermissions(guild, user.id, roles).toString();
    const id = snowflake();
    const token = Buffer.from(`interaction:${id}:${randomBytes(60).toString('base64url')}`).toString(
      'base64url',
    );
    const st: InteractionState = {
      id,
      token,
      type,
      label,
      guildId: guild.id,
      channelId: channel.id,
      user,
      sentAt: 0,
      acked: false,
      expired: false,
      followupIds: [],
      events: [],
      listeners: new Set(),
    };
    const base = {
      id,
      application_id: applicationId,
      token,
      version: 1 as const,
      guild_id: guild.id,
      guild: { id: guild.id, locale: guild.preferredLocale as Locale, features: [] },
      channel_id: channel.id,
      channel: { ...apiChannel(channel, botUserId), permissions },
      member: { ...mem, user, permissions },
      locale: (input.locale ?? input.user.locale ?? 'en-US') as Locale,
      guild_locale: guild.preferredLocale as Locale,
      app_permissions: botChannelPermissions(guild, channel, botUserId).toString(),
      entitlements: [],
      authorizing_integration_owners: { '0': guild.id },
      context: 0,
      attachment_size_limit: uploadLimit(guild.premiumTier),
    };
    return { st, base };
  };

  const deliver = (st: InteractionState, input: InteractionTarget, payload: unknown): InteractionHandle => {
    const live = liveSessions();
    let session: Session | undefined;
    if (input.session !== undefined) {
      session = live[input.session];
      if (!session || !owns(session, st.guildId)) {
        throw new Error(
          `fake-discord: session ${input.session} does not exist or does not own guild ${st.guildId}`,
        );
      }
    } else {
      const candidates = live.filter((s) => owns(s, st.guildId));
      session = candidates[roundRobin++ % Math.max(1, candidates.length)];
    }
    if (!session) {
      throw new Error(
        `fake-discord: no gateway session owns guild ${st.guildId} (shard ${shardOf(st.guildId, shardCount)} of ${shardCount}); ` +
          `has the client logged in? ${live.length} live session(s)`,
      );
    }
    interactions.set(st.id, st);
    byToken.set(st.token, st);
    st.sentAt = now();
    dispatch(session, 'INTERACTION_CREATE', payload);
    return handleFor(st);
  };

  const findCommand = (guildId: string, name: string, type: number): Record<string, unknown> | undefined =>
    [...(guildCommands.get(guildId) ?? []), ...globalCommands].find(
      (c) => c.name === name && c.type === type,
    );

  const syntheticIds = new Map<string, string>();
  const commandId = (
    guildId: string,
    name: string,
    type: number,
  ): { id: string; registered?: Record<string, unknown> } => {
    const registered = findCommand(guildId, name, type);
    if (registered) return { id: String(registered.id), registered };
    const key = `${type}:${name}`;
    let id = syntheticIds.get(key);
    if (!id) {
      id = snowflake();
      syntheticIds.set(key, id);
    }
    return { id };
  };

  const chatInput = (input: SlashInput, type: InteractionType): InteractionHandle => {
    const { st, base } = prepare(
      input,
      type,
      `${type === InteractionType.ApplicationCommandAutocomplete ? 'autocomplete' : 'slash'} /${input.name}`,
    );
    const { id, registered } = commandId(input.guildId, input.name, ApplicationCommandType.ChatInput);
    st.name = input.name;
    st.commandType = ApplicationCommandType.ChatInput;
    const options: APIApplicationCommandInteractionDataOption[] = commandOptions(input, registered?.options);
    const data = {
      id,
      name: input.name,
      type: ApplicationCommandType.ChatInput as const,
      options,
      ...(registered?.guild_id ? { guild_id: String(registered.guild_id) } : {}),
    };
    return deliver(st, input, { ...base, type, data });
  };

  // --- REST ---

  const requireBot = (ctx: Ctx): void => {
    if (ctx.headers.authorization !== `Bot ${token}`) throw apiError(401, 0, '401: Unauthorized');
  };

  const reject = (ctx: Ctx, issues: Issue[]): never => {
    for (const i of issues) {
      violations.push(
        `${ctx.method} ${ctx.label}: ${formatPath(i.path)}: ${i.message}${i.detail ? ` (${i.detail})` : ''}`,
      );
    }
    throw new HttpError(400, { code: 50035, message: 'Invalid Form Body', errors: nestErrors(issues) });
  };

  const refuse = (ctx: Ctx, status: number, code: number, message: string): never => {
    violations.push(`${ctx.method} ${ctx.label}: ${message}`);
    throw apiError(status, code, message);
  };

  const checkUploads = (ctx: Ctx, guildId: string | undefined): void => {
    const limit = uploadLimit(guildId ? (guilds.get(guildId)?.premiumTier ?? 0) : 0);
    if (ctx.uploads.length > 10)
      reject(ctx, [
        { path: ['files'], code: 'BASE_TYPE_MAX_LENGTH', message: 'Must be 10 or fewer in length.' },
      ]);
    const big = ctx.uploads.find((u) => u.size > limit);
    if (big)
      refuse(
        ctx,
        413,
        RESTJSONErrorCodes.RequestEntityTooLarge,
        `Request entity too large (${big.filename}: ${big.size} bytes)`,
      );
  };

  const validateMessage = (
    ctx: Ctx,
    payload: unknown,
    path: Path,
    creating: boolean,
  ): Record<string, unknown> => {
    const issues: Issue[] = [];
    checkMessage(issues, payload, path);
    if (issues.length) reject(ctx, issues);
    const p = isRecord(payload) ? payload : {};
    if (creating && isEmptyMessage(p, ctx.uploads)) {
      refuse(ctx, 400, RESTJSONErrorCodes.CannotSendAnEmptyMessage, 'Cannot send an empty message');
    }
    return p;
  };

  const interactionMessageType = (st: InteractionState): number =>
    st.type !== InteractionType.ApplicationCommand
      ? MessageType.Default
      : st.commandType === ApplicationCommandType.ChatInput
        ? MessageType.ChatInputCommand
        : MessageType.ContextMenuCommand;

  const allowedCallbacks = (st: InteractionState): number[] => {
    switch (st.type) {
      case InteractionType.ApplicationCommandAutocomplete:
        return [InteractionResponseType.ApplicationCommandAutocompleteResult];
      case InteractionType.ApplicationCommand:
        return [4, 5, 9];
      case InteractionType.MessageComponent:
        return [4, 5, 6, 7, 9];
      default:
        return st.sourceMessageId ? [4, 5, 6, 7] : [4, 5];
    }
  };

  const callback: Handler = (ctx, { id = '', token: tok = '' }) => {
    const st = interactions.get(id);
    if (!st || st.token !== tok)
      throw apiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
    const at = now();
    if (st.acked) {
      throw apiError(
        400,
        RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
        'Interaction has already been acknowledged.',
      );
    }
    if (st.expired || at - st.sentAt > ackDeadlineMs) {
      throw apiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
    }
    const body = isRecord(ctx.body) ? ctx.body : {};
    const type = body.type;
    if (typeof type !== 'number' || !allowedCallbacks(st).includes(type)) {
      reject(ctx, [
        {
          path: ['type'],
          code: 'BASE_TYPE_CHOICES',
          message: `Value must be one of (${allowedCallbacks(st).join(', ')}).`,
          detail: `got ${String(type)} for ${st.label}`,
        },
      ]);
    }
    const data = isRecord(body.data) ? body.data : {};
    checkUploads(ctx, st.guildId);
    let message: StoredMessage | undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const p = validateMessage(ctx, body.data, ['data'], true);
        message = createMessage({
          channelId: st.channelId,
          guildId: st.guildId,
          payload: p,
          uploads: ctx.uploads,
          type: interactionMessageType(st),
          interaction: st,
        });
        st.originalId = message.id;
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const ephemeral = typeof data.flags === 'number' ? data.flags & MessageFlags.Ephemeral : 0;
        message = createMessage({
          channelId: st.channelId,
          guildId: st.guildId,
          payload: {},
          uploads: [],
          type: interactionMessageType(st),
          interaction: st,
          flags: ephemeral | LOADING_FLAG,
        });
        st.originalId = message.id;
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        st.originalId = st.sourceMessageId;
        message = st.originalId ? messages.get(st.originalId) : undefined;
        break;
      case InteractionResponseType.UpdateMessage: {
        const p = validateMessage(ctx, body.data, ['data'], false);
        st.originalId = st.sourceMessageId;
        message = st.originalId ? messages.get(st.originalId) : undefined;
        if (message) applyEdit(message, p, ctx.uploads);
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        const issues: Issue[] = [];
        checkChoices(issues, body.data, ['data']);
        if (issues.length) reject(ctx, issues);
        break;
      }
      case InteractionResponseType.Modal: {
        const issues: Issue[] = [];
        checkModal(issues, body.data, ['data']);
        if (issues.length) reject(ctx, issues);
        st.modal = data;
        break;
      }
    }
    st.acked = true;
    pushEvent(st, {
      kind: 'callback',
      at,
      type: type as number,
      body: ctx.body,
      files: fileInfo(ctx.uploads),
      ...(message ? { messageId: message.id } : {}),
    });
    if (ctx.query.with_response !== 'true') return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: st.id,
          type: st.type,
          ...(message
            ? {
                response_message_id: message.id,
                response_message_loading: ((message.flags ?? 0) & LOADING_FLAG) !== 0,
                response_message_ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
              }
            : {}),
        },
        resource: { type, ...(message ? { message: apiMessage(message) } : {}) },
      },
    };
  };

  const webhookState = (app: string, tok: string): InteractionState => {
    if (app !== applicationId) throw apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
    const st = byToken.get(tok);
    if (!st || st.expired || now() - st.sentAt > tokenTtlMs) {
      throw apiError(401, RESTJSONErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token');
    }
    if (!st.acked) throw apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
    return st;
  };

  const webhookMessage = (st: InteractionState, ref: string): StoredMessage => {
    const id = ref === '@original' ? st.originalId : ref;
    const m = id && (id === st.originalId || st.followupIds.includes(id)) ? messages.get(id) : undefined;
    if (!m) throw apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
    return m;
  };

  const commandList = (ctx: Ctx, app: string, guildId?: string): Record<string, unknown>[] => {
    requireBot(ctx);
    if (app !== applicationId)
      throw apiError(404, RESTJSONErrorCodes.UnknownApplication, 'Unknown Application');
    if (!guildId) return globalCommands;
    if (!guilds.has(guildId)) throw apiError(403, RESTJSONErrorCodes.MissingAccess, 'Missing Access');
    let list = guildCommands.get(guildId);
    if (!list) {
      list = [];
      guildCommands.set(guildId, list);
    }
    return list;
  };

  const storedCommand = (
    c: Record<string, unknown>,
    existing: Record<string, unknown> | undefined,
    guildId?: string,
  ) => {
    const type = typeof c.type === 'number' ? c.type : ApplicationCommandType.ChatInput;
    return {
      id: existing?.id ?? snowflake(),
      application_id: applicationId,
      version: snowflake(),
      type,
      name: c.name,
      name_localizations: c.name_localizations ?? null,
      description: type === ApplicationCommandType.ChatInput ? (c.description ?? '') : '',
      description_localizations: c.description_localizations ?? null,
      options: Array.isArray(c.options) ? c.options : [],
      default_member_permissions: c.default_member_permissions ?? null,
      dm_permission: c.dm_permission ?? true,
      contexts: c.contexts ?? null,
      integration_types: c.integration_types ?? [0],
      nsfw: c.nsfw ?? false,
      ...(guildId ? { guild_id: guildId } : {}),
    };
  };

  const checkCommandSet = (ctx: Ctx, list: unknown[], path: Path): void => {
    const issues: Issue[] = [];
    list.forEach((c, i) => {
      checkCommand(issues, c, [...path, i]);
    });
    const seen = new Set<string>();
    list.forEach((c, i) => {
      if (!isRecord(c)) return;
      const key = `${String(c.type ?? 1)}:${String(c.name)}`;
      if (seen.has(key)) {
        issues.push({
          path: [...path, i, 'name'],
          code: 'APPLICATION_COMMANDS_DUPLICATE_NAME',
          message: 'Application command names must be unique',
        });
      }
      seen.add(key);
    });
    const count = (t: number): number => list.filter((c) => isRecord(c) && (c.type ?? 1) === t).length;
    if (count(1) > 100)
      issues.push({
        path,
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 100 or fewer chat input commands.',
      });
    if (count(2) > 15 || count(3) > 15)
      issues.push({
        path,
        code: 'BASE_TYPE_MAX_LENGTH',
        message: 'Must be 15 or fewer context menu commands of a type.',
      });
    if (issues.length) reject(ctx, issues);
  };

  const putCommands = (ctx: Ctx, app: string, guildId?: string): Reply => {
    const list = commandList(ctx, app, guildId);
    if (!Array.isArray(ctx.body))
      reject(ctx, [
        { path: [], code: 'LIST_TYPE_CONVERT', message: 'Only iterables may be used in a ListType' },
      ]);
    const incoming = (ctx.body as unknown[]).filter(isRecord);
    checkCommandSet(ctx, incoming, []);
    const next = incoming.map((c) =>
      storedCommand(
        c,
        list.find((x) => x.name === c.name && x.type === (c.type ?? 1)),
        guildId,
      ),
    );
    list.splice(0, list.length, ...next);
    return { status: 200, body: list };
  };

  const postCommand = (ctx: Ctx, app: string, guildId?: string): Reply => {
    const list = commandList(ctx, app, guildId);
    const c = isRecord(ctx.body) ? ctx.body : {};
    const existingIndex = list.findIndex((x) => x.name === c.name && x.type === (c.type ?? 1));
    const others = list.filter((_, i) => i !== existingIndex);
    checkCommandSet(ctx, [...others, c], []);
    const stored = storedCommand(c, list[existingIndex], guildId);
    if (existingIndex >= 0) list[existingIndex] = stored;
    else list.push(stored);
    return { status: existingIndex >= 0 ? 200 : 201, body: stored };
  };

  const commandById = (list: Record<string, unknown>[], id: string): number => {
    const index = list.findIndex((c) => c.id === id);
    if (index < 0)
      throw apiError(404, RESTJSONErrorCodes.UnknownApplicationCommand, 'Unknown application command');
    return index;
  };

  const channelOr404 = (id: string): ChannelState => {
    const c = findChannel(id);
    if (!c) throw apiError(404, RESTJSONErrorCodes.UnknownChannel, 'Unknown Channel');
    return c;
  };

  const channelMessage = (channelId: string, messageId: string): StoredMessage => {
    channelOr404(channelId);
    const m = messages.get(messageId);
    if (!m || m.channel_id !== channelId || ((m.flags ?? 0) & MessageFlags.Ephemeral) !== 0) {
      throw apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
    }
    return m;
  };

  const guildOr404 = (id: string): GuildState => {
    const g = guilds.get(id);
    if (!g) throw apiError(404, RESTJSONErrorCodes.UnknownGuild, 'Unknown Guild');
    return g;
  };

  const messageReply = (m: StoredMessage): Reply => ({ status: 200, body: apiMessage(m) });

  const dmChannelFor = (userId: string): ChannelState => {
    let channel = dmChannels.get(userId);
    if (!channel) {
      const user = users.get(userId) ?? apiUser({ id: userId });
      users.set(userId, user);
      channel = {
        id: snowflake(),
        name: '',
        type: ChannelType.DM,
        position: 0,
        botCanSend: true,
        recipient: user,
      };
      dmChannels.set(userId, channel);
    }
    return channel;
  };

  const routes: [string, string, Handler][] = [
    ['GET', 'gateway', () => ({ status: 200, body: { url: wsUrl } })],
    [
      'GET',
      'gateway/bot',
      (ctx) => {
        requireBot(ctx);
        return {
          status: 200,
          body: {
            url: wsUrl,
            shards: shardCount,
            session_start_limit: {
              total: 1000,
              remaining: Math.max(0, 1000 - identifies),
              reset_after: 14_400_000,
              max_concurrency: Math.max(1, shardCount),
            },
          },
        };
      },
    ],
    [
      'GET',
      'users/@me',
      (ctx) => {
        requireBot(ctx);
        return {
          status: 200,
          body: {
            ...botUser,
            mfa_enabled: true,
            locale: 'en-US',
            verified: true,
            flags: 0,
            banner: null,
            accent_color: null,
          },
        };
      },
    ],
    [
      'GET',
      'users/:user',
      (ctx, { user = '' }) => {
        requireBot(ctx);
        const u = users.get(user);
        if (!u) throw apiError(404, RESTJSONErrorCodes.UnknownUser, 'Unknown User');
        return { status: 200, body: u };
      },
    ],
    [
      'POST',
      'users/@me/channels',
      (ctx) => {
        requireBot(ctx);
        const recipient = isRecord(ctx.body) ? ctx.body.recipient_id : undefined;
        if (typeof recipient !== 'string') {
          reject(ctx, [
            { path: ['recipient_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' },
          ]);
        }
        return { status: 200, body: apiChannel(dmChannelFor(String(recipient)), botUserId) };
      },
    ],
    ...(['applications/@me', 'oauth2/applications/@me'].map((path): [string, string, Handler] => [
      'GET',
      path,
      (ctx) => {
        requireBot(ctx);
        return {
          status: 200,
          body: {
            id: applicationId,
            name: botUser.username,
            icon: null,
            description: '',
            summary: '',
            type: null,
            bot: botUser,
            bot_public: true,
            bot_require_code_grant: false,
            verify_key: randomBytes(32).toString('hex'),
            flags: 0,
            team: null,
            owner: apiUser({ id: '1100000000000000099', username: 'owner' }),
            approximate_guild_count: guilds.size,
            redirect_uris: [],
            interactions_endpoint_url: null,
            integration_types_config: { '0': {} },
          },
        };
      },
    ]) as [string, string, Handler][]),
    [
      'GET',
      'applications/:app/commands',
      (ctx, { app = '' }) => ({ status: 200, body: commandList(ctx, app) }),
    ],
    ['PUT', 'applications/:app/commands', (ctx, { app = '' }) => putCommands(ctx, app)],
    ['POST', 'applications/:app/commands', (ctx, { app = '' }) => postCommand(ctx, app)],
    [
      'GET',
      'applications/:app/guilds/:guild/commands',
      (ctx, { app = '', guild = '' }) => ({ status: 200, body: commandList(ctx, app, guild) }),
    ],
    [
      'PUT',
      'applications/:app/guilds/:guild/commands',
      (ctx, { app = '', guild = '' }) => putCommands(ctx, app, guild),
    ],
    [
      'POST',
      'applications/:app/guilds/:guild/commands',
      (ctx, { app = '', guild = '' }) => postCommand(ctx, app, guild),
    ],
    ...(['applications/:app/commands/:command', 'applications/:app/guilds/:guild/commands/:command'].flatMap(
      (path): [string, string, Handler][] => [
        [
          'GET',
          path,
          (ctx, { app = '', guild, command = '' }) => {
            const list = commandList(ctx, app, guild);
            return { status: 200, body: list[commandById(list, command)] };
          },
        ],
        [
          'PATCH',
          path,
          (ctx, { app = '', guild, command = '' }) => {
            const list = commandList(ctx, app, guild);
            const index = commandById(list, command);
            const current = list[index] ?? {};
            const merged = { ...current, ...(isRecord(ctx.body) ? ctx.body : {}) };
            checkCommandSet(ctx, [...list.filter((_, i) => i !== index), merged], []);
            const stored = storedCommand(merged, current, guild);
            list[index] = stored;
            return { status: 200, body: stored };
          },
        ],
        [
          'DELETE',
          path,
          (ctx, { app = '', guild, command = '' }) => {
            const list = commandList(ctx, app, guild);
            list.splice(commandById(list, command), 1);
            return { status: 204 };
          },
        ],
      ],
    ) as [string, string, Handler][]),
    ['POST', 'interactions/:id/:token/callback', callback],
    [
      'GET',
      'webhooks/:app/:token/messages/:message',
      (_ctx, { app = '', token: tok = '', message = '' }) =>
        messageReply(webhookMessage(webhookState(app, tok), message)),
    ],
    [
      'PATCH',
      'webhooks/:app/:token/messages/:message',
      (ctx, { app = '', token: tok = '', message = '' }) => {
        const st = webhookState(app, tok);
        const m = webhookMessage(st, message);
        checkUploads(ctx, st.guildId);
        const p = validateMessage(ctx, ctx.body, [], false);
        applyEdit(m, p, ctx.uploads);
        pushEvent(st, {
          kind: 'edit',
          at: now(),
          body: ctx.body,
          files: fileInfo(ctx.uploads),
          messageId: m.id,
        });
        return messageReply(m);
      },
    ],
    [
      'DELETE',
      'webhooks/:app/:token/messages/:message',
      (ctx, { app = '', token: tok = '', message = '' }) => {
        const st = webhookState(app, tok);
        const m = webhookMessage(st, message);
        messages.delete(m.id);
        pushEvent(st, { kind: 'delete', at: now(), body: ctx.body, files: [], messageId: m.id });
        return { status: 204 };
      },
    ],
    [
      'POST',
      'webhooks/:app/:token',
      (ctx, { app = '', token: tok = '' }) => {
        const st = webhookState(app, tok);
        checkUploads(ctx, st.guildId);
        const p = validateMessage(ctx, ctx.body, [], true);
        const m = createMessage({
          channelId: st.channelId,
          guildId: st.guildId,
          payload: p,
          uploads: ctx.uploads,
          type: interactionMessageType(st),
          interaction: st,
        });
        st.followupIds.push(m.id);
        pushEvent(st, {
          kind: 'followup',
          at: now(),
          body: ctx.body,
          files: fileInfo(ctx.uploads),
          messageId: m.id,
        });
        return ctx.query.wait === 'true' ? messageReply(m) : { status: 204 };
      },
    ],
    [
      'GET',
      'channels/:channel',
      (ctx, { channel = '' }) => {
        requireBot(ctx);
        return { status: 200, body: apiChannel(channelOr404(channel), botUserId) };
      },
    ],
    [
      'POST',
      'channels/:channel/messages',
      (ctx, { channel = '' }) => {
        requireBot(ctx);
        const c = channelOr404(channel);
        if (!c.botCanSend) throw apiError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions');
        checkUploads(ctx, c.guildId);
        const p = validateMessage(ctx, ctx.body, [], true);
        const m = createMessage({
          channelId: c.id,
          guildId: c.guildId,
          payload: p,
          uploads: ctx.uploads,
          type: p.message_reference ? MessageType.Reply : MessageType.Default,
        });
        const posts = channelPosts.get(c.id) ?? [];
        posts.push(m.id);
        channelPosts.set(c.id, posts);
        dispatchMessageCreate(m);
        return messageReply(m);
      },
    ],
    [
      'POST',
      'channels/:channel/typing',
      (ctx, { channel = '' }) => {
        requireBot(ctx);
        channelOr404(channel);
        return { status: 204 };
      },
    ],
    [
      'GET',
      'channels/:channel/messages/:message',
      (ctx, { channel = '', message = '' }) => {
        requireBot(ctx);
        const m = channelMessage(channel, message);
        const reply = messageReply(m);
        // Like Discord: a bot without the privileged Message Content intent reads other people's guild messages
        // without their content, embeds, attachments and components (its own, DMs and mentions of it excepted).
        const mentionsBot = (m.mentions ?? []).some((u) => isRecord(u) && u.id === botUserId);
        const mayRead = liveSessions().some((s) => s.intents & GatewayIntentBits.MessageContent);
        if (!mayRead && m.guild_id && m.author.id !== botUserId && !mentionsBot) {
          Object.assign(reply.body as Record<string, unknown>, {
            content: '',
            embeds: [],
            attachments: [],
            components: [],
          });
        }
        return reply;
      },
    ],
    [
      'PATCH',
      'channels/:channel/messages/:message',
      (ctx, { channel = '', message = '' }) => {
        requireBot(ctx);
        const m = channelMessage(channel, message);
        if (m.author.id !== botUserId) {
          throw apiError(
            403,
            RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser,
            'Cannot edit a message authored by another user',
          );
        }
        checkUploads(ctx, m.guild_id);
        applyEdit(m, validateMessage(ctx, ctx.body, [], false), ctx.uploads);
        return messageReply(m);
      },
    ],
    [
      'DELETE',
      'channels/:channel/messages/:message',
      (ctx, { channel = '', message = '' }) => {
        requireBot(ctx);
        messages.delete(channelMessage(channel, message).id);
        return { status: 204 };
      },
    ],
    [
      'GET',
      'guilds/:guild',
      (ctx, { guild = '' }) => {
        requireBot(ctx);
        const g = guildOr404(guild);
        const counts =
          ctx.query.with_counts === 'true'
            ? { approximate_member_count: Math.max(2, g.members.size), approximate_presence_count: 1 }
            : {};
        return { status: 200, body: { ...apiGuild(g), ...counts } };
      },
    ],
    [
      'GET',
      'guilds/:guild/channels',
      (ctx, { guild = '' }) => {
        requireBot(ctx);
        return { status: 200, body: guildOr404(guild).channels.map((c) => apiChannel(c, botUserId)) };
      },
    ],
    [
      'GET',
      'guilds/:guild/roles',
      (ctx, { guild = '' }) => {
        requireBot(ctx);
        return { status: 200, body: guildOr404(guild).roles };
      },
    ],
    [
      'GET',
      'guilds/:guild/members/:user',
      (ctx, { guild = '', user = '' }) => {
        requireBot(ctx);
        const m = guildOr404(guild).members.get(user);
        if (!m) throw apiError(404, RESTJSONErrorCodes.UnknownMember, 'Unknown Member');
        return { status: 200, body: m };
      },
    ],
    [
      'POST',
      'attachments/refresh-urls',
      (ctx) => {
        requireBot(ctx);
        const urls = isRecord(ctx.body) ? ctx.body.attachment_urls : undefined;
        const issues: Issue[] = [];
        const list = checkArray(issues, urls, ['attachment_urls'], 50, 1);
        if (!list)
          issues.push({
            path: ['attachment_urls'],
            code: 'BASE_TYPE_REQUIRED',
            message: 'This field is required',
          });
        list?.forEach((u, i) => {
          checkUrl(issues, u, ['attachment_urls', i], false);
        });
        if (issues.length) reject(ctx, issues);
        const expires = Math.floor(Date.now() / 1000) + DAY_SECONDS;
        return {
          status: 200,
          body: {
            refreshed_urls: (list ?? []).map((u) => ({
              original: u,
              refreshed: signCdnUrl(String(u), expires),
            })),
          },
        };
      },
    ],
  ];

  const compiled = routes.map(([method, pattern, handler]) => ({
    method,
    parts: pattern.split('/'),
    pattern,
    handler,
  }));

  const match = (
    segs: string[],
  ): { method: string; pattern: string; handler: Handler; params: Record<string, string> }[] => {
    const found = [];
    for (const r of compiled) {
      if (r.parts.length !== segs.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < segs.length && ok; i++) {
        const part = r.parts[i] ?? '';
        const seg = segs[i] ?? '';
        if (part.startsWith(':')) params[part.slice(1)] = seg;
        else ok = part === seg;
      }
      if (ok) found.push({ method: r.method, pattern: r.pattern, handler: r.handler, params });
    }
    return found;
  };

  const parseBody = async (
    contentType: string | undefined,
    raw: Buffer,
  ): Promise<{ payload: unknown; uploads: Upload[]; recorded: unknown }> => {
    if (raw.length === 0) return { payload: undefined, uploads: [], recorded: undefined };
    const invalidJson = (): HttpError =>
      apiError(
        400,
        RESTJSONErrorCodes.RequestBodyContainsInvalidJSON,
        'The request body contains invalid JSON.',
      );
    if (contentType?.startsWith('multipart/form-data')) {
      const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
      let payload: unknown;
      const uploads: Upload[] = [];
      for (const [name, value] of form.entries()) {
        if (typeof value === 'string') {
          if (name === 'payload_json') {
            try {
              payload = JSON.parse(value);
            } catch {
              throw invalidJson();
            }
          }
          continue;
        }
        const data = Buffer.from(await value.arrayBuffer());
        const index = /^files\[(\d+)\]$/.exec(name)?.[1];
        uploads.push({
          name,
          filename: value.name,
          contentType: value.type || undefined,
          size: data.length,
          data,
          index: index === undefined ? uploads.length : Number(index),
        });
      }
      return {
        payload,
        uploads,
        recorded: {
          payload_json: payload,
          files: uploads.map((u) => ({
            name: u.name,
            filename: u.filename,
            contentType: u.contentType,
            size: u.size,
            data: u.data,
          })),
        },
      };
    }
    try {
      const payload: unknown = JSON.parse(raw.toString('utf8'));
      return { payload, uploads: [], recorded: payload };
    } catch {
      throw invalidJson();
    }
  };

  const serveCdn = (segs: string[], url: URL): Reply => {
    const key = segs.slice(2).join('/');
    const file = cdnFiles.get(key);
    if (!file || isCdnUrlExpired(url.toString())) {
      return {
        status: 404,
        raw: { data: Buffer.from('This content is no longer available.'), contentType: 'text/plain' },
      };
    }
    return { status: 200, raw: { data: file.data, contentType: file.contentType } };
  };

  const write = (res: ServerResponse, reply: Reply): void => {
    if (reply.raw) {
      res.writeHead(reply.status, {
        'content-type': reply.raw.contentType,
        'content-length': reply.raw.data.length,
      });
      res.end(reply.raw.data);
      return;
    }
    if (reply.status === 204 || reply.body === undefined) {
      res.writeHead(reply.status);
      res.end();
      return;
    }
    const json = JSON.stringify(reply.body);
    res.writeHead(reply.status, {
      'content-type': 'application/json',
      'content-length': Buffer.byteLength(json),
    });
    res.end(json);
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const at = now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', origin);
    const method = req.method ?? 'GET';
    const segs = url.pathname
      .split('/')
      .filter((s) => s !== '')
      .map((s) => {
        try {
          return decodeURIComponent(s);
        } catch {
          return s;
        }
      });
    if (segs[0] === 'cdn' && segs[1] === 'attachments' && method === 'GET') {
      write(res, serveCdn(segs, url));
      return;
    }
    const isApi = segs[0] === 'api';
    const apiSegs = isApi ? segs.slice(/^v\d+$/.test(segs[1] ?? '') ? 2 : 1) : segs;
    const record: RecordedRest = {
      method,
      path: `/${apiSegs.join('/')}`,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: undefined,
      at,
      status: 0,
    };
    rest.push(record);
    let reply: Reply;
    try {
      const parsed = await parseBody(req.headers['content-type'], raw);
      record.body = parsed.recorded;
      const candidates = isApi ? match(apiSegs) : [];
      const route = candidates.find((c) => c.method === method);
      if (!route) {
        if (candidates.length) {
          reply = { status: 405, body: { message: '405: Method Not Allowed', code: 0 } };
        } else {
          unknownRoutes.push(`${method} ${record.path}`);
          reply = { status: 404, body: { message: '404: Not Found', code: 0 } };
        }
      } else {
        const ctx: Ctx = {
          method,
          label: `/${route.pattern}`,
          query: record.query,
          headers: req.headers,
          body: parsed.payload,
          uploads: parsed.uploads,
        };
        reply = route.handler(ctx, route.params);
      }
    } catch (error) {
      if (error instanceof HttpError) reply = { status: error.status, body: error.body };
      else {
        console.error('fake-discord: internal error handling', method, record.path, error);
        reply = { status: 500, body: { message: '500: Internal Server Error', code: 0 } };
      }
    }
    record.status = reply.status;
    if (reply.body !== undefined) record.response = reply.body;
    write(res, reply);
    for (const w of [...restWaiters]) w(record);
  };

  // --- server ---

  const server = createServer((req, res) => {
    void onRequest(req, res);
  });
  server.keepAliveTimeout = 60_000;
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  server.on('upgrade', (req, socket, head) => {
    wss.handleUpgrade(req, socket, head, (ws) => onSocket(ws));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${port}`;
  wsUrl = `ws://127.0.0.1:${port}`;

  // --- public API ---

  const addGuild = (g: FakeGuild): void => {
    const everyone = g.roles?.find((r) => r.id === g.id);
    const botRoleId = guilds.get(g.id)?.botRoleId ?? snowflake();
    const joinedAt = guilds.get(g.id)?.joinedAt ?? iso();
    const state: GuildState = {
      id: g.id,
      name: g.name ?? `Guild ${g.id.slice(-4)}`,
      preferredLocale: g.preferredLocale ?? 'en-US',
      ownerId: g.ownerId ?? '1100000000000000099',
      premiumTier: g.premiumTier ?? 0,
      joinedAt,
      channels: (g.channels ?? [{ id: snowflake(), name: 'general' }]).map((c, i) => ({
        id: c.id,
        name: c.name ?? `channel-${i + 1}`,
        type: c.type ?? ChannelType.GuildText,
        guildId: g.id,
        position: i,
        botCanSend: c.botCanSend ?? true,
      })),
      roles: [
        role({ id: g.id, name: '@everyone', permissions: everyone?.permissions ?? '0' }),
        ...(g.roles ?? [])
          .filter((r) => r.id !== g.id)
          .map((r, i) =>
            role({
              id: r.id,
              name: r.name ?? `role-${i + 1}`,
              permissions: r.permissions ?? '0',
              position: i + 1,
            }),
          ),
        role({
          id: botRoleId,
          name: botUser.username,
          permissions: BOT_PERMISSIONS.toString(),
          position: (g.roles?.length ?? 0) + 1,
          managed: true,
          botId: botUserId,
        }),
      ],
      botRoleId,
      members: guilds.get(g.id)?.members ?? new Map(),
    };
    state.members.set(botUserId, member(botUser, [botRoleId], joinedAt));
    guilds.set(g.id, state);
    for (const s of liveSessions()) {
      if (owns(s, g.id) && s.intents & GatewayIntentBits.Guilds)
        dispatch(s, 'GUILD_CREATE', guildCreate(state, botUserId));
    }
  };

  const sessions = (): SessionInfo[] =>
    liveSessions().map((s) => ({
      shard: s.shard ? [s.shard[0], s.shard[1]] : undefined,
      identifiedAt: s.identifiedAt,
      sessionId: s.sessionId,
      connected: s.ws !== undefined,
      resumes: s.resumes,
    }));

  const waitForReady: FakeDiscord['waitForReady'] = ({ shard, timeoutMs = 10_000, count = 1 } = {}) =>
    new Promise((resolve, reject) => {
      const done = (): boolean =>
        liveSessions().filter(
          (s) => s.readyAt !== undefined && (shard === undefined || (s.shard?.[0] ?? 0) === shard),
        ).length >= count;
      if (done()) return resolve();
      const waiter = (): void => {
        if (!done()) return;
        clearTimeout(timer);
        readyWaiters.delete(waiter);
        resolve();
      };
      const timer = setTimeout(() => {
        readyWaiters.delete(waiter);
        reject(
          new Error(
            `fake-discord: timed out after ${timeoutMs} ms waiting for ${count} ready session(s)` +
              `${shard === undefined ? '' : ` of shard ${shard}`}; sessions: ${JSON.stringify(sessions())}; ` +
              `gateway/bot calls: ${
                rest
                  .filter((r) => r.path === '/gateway/bot')
                  .map((r) => r.status)
                  .join(', ') || 'none'
              }`,
          ),
        );
      }, timeoutMs);
      readyWaiters.add(waiter);
    });

  const messageCommand = (input: MessageCommandInput): InteractionHandle => {
    const { st, base } = prepare(
      input,
      InteractionType.ApplicationCommand,
      `message command "${input.name}"`,
    );
    const { id } = commandId(input.guildId, input.name, ApplicationCommandType.Message);
    st.name = input.name;
    st.commandType = ApplicationCommandType.Message;
    const target = input.target;
    const isFake =
      typeof target.id === 'string' && typeof target.channel_id === 'string' && isRecord(target.author);
    const resolved: unknown = isFake ? apiMessage(toStored(target as FakeMessage)) : target;
    const targetId = String(target.id);
    return deliver(st, input, {
      ...base,
      type: InteractionType.ApplicationCommand,
      data: {
        id,
        name: input.name,
        type: ApplicationCommandType.Message,
        target_id: targetId,
        resolved: { messages: { [targetId]: resolved } },
      },
    });
  };

  const button = (input: ButtonInput): InteractionHandle => {
    const { st, base } = prepare(input, InteractionType.MessageComponent, `button "${input.customId}"`);
    const message = toStored(input.message);
    st.sourceMessageId = message.id;
    return deliver(st, input, {
      ...base,
      type: InteractionType.MessageComponent,
      message: apiMessage(message),
      data: { custom_id: input.customId, component_type: ComponentType.Button },
    });
  };

  const modalSubmit = (input: ModalSubmitInput): InteractionHandle => {
    const { st, base } = prepare(input, InteractionType.ModalSubmit, `modal "${input.customId}"`);
    const shown = [...interactions.values()]
      .reverse()
      .find((x) => isRecord(x.modal) && x.modal.custom_id === input.customId);
    const message = input.message ? toStored(input.message) : undefined;
    st.sourceMessageId = message?.id;
    return deliver(st, input, {
      ...base,
      type: InteractionType.ModalSubmit,
      ...(message ? { message: apiMessage(message) } : {}),
      data: { custom_id: input.customId, components: modalSubmission(shown?.modal, input.fields) },
    });
  };

  const makeMessage = (input: MakeMessageInput): FakeMessage => {
    const channel = findChannel(input.channelId);
    const author = {
      id: input.author.id,
      username: input.author.username ?? `user${input.author.id.slice(-4)}`,
      ...(input.author.bot ? { bot: true } : {}),
    };
    if (!users.has(author.id)) users.set(author.id, apiUser(author));
    const expires = Math.floor(Date.now() / 1000) + DAY_SECONDS;
    const guildId = input.guildId ?? channel?.guildId;
    const m: StoredMessage = {
      id: input.id ?? snowflake(),
      channel_id: input.channelId,
      ...(guildId ? { guild_id: guildId } : {}),
      author,
      content: input.content ?? '',
      embeds: input.embeds ?? [],
      components: input.components ?? [],
      attachments: (input.attachments ?? []).map((a) => {
        const id = snowflake();
        const url =
          a.url ??
          signCdnUrl(
            `${origin}/cdn/attachments/${input.channelId}/${id}/${encodeURIComponent(a.filename)}`,
            expires,
          );
        const size = a.size ?? 1024;
        if (!a.url) {
          // the file exists on the fake CDN, as it would on Discord's: a PNG of the stated size
          const contentType = a.content_type ?? 'application/octet-stream';
          const data = contentType === 'image/png' ? pngBytes(size) : Buffer.alloc(size);
          cdnFiles.set(`${input.channelId}/${id}/${a.filename}`, { data, contentType });
        }
        return {
          id,
          filename: a.filename,
          size,
          url,
          proxy_url: url,
          ...(a.content_type ? { content_type: a.content_type } : {}),
          ...(a.width !== undefined ? { width: a.width } : {}),
          ...(a.height !== undefined ? { height: a.height } : {}),
        };
      }),
      flags: 0,
      mentions: [],
      timestamp: iso(),
      edited_timestamp: null,
      type: input.messageReference ? MessageType.Reply : MessageType.Default,
      ...(input.messageReference ? { message_reference: input.messageReference } : {}),
    };
    messages.set(m.id, m);
    if (input.dispatch) dispatchMessageCreate(m);
    return snapshot(m);
  };

  const waitForRest: FakeDiscord['waitForRest'] = (predicate, timeoutMs = DEFAULT_WAIT_MS) =>
    new Promise((resolve, reject) => {
      const seen = rest.find((r) => r.status !== 0 && predicate(r));
      if (seen) return resolve(seen);
      const waiter = (r: RecordedRest): void => {
        if (!predicate(r)) return;
        clearTimeout(timer);
        restWaiters.delete(waiter);
        resolve(r);
      };
      const timer = setTimeout(() => {
        restWaiters.delete(waiter);
        const last = rest.slice(-10).map((r) => `  ${r.method} ${r.path} -> ${r.status}`);
        reject(
          new Error(
            `fake-discord: timed out after ${timeoutMs} ms waiting for a REST request; last ones:\n${last.join('\n')}`,
          ),
        );
      }, timeoutMs);
      restWaiters.add(waiter);
    });

  return {
    apiUrl: `${origin}/api`,
    origin,
    token,
    applicationId,
    botUserId,
    rest,
    violations,
    unknownRoutes,
    addGuild,
    waitForReady,
    sessions,
    commands: (scope) =>
      (scope?.guildId ? (guildCommands.get(scope.guildId) ?? []) : globalCommands).map((c) =>
        structuredClone(c),
      ),
    slash: (input) => chatInput(input, InteractionType.ApplicationCommand),
    autocomplete: (input) => {
      const focused = (input.options ?? []).filter((o) => o.focused).length;
      if (focused !== 1)
        throw new Error(`fake-discord: autocomplete needs exactly one focused option, got ${focused}`);
      return chatInput(input, InteractionType.ApplicationCommandAutocomplete);
    },
    messageCommand,
    button,
    modalSubmit,
    channelMessages: (channelId) =>
      (channelPosts.get(channelId) ?? []).flatMap((id) => {
        const m = messages.get(id);
        return m ? [snapshot(m)] : [];
      }),
    dmMessages: (userId) => {
      const channel = dmChannels.get(userId);
      return channel
        ? (channelPosts.get(channel.id) ?? []).flatMap((id) => {
            const m = messages.get(id);
            return m ? [snapshot(m)] : [];
          })
        : [];
    },
    makeMessage,
    waitForRest,
    dropHeartbeatAcks: (on) => {
      dropAcks = on;
    },
    disconnectAll: (code = 4000) => {
      for (const s of sessionList) {
        if (s.ws && NON_RESUMABLE_CLOSE.has(code)) s.dead = true;
      }
      for (const ws of sockets) ws.close(code, 'fake-discord: disconnectAll');
    },
    close: async () => {
      for (const ws of sockets) ws.terminate();
      sockets.clear();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};
