// Who is a moderator: Manage Server, or one of MOD_ROLE_IDS. Checked on the server side for every command and
// button, whatever Discord's default member permissions say.
import { PermissionFlagsBits } from 'discord.js';

export interface MemberLike {
  /** The member's permissions in the channel, as Discord sends them with the interaction. */
  permissions: bigint | undefined;
  roleIds: readonly string[];
}

export function isModerator(member: MemberLike, modRoleIds: readonly string[]): boolean {
  if (member.permissions !== undefined && (member.permissions & PermissionFlagsBits.ManageGuild) !== 0n)
    return true;
  if (member.permissions !== undefined && (member.permissions & PermissionFlagsBits.Administrator) !== 0n)
    return true;
  return member.roleIds.some((r) => modRoleIds.includes(r));
}

/** Reads the member of an interaction (cached GuildMember or the raw API member). */
export function memberOf(interaction: {
  memberPermissions: { bitfield: bigint } | null;
  member: { roles: unknown } | null;
}): MemberLike {
  const roles = interaction.member?.roles;
  let roleIds: string[] = [];
  if (Array.isArray(roles)) roleIds = roles.map(String);
  else if (roles && typeof roles === 'object' && 'cache' in roles) {
    roleIds = [...(roles as { cache: Map<string, unknown> }).cache.keys()];
  }
  return { permissions: interaction.memberPermissions?.bitfield, roleIds };
}
