// Dispatches: every event the gateway sends a session, numbered with an increasing `s` and kept for a RESUME's replay.
import { GatewayIntentBits } from 'discord-api-types/v10';
import { apiMessage, type GuildState, guildCreate, type StoredMessage } from '../interaction-data.js';
import { hidesContent, REPLAY_BUFFER, type Session, withoutContent } from './common.js';
import type { World } from './world.js';

export function createDispatcher({ world }: { world: World }) {
  const dispatch = (s: Session, t: string, d: unknown): void => {
    s.seq += 1;
    const frame = JSON.stringify({ op: 0, t, s: s.seq, d });
    s.buffer.push({ s: s.seq, frame });
    if (s.buffer.length > REPLAY_BUFFER) s.buffer.shift();
    if (s.ws && s.ws.readyState === s.ws.OPEN) s.ws.send(frame);
  };

  /** GUILD_CREATE of `guild` to `s`, when the session asked for guild events. */
  const dispatchGuildCreate = (s: Session, guild: GuildState): void => {
    if (s.intents & GatewayIntentBits.Guilds)
      dispatch(s, 'GUILD_CREATE', guildCreate(guild, world.botUserId));
  };

  const dispatchMessageCreate = (m: StoredMessage): void => {
    for (const s of world.liveSessions()) {
      const data = messageCreateFor(world, s, m);
      if (data) dispatch(s, 'MESSAGE_CREATE', data);
    }
  };

  return { dispatch, dispatchGuildCreate, dispatchMessageCreate };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

/** MESSAGE_CREATE of `m` as session `s` receives it, or undefined when its intents (or shard, for DMs) exclude it. */
function messageCreateFor(world: World, s: Session, m: StoredMessage): Record<string, unknown> | undefined {
  if (m.guild_id) {
    if (!world.owns(s, m.guild_id) || !(s.intents & GatewayIntentBits.GuildMessages)) return undefined;
  } else if (!(s.intents & GatewayIntentBits.DirectMessages) || (s.shard?.[0] ?? 0) !== 0) return undefined;
  const data: Record<string, unknown> = { ...apiMessage(m) };
  if (!m.guild_id) return data;
  data.guild_id = m.guild_id;
  const mem = world.guilds.get(m.guild_id)?.members.get(m.author.id);
  if (mem) data.member = { ...mem, user: undefined };
  if (!(s.intents & GatewayIntentBits.MessageContent) && hidesContent(m, world.botUserId)) {
    Object.assign(data, withoutContent());
  }
  return data;
}
