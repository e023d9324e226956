// What a test sets up and waits for on the gateway side: guilds (dispatched to the sessions that own them), the live
// sessions, and their readiness.
import type { APIUser } from 'discord-api-types/v10';
import { ChannelType } from 'discord-api-types/v10';
import { BOT_PERMISSIONS, type GuildState, member, role, snowflake } from '../interaction-data.js';
import { iso, waitUntil } from './common.js';
import type { Dispatcher } from './dispatch.js';
import type { FakeDiscord, FakeGuild, SessionInfo } from './types.js';
import type { World } from './world.js';

export function createSetup({ world, dispatcher }: { world: World; dispatcher: Dispatcher }) {
  const addGuild = (g: FakeGuild): void => {
    const state = guildState(g, world.guilds.get(g.id), world.botUser);
    state.members.set(world.botUserId, member(world.botUser, [state.botRoleId], state.joinedAt));
    world.guilds.set(g.id, state);
    for (const s of world.liveSessions()) {
      if (world.owns(s, g.id)) dispatcher.dispatchGuildCreate(s, state);
    }
  };

  const sessions = (): SessionInfo[] =>
    world.liveSessions().map((s) => ({
      shard: s.shard ? [s.shard[0], s.shard[1]] : undefined,
      identifiedAt: s.identifiedAt,
      sessionId: s.sessionId,
      connected: s.ws !== undefined,
      resumes: s.resumes,
    }));

  const waitForReady: FakeDiscord['waitForReady'] = ({ shard, timeoutMs = 10_000, count = 1 } = {}) => {
    const ready = (): boolean =>
      world
        .liveSessions()
        .filter((s) => s.readyAt !== undefined && (shard === undefined || (s.shard?.[0] ?? 0) === shard))
        .length >= count;
    return waitUntil(world.readyWaiters, ready, timeoutMs, () => {
      const gatewayCalls = world.rest.filter((r) => r.path === '/gateway/bot').map((r) => r.status);
      return new Error(
        `fake-discord: timed out after ${timeoutMs} ms waiting for ${count} ready session(s)` +
          `${shard === undefined ? '' : ` of shard ${shard}`}; sessions: ${JSON.stringify(sessions())}; ` +
          `gateway/bot calls: ${gatewayCalls.join(', ') || 'none'}`,
      );
    });
  };

  return { addGuild, sessions, waitForReady };
}

/** A guild as the fake keeps it; adding a guild again keeps its bot role, join time and members. */
function guildState(g: FakeGuild, previous: GuildState | undefined, botUser: APIUser): GuildState {
  const everyone = g.roles?.find((r) => r.id === g.id);
  const botRoleId = previous?.botRoleId ?? snowflake();
  return {
    id: g.id,
    name: g.name ?? `Guild ${g.id.slice(-4)}`,
    preferredLocale: g.preferredLocale ?? 'en-US',
    ownerId: g.ownerId ?? '1100000000000000099',
    premiumTier: g.premiumTier ?? 0,
    joinedAt: previous?.joinedAt ?? iso(),
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
        botId: botUser.id,
      }),
    ],
    botRoleId,
    members: previous?.members ?? new Map(),
  };
}
