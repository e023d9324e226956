import type { IncomingHttpHeaders } from 'node:http';
import type { APIUser, InteractionType } from 'discord-api-types/v10';
import type { WebSocket } from 'ws';
import { apiMessage, type StoredMessage } from '../interaction-data.js';
import type { InteractionEvent } from './types.js';

export const FIFTEEN_MINUTES = 15 * 60 * 1000;
export const DAY_SECONDS = 24 * 60 * 60;
export const REPLAY_BUFFER = 5000;
export const DEFAULT_WAIT_MS = 5000;
export const LOADING_FLAG = 1 << 7;
/** Close codes after which Discord does not let the session resume. */
export const NON_RESUMABLE_CLOSE = new Set([1000, 1001, 4004, 4007, 4009, 4010, 4011, 4012, 4013, 4014]);

export const now = (): number => performance.timeOrigin + performance.now();
export const iso = (): string => new Date().toISOString();

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Whether a bot without the privileged Message Content intent reads `m` without its content, embeds, attachments and
 * components, as Discord hides them: someone else's guild message that does not mention the bot.
 */
export const hidesContent = (m: StoredMessage, botUserId: string): boolean =>
  m.guild_id !== undefined &&
  m.author.id !== botUserId &&
  !(m.mentions ?? []).some((u) => isRecord(u) && u.id === botUserId);

/** What such a bot reads in place of the content (fresh arrays each time: the answer is recorded). */
export const withoutContent = () => ({ content: '', embeds: [], attachments: [], components: [] });

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

export const apiError = (status: number, code: number, message: string): HttpError =>
  new HttpError(status, { message, code });

export interface Upload {
  name: string;
  filename: string;
  contentType: string | undefined;
  size: number;
  data: Buffer;
  /** n of the `files[n]` field */
  index: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  raw?: { data: Buffer; contentType: string };
}

export interface Ctx {
  method: string;
  label: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  uploads: Upload[];
}

export type Handler = (ctx: Ctx, params: Record<string, string>) => Reply;

export interface Session {
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

export interface InteractionState {
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

export const pngSize = (data: Buffer): { width: number; height: number } | undefined =>
  data.length >= 24 && data.readUInt32BE(0) === 0x89504e47 && data.toString('latin1', 12, 16) === 'IHDR'
    ? { width: data.readUInt32BE(16), height: data.readUInt32BE(20) }
    : undefined;

export const uploadLimit = (premiumTier: number): number =>
  premiumTier >= 3 ? 100 * 1024 * 1024 : premiumTier === 2 ? 50 * 1024 * 1024 : 10 * 1024 * 1024;

export type Route = [method: string, pattern: string, handler: Handler];

/** The answer with a message, as the REST routes give it. */
export const messageReply = (m: StoredMessage): Reply => ({ status: 200, body: apiMessage(m) });

/**
 * Resolves once `check` holds: now, or when one of `listeners` is called (with what it is called with). On timeout,
 * rejects with the `Error` that `timedOut` builds then (so it can say what the fake saw until that moment).
 */
export function waitUntil<T>(
  listeners: Set<(value: T) => void>,
  check: (value?: T) => boolean,
  timeoutMs: number,
  timedOut: () => Error,
): Promise<void> {
  return new Promise((resolve, reject) => {
    if (check()) return resolve();
    const listener = (value: T): void => {
      if (!check(value)) return;
      clearTimeout(timer);
      listeners.delete(listener);
      resolve();
    };
    const timer = setTimeout(() => {
      listeners.delete(listener);
      reject(timedOut());
    }, timeoutMs);
    listeners.add(listener);
  });
}

/** What a wait just saw: still there, or the fake broke its own promise. */
export function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} vanished after the wait saw it`);
  return value;
}
