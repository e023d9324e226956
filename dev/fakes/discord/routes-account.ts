// GET /gateway(/bot), the bot user, DM channels and the application.
import { randomBytes } from 'node:crypto';
import { RESTJSONErrorCodes } from 'discord-api-types/v10';
import { apiChannel, apiUser } from '../interaction-data.js';
import { apiError, type Handler, isRecord, type Route } from './common.js';
import type { RestKit } from './rest-kit.js';
import type { World } from './world.js';

export function createAccountRoutes(w: World & RestKit): Route[] {
  const { botUserId, applicationId, shardCount, botUser, guilds, users, requireBot, reject, dmChannelFor } =
    w;
  return [
    ['GET', 'gateway', () => ({ status: 200, body: { url: w.wsUrl } })],
    [
      'GET',
      'gateway/bot',
      (ctx) => {
        requireBot(ctx);
        return {
          status: 200,
          body: {
            url: w.wsUrl,
            shards: shardCount,
            session_start_limit: {
              total: 1000,
              remaining: Math.max(0, 1000 - w.identifies),
              reset_after: 14_400_000,
              max_concurrency: Math.max(1, shardCount),
            },
          },
        };
      },
    ],
    [
      'GET',
      'users/@me',
      (ctx) => {
        requireBot(ctx);
        return {
          status: 200,
          body: {
            ...botUser,
            mfa_enabled: true,
            locale: 'en-US',
            verified: true,
            flags: 0,
            banner: null,
            accent_color: null,
          },
        };
      },
    ],
    [
      'GET',
      'users/:user',
      (ctx, { user = '' }) => {
        requireBot(ctx);
        const u = users.get(user);
        if (!u) throw apiError(404, RESTJSONErrorCodes.UnknownUser, 'Unknown User');
        return { status: 200, body: u };
      },
    ],
    [
      'POST',
      'users/@me/channels',
      (ctx) => {
        requireBot(ctx);
        const recipient = isRecord(ctx.body) ? ctx.body.recipient_id : undefined;
        if (typeof recipient !== 'string') {
          reject(ctx, [
            { path: ['recipient_id'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' },
          ]);
        }
        return { status: 200, body: apiChannel(dmChannelFor(String(recipient)), botUserId) };
      },
    ],
    ...(['applications/@me', 'oauth2/applications/@me'].map((path): [string, string, Handler] => [
      'GET',
      path,
      (ctx) => {
        requireBot(ctx);
        return {
          status: 200,
          body: {
            id: applicationId,
            name: botUser.username,
            icon: null,
            description: '',
            summary: '',
            type: null,
            bot: botUser,
            bot_public: true,
            bot_require_code_grant: false,
            verify_key: randomBytes(32).toString('hex'),
            flags: 0,
            team: null,
            owner: apiUser({ id: '1100000000000000099', username: 'owner' }),
            approximate_guild_count: guilds.size,
            redirect_uris: [],
            interactions_endpoint_url: null,
            integration_types_config: { '0': {} },
          },
        };
      },
    ]) as [string, string, Handler][]),
  ];
}
