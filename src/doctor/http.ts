// How the doctor reaches HTTP services: one answer type for fetch and for Discord's REST, never a thrown error.
import { DiscordAPIError, HTTPError, REST, type RouteLike } from 'discord.js';
import type { Config } from '../config.js';

export interface HttpAnswer {
  /** 0 when no answer came (network error, timeout). */
  status: number;
  body: unknown;
  /** Why there was no answer: the error code (ENOTFOUND, ECONNREFUSED, timeout). */
  error?: string;
  /** The same in words, naming the host (a DNS failure reads as one). */
  reason?: string;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);

/** Why `url` gave no answer, in words. */
export function unreachable(code: string, url: string, timeoutMs: number): string {
  let host = url;
  try {
    host = new URL(url).host;
  } catch {
    // keep the text
  }
  if (DNS_CODES.has(code)) return `DNS could not resolve ${host} (${code})`;
  if (code === 'ECONNREFUSED') return `${host} refused the connection (ECONNREFUSED)`;
  if (code === 'timeout') return `no answer from ${host} within ${Math.round(timeoutMs / 100) / 10} s`;
  return `no answer from ${host} (${code})`;
}

/** The error's code (ENOTFOUND, ECONNREFUSED…), 'timeout', or else the innermost cause's message ("bad port"). */
export const errorCodeOf = (error: unknown): string => {
  let current: unknown = error;
  let innermost = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (current.name === 'TimeoutError' || current.name === 'AbortError') return 'timeout';
    innermost = current;
    current = current.cause;
  }
  return innermost instanceof Error ? innermost.message || innermost.name : 'error';
};

export async function request(
  fetchFn: typeof fetch,
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string; timeoutMs: number },
): Promise<HttpAnswer> {
  try {
    const response = await fetchFn(url, {
      method: init.method ?? 'GET',
      headers: init.headers,
      body: init.body,
      signal: AbortSignal.timeout(init.timeoutMs),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    return { status: response.status, body };
  } catch (error) {
    const code = errorCodeOf(error);
    return { status: 0, body: undefined, error: code, reason: unreachable(code, url, init.timeoutMs) };
  }
}

export const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
export const discordCode = (answer: HttpAnswer) => Number(record(answer.body).code ?? 0);
export const describe = (answer: HttpAnswer) =>
  answer.status === 0
    ? (answer.reason ?? `no answer (${answer.error})`)
    : `HTTP ${answer.status}${record(answer.body).message ? ` ${String(record(answer.body).message)}` : ''}`;

export interface Discord {
  get(path: RouteLike, query?: URLSearchParams): Promise<HttpAnswer>;
  apiUrl: string;
}

/** Discord through @discordjs/rest, as the bot and `npm run register` reach it; every answer becomes an HttpAnswer. */
export function discordApi(
  config: Pick<Config, 'discord'>,
  fetchFn: typeof fetch,
  timeoutMs: number,
): Discord {
  const rest = new REST({
    api: config.discord.apiUrl,
    timeout: timeoutMs,
    // One try: the doctor reports what it saw instead of retrying a network error or a 5xx.
    retries: 0,
    userAgentAppendix: 'mj-seed-bot doctor',
    makeRequest: (url, init) => fetchFn(url, init),
  }).setToken(config.discord.token);
  return {
    apiUrl: config.discord.apiUrl,
    async get(path, query) {
      try {
        return { status: 200, body: await rest.get(path, query ? { query } : {}) };
      } catch (error) {
        if (error instanceof DiscordAPIError) return { status: error.status, body: error.rawError };
        if (error instanceof HTTPError) return { status: error.status, body: undefined };
        const code = errorCodeOf(error);
        return {
          status: 0,
          body: undefined,
          error: code,
          reason: unreachable(code, config.discord.apiUrl, timeoutMs),
        };
      }
    },
  };
}
