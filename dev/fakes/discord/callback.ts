import {
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import { apiMessage, type StoredMessage } from '../interaction-data.js';
import { checkChoices, checkModal, type Issue } from './checks.js';
import { apiError, type Handler, type InteractionState, isRecord, LOADING_FLAG, now } from './common.js';
import type { Handles } from './handles.js';
import type { RestKit } from './rest-kit.js';
import type { MessageStore } from './store.js';
import type { World } from './world.js';

export function createCallback(w: World & RestKit & MessageStore & Handles) {
  const {
    ackDeadlineMs,
    messages,
    interactions,
    createMessage,
    applyEdit,
    pushEvent,
    fileInfo,
    reject,
    checkUploads,
    validateMessage,
    interactionMessageType,
  } = w;
  const allowedCallbacks = (st: InteractionState): number[] => {
    switch (st.type) {
      case InteractionType.ApplicationCommandAutocomplete:
        return [InteractionResponseType.ApplicationCommandAutocompleteResult];
      case InteractionType.ApplicationCommand:
        return [4, 5, 9];
      case InteractionType.MessageComponent:
        return [4, 5, 6, 7, 9];
      default:
        return st.sourceMessageId ? [4, 5, 6, 7] : [4, 5];
    }
  };

  const callback: Handler = (ctx, { id = '', token: tok = '' }) => {
    const st = interactions.get(id);
    if (!st || st.token !== tok)
      throw apiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
    const at = now();
    if (st.acked) {
      throw apiError(
        400,
        RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged,
        'Interaction has already been acknowledged.',
      );
    }
    if (st.expired || at - st.sentAt > ackDeadlineMs) {
      throw apiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
    }
    const body = isRecord(ctx.body) ? ctx.body : {};
    const type = body.type;
    if (typeof type !== 'number' || !allowedCallbacks(st).includes(type)) {
      reject(ctx, [
        {
          path: ['type'],
          code: 'BASE_TYPE_CHOICES',
          message: `Value must be one of (${allowedCallbacks(st).join(', ')}).`,
          detail: `got ${String(type)} for ${st.label}`,
        },
      ]);
    }
    const data = isRecord(body.data) ? body.data : {};
    checkUploads(ctx, st.guildId);
    let message: StoredMessage | undefined;
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const p = validateMessage(ctx, body.data, ['data'], true);
        message = createMessage({
          channelId: st.channelId,
          guildId: st.guildId,
          payload: p,
          uploads: ctx.uploads,
          type: interactionMessageType(st),
          interaction: st,
        });
        st.originalId = message.id;
        break;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const ephemeral = typeof data.flags === 'number' ? data.flags & MessageFlags.Ephemeral : 0;
        message = createMessage({
          channelId: st.channelId,
          guildId: st.guildId,
          payload: {},
          uploads: [],
          type: interactionMessageType(st),
          interaction: st,
          flags: ephemeral | LOADING_FLAG,
        });
        st.originalId = message.id;
        break;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        st.originalId = st.sourceMessageId;
        message = st.originalId ? messages.get(st.originalId) : undefined;
        break;
      case InteractionResponseType.UpdateMessage: {
        const p = validateMessage(ctx, body.data, ['data'], false);
        st.originalId = st.sourceMessageId;
        message = st.originalId ? messages.get(st.originalId) : undefined;
        if (message) applyEdit(message, p, ctx.uploads);
        break;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult: {
        const issues: Issue[] = [];
        checkChoices(issues, body.data, ['data']);
        if (issues.length) reject(ctx, issues);
        break;
      }
      case InteractionResponseType.Modal: {
        const issues: Issue[] = [];
        checkModal(issues, body.data, ['data']);
        if (issues.length) reject(ctx, issues);
        st.modal = data;
        break;
      }
    }
    st.acked = true;
    pushEvent(st, {
      kind: 'callback',
      at,
      type: type as number,
      body: ctx.body,
      files: fileInfo(ctx.uploads),
      ...(message ? { messageId: message.id } : {}),
    });
    if (ctx.query.with_response !== 'true') return { status: 204 };
    return {
      status: 200,
      body: {
        interaction: {
          id: st.id,
          type: st.type,
          ...(message
            ? {
                response_message_id: message.id,
                response_message_loading: ((message.flags ?? 0) & LOADING_FLAG) !== 0,
                response_message_ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
              }
            : {}),
        },
        resource: { type, ...(message ? { message: apiMessage(message) } : {}) },
      },
    };
  };
  return { callback };
}

export type CallbackRoute = ReturnType<typeof createCallback>;
