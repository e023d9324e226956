// GET /gateway(/bot), the bot user, DM channels and the application.
import { randomBytes } from 'node:crypto';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiChannel, apiUser } from '../interaction-data.js';
import { requiredIssue } from './checks.js';
import { apiError, isRecord, type Route } from './common.js';
import type { ReadRouteParts } from './lookups.js';
import type { World } from './world.js';

export function createAccountRoutes({ world, guards, lookups }: ReadRouteParts): Route[] {
  const { asBot, reject } = guards;
  return [
    ['GET', 'gateway', () => ({ status: 200, body: { url: world.wsUrl } })],
    ['GET', 'gateway/bot', asBot(() => ({ status: 200, body: gatewayBot(world) }))],
    ['GET', 'users/@me', asBot(() => ({ status: 200, body: botUserAnswer(world) }))],
    [
      'GET',
      'users/:user',
      asBot((_ctx, { user = '' }) => {
        const u = world.users.get(user);
        if (!u) throw apiError(404, RESTJSONErrorCodes.UnknownUser, 'Unknown User');
        return { status: 200, body: u };
      }),
    ],
    [
      'POST',
      'users/@me/channels',
      asBot((ctx) => {
        const recipient = isRecord(ctx.body) ? ctx.body.recipient_id : undefined;
        if (typeof recipient !== 'string') reject(ctx, [requiredIssue(['recipient_id'])]);
        return { status: 200, body: apiChannel(lookups.dmChannelFor(String(recipient)), world.botUserId) };
      }),
    ],
    ...['applications/@me', 'oauth2/applications/@me'].map(
      (path): Route => ['GET', path, asBot(() => ({ status: 200, body: application(world) }))],
    ),
  ];
}

const gatewayBot = (world: World) => ({
  url: world.wsUrl,
  shards: world.shardCount,
  session_start_limit: {
    total: 1000,
    remaining: Math.max(0, 1000 - world.identifies),
    reset_after: 14_400_000,
    max_concurrency: Math.max(1, world.shardCount),
  },
});

const botUserAnswer = (world: World) => ({
  ...world.botUser,
  mfa_enabled: true,
  locale: 'en-US',
  verified: true,
  flags: 0,
  banner: null,
  accent_color: null,
});

const application = (world: World) => ({
  id: world.applicationId,
  name: world.botUser.username,
  icon: null,
  description: '',
  summary: '',
  type: null,
  bot: world.botUser,
  bot_public: true,
  bot_require_code_grant: false,
  verify_key: randomBytes(32).toString('hex'),
  flags: 0,
  team: null,
  owner: apiUser({ id: '1100000000000000099', username: 'owner' }),
  approximate_guild_count: world.guilds.size,
  redirect_uris: [],
  interactions_endpoint_url: null,
  integration_types_config: { '0': {} },
});
