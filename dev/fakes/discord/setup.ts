import { ChannelType, GatewayIntentBits } from 'discord-api-types/v10';
import {
  BOT_PERMISSIONS,
  type GuildState,
  guildCreate,
  member,
  role,
  snowflake,
} from '../interaction-data.js';
import { iso } from './common.js';
import type { Gateway } from './gateway.js';
import type { FakeDiscord, FakeGuild, SessionInfo } from './types.js';
import type { World } from './world.js';

export function createSetup(w: World & Gateway) {
  const { botUserId, botUser, rest, guilds, readyWaiters, liveSessions, owns, dispatch } = w;
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
  return { addGuild, sessions, waitForReady };
}

export type Setup = ReturnType<typeof createSetup>;
