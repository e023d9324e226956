// The interaction callback and the interaction webhook: @original and follow-ups, read, edited, deleted and posted
// with the interaction's token while it is valid (15 minutes).
import { MessageFlags, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { StoredMessage } from '../interaction-data.js';
import type { Callback } from './callback.js';
import {
  apiError,
  type Handler,
  type InteractionState,
  LOADING_FLAG,
  messageReply,
  now,
  type Route,
} from './common.js';
import type { Guards } from './guards.js';
import { fileInfo, pushEvent } from './handles.js';
import type { MessageStore } from './store.js';
import type { World } from './world.js';

export function createWebhookRoutes({
  world,
  guards,
  messages,
  callback,
}: {
  world: World;
  guards: Guards;
  messages: MessageStore;
  callback: Callback;
}): Route[] {
  const { checkUploads, validateMessage } = guards;

  /** The interaction whose webhook token `tok` is, while the token is valid and the interaction acknowledged. */
  const webhookState = (app: string, tok: string): InteractionState => {
    if (app !== world.applicationId)
      throw apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
    const st = world.byToken.get(tok);
    if (!st || st.expired || now() - st.sentAt > world.tokenTtlMs) {
      throw apiError(401, RESTJSONErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token');
    }
    if (!st.acked) throw apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
    return st;
  };

  /** @original or one of the interaction's follow-ups. */
  const webhookMessage = (st: InteractionState, ref: string): StoredMessage => {
    const id = ref === '@original' ? st.originalId : ref;
    const m =
      id && (id === st.originalId || st.followupIds.includes(id)) ? world.messages.get(id) : undefined;
    if (!m) throw apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
    return m;
  };

  const editMessage: Handler = (ctx, { app = '', token: tok = '', message = '' }) => {
    const st = webhookState(app, tok);
    const m = webhookMessage(st, message);
    checkUploads(ctx, st.guildId);
    messages.applyEdit(m, validateMessage(ctx, ctx.body, [], false), ctx.uploads);
    pushEvent(st, { kind: 'edit', at: now(), body: ctx.body, files: fileInfo(ctx.uploads), messageId: m.id });
    return messageReply(m);
  };

  const deleteMessage: Handler = (ctx, { app = '', token: tok = '', message = '' }) => {
    const st = webhookState(app, tok);
    const m = webhookMessage(st, message);
    world.messages.delete(m.id);
    pushEvent(st, { kind: 'delete', at: now(), body: ctx.body, files: [], messageId: m.id });
    return { status: 204 };
  };

  // Discord's rule: the first follow-up after a deferral (type 5) is applied to the deferred message itself and keeps
  // the deferral's visibility; its ephemeral flag is ignored. Once the deferred message is settled (an edit, or that
  // first follow-up), follow-ups are new messages with their own flags.
  const followUp: Handler = (ctx, { app = '', token: tok = '' }) => {
    const st = webhookState(app, tok);
    checkUploads(ctx, st.guildId);
    const p = validateMessage(ctx, ctx.body, [], true);
    const deferred = st.originalId ? world.messages.get(st.originalId) : undefined;
    let m: StoredMessage;
    if (deferred && ((deferred.flags ?? 0) & LOADING_FLAG) !== 0) {
      const flags = typeof p.flags === 'number' ? p.flags & ~MessageFlags.Ephemeral : undefined;
      messages.applyEdit(deferred, { ...p, flags }, ctx.uploads);
      m = deferred;
    } else {
      m = messages.createInteractionMessage(st, p, ctx.uploads);
      st.followupIds.push(m.id);
    }
    pushEvent(st, {
      kind: 'followup',
      at: now(),
      body: ctx.body,
      files: fileInfo(ctx.uploads),
      messageId: m.id,
    });
    return ctx.query.wait === 'true' ? messageReply(m) : { status: 204 };
  };

  const messagePath = 'webhooks/:app/:token/messages/:message';
  return [
    ['POST', 'interactions/:id/:token/callback', callback.callback],
    [
      'GET',
      messagePath,
      (_ctx, { app = '', token: tok = '', message = '' }) =>
        messageReply(webhookMessage(webhookState(app, tok), message)),
    ],
    ['PATCH', messagePath, editMessage],
    ['DELETE', messagePath, deleteMessage],
    ['POST', 'webhooks/:app/:token', followUp],
  ];
}
