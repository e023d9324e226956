// The gateway: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME with a replay of what was missed, and the
// dispatches (every one with an increasing `s`).
import { randomBytes } from 'node:crypto';
import { GatewayIntentBits } from 'discord-api-types/v10';
import type { WebSocket } from 'ws';
import { apiMessage, type GuildState, guildCreate, type StoredMessage } from '../interaction-data.js';
import { isRecord, NON_RESUMABLE_CLOSE, now, REPLAY_BUFFER, type Session } from './common.js';
import type { World } from './world.js';

export function createGateway(w: World) {
  const {
    botUserId,
    applicationId,
    token,
    heartbeatIntervalMs,
    botUser,
    guilds,
    sessionList,
    sockets,
    readyWaiters,
    liveSessions,
    owns,
  } = w;
  const dispatch = (s: Session, t: string, d: unknown): void => {
    s.seq += 1;
    const frame = JSON.stringify({ op: 0, t, s: s.seq, d });
    s.buffer.push({ s: s.seq, frame });
    if (s.buffer.length > REPLAY_BUFFER) s.buffer.shift();
    if (s.ws && s.ws.readyState === s.ws.OPEN) s.ws.send(frame);
  };

  const sendOp = (ws: WebSocket, op: number, d: unknown): void => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ op, d, s: null, t: null }));
  };

  const guildsOf = (s: Session): GuildState[] => [...guilds.values()].filter((g) => owns(s, g.id));

  const identify = (ws: WebSocket, conn: { session?: Session }, d: unknown): void => {
    if (conn.session) {
      ws.close(4005, 'Already authenticated.');
      return;
    }
    if (!isRecord(d) || d.token !== token) {
      ws.close(4004, 'Authentication failed.');
      return;
    }
    let shard: [number, number] | undefined;
    if (d.shard !== undefined) {
      const [id, count] = Array.isArray(d.shard) ? d.shard : [];
      if (typeof id !== 'number' || typeof count !== 'number' || id < 0 || count < 1 || id >= count) {
        ws.close(4010, 'Invalid shard.');
        return;
      }
      shard = [id, count];
    }
    const session: Session = {
      sessionId: randomBytes(16).toString('hex'),
      shard,
      intents: typeof d.intents === 'number' ? d.intents : 0,
      seq: 0,
      buffer: [],
      ws,
      identifiedAt: now(),
      readyAt: undefined,
      dead: false,
      resumes: 0,
    };
    w.identifies++;
    sessionList.push(session);
    conn.session = session;
    const own = guildsOf(session);
    dispatch(session, 'READY', {
      v: 10,
      user: botUser,
      guilds: own.map((g) => ({ id: g.id, unavailable: true })),
      session_id: session.sessionId,
      session_type: 'normal',
      resume_gateway_url: `${w.wsUrl}/resume`,
      shard: shard ?? [0, 1],
      application: { id: applicationId, flags: 0 },
      private_channels: [],
      presences: [],
      relationships: [],
      guild_join_requests: [],
      geo_ordered_rtc_regions: [],
      user_settings: {},
      auth: {},
      _trace: ['["fake-discord",{"micros":0}]'],
    });
    if (session.intents & GatewayIntentBits.Guilds) {
      for (const g of own) dispatch(session, 'GUILD_CREATE', guildCreate(g, botUserId));
    }
    session.readyAt = now();
    for (const w of [...readyWaiters]) w();
  };

  const resume = (ws: WebSocket, conn: { session?: Session }, d: unknown): void => {
    if (!isRecord(d)) {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    const s = sessionList.find((x) => x.sessionId === d.session_id);
    const seq = typeof d.seq === 'number' ? d.seq : -1;
    const first = s?.buffer[0]?.s ?? 1;
    if (!s || s.dead || d.token !== token || seq < first - 1 || seq > s.seq) {
      sendOp(ws, 9, false);
      return;
    }
    const previous = s.ws;
    s.ws = ws;
    conn.session = s;
    if (previous && previous !== ws && previous.readyState === previous.OPEN)
      previous.close(4000, 'Session resumed elsewhere.');
    for (const entry of s.buffer) if (entry.s > seq) ws.send(entry.frame);
    s.resumes++;
    dispatch(s, 'RESUMED', { _trace: ['["fake-discord",{"micros":0}]'] });
  };

  const onSocket = (ws: WebSocket): void => {
    sockets.add(ws);
    const conn: { session?: Session } = {};
    ws.on('message', (raw) => {
      let payload: unknown;
      try {
        payload = JSON.parse(raw.toString());
      } catch {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      if (!isRecord(payload) || typeof payload.op !== 'number') {
        ws.close(4002, 'Error while decoding payload.');
        return;
      }
      switch (payload.op) {
        case 1:
          if (!w.dropAcks) sendOp(ws, 11, null);
          return;
        case 2:
          identify(ws, conn, payload.d);
          return;
        case 6:
          resume(ws, conn, payload.d);
          return;
        case 3:
        case 4:
        case 8:
        case 31:
          if (!conn.session) ws.close(4003, 'Not authenticated.');
          return;
        default:
          ws.close(4001, 'Unknown opcode.');
      }
    });
    ws.on('close', (code) => {
      sockets.delete(ws);
      const s = conn.session;
      if (s && s.ws === ws) {
        s.ws = undefined;
        if (NON_RESUMABLE_CLOSE.has(code)) s.dead = true;
      }
    });
    ws.on('error', () => {});
    sendOp(ws, 10, { heartbeat_interval: heartbeatIntervalMs, _trace: ['["fake-discord",{"micros":0}]'] });
  };

  const dispatchMessageCreate = (m: StoredMessage): void => {
    const mentionsBot = (m.mentions ?? []).some((u) => isRecord(u) && u.id === botUserId);
    for (const s of liveSessions()) {
      if (m.guild_id) {
        if (!owns(s, m.guild_id) || !(s.intents & GatewayIntentBits.GuildMessages)) continue;
      } else if (!(s.intents & GatewayIntentBits.DirectMessages) || (s.shard?.[0] ?? 0) !== 0) continue;
      const data: Record<string, unknown> = { ...apiMessage(m) };
      if (m.guild_id) {
        data.guild_id = m.guild_id;
        const mem = guilds.get(m.guild_id)?.members.get(m.author.id);
        if (mem) data.member = { ...mem, user: undefined };
      }
      if (
        !(s.intents & GatewayIntentBits.MessageContent) &&
        m.author.id !== botUserId &&
        !mentionsBot &&
        m.guild_id
      ) {
        Object.assign(data, { content: '', embeds: [], attachments: [], components: [] });
      }
      dispatch(s, 'MESSAGE_CREATE', data);
    }
  };
  return { dispatch, sendOp, guildsOf, identify, resume, onSocket, dispatchMessageCreate };
}

export type Gateway = ReturnType<typeof createGateway>;
