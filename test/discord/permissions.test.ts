import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { isModerator, memberOf } from '../../src/discord/permissions.js';

const MOD_ROLE = '899999999999999999';
const OTHER_ROLE = '888888888888888888';

describe('isModerator', () => {
  it('accepts Manage Server', () => {
    expect(isModerator({ permissions: PermissionFlagsBits.ManageGuild, roleIds: [] }, [])).toBe(true);
  });
  it('accepts Administrator', () => {
    expect(isModerator({ permissions: PermissionFlagsBits.Administrator, roleIds: [] }, [])).toBe(true);
  });
  it('accepts a member with one of MOD_ROLE_IDS', () => {
    expect(isModerator({ permissions: 0n, roleIds: [OTHER_ROLE, MOD_ROLE] }, [MOD_ROLE])).toBe(true);
  });
  it('refuses everyone else, and a member without permissions (a DM)', () => {
    const everyday = PermissionFlagsBits.SendMessages | PermissionFlagsBits.ManageMessages;
    expect(isModerator({ permissions: everyday, roleIds: [OTHER_ROLE] }, [MOD_ROLE])).toBe(false);
    expect(isModerator({ permissions: undefined, roleIds: [] }, [MOD_ROLE])).toBe(false);
  });
});

describe('memberOf', () => {
  it('reads the raw API member (role ids as an array)', () => {
    expect(memberOf({ memberPermissions: { bitfield: 32n }, member: { roles: [MOD_ROLE] } })).toEqual({
      permissions: 32n,
      roleIds: [MOD_ROLE],
    });
  });
  it('reads a cached GuildMember (roles in a cache map)', () => {
    const roles = { cache: new Map([[MOD_ROLE, {}]]) };
    expect(memberOf({ memberPermissions: null, member: { roles } })).toEqual({
      permissions: undefined,
      roleIds: [MOD_ROLE],
    });
  });
  it('has no roles and no permissions outside a guild', () => {
    expect(memberOf({ memberPermissions: null, member: null })).toEqual({
      permissions: undefined,
      roleIds: [],
    });
  });
});
