// Payload builders for the fake Discord: the objects discord.js receives over the gateway and REST, typed with
// discord-api-types so a missing field shows up at compile time rather than as a silent gateway-handler crash.
import {
  type APIApplicationCommandInteractionDataOption,
  type APIChannel,
  type APIEmbed,
  type APIGuild,
  type APIGuildMember,
  type APIMessage,
  type APIMessageTopLevelComponent,
  type APIModalSubmissionComponent,
  type APIOverwrite,
  type APIRole,
  type APIUser,
  type ChannelFlags,
  ChannelType,
  type GatewayGuildCreateDispatchData,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  type GuildMemberFlags,
  GuildMFALevel,
  GuildNSFWLevel,
  type GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  type Locale,
  type MessageType,
  OverwriteType,
  PermissionFlagsBits,
  type RoleFlags,
  type UserFlags,
} from 'discord-api-types/v10';
import type { FakeMessage, OptionInput } from './discord/types.js';

const DISCORD_EPOCH = 1_420_070_400_000n;
let increment = 0n;

/** A real-looking snowflake: timestamp, worker 1, an increment so ids minted in the same millisecond differ. */
export const snowflake = (at = Date.now()): string => {
  increment = (increment + 1n) & 0xfffn;
  return (((BigInt(Math.floor(at)) - DISCORD_EPOCH) << 22n) | (1n << 17n) | increment).toString();
};

/** Discord's routing rule: a guild's events go to shard `(guild_id >> 22) % shard_count`. */
export const shardOf = (guildId: string, shardCount: number): number =>
  Number((BigInt(guildId) >> 22n) % BigInt(Math.max(1, shardCount)));

const ALL_PERMISSIONS: bigint = Object.values(PermissionFlagsBits).reduce((all, bit) => all | bit, 0n);

/** What an invite with the usual "send messages, embeds, files" scopes grants the bot's managed role. */
export const BOT_PERMISSIONS: bigint =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.EmbedLinks |
  PermissionFlagsBits.AttachFiles |
  PermissionFlagsBits.ReadMessageHistory |
  PermissionFlagsBits.AddReactions |
  PermissionFlagsBits.UseExternalEmojis |
  PermissionFlagsBits.UseApplicationCommands;

export interface UserLike {
  id: string;
  username?: string;
  bot?: boolean;
}

export const apiUser = (u: UserLike): APIUser => ({
  id: u.id,
  username: u.username ?? `user${u.id.slice(-4)}`,
  discriminator: '0',
  global_name: u.bot ? null : (u.username ?? null),
  avatar: null,
  ...(u.bot ? { bot: true } : {}),
  public_flags: 0 as UserFlags,
});

// --- state the fake keeps, shaped close to the API so building payloads stays trivial ---

export interface ChannelState {
  id: string;
  name: string;
  type: number;
  guildId?: string;
  position: number;
  botCanSend: boolean;
  /** DM channels only */
  recipient?: APIUser;
}

export interface GuildState {
  id: string;
  name: string;
  preferredLocale: string;
  ownerId: string;
  premiumTier: number;
  joinedAt: string;
  channels: ChannelState[];
  roles: APIRole[];
  botRoleId: string;
  members: Map<string, APIGuildMember>;
}

export interface StoredAttachment {
  id: string;
  filename: string;
  size: number;
  url: string;
  proxy_url: string;
  content_type?: string;
  width?: number;
  height?: number;
  description?: string;
  title?: string;
  ephemeral?: boolean;
}

export interface StoredMessage extends FakeMessage {
  attachments: StoredAttachment[];
  type: number;
  edited_timestamp: string | null;
  webhook_id?: string;
  application_id?: string;
  interaction_metadata?: Record<string, unknown>;
}

export const role = (r: {
  id: string;
  name: string;
  permissions: string;
  position?: number;
  managed?: boolean;
  botId?: string;
}): APIRole => ({
  id: r.id,
  name: r.name,
  color: 0,
  colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
  hoist: false,
  icon: null,
  unicode_emoji: null,
  position: r.position ?? 0,
  permissions: r.permissions,
  managed: r.managed ?? false,
  mentionable: false,
  flags: 0 as RoleFlags,
  ...(r.botId ? { tags: { bot_id: r.botId } } : {}),
});

