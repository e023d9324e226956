// Reaching Discord at start (`npm start`, `npm run register`): what waiting can fix is retried with backoff and said,
// what it cannot (a refused token) ends the start with one message that names the fix. While the gateway is not
// connected the log says what the bot waits for, once, then at a growing interval: a firewall that blocks WebSockets
// must not look like a silent hang.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type SessionInfo,
  SimpleShardingStrategy,
  WebSocketShardEvents,
  type WebSocketManager as WsManager,
} from '@discordjs/ws';
import { type Client, DiscordAPIError, Events, HTTPError } from 'discord.js';
import type { Logger } from '../log.js';

export interface DiscordFailure {
  /** Waiting can fix it (the network, DNS, a 5xx, no answer in time). */
  transient: boolean;
  /** What happened, naming Discord and where it was asked. */
  summary: string;
  /** What to do. */
  fix: string;
}

export interface Where {
  /** DISCORD_API_URL. */
  apiUrl: string;
  /** @discordjs/rest's timeout of one try. */
  timeoutMs: number;
  /** Tries @discordjs/rest makes of one call (its `retries` + 1); default 4, its own default. */
  tries?: number;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was reset',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  EPIPE: 'the connection was closed',
  UND_ERR_CONNECT_TIMEOUT: 'the connection timed out',
  UND_ERR_SOCKET: 'the connection was closed',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'no answer in time',
};

/** The first `code` on an error or its causes (fetch and undici wrap the system error). */
function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = current.cause;
  }
  return undefined;
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
};

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** A failure to reach Discord, in words an operator can act on. */
export function explainDiscordFailure(error: unknown, where: Where): DiscordFailure {
  const code = errorCode(error);
  const network = `Check this machine's network${where.apiUrl === 'https://discord.com/api' ? '' : ', and DISCORD_API_URL'}.`;
  if (code === 'TokenInvalid' || (error instanceof DiscordAPIError && error.status === 401))
    return {
      transient: false,
      summary: `Discord refused DISCORD_TOKEN (401 at ${where.apiUrl})`,
      fix: 'Copy the bot token again from the Developer Portal (your application → Bot → Reset Token) into DISCORD_TOKEN.',
    };
  if (code && DNS_CODES.has(code))
    return {
      transient: true,
      summary: `DNS could not resolve ${hostOf(where.apiUrl)} (${code}), the host of Discord's API ${where.apiUrl}`,
      fix: `${network} Look up the name with \`getent hosts ${hostOf(where.apiUrl)}\`.`,
    };
  if (code && code in NETWORK_CODES)
    return {
      transient: true,
      summary: `Discord's API at ${where.apiUrl} could not be reached: ${NETWORK_CODES[code]} (${code})`,
      fix: network,
    };
  if (error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError'))
    return {
      transient: true,
      summary: `Discord did not answer at ${where.apiUrl} within ${seconds(where.timeoutMs)}${(where.tries ?? 4) > 1 ? ` (each of ${where.tries ?? 4} tries)` : ''}`,
      fix: `${network} A proxy or firewall may hold the connection open without answering.`,
    };
  if (error instanceof HTTPError && error.status >= 500)
    return {
      transient: true,
      summary: `Discord answered ${error.status} (${error.message || 'server error'}) at ${where.apiUrl}`,
      fix: 'Discord is having trouble (https://discordstatus.com); waiting fixes it.',
    };
  if (error instanceof DiscordAPIError && error.status === 429)
    return {
      transient: true,
      summary: `Discord is rate-limiting this bot (429 at ${where.apiUrl})`,
      fix: 'Wait; too many starts or invalid requests in a short time cause this.',
    };
  if (error instanceof DiscordAPIError)
    return {
      transient: false,
      summary: `Discord refused the request ${error.method.toUpperCase()} ${error.url.replace(where.apiUrl, '')}: ${error.status} ${error.message}`,
      fix:
        error.status === 403 || error.status === 404
          ? 'Check DISCORD_APPLICATION_ID and DISCORD_GUILD_ID (the bot must be in that server, invited with the applications.commands scope).'
          : 'Run `npm run doctor` to check the installation.',
    };
  // Anything else is a fault of ours (an unexpected error): not retried, shown as it is.
  return {
    transient: false,
    summary: `${error instanceof Error ? error.message : String(error)}${code ? ` (${code})` : ''}`,
    fix: 'Run `npm run doctor` to check the installation.',
  };
}

/** Thrown when waiting cannot fix what Discord answered. */
export class DiscordStartError extends Error {
  override readonly name = 'DiscordStartError';
  constructor(
    readonly failure: DiscordFailure,
    options?: ErrorOptions,
  ) {
    super(failure.summary, options);
  }
}

/** 1 s doubling to `maxMs`, with jitter (half to all of each step). */
const backoffMs = (attempt: number, maxMs: number, random = Math.random) => {
  const step = Math.min(maxMs, 1_000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + (random() * step) / 2);
};

export interface RetryOptions {
  log: Logger;
  where: Where;
  /** What is being done, for the log ("logging in to Discord"). */
  what: string;
  /** Aborted by a stop: the wait ends at once. */
  signal?: AbortSignal;
  /** Give up after this many attempts (default: never, while the failure is transient). */
  maxAttempts?: number;
  maxDelayMs?: number;
}

/**
 * Runs `attempt` until it succeeds; a transient failure is logged (warn, with the next try) and retried with backoff,
 * a final one (or the last attempt) throws a DiscordStartError.
 */
export async function withDiscordRetry<T>(attempt: () => Promise<T>, options: RetryOptions): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      const failure = explainDiscordFailure(error, options.where);
      if (
        !failure.transient ||
        n >= (options.maxAttempts ?? Number.POSITIVE_INFINITY) ||
        options.signal?.aborted
      )
        throw new DiscordStartError(failure, { cause: error });
      const delay = backoffMs(n, options.maxDelayMs ?? 60_000);
      options.log.warn(
        { attempt: n, retryInMs: delay, reason: failure.summary, fix: failure.fix },
        `${options.what}: ${failure.summary}; trying again in ${seconds(delay)}`,
      );
      try {
        await sleep(delay, undefined, { signal: options.signal });
      } catch {
        throw new DiscordStartError(failure, { cause: error });
      }
    }
  }
}

