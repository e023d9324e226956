// The gateway's socket protocol: HELLO, IDENTIFY → READY + GUILD_CREATE, heartbeats, RESUME with a replay of what
// was missed. The dispatches themselves (numbering, replay buffer) are the dispatcher's.
import { randomBytes } from 'node:crypto';
import type { WebSocket } from 'ws';
import { isRecord, NON_RESUMABLE_CLOSE, now, type Session } from './common.js';
import type { Dispatcher } from './dispatch.js';
import type { World } from './world.js';

const TRACE = ['["fake-discord",{"micros":0}]'];

/** What one socket has told the gateway so far. */
interface Connection {
  session?: Session;
}

export function createGateway({ world, dispatcher }: { world: World; dispatcher: Dispatcher }) {
  const { dispatch, dispatchGuildCreate } = dispatcher;

  const identify = (ws: WebSocket, conn: Connection, d: unknown): void => {
    if (conn.session) {
      ws.close(4005, 'Already authenticated.');
      return;
    }
    const asked = identifyRequest(d, world.token);
    if ('refused' in asked) {
      ws.close(...asked.refused);
      return;
    }
    const session = newSession(ws, asked.shard, asked.intents);
    world.identifies++;
    world.sessionList.push(session);
    conn.session = session;
    const own = [...world.guilds.values()].filter((g) => world.owns(session, g.id));
    dispatch(session, 'READY', readyPayload(world, session, own));
    for (const g of own) dispatchGuildCreate(session, g);
    session.readyAt = now();
    for (const waiter of [...world.readyWaiters]) waiter();
  };

  const resume = (ws: WebSocket, conn: Connection, d: unknown): void => {
    if (!isRecord(d)) {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    const s = world.sessionList.find((x) => x.sessionId === d.session_id);
    const seq = typeof d.seq === 'number' ? d.seq : -1;
    const first = s?.buffer[0]?.s ?? 1;
    if (!s || s.dead || d.token !== world.token || seq < first - 1 || seq > s.seq) {
      sendOp(ws, 9, false); // invalid session: not resumable
      return;
    }
    const previous = s.ws;
    s.ws = ws;
    conn.session = s;
    if (previous && previous !== ws && previous.readyState === previous.OPEN)
      previous.close(4000, 'Session resumed elsewhere.');
    for (const entry of s.buffer) if (entry.s > seq) ws.send(entry.frame);
    s.resumes++;
    dispatch(s, 'RESUMED', { _trace: TRACE });
  };

  const onFrame = (ws: WebSocket, conn: Connection, raw: string): void => {
    const payload = parseFrame(raw);
    if (!payload) {
      ws.close(4002, 'Error while decoding payload.');
      return;
    }
    switch (payload.op) {
      case 1:
        if (!world.dropAcks) sendOp(ws, 11, null);
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
  };

  const onSocket = (ws: WebSocket): void => {
    world.sockets.add(ws);
    const conn: Connection = {};
    ws.on('message', (raw) => onFrame(ws, conn, raw.toString()));
    ws.on('close', (code) => {
      world.sockets.delete(ws);
      const s = conn.session;
      if (s && s.ws === ws) {
        s.ws = undefined;
        if (NON_RESUMABLE_CLOSE.has(code)) s.dead = true;
      }
    });
    ws.on('error', () => {});
    sendOp(ws, 10, { heartbeat_interval: world.heartbeatIntervalMs, _trace: TRACE });
  };

  return { onSocket };
}

const sendOp = (ws: WebSocket, op: number, d: unknown): void => {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ op, d, s: null, t: null }));
};

const parseFrame = (raw: string): { op: number; d: unknown } | undefined => {
  try {
    const payload: unknown = JSON.parse(raw);
    return isRecord(payload) && typeof payload.op === 'number' ? { op: payload.op, d: payload.d } : undefined;
  } catch {
    return undefined;
  }
};

/** An IDENTIFY's token, shard and intents, or the close code and reason that refuse it. */
function identifyRequest(
  d: unknown,
  token: string,
): { shard: [number, number] | undefined; intents: number } | { refused: [number, string] } {
  if (!isRecord(d) || d.token !== token) return { refused: [4004, 'Authentication failed.'] };
  const intents = typeof d.intents === 'number' ? d.intents : 0;
  if (d.shard === undefined) return { shard: undefined, intents };
  const [id, count] = Array.isArray(d.shard) ? d.shard : [];
  if (typeof id !== 'number' || typeof count !== 'number' || id < 0 || count < 1 || id >= count) {
    return { refused: [4010, 'Invalid shard.'] };
  }
  return { shard: [id, count], intents };
}

const newSession = (ws: WebSocket, shard: [number, number] | undefined, intents: number): Session => ({
  sessionId: randomBytes(16).toString('hex'),
  shard,
  intents,
  seq: 0,
  buffer: [],
  ws,
  identifiedAt: now(),
  readyAt: undefined,
  dead: false,
  resumes: 0,
});

const readyPayload = (world: World, session: Session, own: { id: string }[]) => ({
  v: 10,
  user: world.botUser,
  guilds: own.map((g) => ({ id: g.id, unavailable: true })),
  session_id: session.sessionId,
  session_type: 'normal',
  resume_gateway_url: `${world.wsUrl}/resume`,
  shard: session.shard ?? [0, 1],
  application: { id: world.applicationId, flags: 0 },
  private_channels: [],
  presences: [],
  relationships: [],
  guild_join_requests: [],
  geo_ordered_rtc_regions: [],
  user_settings: {},
  auth: {},
  _trace: TRACE,
});
