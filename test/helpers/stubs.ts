// The one place that casts plain stub objects to discord.js and context types, for unit tests of the router and
// the handlers. A stub carries only what the code under test reads; anything else it touches is undefined and fails.
import type { Interaction } from 'discord.js';
import type { CommandServices } from '../../src/discord/types.js';

export interface SentReply {
  method: 'reply' | 'editReply' | 'followUp' | 'deleteReply' | 'respond';
  body?: unknown;
}

export interface StubInteraction {
  interaction: Interaction;
  sent: SentReply[];
}

type Kind = 'slash' | 'button' | 'autocomplete';

function stub(kind: Kind, name: string, options: { deferred?: boolean } = {}): StubInteraction {
  const sent: SentReply[] = [];
  const record = (method: SentReply['method']) => async (body?: unknown) => {
    sent.push({ method, body });
  };
  const base = {
    id: '1400000000000000001',
    user: { id: '855555555555555555' },
    guildId: '811111111111111111',
    locale: 'en-US',
    deferred: options.deferred ?? false,
    replied: false,
    ephemeral: false,
    responded: false,
    isAutocomplete: () => kind === 'autocomplete',
    isRepliable: () => kind !== 'autocomplete',
    isChatInputCommand: () => kind === 'slash',
    isMessageContextMenuCommand: () => false,
    isButton: () => kind === 'button',
    isModalSubmit: () => false,
    reply: record('reply'),
    editReply: record('editReply'),
    followUp: record('followUp'),
    deleteReply: record('deleteReply'),
    respond: record('respond'),
    ...(kind === 'button' ? { customId: name } : { commandName: name }),
  };
  return { interaction: base as unknown as Interaction, sent };
}

export const stubSlash = (name: string, options?: { deferred?: boolean }): StubInteraction =>
  stub('slash', name, options);
export const stubButton = (customId: string): StubInteraction => stub('button', customId);
export const stubAutocomplete = (name: string): StubInteraction => stub('autocomplete', name);

/** Services for the router's unit tests: the router itself reads none of them, so none is given. */
export function stubServices(): CommandServices {
  return {} as CommandServices;
}