/** What the client is doing while it connects, read from discord.js's debug lines. */
interface Progress {
  gateway?: string;
  attempts: number;
  lastError?: string;
  /** The gateway said READY: connected, the servers are on their way (GUILD_CREATE). */
  connected: boolean;
}

function follow(client: Client): { progress: Progress; stop(): void } {
  const progress: Progress = { attempts: 0, connected: false };
  const onDebug = (line: string) => {
    const url = /Fetched Gateway Information\n\tURL: (\S+)/.exec(line)?.[1];
    if (url) progress.gateway = url;
    if (/\] Connecting to /.test(line)) progress.attempts++;
    if (line.includes('Failed to connect to the gateway URL specified due to a network error'))
      progress.lastError = 'network error: the connection was refused, reset or timed out';
    if (line.includes('timed out or went wrong while waiting for an event'))
      progress.lastError = 'connected, but the gateway sent nothing in time';
  };
  const onError = (error: Error) => {
    progress.lastError = error.message;
  };
  const onRaw = (packet: { t?: unknown }) => {
    if (packet.t === 'READY') progress.connected = true;
  };
  client.on(Events.Debug, onDebug);
  client.on(Events.ShardError, onError);
  client.on(Events.Raw, onRaw);
  return {
    progress,
    stop() {
      client.off(Events.Debug, onDebug);
      client.off(Events.ShardError, onError);
      client.off(Events.Raw, onRaw);
    },
  };
}

