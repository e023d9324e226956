// Interactions a test sends: the payload discord.js needs (member, channel, entitlements, resolved messages), dispatched
// to the session that owns the guild.
import { randomBytes } from 'node:crypto';
import type {
  APIChatInputApplicationCommandGuildInteraction,
  InteractionType,
  Locale,
} from 'discord-api-types/v10';
import {
  apiChannel,
  apiUser,
  botChannelPermissions,
  member,
  memberPermissions,
  shardOf,
  snowflake,
} from '../interaction-data.js';
import { type InteractionState, iso, now, type Session, uploadLimit } from './common.js';
import type { Gateway } from './gateway.js';
import type { Handles } from './handles.js';
import type { MessageStore } from './store.js';
import type { InteractionHandle, InteractionTarget } from './types.js';
import type { World } from './world.js';

export function createInteractions(w: World & Gateway & Handles & MessageStore) {
  const {
    botUserId,
    applicationId,
    shardCount,
    guilds,
    users,
    interactions,
    byToken,
    guildCommands,
    liveSessions,
    owns,
    dispatch,
    handleFor,
    globalCommands,
  } = w;
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
      session = candidates[w.roundRobin++ % Math.max(1, candidates.length)];
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

  return { prepare, deliver, findCommand, commandId };
}

export type Interactions = ReturnType<typeof createInteractions>;
