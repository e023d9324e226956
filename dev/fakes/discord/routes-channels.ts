import { GatewayIntentBits, MessageType, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { signCdnUrl } from '../cdn.js';
import { apiChannel, apiGuild } from '../interaction-data.js';
import { checkArray, checkUrl, type Issue } from './checks.js';
import { apiError, DAY_SECONDS, isRecord, type Route } from './common.js';
import type { Gateway } from './gateway.js';
import type { RestKit } from './rest-kit.js';
import type { MessageStore } from './store.js';
import type { World } from './world.js';

export function createChannelRoutes(w: World & RestKit & MessageStore & Gateway): Route[] {
  const {
    botUserId,
    messages,
    channelPosts,
    liveSessions,
    dispatchMessageCreate,
    createMessage,
    applyEdit,
    requireBot,
    reject,
    checkUploads,
    validateMessage,
    channelOr404,
    channelMessage,
    guildOr404,
    messageReply,
  } = w;
  return [
    [
      'GET',
      'channels/:channel',
      (ctx, { channel = '' }) => {
        requireBot(ctx);
        return { status: 200, body: apiChannel(channelOr404(channel), botUserId) };
      },
    ],
    [
      'POST',
      'channels/:channel/messages',
      (ctx, { channel = '' }) => {
        requireBot(ctx);
        const c = channelOr404(channel);
        if (!c.botCanSend) throw apiError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions');
        checkUploads(ctx, c.guildId);
        const p = validateMessage(ctx, ctx.body, [], true);
        const m = createMessage({
          channelId: c.id,
          guildId: c.guildId,
          payload: p,
          uploads: ctx.uploads,
          type: p.message_reference ? MessageType.Reply : MessageType.Default,
        });
        const posts = channelPosts.get(c.id) ?? [];
        posts.push(m.id);
        channelPosts.set(c.id, posts);
        dispatchMessageCreate(m);
        return messageReply(m);
      },
    ],
    [
      'POST',
      'channels/:channel/typing',
      (ctx, { channel = '' }) => {
        requireBot(ctx);
        channelOr404(channel);
        return { status: 204 };
      },
    ],
    [
      'GET',
      'channels/:channel/messages/:message',
      (ctx, { channel = '', message = '' }) => {
        requireBot(ctx);
        const m = channelMessage(channel, message);
        const reply = messageReply(m);
        // Like Discord: a bot without the privileged Message Content intent reads other people's guild messages
        // without their content, embeds, attachments and components (its own, DMs and mentions of it excepted).
        const mentionsBot = (m.mentions ?? []).some((u) => isRecord(u) && u.id === botUserId);
        const mayRead = liveSessions().some((s) => s.intents & GatewayIntentBits.MessageContent);
        if (!mayRead && m.guild_id && m.author.id !== botUserId && !mentionsBot) {
          Object.assign(reply.body as Record<string, unknown>, {
            content: '',
            embeds: [],
            attachments: [],
            components: [],
          });
        }
        return reply;
      },
    ],
    [
      'PATCH',
      'channels/:channel/messages/:message',
      (ctx, { channel = '', message = '' }) => {
        requireBot(ctx);
        const m = channelMessage(channel, message);
        if (m.author.id !== botUserId) {
          throw apiError(
            403,
            RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser,
            'Cannot edit a message authored by another user',
          );
        }
        checkUploads(ctx, m.guild_id);
        applyEdit(m, validateMessage(ctx, ctx.body, [], false), ctx.uploads);
        return messageReply(m);
      },
    ],
    [
      'DELETE',
      'channels/:channel/messages/:message',
      (ctx, { channel = '', message = '' }) => {
        requireBot(ctx);
        messages.delete(channelMessage(channel, message).id);
        return { status: 204 };
      },
    ],
    [
      'GET',
      'guilds/:guild',
      (ctx, { guild = '' }) => {
        requireBot(ctx);
        const g = guildOr404(guild);
        const counts =
          ctx.query.with_counts === 'true'
            ? { approximate_member_count: Math.max(2, g.members.size), approximate_presence_count: 1 }
            : {};
        return { status: 200, body: { ...apiGuild(g), ...counts } };
      },
    ],
    [
      'GET',
      'guilds/:guild/channels',
      (ctx, { guild = '' }) => {
        requireBot(ctx);
        return { status: 200, body: guildOr404(guild).channels.map((c) => apiChannel(c, botUserId)) };
      },
    ],
    [
      'GET',
      'guilds/:guild/roles',
      (ctx, { guild = '' }) => {
        requireBot(ctx);
        return { status: 200, body: guildOr404(guild).roles };
      },
    ],
    [
      'GET',
      'guilds/:guild/members/:user',
      (ctx, { guild = '', user = '' }) => {
        requireBot(ctx);
        const m = guildOr404(guild).members.get(user);
        if (!m) throw apiError(404, RESTJSONErrorCodes.UnknownMember, 'Unknown Member');
        return { status: 200, body: m };
      },
    ],
    [
      'POST',
      'attachments/refresh-urls',
      (ctx) => {
        requireBot(ctx);
        const urls = isRecord(ctx.body) ? ctx.body.attachment_urls : undefined;
        const issues: Issue[] = [];
        const list = checkArray(issues, urls, ['attachment_urls'], 50, 1);
        if (!list)
          issues.push({
            path: ['attachment_urls'],
            code: 'BASE_TYPE_REQUIRED',
            message: 'This field is required',
          });
        list?.forEach((u, i) => {
          checkUrl(issues, u, ['attachment_urls', i], false);
        });
        if (issues.length) reject(ctx, issues);
        const expires = Math.floor(Date.now() / 1000) + DAY_SECONDS;
        return {
          status: 200,
          body: {
            refreshed_urls: (list ?? []).map((u) => ({
              original: u,
              refreshed: signCdnUrl(String(u), expires),
            })),
          },
        };
      },
    ],
  ];
}