export interface WaitReportOptions {
  log: Logger;
  where: Where;
  /** First report after this long, then twice as long each time, up to `maxEveryMs`. */
  firstAfterMs?: number;
  maxEveryMs?: number;
}

/**
 * Until `stop()` (READY), says what the client waits for: Discord's REST (the gateway's address) or the gateway
 * itself (its URL, the connection attempts so far, the last failure). discord.js keeps reconnecting by itself, spaced
 * out by gatewayBackoff.
 */
export function reportWhileConnecting(client: Client, options: WaitReportOptions): () => void {
  const { progress, stop } = follow(client);
  const started = Date.now();
  let every = options.firstAfterMs ?? 5_000;
  const max = options.maxEveryMs ?? 5 * 60_000;
  let timer: NodeJS.Timeout;
  const report = () => {
    const waitedS = Math.round((Date.now() - started) / 1000);
    if (progress.connected)
      options.log.info(
        { waitedS, gateway: progress.gateway },
        `connected to the Discord gateway; receiving the servers (a large bot takes a while), ${waitedS} s so far`,
      );
    else if (!progress.gateway)
      options.log.warn(
        { waitedS, api: options.where.apiUrl },
        `waiting for Discord's API at ${options.where.apiUrl} (GET /gateway/bot, ${seconds(options.where.timeoutMs)} per try): no answer for ${waitedS} s`,
      );
    else
      options.log.warn(
        {
          waitedS,
          gateway: progress.gateway,
          attempts: progress.attempts,
          lastError: progress.lastError,
          fix: 'the gateway is a WebSocket (wss://, port 443): a firewall or proxy must let it through; `npm run doctor` opens it',
        },
        `waiting for the Discord gateway at ${progress.gateway}: not connected after ${waitedS} s and ${progress.attempts} attempt${progress.attempts === 1 ? '' : 's'}${progress.lastError ? ` (${progress.lastError})` : ''}; still trying`,
      );
    every = Math.min(max, every * 2);
    timer = setTimeout(report, every);
    timer.unref();
  };
  timer = setTimeout(report, every);
  timer.unref();
  return () => {
    clearTimeout(timer);
    stop();
  };
}

/**
 * discord.js reconnects a gateway it cannot reach every half second, for ever. This spaces the attempts of a shard
 * out after consecutive failures (1 s doubling to `maxMs`, with jitter) and forgets them on READY. @discordjs/ws asks
 * its `retrieveSessionInfo` option before every connection attempt: the wait goes there (Client option
 * `ws.buildStrategy`, which receives that manager).
 */
export function gatewayBackoff(maxMs = 60_000) {
  return (manager: WsManager) => {
    const failures = new Map<number, number>();
    const owed = new Set<number>();
    const failed = (shardId: number) => {
      failures.set(shardId, (failures.get(shardId) ?? 0) + 1);
      owed.add(shardId);
    };
    manager.on(WebSocketShardEvents.Debug, ({ message, shardId }) => {
      if (
        message.includes('due to a network error') ||
        message.includes('timed out or went wrong while waiting for an event')
      )
        failed(shardId);
    });
    manager.on(WebSocketShardEvents.Error, ({ shardId }) => failed(shardId));
    manager.on(WebSocketShardEvents.Ready, ({ shardId }) => {
      failures.delete(shardId);
      owed.delete(shardId);
    });
    const options = manager.options as { retrieveSessionInfo(shardId: number): unknown };
    const retrieve = options.retrieveSessionInfo.bind(options);
    options.retrieveSessionInfo = async (shardId: number) => {
      // A stopping process does not wait for this timer.
      if (owed.delete(shardId))
        await sleep(backoffMs(failures.get(shardId) ?? 1, maxMs), undefined, { ref: false });
      return retrieve(shardId) as SessionInfo | null;
    };
    return new SimpleShardingStrategy(manager);
  };
}
