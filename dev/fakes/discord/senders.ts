// The kinds of interaction a test sends: slash commands (and autocomplete), message commands, buttons, modals.
import {
  type APIApplicationCommandInteractionDataOption,
  ApplicationCommandType,
  ComponentType,
  InteractionType,
} from 'discord-api-types/v10';
import { apiMessage, commandOptions, modalSubmission } from '../interaction-data.js';
import { isRecord } from './common.js';
import type { Interactions } from './interactions.js';
import type { MessageStore } from './store.js';
import type {
  ButtonInput,
  FakeMessage,
  InteractionHandle,
  MessageCommandInput,
  ModalSubmitInput,
  SlashInput,
} from './types.js';
import type { World } from './world.js';

export function createSenders({
  world,
  interactions,
  messages,
}: {
  world: World;
  interactions: Interactions;
  messages: MessageStore;
}) {
  const { prepare, deliver, commandId } = interactions;
  const { toStored } = messages;

  const chatInput = (input: SlashInput, type: InteractionType): InteractionHandle => {
    const { st, base } = prepare(
      input,
      type,
      `${type === InteractionType.ApplicationCommandAutocomplete ? 'autocomplete' : 'slash'} /${input.name}`,
    );
    const { id, registered } = commandId(input.guildId, input.name, ApplicationCommandType.ChatInput);
    st.name = input.name;
    st.commandType = ApplicationCommandType.ChatInput;
    const options: APIApplicationCommandInteractionDataOption[] = commandOptions(input, registered?.options);
    const data = {
      id,
      name: input.name,
      type: ApplicationCommandType.ChatInput as const,
      options,
      ...(registered?.guild_id ? { guild_id: String(registered.guild_id) } : {}),
    };
    return deliver(st, input, { ...base, type, data });
  };

  const messageCommand = (input: MessageCommandInput): InteractionHandle => {
    const { st, base } = prepare(
      input,
      InteractionType.ApplicationCommand,
      `message command "${input.name}"`,
    );
    const { id } = commandId(input.guildId, input.name, ApplicationCommandType.Message);
    st.name = input.name;
    st.commandType = ApplicationCommandType.Message;
    const target = input.target;
    const isFake =
      typeof target.id === 'string' && typeof target.channel_id === 'string' && isRecord(target.author);
    const resolved: unknown = isFake ? apiMessage(toStored(target as FakeMessage)) : target;
    const targetId = String(target.id);
    return deliver(st, input, {
      ...base,
      type: InteractionType.ApplicationCommand,
      data: {
        id,
        name: input.name,
        type: ApplicationCommandType.Message,
        target_id: targetId,
        resolved: { messages: { [targetId]: resolved } },
      },
    });
  };

  const button = (input: ButtonInput): InteractionHandle => {
    const { st, base } = prepare(input, InteractionType.MessageComponent, `button "${input.customId}"`);
    const message = toStored(input.message);
    st.sourceMessageId = message.id;
    return deliver(st, input, {
      ...base,
      type: InteractionType.MessageComponent,
      message: apiMessage(message),
      data: { custom_id: input.customId, component_type: ComponentType.Button },
    });
  };

  const modalSubmit = (input: ModalSubmitInput): InteractionHandle => {
    const { st, base } = prepare(input, InteractionType.ModalSubmit, `modal "${input.customId}"`);
    const shown = [...world.interactions.values()]
      .reverse()
      .find((x) => isRecord(x.modal) && x.modal.custom_id === input.customId);
    const message = input.message ? toStored(input.message) : undefined;
    st.sourceMessageId = message?.id;
    return deliver(st, input, {
      ...base,
      type: InteractionType.ModalSubmit,
      ...(message ? { message: apiMessage(message) } : {}),
      data: { custom_id: input.customId, components: modalSubmission(shown?.modal, input.fields) },
    });
  };

  return { chatInput, messageCommand, button, modalSubmit };
}

export type Senders = ReturnType<typeof createSenders>;
