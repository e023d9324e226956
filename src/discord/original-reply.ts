// The interaction's original reply, edited through REST with the stored token: what any process can do for a request
// it did not receive, within the token's 15 minutes.
import {
  type Client,
  DiscordAPIError,
  Events,
  InteractionWebhook,
  RESTJSONErrorCodes,
  Routes,
} from 'discord.js';
import type { SeedRequest } from '../seed/model/types.js';
import { multipartBody, payloadFor } from './message-payload.js';
import type { AttachedImage, ReplyBody } from './replies.js';

/** Interaction tokens live 15 minutes; past 14.5 we don't try the edit. */
const INTERACTION_TOKEN_TTL_MS = 15 * 60 * 1000;
const TOKEN_MARGIN_MS = 30_000;

// Discord answers these when the interaction webhook is gone (expired token, unknown webhook/interaction).
const EXPIRED_CODES: ReadonlySet<number> = new Set([
  RESTJSONErrorCodes.UnknownWebhook,
  RESTJSONErrorCodes.UnknownInteraction,
  RESTJSONErrorCodes.InvalidWebhookToken,
]);

const isExpired = (error: unknown) =>
  error instanceof DiscordAPIError && (EXPIRED_CODES.has(Number(error.code)) || error.status === 401);

interface OriginalReply {
  /** Whether an edit is worth trying: the token is young enough and Discord has not refused it. */
  usable(request: SeedRequest): boolean;
  /** Edits the reply; false when the token is too old or Discord refused it (expired), so the caller posts instead. */
  edit(request: SeedRequest, body: ReplyBody, files?: AttachedImage[]): Promise<boolean>;
}

export function createOriginalReply(deps: { client: Client; now: () => number }): OriginalReply {
  // Requests whose token Discord refused: not tried again (each refusal counts toward Discord's invalid-request ban).
  const refused = new Set<string>();
  const usable = (r: SeedRequest) =>
    !refused.has(r.id) && deps.now() - r.createdAt < INTERACTION_TOKEN_TTL_MS - TOKEN_MARGIN_MS;
  // discord.js types an interaction webhook with a logged-in client; the first READY gives one (it stays usable for
  // REST across gateway reconnects). Nothing is delivered before it: open requests resume after READY.
  let ready = deps.client.isReady() ? deps.client : undefined;
  deps.client.once(Events.ClientReady, (client) => {
    ready = client;
  });
  const webhookOf = (request: SeedRequest): InteractionWebhook => {
    if (!ready) throw new Error('the Discord client has not been ready yet');
    return new InteractionWebhook(ready, request.applicationId, request.interactionToken);
  };

  async function send(request: SeedRequest, body: ReplyBody, files: AttachedImage[]) {
    const webhook = webhookOf(request);
    const payload = payloadFor(webhook, body, files, { parse: [] });
    // The request InteractionWebhook.editMessage sends, without building (and caching) a Message of the answer
    // nobody reads here; a form with files is built in one piece.
    const route = Routes.webhookMessage(request.applicationId, request.interactionToken, '@original');
    if (files.length === 0) {
      await webhook.client.rest.patch(route, { body: payload.body, auth: false });
      return;
    }
    const form = multipartBody(payload.body, files);
    await webhook.client.rest.patch(route, {
      body: form.data,
      passThroughBody: true,
      headers: form.headers,
      auth: false,
    });
  }

  return {
    usable,
    async edit(request, body, files = []) {
      if (!usable(request)) return false;
      try {
        await send(request, body, files);
        return true;
      } catch (error) {
        if (!isExpired(error)) throw error;
        if (refused.size >= 10_000) refused.clear();
        refused.add(request.id);
        return false;
      }
    },
  };
}