export const member = (user: APIUser, roles: string[], joinedAt: string): APIGuildMember => ({
  user,
  nick: null,
  avatar: null,
  banner: null,
  roles,
  joined_at: joinedAt,
  premium_since: null,
  deaf: false,
  mute: false,
  flags: 0 as GuildMemberFlags,
  pending: false,
  communication_disabled_until: null,
});

/** Permissions of a member from the guild's roles: owner and Administrator get everything. */
export const memberPermissions = (guild: GuildState, userId: string, roleIds: string[]): bigint => {
  if (userId === guild.ownerId) return ALL_PERMISSIONS;
  let bits = 0n;
  for (const r of guild.roles) {
    if (r.id === guild.id || roleIds.includes(r.id)) bits |= BigInt(r.permissions);
  }
  return bits & PermissionFlagsBits.Administrator ? ALL_PERMISSIONS : bits;
};

/** The bot's permissions in a channel: its roles, minus the per-channel deny the fake puts on locked channels. */
export const botChannelPermissions = (
  guild: GuildState,
  channel: ChannelState | undefined,
  botUserId: string,
): bigint => {
  const bits = memberPermissions(guild, botUserId, [guild.botRoleId]);
  return channel && !channel.botCanSend ? bits & ~PermissionFlagsBits.SendMessages : bits;
};

const overwrites = (channel: ChannelState, botUserId: string): APIOverwrite[] =>
  channel.botCanSend
    ? []
    : [
        {
          id: botUserId,
          type: OverwriteType.Member,
          allow: '0',
          deny: PermissionFlagsBits.SendMessages.toString(),
        },
      ];

export const apiChannel = (channel: ChannelState, botUserId: string): APIChannel => {
  if (channel.type === ChannelType.DM) {
    return {
      id: channel.id,
      type: ChannelType.DM,
      name: null,
      last_message_id: null,
      flags: 0 as ChannelFlags,
      recipients: channel.recipient ? [channel.recipient] : [],
    };
  }
  return {
    id: channel.id,
    type: ChannelType.GuildText,
    guild_id: channel.guildId ?? '',
    name: channel.name,
    position: channel.position,
    permission_overwrites: overwrites(channel, botUserId),
    parent_id: null,
    topic: null,
    nsfw: false,
    last_message_id: null,
    rate_limit_per_user: 0,
    default_auto_archive_duration: 1440,
    default_thread_rate_limit_per_user: 0,
    flags: 0 as ChannelFlags,
  };
};

export const apiGuild = (guild: GuildState): APIGuild => ({
  id: guild.id,
  name: guild.name,
  icon: null,
  splash: null,
  discovery_splash: null,
  owner_id: guild.ownerId,
  region: 'us-east',
  afk_channel_id: null,
  afk_timeout: 300,
  widget_enabled: false,
  widget_channel_id: null,
  verification_level: GuildVerificationLevel.Low,
  default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
  explicit_content_filter: GuildExplicitContentFilter.AllMembers,
  roles: guild.roles,
  emojis: [],
  features: [],
  mfa_level: GuildMFALevel.None,
  application_id: null,
  system_channel_id: guild.channels[0]?.id ?? null,
  system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
  rules_channel_id: null,
  max_presences: null,
  max_members: 500_000,
  vanity_url_code: null,
  description: null,
  banner: null,
  premium_tier: guild.premiumTier as GuildPremiumTier,
  premium_subscription_count: 0,
  preferred_locale: guild.preferredLocale as Locale,
  public_updates_channel_id: null,
  max_video_channel_users: 25,
  max_stage_video_channel_users: 50,
  nsfw_level: GuildNSFWLevel.Default,
  stickers: [],
  premium_progress_bar_enabled: false,
  hub_type: null,
  safety_alerts_channel_id: null,
  incidents_data: null,
});

export const guildCreate = (guild: GuildState, botUserId: string): GatewayGuildCreateDispatchData => ({
  ...apiGuild(guild),
  joined_at: guild.joinedAt,
  large: false,
  unavailable: false,
  member_count: Math.max(2, guild.members.size),
  voice_states: [],
  members: [...guild.members.values()].filter((m) => m.user.id === botUserId),
  channels: guild.channels.map((c) => apiChannel(c, botUserId)) as GatewayGuildCreateDispatchData['channels'],
  threads: [],
  presences: [],
  stage_instances: [],
  guild_scheduled_events: [],
  soundboard_sounds: [],
});

