// MOD_ALERT_CHANNEL_ID: exists, is a text channel, and the bot may post there (computed, nothing posted).
import { PermissionFlagsBits, RESTJSONErrorCodes } from 'discord.js';
import type { Config } from '../config.js';
import { type Check, failure, pass, skip } from './check.js';
import { type Discord, describe, discordCode, record } from './http.js';

const NEEDED: [bigint, string][] = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];
const ALL = (1n << 64n) - 1n;

interface Overwrite {
  id: string;
  type: number;
  allow: string;
  deny: string;
}

/** Discord's permission algorithm for one member in one channel: base from roles, then the channel's overwrites. */
export function channelPermissions(input: {
  guildId: string;
  ownerId: string | undefined;
  roles: { id: string; permissions: string }[];
  userId: string;
  memberRoles: string[];
  overwrites: Overwrite[];
}): bigint {
  if (input.userId === input.ownerId) return ALL;
  let bits = 0n;
  for (const r of input.roles)
    if (r.id === input.guildId || input.memberRoles.includes(r.id)) bits |= BigInt(r.permissions);
  if (bits & PermissionFlagsBits.Administrator) return ALL;
  const apply = (o: { allow: bigint; deny: bigint }) => {
    bits = (bits & ~o.deny) | o.allow;
  };
  const everyone = input.overwrites.find((o) => o.id === input.guildId);
  if (everyone) apply({ allow: BigInt(everyone.allow), deny: BigInt(everyone.deny) });
  const roleOverwrites = input.overwrites.filter((o) => o.type === 0 && input.memberRoles.includes(o.id));
  apply({
    allow: roleOverwrites.reduce((n, o) => n | BigInt(o.allow), 0n),
    deny: roleOverwrites.reduce((n, o) => n | BigInt(o.deny), 0n),
  });
  const own = input.overwrites.find((o) => o.type === 1 && o.id === input.userId);
  if (own) apply({ allow: BigInt(own.allow), deny: BigInt(own.deny) });
  return bits;
}

const TEXT_CHANNELS = new Set([0, 5]);
const THREADS = new Set([10, 11, 12]);

const NAME = 'Moderator alert channel';

/** What the check goes on with once the channel is known to be a server's text channel or thread. */
interface AlertChannel {
  id: string;
  /** `#name`, for the report. */
  label: string;
  guildId: string;
  isThread: boolean;
  /** The channel as Discord answered it (its overwrites are read later). */
  body: Record<string, unknown>;
}

/** GET /channels/<id>: the channel, or the failed check that says why it cannot be used. */
async function readAlertChannel(discord: Discord, id: string): Promise<AlertChannel | Check> {
  const channel = await discord.get(`/channels/${id}`);
  if (channel.status === 404 || discordCode(channel) === RESTJSONErrorCodes.UnknownChannel)
    return failure(
      NAME,
      `channel ${id} does not exist (or the bot is not in its server)`,
      'Copy the channel id again (right-click the channel → Copy Channel ID) into MOD_ALERT_CHANNEL_ID.',
    );
  if (channel.status === 403)
    return failure(
      NAME,
      `the bot cannot see channel ${id} (${describe(channel)})`,
      "Give the bot's role View Channel, Send Messages and Embed Links in that channel.",
    );
  if (channel.status !== 200)
    return failure(NAME, `GET /channels/${id} answered ${describe(channel)}`, 'Try again in a minute.');
  const body = record(channel.body);
  const label = `#${String(body.name ?? id)}`;
  const guildId = typeof body.guild_id === 'string' ? body.guild_id : undefined;
  if (!guildId) return failure(NAME, `${id} is not a server channel`, 'Use a text channel of your server.');
  const type = Number(body.type);
  if (!TEXT_CHANNELS.has(type) && !THREADS.has(type))
    return failure(
      NAME,
      `${label} is not a text channel (type ${type})`,
      'Use a text channel the moderators read.',
    );
  return { id, label, guildId, isThread: THREADS.has(type), body };
}

/** The bot's permissions in the channel, from the guild's roles, the bot member's roles and the overwrites. */
function botPermissions(
  channel: AlertChannel,
  guild: Record<string, unknown>,
  member: Record<string, unknown>,
  botUserId: string,
): bigint {
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
  return channelPermissions({
    guildId: channel.guildId,
    ownerId: typeof guild.owner_id === 'string' ? guild.owner_id : undefined,
    roles: list(guild.roles)
      .map(record)
      .map((r) => ({ id: String(r.id), permissions: String(r.permissions ?? '0') })),
    userId: botUserId,
    memberRoles: list(member.roles).map(String),
    overwrites: list(channel.body.permission_overwrites)
      .map(record)
      .map((o) => ({
        id: String(o.id),
        type: Number(o.type),
        allow: String(o.allow ?? '0'),
        deny: String(o.deny ?? '0'),
      })),
  });
}

/** Passed when the bot has every permission it needs to post an alert; otherwise which ones to allow. */
function permissionVerdict(label: string, guildName: string, bits: bigint): Check {
  const lacking = NEEDED.filter(([bit]) => (bits & bit) !== bit).map(([, permission]) => permission);
  const how = "computed from the server's roles and the channel's overwrites; nothing was posted";
  if (lacking.length)
    return failure(
      NAME,
      `${label} in ${guildName}: the bot lacks ${lacking.join(', ')} (${how})`,
      `Channel settings → Permissions: allow ${lacking.join(', ')} for the bot's role in ${label}.`,
    );
  return pass(NAME, `${label} in ${guildName}: the bot may view, post and embed there (${how})`);
}

export async function checkAlertChannel(
  config: Pick<Config, 'moderation'>,
  discord: Discord,
  botUserId: string,
): Promise<Check> {
  const id = config.moderation.alertChannelId;
  if (!id)
    return skip(
      NAME,
      'MOD_ALERT_CHANNEL_ID not set: moderators get no alert message when an account is held (596)',
    );
  const channel = await readAlertChannel(discord, id);
  if ('ok' in channel) return channel; // the failed check that says why
  const { label, guildId } = channel;
  const [guild, member] = await Promise.all([
    discord.get(`/guilds/${guildId}`),
    discord.get(`/guilds/${guildId}/members/${botUserId}`),
  ]);
  if (guild.status !== 200 || member.status !== 200)
    return pass(
      NAME,
      `${label} exists; could not read the roles to compute the bot's permissions (${describe(guild.status !== 200 ? guild : member)}), so posting is not verified`,
      {
        warning: true,
        fix: "Check that the bot's role has View Channel, Send Messages and Embed Links in that channel.",
      },
    );
  const g = record(guild.body);
  if (channel.isThread)
    return pass(
      NAME,
      `${label} in ${String(g.name)} is a thread: it exists; permissions are not computed for threads`,
      {
        warning: true,
        fix: 'Prefer a text channel: threads get archived and then the bot cannot post there.',
      },
    );
  const bits = botPermissions(channel, g, record(member.body), botUserId);
  return permissionVerdict(label, String(g.name), bits);
}
