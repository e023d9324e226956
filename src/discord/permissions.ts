// Who may do what. A moderator: Manage Server (or Administrator), or one of MOD_ROLE_IDS. Checked on the server side
// for every command and button, whatever Discord's default member permissions say. Who may ask for a seed: SEED_ACCESS.
import { PermissionFlagsBits } from 'discord.js';
import type { Config } from '../config.js';
import { UserFacingError } from './errors.js';

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

/** Who asks: any interaction (commands, autocomplete, buttons, modals). */
export type Asker = Parameters<typeof memberOf>[0] & { user: { id: string } };

/** The part of the config the access rules read. */
export interface AccessConfig {
  seed: Pick<Config['seed'], 'access'>;
  moderation: Pick<Config['moderation'], 'roleIds'>;
}

/** The one moderator check for an interaction. */
export const isModeratorAsker = (interaction: Asker, config: Pick<AccessConfig, 'moderation'>): boolean =>
  isModerator(memberOf(interaction), config.moderation.roleIds);

/**
 * SEED_ACCESS: `anyone`; `owner` = only the member the Midjourney message mentions (an unknown owner is refused);
 * `moderators` = Manage Server or a MOD_ROLE_IDS role.
 */
export function assertSeedAccess(
  interaction: Asker,
  config: AccessConfig,
  owner: { known: false } | { known: true; ownerId: string | undefined },
): void {
  const access = config.seed.access;
  if (access === 'anyone') return;
  if (access === 'moderators') {
    if (!isModeratorAsker(interaction, config)) throw new UserFacingError('error.moderatorsOnly');
    return;
  }
  if (!owner.known || !owner.ownerId) throw new UserFacingError('error.ownerUnknown');
  if (owner.ownerId !== interaction.user.id) throw new UserFacingError('error.notOwner');
}

/** May this member ask at all (before we know whose image it is)? Only `moderators` can say no this early. */
export function assertMayAsk(interaction: Asker, config: AccessConfig): void {
  if (config.seed.access === 'moderators') assertSeedAccess(interaction, config, { known: false });
}
