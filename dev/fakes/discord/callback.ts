// POST /interactions/:id/:token/callback: the one acknowledgement of an interaction, within the deadline, of a type its
// kind allows; a message response creates or updates @original, an autocomplete or a modal is checked.
import {
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import { apiMessage, type StoredMessage } from '../interaction-data.js';
import { checkChoices, checkModal, type Issue } from './checks.js';
import {
  apiError,
  type Ctx,
  type Handler,
  type InteractionState,
  isRecord,
  LOADING_FLAG,
  now,
} from './common.js';
import type { Guards } from './guards.js';
import { fileInfo, pushEvent } from './handles.js';
import type { MessageStore } from './store.js';
import type { World } from './world.js';

export function createCallback({
  world,
  guards,
  messages,
}: {
  world: World;
  guards: Guards;
  messages: MessageStore;
}): { callback: Handler } {
  const { reject, rejectAny, checkUploads, validateMessage } = guards;

  /** What a callback of `type` does; the message it creates or updates, if any. */
  const respond = (ctx: Ctx, st: InteractionState, type: number, body: Record<string, unknown>) => {
    const data = isRecord(body.data) ? body.data : {};
    switch (type) {
      case InteractionResponseType.ChannelMessageWithSource: {
        const p = validateMessage(ctx, body.data, ['data'], true);
        const message = messages.createInteractionMessage(st, p, ctx.uploads);
        st.originalId = message.id;
        return message;
      }
      case InteractionResponseType.DeferredChannelMessageWithSource: {
        const ephemeral = typeof data.flags === 'number' ? data.flags & MessageFlags.Ephemeral : 0;
        const message = messages.createInteractionMessage(st, {}, [], ephemeral | LOADING_FLAG);
        st.originalId = message.id;
        return message;
      }
      case InteractionResponseType.DeferredMessageUpdate:
        st.originalId = st.sourceMessageId;
        return st.originalId ? world.messages.get(st.originalId) : undefined;
      case InteractionResponseType.UpdateMessage: {
        const p = validateMessage(ctx, body.data, ['data'], false);
        st.originalId = st.sourceMessageId;
        const message = st.originalId ? world.messages.get(st.originalId) : undefined;
        if (message) messages.applyEdit(message, p, ctx.uploads);
        return message;
      }
      case InteractionResponseType.ApplicationCommandAutocompleteResult:
        rejectAny(
          ctx,
          collect((issues) => checkChoices(issues, body.data, ['data'])),
        );
        return undefined;
      case InteractionResponseType.Modal:
        rejectAny(
          ctx,
          collect((issues) => checkModal(issues, body.data, ['data'])),
        );
        st.modal = data;
        return undefined;
    }
    return undefined;
  };

  const callback: Handler = (ctx, { id = '', token: tok = '' }) => {
    const at = now();
    const st = acknowledgeable(world, id, tok, at);
    const body = isRecord(ctx.body) ? ctx.body : {};
    const type = body.type;
    const allowed = allowedCallbacks(st);
    if (typeof type !== 'number' || !allowed.includes(type)) {
      reject(ctx, [
        {
          path: ['type'],
          code: 'BASE_TYPE_CHOICES',
          message: `Value must be one of (${allowed.join(', ')}).`,
          detail: `got ${String(type)} for ${st.label}`,
        },
      ]);
    }
    checkUploads(ctx, st.guildId);
    const message = respond(ctx, st, type as number, body);
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
    return { status: 200, body: callbackResponse(st, type as number, message) };
  };

  return { callback };
}

export type Callback = ReturnType<typeof createCallback>;

/** The interaction `id` when `tok` is its token and it may still be acknowledged `at` that time. */
function acknowledgeable(world: World, id: string, tok: string, at: number): InteractionState {
  const st = world.interactions.get(id);
  if (!st || st.token !== tok)
    throw apiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
  if (st.acked) {
    const code = RESTJSONErrorCodes.InteractionHasAlreadyBeenAcknowledged;
    throw apiError(400, code, 'Interaction has already been acknowledged.');
  }
  if (st.expired || at - st.sentAt > world.ackDeadlineMs) {
    throw apiError(404, RESTJSONErrorCodes.UnknownInteraction, 'Unknown interaction');
  }
  return st;
}

/** The callback types an interaction of this kind accepts. */
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

const collect = (check: (issues: Issue[]) => void): Issue[] => {
  const issues: Issue[] = [];
  check(issues);
  return issues;
};

/** The answer to `?with_response=true`: the interaction and the message the callback made, if any. */
const callbackResponse = (st: InteractionState, type: number, message: StoredMessage | undefined) => ({
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
});
