// The fake Discord's state: everything the gateway and the REST routes read and change, in one object the parts share.
import { randomBytes } from 'node:crypto';
import type { APIUser } from 'discord-api-types/v10';
import type { WebSocket } from 'ws';
import {
  apiUser,
  type ChannelState,
  type GuildState,
  type StoredMessage,
  shardOf,
} from '../interaction-data.js';
import { FIFTEEN_MINUTES, type InteractionState, type Session } from './common.js';
import { createRateLimits } from './rate-limits.js';
import type { FakeDiscordOptions, RecordedRest } from './types.js';

/** A fault: the next `left` REST requests matching `match` are answered `status` (a 5xx) instead of handled. */
export interface RestFailure {
  match: (method: string, path: string) => boolean;
  status: number;
  left: number;
}

/** A fault: REST requests matching `match` are held `ms` before they are handled. */
export interface RestDelay {
  match: (method: string, path: string) => boolean;
  ms: number;
}

export function createWorld(options: FakeDiscordOptions) {
  const botUserId = options.botUserId ?? options.applicationId ?? '1100000000000000001';
  const botUser: APIUser = {
    ...apiUser({ id: botUserId, username: 'mj-seed-bot', bot: true }),
    global_name: null,
  };
  const guilds = new Map<string, GuildState>();
  const dmChannels = new Map<string, ChannelState>(); // by user id
  const sessionList: Session[] = [];
  const liveSessions = (): Session[] => sessionList.filter((s) => !s.dead);
  const owns = (s: Session, guildId: string): boolean => {
    const [id, count] = s.shard ?? [0, 1];
    return shardOf(guildId, count) === id;
  };
  const findChannel = (id: string): ChannelState | undefined => {
    for (const g of guilds.values()) {
      const c = g.channels.find((x) => x.id === id);
      if (c) return c;
    }
    for (const c of dmChannels.values()) if (c.id === id) return c;
    return undefined;
  };
  return {
    botUserId,
    applicationId: options.applicationId ?? botUserId,
    token:
      options.token ??
      `${Buffer.from(botUserId).toString('base64url')}.${randomBytes(4).toString('base64url')}.${randomBytes(27).toString('base64url')}`,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? 500,
    shardCount: Math.max(1, options.shards ?? 1),
    tokenTtlMs: options.interactionTokenTtlMs ?? FIFTEEN_MINUTES,
    ackDeadlineMs: options.ackDeadlineMs ?? 3000,
    rateLimits: createRateLimits(options.rateLimits),
    botUser,
    rest: [] as RecordedRest[],
    violations: [] as string[],
    deferSpecCheck: options.deferSpecCheck ?? false,
    /** Bodies answered without their spec check (deferSpecCheck), checked by checkDeferredSpec. */
    uncheckedBodies: [] as { method: string; pattern: string; body: unknown }[],
    unknownRoutes: [] as string[],
    guilds,
    users: new Map<string, APIUser>([[botUserId, botUser]]),
    dmChannels,
    messages: new Map<string, StoredMessage>(),
    /** channel id -> ids of messages the bot posted there */
    channelPosts: new Map<string, string[]>(),
    cdnFiles: new Map<string, { data: Buffer; contentType: string }>(),
    interactions: new Map<string, InteractionState>(),
    byToken: new Map<string, InteractionState>(),
    globalCommands: [] as Record<string, unknown>[],
    guildCommands: new Map<string, Record<string, unknown>[]>(),
    sessionList,
    readyWaiters: new Set<() => void>(),
    restWaiters: new Set<(r: RecordedRest) => void>(),
    sockets: new Set<WebSocket>(),
    delays: new Set<RestDelay>(),
    failures: new Set<RestFailure>(),
    /** While true, WebSocket upgrades are refused (the socket is destroyed), as a firewall blocking WebSockets does. */
    refuseGateway: options.refuseGateway ?? false,
    dropAcks: false,
    identifies: 0,
    roundRobin: 0,
    origin: '',
    wsUrl: '',
    findChannel,
    liveSessions,
    owns,
  };
}

export type World = ReturnType<typeof createWorld>;
