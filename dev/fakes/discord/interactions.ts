// Interactions a test sends: the payload discord.js needs (member, channel, entitlements, resolved messages), dispatched
// to the session that owns the guild.
import { randomBytes } from 'node:crypto';
import type {
  APIChatInputApplicationCommandGuildInteraction,
  APIUser,
  InteractionType,
  Locale,
} from 'discord-api-types/v10';
import {
  apiChannel,
  apiUser,
  botChannelPermissions,
  type ChannelState,
  type GuildState,
  member,
  memberPermissions,
  shardOf,
  snowflake,
} from '../interaction-data.js';
import { type InteractionState, iso, now, type Session, uploadLimit } from './common.js';
import type { Dispatcher } from './dispatch.js';
import type { Handles } from './handles.js';
import type { InteractionHandle, InteractionTarget } from './types.js';
import type { World } from './world.js';

export function createInteractions({
  world,
  dispatcher,
  handles,
}: {
  world: World;
  dispatcher: Dispatcher;
  handles: Handles;
}) {
  /** The state of a new interaction and the fields every interaction payload shares; `input`'s member joins. */
  const prepare = (input: InteractionTarget, type: InteractionType, label: string) => {
    const guild = world.guilds.get(input.guildId);
    if (!guild) throw new Error(`fake-discord: unknown guild ${input.guildId}; call addGuild() first`);
    const channel = guild.channels.find((c) => c.id === input.channelId);
    if (!channel) throw new Error(`fake-discord: guild ${guild.id} has no channel ${input.channelId}`);
    const user = apiUser({ id: input.user.id, username: input.user.username });
    world.users.set(user.id, user);
    const id = snowflake();
    const token = Buffer.from(`interaction:${id}:${randomBytes(60).toString('base64url')}`).toString(
      'base64url',
    );
    const st = newInteractionState({
      id,
      token,
      type,
      label,
      guildId: guild.id,
      channelId: channel.id,
      user,
    });
    return { st, base: payloadBase(world, input, { id, token, guild, channel, user }) };
  };

  const deliver = (st: InteractionState, input: InteractionTarget, payload: unknown): InteractionHandle => {
    const session = sessionFor(world, st.guildId, input.session);
    world.interactions.set(st.id, st);
    world.byToken.set(st.token, st);
    st.sentAt = now();
    dispatcher.dispatch(session, 'INTERACTION_CREATE', payload);
    return handles.handleFor(st);
  };

  // A command nobody registered still gets one id per name and type, as a stale client cache would send.
  const syntheticIds = new Map<string, string>();
  /** The id of command `name` as the guild knows it, with its registration when there is one. */
  const commandId = (
    guildId: string,
    name: string,
    type: number,
  ): { id: string; registered?: Record<string, unknown> } => {
    const registered = [...(world.guildCommands.get(guildId) ?? []), ...world.globalCommands].find(
      (c) => c.name === name && c.type === type,
    );
    if (registered) return { id: String(registered.id), registered };
    const key = `${type}:${name}`;
    const id = syntheticIds.get(key) ?? snowflake();
    syntheticIds.set(key, id);
    return { id };
  };

  return { prepare, deliver, commandId };
}

export type Interactions = ReturnType<typeof createInteractions>;

const newInteractionState = (
  s: Pick<InteractionState, 'id' | 'token' | 'type' | 'label' | 'guildId' | 'channelId' | 'user'>,
): InteractionState => ({
  ...s,
  sentAt: 0,
  acked: false,
  expired: false,
  followupIds: [],
  events: [],
  listeners: new Set(),
});

/** The fields every interaction payload shares: its ids, the guild, the channel and the member with permissions. */
function payloadBase(
  world: World,
  input: InteractionTarget,
  at: { id: string; token: string; guild: GuildState; channel: ChannelState; user: APIUser },
): Omit<APIChatInputApplicationCommandGuildInteraction, 'type' | 'data'> {
  const { guild, channel, user } = at;
  const roles = input.user.roles ?? [];
  const mem = member(user, roles, guild.members.get(user.id)?.joined_at ?? iso());
  guild.members.set(user.id, mem);
  const permissions = input.user.permissions ?? memberPermissions(guild, user.id, roles).toString();
  // Built untyped, then checked against the payload type as a whole (a literal typed in place narrows `features`).
  const base = {
    id: at.id,
    application_id: world.applicationId,
    token: at.token,
    version: 1 as const,
    guild_id: guild.id,
    guild: { id: guild.id, locale: guild.preferredLocale as Locale, features: [] },
    channel_id: channel.id,
    channel: { ...apiChannel(channel, world.botUserId), permissions },
    member: { ...mem, user, permissions },
    locale: (input.locale ?? input.user.locale ?? 'en-US') as Locale,
    guild_locale: guild.preferredLocale as Locale,
    app_permissions: botChannelPermissions(guild, channel, world.botUserId).toString(),
    entitlements: [],
    authorizing_integration_owners: { '0': guild.id },
    context: 0,
    attachment_size_limit: uploadLimit(guild.premiumTier),
  };
  return base;
}

/** The session an interaction goes to: the one the test named, or the next (round-robin) that owns the guild. */
function sessionFor(world: World, guildId: string, named: number | undefined): Session {
  const live = world.liveSessions();
  if (named !== undefined) {
    const session = live[named];
    if (!session || !world.owns(session, guildId))
      throw new Error(`fake-discord: session ${named} does not exist or does not own guild ${guildId}`);
    return session;
  }
  const candidates = live.filter((s) => world.owns(s, guildId));
  const session = candidates[world.roundRobin++ % Math.max(1, candidates.length)];
  if (!session) {
    throw new Error(
      `fake-discord: no gateway session owns guild ${guildId} (shard ${shardOf(guildId, world.shardCount)} of ${world.shardCount}); ` +
        `has the client logged in? ${live.length} live session(s)`,
    );
  }
  return session;
}
