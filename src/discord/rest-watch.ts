// What Discord's REST answers say about the bot's standing, made visible to the operator: rate-limit waits (the
// `rateLimited` event of @discordjs/rest) at debug and in /metrics, and every invalid request (401, 403, 429), which
// Discord counts toward a ban of the bot's IP for an hour: 10,000 in 10 minutes. A warning goes to the log once when
// the last 10 minutes pass a tenth of that, and again only after the count has come back down.
import { type REST, RESTEvents } from 'discord.js';
import type { Logger } from '../log.js';
import type { Metrics } from '../metrics.js';

/** Discord: 10,000 invalid requests (401, 403, 429) in 10 minutes ban the IP for an hour. */
const discordInvalidBan = { count: 10_000, windowMs: 10 * 60_000 } as const;
const INVALID_STATUSES = new Set([401, 403, 429]);
const MINUTE = 60_000;

export interface InvalidRequestWatch {
  /** Count one invalid request now; true when this one made the window pass the threshold (the warning is due). */
  add(): boolean;
  /** Invalid requests in the last window. */
  count(): number;
}

/**
 * Invalid requests in a sliding window of whole minutes (ten counters: bounded whatever the traffic). `add` answers
 * true once when the count passes `threshold`; it re-arms when the count is back under half of it.
 */
export function createInvalidRequestWatch(options: {
  threshold: number;
  windowMs?: number;
  now?: () => number;
}): InvalidRequestWatch {
  const now = options.now ?? Date.now;
  const slots = Math.max(1, Math.round((options.windowMs ?? discordInvalidBan.windowMs) / MINUTE));
  const counts = new Array<number>(slots).fill(0);
  let current = Math.floor(now() / MINUTE);
  let armed = true;
  const advance = () => {
    const minute = Math.floor(now() / MINUTE);
    for (let m = current + 1; m <= Math.min(minute, current + slots); m++) counts[m % slots] = 0;
    current = Math.max(current, minute);
  };
  const count = () => {
    advance();
    return counts.reduce((a, b) => a + b, 0);
  };
  return {
    add() {
      advance();
      counts[current % slots] = (counts[current % slots] ?? 0) + 1;
      const total = counts.reduce((a, b) => a + b, 0);
      if (armed && total >= options.threshold) {
        armed = false;
        return true;
      }
      if (!armed && total < options.threshold / 2) armed = true;
      return false;
    },
    count,
  };
}

/** Hooks the REST events of the bot's client: logs, metrics, and the warning before Discord's ban. */
export function watchDiscordRest(
  rest: REST,
  deps: { log: Logger; metrics: Metrics; now?: () => number },
): InvalidRequestWatch {
  const { log, metrics } = deps;
  const threshold = discordInvalidBan.count / 10;
  const invalid = createInvalidRequestWatch({ threshold, now: deps.now });
  rest.on(RESTEvents.RateLimited, (info) => {
    const scope = info.global ? 'global' : info.scope;
    metrics.discordRateLimited.inc({ scope, route: `${info.method.toUpperCase()} ${info.route}` });
    // The route, not the URL: an interaction webhook's URL carries its token.
    log.debug(
      { scope, route: info.route, method: info.method, limit: info.limit, waitMs: info.timeToReset },
      'discord rate limit: waiting',
    );
  });
  rest.on(RESTEvents.Response, (request, response) => {
    if (!INVALID_STATUSES.has(response.status)) return;
    const scope = response.status === 429 ? (response.headers.get('x-ratelimit-scope') ?? 'user') : 'none';
    metrics.discordInvalidRequests.inc({
      status: String(response.status),
      scope,
      route: `${request.method.toUpperCase()} ${request.route}`,
    });
    if (invalid.add())
      log.warn(
        {
          invalidRequests: invalid.count(),
          windowMinutes: discordInvalidBan.windowMs / MINUTE,
          banAt: discordInvalidBan.count,
        },
        'discord: many invalid requests (401/403/429); at 10,000 in 10 minutes Discord bans the IP for an hour',
      );
  });
  return invalid;
}
