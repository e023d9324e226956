import { PermissionFlagsBits } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/discord/errors.js';
import {
  assertMayAsk,
  assertSeedAccess,
  isModerator,
  isModeratorAsker,
  memberOf,
} from '../../src/discord/permissions.js';

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

describe('access rules', () => {
  const asker = (opts: { userId?: string; roles?: string[]; permissions?: bigint }) => ({
    user: { id: opts.userId ?? '700000000000000001' },
    memberPermissions: opts.permissions === undefined ? null : { bitfield: opts.permissions },
    member: { roles: opts.roles ?? [] },
  });
  const config = (access: 'anyone' | 'owner' | 'moderators') => ({
    seed: { access },
    moderation: { roleIds: [MOD_ROLE] },
  });
  const refusal = (fn: () => void) => {
    try {
      fn();
    } catch (e) {
      return e instanceof UserFacingError ? e.key : `not a UserFacingError: ${String(e)}`;
    }
    return undefined;
  };

  it('isModeratorAsker reads the interaction and MOD_ROLE_IDS', () => {
    expect(isModeratorAsker(asker({ roles: [MOD_ROLE] }), config('anyone'))).toBe(true);
    expect(isModeratorAsker(asker({ permissions: PermissionFlagsBits.ManageGuild }), config('anyone'))).toBe(
      true,
    );
    expect(isModeratorAsker(asker({ roles: [OTHER_ROLE] }), config('anyone'))).toBe(false);
  });
  it('anyone: everybody may ask, whoever owns the image', () => {
    expect(refusal(() => assertMayAsk(asker({}), config('anyone')))).toBeUndefined();
    expect(
      refusal(() =>
        assertSeedAccess(asker({}), config('anyone'), { known: true, ownerId: '700000000000000009' }),
      ),
    ).toBeUndefined();
  });
  it('moderators: refuses a member early, lets a moderator through', () => {
    expect(refusal(() => assertMayAsk(asker({}), config('moderators')))).toBe('error.moderatorsOnly');
    expect(refusal(() => assertMayAsk(asker({ roles: [MOD_ROLE] }), config('moderators')))).toBeUndefined();
  });
  it('owner: cannot say no before the owner is known, then only the owner passes', () => {
    const me = '700000000000000001';
    expect(refusal(() => assertMayAsk(asker({ userId: me }), config('owner')))).toBeUndefined();
    expect(
      refusal(() => assertSeedAccess(asker({ userId: me }), config('owner'), { known: true, ownerId: me })),
    ).toBe(undefined);
    expect(
      refusal(() =>
        assertSeedAccess(asker({ userId: me }), config('owner'), {
          known: true,
          ownerId: '7000000000000002',
        }),
      ),
    ).toBe('error.notOwner');
    expect(
      refusal(() =>
        assertSeedAccess(asker({ userId: me }), config('owner'), { known: true, ownerId: undefined }),
      ),
    ).toBe('error.ownerUnknown');
    expect(refusal(() => assertSeedAccess(asker({ userId: me }), config('owner'), { known: false }))).toBe(
      'error.ownerUnknown',
    );
  });
});
