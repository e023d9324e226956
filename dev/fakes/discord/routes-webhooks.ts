import { MessageFlags, RESTJSONErrorCodes } from 'discord-api-types/v10';
import type { StoredMessage } from '../interaction-data.js';
import type { CallbackRoute } from './callback.js';
import { apiError, type InteractionState, LOADING_FLAG, now, type Route } from './common.js';
import type { Handles } from './handles.js';
import type { RestKit } from './rest-kit.js';
import type { MessageStore } from './store.js';
import type { World } from './world.js';

export function createWebhookRoutes(w: World & RestKit & MessageStore & Handles & CallbackRoute): Route[] {
  const {
    applicationId,
    tokenTtlMs,
    messages,
    byToken,
    createMessage,
    applyEdit,
    pushEvent,
    fileInfo,
    checkUploads,
    validateMessage,
    interactionMessageType,
    messageReply,
    callback,
  } = w;
  const webhookState = (app: string, tok: string): InteractionState => {
    if (app !== applicationId) throw apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
    const st = byToken.get(tok);
    if (!st || st.expired || now() - st.sentAt > tokenTtlMs) {
      throw apiError(401, RESTJSONErrorCodes.InvalidWebhookToken, 'Invalid Webhook Token');
    }
    if (!st.acked) throw apiError(404, RESTJSONErrorCodes.UnknownWebhook, 'Unknown Webhook');
    return st;
  };

  const webhookMessage = (st: InteractionState, ref: string): StoredMessage => {
    const id = ref === '@original' ? st.originalId : ref;
    const m = id && (id === st.originalId || st.followupIds.includes(id)) ? messages.get(id) : undefined;
    if (!m) throw apiError(404, RESTJSONErrorCodes.UnknownMessage, 'Unknown Message');
    return m;
  };
  return [
    ['POST', 'interactions/:id/:token/callback', callback],
    [
      'GET',
      'webhooks/:app/:token/messages/:message',
      (_ctx, { app = '', token: tok = '', message = '' }) =>
        messageReply(webhookMessage(webhookState(app, tok), message)),
    ],
    [
      'PATCH',
      'webhooks/:app/:token/messages/:message',
      (ctx, { app = '', token: tok = '', message = '' }) => {
        const st = webhookState(app, tok);
        const m = webhookMessage(st, message);
        checkUploads(ctx, st.guildId);
        const p = validateMessage(ctx, ctx.body, [], false);
        applyEdit(m, p, ctx.uploads);
        pushEvent(st, {
          kind: 'edit',
          at: now(),
          body: ctx.body,
          files: fileInfo(ctx.uploads),
          messageId: m.id,
        });
        return messageReply(m);
      },
    ],
    [
      'DELETE',
      'webhooks/:app/:token/messages/:message',
      (ctx, { app = '', token: tok = '', message = '' }) => {
        const st = webhookState(app, tok);
        const m = webhookMessage(st, message);
        messages.delete(m.id);
        pushEvent(st, { kind: 'delete', at: now(), body: ctx.body, files: [], messageId: m.id });
        return { status: 204 };
      },
    ],
    [
      'POST',
      'webhooks/:app/:token',
      (ctx, { app = '', token: tok = '' }) => {
        const st = webhookState(app, tok);
        checkUploads(ctx, st.guildId);
        const p = validateMessage(ctx, ctx.body, [], true);
        // Discord's rule: the first follow-up after a deferral (type 5) is applied to the deferred message itself and
        // keeps the deferral's visibility; its ephemeral flag is ignored. Once the deferred message is settled (an
        // edit, or that first follow-up), follow-ups are new messages with their own flags.
        const deferred = st.originalId ? messages.get(st.originalId) : undefined;
        if (deferred && ((deferred.flags ?? 0) & LOADING_FLAG) !== 0) {
          const flags = typeof p.flags === 'number' ? p.flags & ~MessageFlags.Ephemeral : undefined;
          applyEdit(deferred, { ...p, flags }, ctx.uploads);
          pushEvent(st, {
            kind: 'followup',
            at: now(),
            body: ctx.body,
            files: fileInfo(ctx.uploads),
            messageId: deferred.id,
          });
          return ctx.query.wait === 'true' ? messageReply(deferred) : { status: 204 };
        }
        const m = createMessage({
          channelId: st.channelId,
          guildId: st.guildId,
          payload: p,
          uploads: ctx.uploads,
          type: interactionMessageType(st),
          interaction: st,
        });
        st.followupIds.push(m.id);
        pushEvent(st, {
          kind: 'followup',
          at: now(),
          body: ctx.body,
          files: fileInfo(ctx.uploads),
          messageId: m.id,
        });
        return ctx.query.wait === 'true' ? messageReply(m) : { status: 204 };
      },
    ],
  ];
}
