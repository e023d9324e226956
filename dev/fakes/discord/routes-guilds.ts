// A guild, its channels, roles and members, as the bot reads them.
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiChannel, apiGuild } from '../interaction-data.js';
import { apiError, type Route } from './common.js';
import type { ReadRouteParts } from './lookups.js';

export function createGuildRoutes({ world, guards, lookups }: ReadRouteParts): Route[] {
  const { asBot } = guards;
  const { guildOr404 } = lookups;
  return [
    [
      'GET',
      'guilds/:guild',
      asBot((ctx, { guild = '' }) => {
        const g = guildOr404(guild);
        const counts =
          ctx.query.with_counts === 'true'
            ? { approximate_member_count: Math.max(2, g.members.size), approximate_presence_count: 1 }
            : {};
        return { status: 200, body: { ...apiGuild(g), ...counts } };
      }),
    ],
    [
      'GET',
      'guilds/:guild/channels',
      asBot((_ctx, { guild = '' }) => ({
        status: 200,
        body: guildOr404(guild).channels.map((c) => apiChannel(c, world.botUserId)),
      })),
    ],
    [
      'GET',
      'guilds/:guild/roles',
      asBot((_ctx, { guild = '' }) => ({ status: 200, body: guildOr404(guild).roles })),
    ],
    [
      'GET',
      'guilds/:guild/members/:user',
      asBot((_ctx, { guild = '', user = '' }) => {
        const m = guildOr404(guild).members.get(user);
        if (!m) throw apiError(404, RESTJSONErrorCodes.UnknownMember, 'Unknown Member');
        return { status: 200, body: m };
      }),
    ],
  ];
}
