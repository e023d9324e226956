// The doctor's check of a midjourney-proxy: is it reachable, is the token accepted. One authenticated call
// (`ping`: GET /mj/task/<an id that cannot exist>/fetch, which the proxy answers 204 once the token passes), turned
// into one line per question with what to do. Returned as data: the doctor prints it.
import { isProxyError, type ProxyError } from './errors.js';
import type { MidjourneyProxyClient } from './port.js';

export type ProbeStatus = 'ok' | 'fail' | 'skipped';

export interface ProbeLine {
  check: 'reachable' | 'token';
  status: ProbeStatus;
  /** What was found, for the operator (never the token). */
  detail: string;
  /** What to do, when something is wrong. */
  fix?: string | undefined;
}

/** The URL as the operator wrote it, without any user:password part. */
const shown = (url: string): string => {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url;
  }
};

const skippedToken: ProbeLine = {
  check: 'token',
  status: 'skipped',
  detail: 'MJ_PROXY_TOKEN not checked: the proxy did not answer',
};

const linesOf = (error: ProxyError, url: string): ProbeLine[] => {
  switch (error.kind) {
    case 'network':
    case 'timeout':
      return [
        {
          check: 'reachable',
          status: 'fail',
          detail: `no answer from ${url} (${error.kind === 'timeout' ? 'timed out' : 'connection failed'})`,
          fix: 'start the midjourney-proxy, or set MJ_PROXY_URL to where it listens (e.g. http://127.0.0.1:8080)',
        },
        skippedToken,
      ];
    case 'unauthorized':
      return [
        { check: 'reachable', status: 'ok', detail: `midjourney-proxy answers at ${url}` },
        {
          check: 'token',
          status: 'fail',
          detail: `the proxy refused MJ_PROXY_TOKEN (HTTP ${error.status ?? '?'})`,
          fix: "copy a user's token from the proxy's admin page into MJ_PROXY_TOKEN (it is sent as the Mj-Api-Secret header, bare)",
        },
      ];
    case 'busy':
      return [
        { check: 'reachable', status: 'ok', detail: `midjourney-proxy answers at ${url}` },
        {
          check: 'token',
          status: 'skipped',
          detail: 'the proxy is rate limiting this address (HTTP 429)',
          fix: "wait and run the doctor again, or whitelist the bot's address in the proxy's IP rate limiting",
        },
      ];
    case 'unavailable':
      return [
        {
          check: 'reachable',
          status: 'fail',
          detail: `${url} answered HTTP ${error.status ?? '5xx'}`,
          fix: 'the proxy is failing: read its logs (it needs its database and Redis running)',
        },
        skippedToken,
      ];
    default:
      // not_found (a 404 without the proxy's envelope), bad_response: something else answers at that URL.
      return [
        {
          check: 'reachable',
          status: 'fail',
          detail: `${url} answers, but not as a midjourney-proxy (${error.status === undefined ? error.kind : `HTTP ${error.status}`})`,
          fix: "set MJ_PROXY_URL to the proxy's root (the routes are under /mj/…; do not add /mj yourself)",
        },
        skippedToken,
      ];
  }
};

/** Reachable? Token accepted? One line each. Never throws for an answer of the proxy; rethrows anything else. */
export async function probeMidjourneyProxy(
  client: MidjourneyProxyClient,
  baseUrl: string,
  options: { signal?: AbortSignal } = {},
): Promise<ProbeLine[]> {
  const url = shown(baseUrl);
  try {
    await client.ping({ signal: options.signal });
  } catch (error) {
    if (isProxyError(error)) return linesOf(error, url);
    throw error;
  }
  return [
    { check: 'reachable', status: 'ok', detail: `midjourney-proxy answers at ${url}` },
    { check: 'token', status: 'ok', detail: 'MJ_PROXY_TOKEN accepted' },
  ];
}