export const apiMessage = (m: StoredMessage): APIMessage => ({
  id: m.id,
  channel_id: m.channel_id,
  author: apiUser(m.author),
  content: m.content,
  timestamp: m.timestamp,
  edited_timestamp: m.edited_timestamp,
  tts: false,
  mention_everyone: false,
  mentions: (m.mentions ?? []) as APIUser[],
  mention_roles: [],
  attachments: m.attachments.map((a) => ({ ...a })),
  embeds: m.embeds as APIEmbed[],
  pinned: false,
  type: m.type as MessageType,
  flags: m.flags ?? 0,
  components: m.components as APIMessageTopLevelComponent[],
  ...(m.webhook_id ? { webhook_id: m.webhook_id } : {}),
  ...(m.application_id ? { application_id: m.application_id } : {}),
  ...(m.interaction_metadata
    ? { interaction_metadata: m.interaction_metadata as unknown as APIMessage['interaction_metadata'] }
    : {}),
  ...(m.message_reference
    ? { message_reference: m.message_reference as APIMessage['message_reference'] }
    : {}),
});

/** The public view of a stored message: a copy, so a test holding it does not see later edits. */
export const snapshot = (m: StoredMessage): FakeMessage => structuredClone(m);

// --- application command options ---

interface OptionDefinition {
  name: string;
  type: number;
  options?: OptionDefinition[];
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const definitionsOf = (v: unknown): OptionDefinition[] =>
  Array.isArray(v)
    ? v.filter(isRecord).map((o) => ({
        name: String(o.name),
        type: Number(o.type),
        options: definitionsOf(o.options),
      }))
    : [];

const inferType = (value: string | number | boolean): number =>
  typeof value === 'boolean' ? 5 : typeof value === 'number' ? (Number.isInteger(value) ? 4 : 10) : 3;

/**
 * Options as Discord sends them: the type comes from the registered command when there is one, else from the value;
 * a subcommand wraps the options the way Discord nests them.
 */
export const commandOptions = (
  input: { options?: OptionInput[]; subcommand?: string },
  registeredOptions: unknown,
): APIApplicationCommandInteractionDataOption[] => {
  const defs = definitionsOf(registeredOptions);
  const build = (
    options: OptionInput[],
    scope: OptionDefinition[],
  ): APIApplicationCommandInteractionDataOption[] =>
    options.map((o) => {
      const type = o.type ?? scope.find((d) => d.name === o.name)?.type ?? inferType(o.value);
      const built: Record<string, unknown> = { name: o.name, type, value: o.value };
      if (o.focused) built.focused = true;
      if (o.options) {
        delete built.value;
        built.options = o.options;
      }
      return built as unknown as APIApplicationCommandInteractionDataOption;
    });
  if (!input.subcommand) return build(input.options ?? [], defs);
  const sub = defs.find((d) => d.name === input.subcommand);
  return [
    {
      name: input.subcommand,
      type: 1,
      options: build(input.options ?? [], sub?.options ?? []),
    } as APIApplicationCommandInteractionDataOption,
  ];
};

// --- modal submissions ---

/**
 * The components of a modal submission, mirroring the modal the bot showed (legacy action rows or label components)
 * so discord.js parses the submission the way it would parse Discord's; fields the modal did not have are appended
 * as action rows.
 */
export const modalSubmission = (
  modal: unknown,
  fields: Record<string, string>,
): APIModalSubmissionComponent[] => {
  const used = new Set<string>();
  const answer = (c: Record<string, unknown>): Record<string, unknown> => {
    const customId = String(c.custom_id ?? '');
    used.add(customId);
    const value = fields[customId] ?? '';
    return c.type === 4
      ? { type: 4, id: c.id, custom_id: customId, value }
      : { type: c.type, id: c.id, custom_id: customId, values: value === '' ? [] : value.split(',') };
  };
  const components =
    isRecord(modal) && Array.isArray(modal.components) ? modal.components.filter(isRecord) : [];
  const mirrored: Record<string, unknown>[] = components.map((c) => {
    if (Array.isArray(c.components)) {
      return { type: c.type, id: c.id, components: c.components.filter(isRecord).map(answer) };
    }
    if (isRecord(c.component)) return { type: c.type, id: c.id, component: answer(c.component) };
    return { type: c.type, id: c.id };
  });
  for (const [customId, value] of Object.entries(fields)) {
    if (!used.has(customId))
      mirrored.push({ type: 1, components: [{ type: 4, custom_id: customId, value }] });
  }
  return mirrored as unknown as APIModalSubmissionComponent[];
};
