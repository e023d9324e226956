// The handle a test holds for an interaction it sent: the bot's responses as events, the messages they made, and waits
// that explain themselves when they time out (every event so far, and the requests the fake refused).
import { InteractionResponseType, MessageFlags } from 'discord-api-types/v10';
import { type StoredMessage, snapshot } from '../interaction-data.js';
import {
  DEFAULT_WAIT_MS,
  type InteractionState,
  isRecord,
  present,
  type Upload,
  waitUntil,
} from './common.js';
import type { FakeMessage, InteractionEvent, InteractionHandle, RecordedRest } from './types.js';
import type { World } from './world.js';

export function createHandles({ world }: { world: World }) {
  const { messages, rest } = world;

  const handleFor = (st: InteractionState): InteractionHandle => {
    const original = (): FakeMessage | undefined => {
      const m = st.originalId ? messages.get(st.originalId) : undefined;
      return m ? snapshot(m) : undefined;
    };
    const wait = (check: () => boolean, timeoutMs: number, what: string) =>
      waitOn(st, check, timeoutMs, `${what} on ${st.label} (interaction ${st.id})`, rest);
    const handle: InteractionHandle = {
      id: st.id,
      token: st.token,
      sentAt: st.sentAt,
      events: st.events,
      original,
      followups: () =>
        st.followupIds.flatMap((id) => {
          const m = messages.get(id);
          return m ? [snapshot(m)] : [];
        }),
      seen: () => seenAnswers(st, messages),
      waitFor: (predicate, timeoutMs = DEFAULT_WAIT_MS) =>
        wait(() => predicate(handle), timeoutMs, 'the predicate'),
      waitForCallback: async (timeoutMs = DEFAULT_WAIT_MS) => {
        const find = (): InteractionEvent | undefined => st.events.find((e) => e.kind === 'callback');
        await wait(() => find() !== undefined, timeoutMs, 'a callback');
        return present(find(), 'the callback');
      },
      waitForEdit: async (predicate, timeoutMs = DEFAULT_WAIT_MS) => {
        // A holder, not a `let`: the message is set inside the predicate, which control flow cannot see.
        const hit: { message?: FakeMessage } = {};
        const edited = (): boolean => {
          if (!st.events.some((e) => isOriginalEdit(st, e))) return false;
          const m = original();
          if (m && (!predicate || predicate(m))) hit.message = m;
          return hit.message !== undefined;
        };
        const what = predicate ? 'an edit of @original matching the predicate' : 'an edit of @original';
        await wait(edited, timeoutMs, what);
        return present(hit.message, 'the edit of @original');
      },
      expire: () => {
        st.expired = true;
      },
    };
    return handle;
  };

  return { handleFor };
}

export type Handles = ReturnType<typeof createHandles>;

/** Records one response of the bot to `st` and wakes the waits on it. */
export const pushEvent = (st: InteractionState, e: InteractionEvent): void => {
  st.events.push(e);
  for (const l of [...st.listeners]) l();
};

/** The files of a response as an event lists them. */
export const fileInfo = (uploads: Upload[]): InteractionEvent['files'] =>
  uploads.map((u) => ({
    filename: u.filename,
    size: u.size,
    ...(u.contentType ? { contentType: u.contentType } : {}),
  }));

/** An edit of @original, or the first follow-up after a deferral (Discord applies it to the deferred message). */
const isOriginalEdit = (st: InteractionState, e: InteractionEvent): boolean =>
  ((e.kind === 'edit' || e.kind === 'followup') &&
    e.messageId !== undefined &&
    e.messageId === st.originalId) ||
  (e.kind === 'callback' &&
    (e.type === InteractionResponseType.UpdateMessage ||
      e.type === InteractionResponseType.ChannelMessageWithSource));

/** The answers to `st` that still exist, as its member sees them (ephemeral ones included) and as others do. */
const seenAnswers = (
  st: InteractionState,
  messages: Map<string, StoredMessage>,
): { member: FakeMessage[]; others: FakeMessage[] } => {
  const answers = [...messages.values()].filter(
    (m) => m.channel_id === st.channelId && m.interaction_metadata?.id === st.id,
  );
  const isPublic = (m: StoredMessage): boolean => ((m.flags ?? 0) & MessageFlags.Ephemeral) === 0;
  return { member: answers.map(snapshot), others: answers.filter(isPublic).map(snapshot) };
};

/** Resolves once `check` holds (now or after a new event of `st`); on timeout, rejects with the events so far. */
const waitOn = (
  st: InteractionState,
  check: () => boolean,
  timeoutMs: number,
  what: string,
  rest: RecordedRest[],
): Promise<void> =>
  waitUntil(st.listeners, check, timeoutMs, () => {
    const events = describeEvents(st, rest);
    return new Error(
      `fake-discord: timed out after ${timeoutMs} ms waiting for ${what}.\nEvents so far:\n${events}`,
    );
  });

/** The events of `st`, one line each, then the requests about it the fake refused. */
function describeEvents(st: InteractionState, rest: RecordedRest[]): string {
  const lines = st.events.map((e, i) => {
    const type = e.type === undefined ? '' : ` type ${e.type}`;
    return `  #${i + 1} +${(e.at - st.sentAt).toFixed(1)}ms ${e.kind}${type} ${eventSummary(e).join(' ')}`;
  });
  const refused = rest
    .filter(
      (r) => r.status >= 400 && (r.path.includes(st.token) || r.path.includes(`/interactions/${st.id}/`)),
    )
    .map((r) => {
      const answer = isRecord(r.response) ? ` ${String(r.response.code)} ${String(r.response.message)}` : '';
      return `  refused: ${r.method} ${r.path.replace(st.token, ':token')} -> ${r.status}${answer}`;
    });
  return [...(lines.length ? lines : ['  (no events)']), ...refused].join('\n');
}

/** What an event's body carried, briefly. */
function eventSummary(e: InteractionEvent): string[] {
  const body = isRecord(e.body) && isRecord(e.body.data) && e.kind === 'callback' ? e.body.data : e.body;
  const parts: string[] = [];
  if (isRecord(body)) {
    if (typeof body.content === 'string') parts.push(`content=${JSON.stringify(body.content.slice(0, 80))}`);
    if (Array.isArray(body.embeds)) parts.push(`embeds=${body.embeds.length}`);
    if (Array.isArray(body.components)) parts.push(`components=${body.components.length}`);
    if (typeof body.flags === 'number') parts.push(`flags=${body.flags}`);
    if (Array.isArray(body.choices)) parts.push(`choices=${body.choices.length}`);
  }
  if (e.files.length) parts.push(`files=[${e.files.map((f) => f.filename).join(', ')}]`);
  return parts;
}
