// What discord.js keeps in memory for this bot: only what the code reads back. Left at discord.js's defaults, every
// member who ever used a command stays cached as a User and a GuildMember (measured: 3,021 of each after 3,000
// members), and every fetched message up to 200 per channel, which grows with the server, not with the work.
//
// What the bot reads from the caches: guilds (premium tier for the upload limit, preferred locale), their channels and
// roles (a member's roles resolve through the guild's roles), and itself. Members and their permissions come with each
// interaction; messages are fetched by id when needed and used at once. GuildManager, ChannelManager, RoleManager and
// PermissionOverwriteManager are left alone: discord.js does not support limiting them, and they grow with the
// server's structure (a few hundred channels and roles), not with its members.
import { type ClientOptions, Options } from 'discord.js';

/** Keep nothing but the bot itself (discord.js's own advice for member caches: never evict the client's member). */
const onlySelf = <T extends { id: string; client: { user: { id: string } | null } }>(maxSize = 0) => ({
  maxSize,
  keepOverLimit: (value: T) => value.id === value.client.user?.id,
});

export const discordCaches = (): Pick<ClientOptions, 'makeCache' | 'sweepers'> => ({
  makeCache: Options.cacheWithLimits({
    ...Options.DefaultMakeCacheSettings,
    // The interaction brings the member, their roles and permissions; the member is built for it, then dropped.
    UserManager: onlySelf(),
    GuildMemberManager: onlySelf(),
    ThreadMemberManager: 0,
    PresenceManager: 0,
    VoiceStateManager: 0,
    // A message the bot reads (a link, a reply's parent) is fetched by id and used at once; sent ones are not read.
    MessageManager: 0,
    ReactionManager: 0,
    ReactionUserManager: 0,
    // Nothing the bot does involves these.
    ApplicationCommandManager: 0,
    ApplicationEmojiManager: 0,
    AutoModerationRuleManager: 0,
    BaseGuildEmojiManager: 0,
    EntitlementManager: 0,
    GuildBanManager: 0,
    GuildEmojiManager: 0,
    GuildInviteManager: 0,
    GuildScheduledEventManager: 0,
    GuildStickerManager: 0,
    StageInstanceManager: 0,
  }),
  // Threads are channels (a link may point into one): archived ones are swept as discord.js does by default.
  sweepers: { ...Options.DefaultSweeperSettings },
});
