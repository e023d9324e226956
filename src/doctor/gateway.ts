// The Discord gateway: the bot's events arrive over a WebSocket that REST working does not prove (a firewall may block
// WebSockets). Opened as the bot opens it, and read until Discord's first message, HELLO; nothing is sent.
import WebSocket from 'ws';
import { type Check, failure, pass } from './check.js';
import { type Discord, describe, errorCodeOf, record, unreachable } from './http.js';

type Hello = { ok: true; ms: number; heartbeatMs: number } | { ok: false; reason: string };

function readHello(url: string, timeoutMs: number): Promise<Hello> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = new WebSocket(url, { handshakeTimeout: timeoutMs });
    const done = (result: Hello) => {
      clearTimeout(timer);
      socket.removeAllListeners();
      socket.on('error', () => {});
      if (socket.readyState === WebSocket.OPEN) socket.close(1000);
      else socket.terminate();
      resolve(result);
    };
    const timer = setTimeout(
      () =>
        done({
          ok: false,
          reason:
            socket.readyState === WebSocket.OPEN
              ? `the WebSocket opened but no HELLO came within ${Math.round(timeoutMs / 1000)} s`
              : unreachable('timeout', url, timeoutMs),
        }),
      timeoutMs,
    );
    socket.on('message', (data) => {
      let frame: Record<string, unknown> = {};
      try {
        frame = record(JSON.parse(String(data)));
      } catch {
        // not JSON: reported below
      }
      if (frame.op === 10)
        done({ ok: true, ms: Date.now() - started, heartbeatMs: Number(record(frame.d).heartbeat_interval) });
      else done({ ok: false, reason: `the first message was not HELLO (op ${String(frame.op)})` });
    });
    socket.on('unexpected-response', (_request, response) =>
      done({ ok: false, reason: `HTTP ${response.statusCode} instead of a WebSocket (a proxy in the way?)` }),
    );
    socket.on('error', (error) =>
      done({ ok: false, reason: unreachable(errorCodeOf(error), url, timeoutMs) }),
    );
    socket.on('close', (code) => done({ ok: false, reason: `closed (${code}) before HELLO` }));
  });
}

export async function checkGateway(discord: Discord, timeoutMs: number): Promise<Check> {
  const name = 'Discord gateway';
  const info = await discord.get('/gateway/bot');
  const base = record(info.body).url;
  if (info.status !== 200 || typeof base !== 'string')
    return failure(
      name,
      `GET /gateway/bot answered ${describe(info)}`,
      'Try again in a minute; if it stays, check DISCORD_API_URL.',
    );
  const url = `${base}/?v=10&encoding=json`;
  const hello = await readHello(url, timeoutMs);
  if (!hello.ok)
    return failure(
      name,
      `could not open the gateway at ${base}: ${hello.reason}; the bot would wait for it without answering anyone`,
      'The gateway is a WebSocket (wss://, port 443): let this machine open it through its firewall or proxy.',
    );
  return pass(
    name,
    `${base} answered HELLO in ${hello.ms} ms (heartbeat every ${Math.round(hello.heartbeatMs / 100) / 10} s)`,
  );
}
