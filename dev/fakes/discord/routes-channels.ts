// Channels and their messages (post, read, edit, delete, typing), and fresh signatures for CDN links.
import { GatewayIntentBits, MessageType, RESTJSONErrorCodes } from 'discord-api-types/v10';
import { signCdnUrl } from '../cdn.js';
import { apiChannel } from '../interaction-data.js';
import { checkArray, checkUrl, type Issue, requiredIssue } from './checks.js';
import {
  apiError,
  type Ctx,
  DAY_SECONDS,
  type Handler,
  hidesContent,
  isRecord,
  messageReply,
  type Reply,
  type Route,
  withoutContent,
} from './common.js';
import type { Dispatcher } from './dispatch.js';
import type { Guards } from './guards.js';
import type { Lookups } from './lookups.js';
import type { MessageStore } from './store.js';
import type { World } from './world.js';

export function createChannelRoutes({
  world,
  guards,
  lookups,
  messages,
  dispatcher,
}: {
  world: World;
  guards: Guards;
  lookups: Lookups;
  messages: MessageStore;
  dispatcher: Dispatcher;
}): Route[] {
  const { asBot, checkUploads, validateMessage } = guards;
  const { channelOr404, channelMessage } = lookups;

  const postMessage: Handler = (ctx, { channel = '' }) => {
    const c = channelOr404(channel);
    if (!c.botCanSend) throw apiError(403, RESTJSONErrorCodes.MissingPermissions, 'Missing Permissions');
    checkUploads(ctx, c.guildId);
    const p = validateMessage(ctx, ctx.body, [], true);
    const type = p.message_reference ? MessageType.Reply : MessageType.Default;
    const m = messages.createMessage({
      channelId: c.id,
      guildId: c.guildId,
      payload: p,
      uploads: ctx.uploads,
      type,
    });
    const posts = world.channelPosts.get(c.id) ?? [];
    posts.push(m.id);
    world.channelPosts.set(c.id, posts);
    dispatcher.dispatchMessageCreate(m);
    return messageReply(m);
  };

  const readMessage: Handler = (_ctx, { channel = '', message = '' }) => {
    const m = channelMessage(channel, message);
    const reply = messageReply(m);
    // A bot without the Message Content intent on any session reads other people's messages without their content.
    const mayRead = world.liveSessions().some((s) => s.intents & GatewayIntentBits.MessageContent);
    if (!mayRead && hidesContent(m, world.botUserId)) Object.assign(reply.body as object, withoutContent());
    return reply;
  };

  const editMessage: Handler = (ctx, { channel = '', message = '' }) => {
    const m = channelMessage(channel, message);
    if (m.author.id !== world.botUserId) {
      const code = RESTJSONErrorCodes.CannotEditMessageAuthoredByAnotherUser;
      throw apiError(403, code, 'Cannot edit a message authored by another user');
    }
    checkUploads(ctx, m.guild_id);
    messages.applyEdit(m, validateMessage(ctx, ctx.body, [], false), ctx.uploads);
    return messageReply(m);
  };

  const deleteMessage: Handler = (_ctx, { channel = '', message = '' }) => {
    world.messages.delete(channelMessage(channel, message).id);
    return { status: 204 };
  };

  const channelPath = 'channels/:channel';
  const messagePath = 'channels/:channel/messages/:message';
  return [
    [
      'GET',
      channelPath,
      asBot((_ctx, { channel = '' }) => ({
        status: 200,
        body: apiChannel(channelOr404(channel), world.botUserId),
      })),
    ],
    ['POST', `${channelPath}/messages`, asBot(postMessage)],
    [
      'POST',
      `${channelPath}/typing`,
      asBot((_ctx, { channel = '' }) => {
        channelOr404(channel);
        return { status: 204 };
      }),
    ],
    ['GET', messagePath, asBot(readMessage)],
    ['PATCH', messagePath, asBot(editMessage)],
    ['DELETE', messagePath, asBot(deleteMessage)],
    ['POST', 'attachments/refresh-urls', asBot((ctx) => refreshUrls(ctx, guards.rejectAny))],
  ];
}

/** POST /attachments/refresh-urls: the same links, signed again for a day. */
function refreshUrls(ctx: Ctx, rejectAny: Guards['rejectAny']): Reply {
  const urls = isRecord(ctx.body) ? ctx.body.attachment_urls : undefined;
  const issues: Issue[] = [];
  const list = checkArray(issues, urls, ['attachment_urls'], 50, 1);
  if (!list) issues.push(requiredIssue(['attachment_urls']));
  list?.forEach((u, i) => {
    checkUrl(issues, u, ['attachment_urls', i], false);
  });
  rejectAny(ctx, issues);
  const expires = Math.floor(Date.now() / 1000) + DAY_SECONDS;
  const refreshed = (list ?? []).map((u) => ({ original: u, refreshed: signCdnUrl(String(u), expires) }));
  return { status: 200, body: { refreshed_urls: refreshed } };
}
