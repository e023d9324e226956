// The upstream group for SEED_PROVIDER=midjourney-proxy: is the proxy reachable, is MJ_PROXY_TOKEN accepted (one line
// each, with the fix), from the proxy client's probe. It replaces the useapi group when the bot is configured for a
// proxy (`applies`), so `npm run doctor -- --only upstream` checks whichever upstream is configured.
import type { Config } from '../config.js';
import { createMidjourneyProxyClient } from '../midjourney-proxy/http-client.js';
import { probeMidjourneyProxy } from '../midjourney-proxy/probe.js';
import type { Check, CheckGroup } from './check.js';

const NAMES = { reachable: 'midjourney-proxy', token: 'midjourney-proxy token' } as const;

async function checkMidjourneyProxy(
  config: Pick<Config, 'midjourneyProxy'>,
  fetchFn: typeof fetch,
  timeoutMs: number,
): Promise<Check[]> {
  const { url, token } = config.midjourneyProxy;
  const client = createMidjourneyProxyClient({ baseUrl: url, token, fetch: fetchFn, timeoutMs });
  const lines = await probeMidjourneyProxy(client, url, { signal: AbortSignal.timeout(timeoutMs * 2) });
  return lines.map((line) => ({
    name: NAMES[line.check],
    ok: line.status !== 'fail',
    detail: line.detail,
    fix: line.fix,
    skipped: line.status === 'skipped' ? true : undefined,
  }));
}

export const midjourneyProxyChecks: CheckGroup<'midjourneyProxy'> = {
  name: 'upstream',
  parts: ['midjourneyProxy'],
  checks: [NAMES.reachable, NAMES.token],
  applies: (env) => env.SEED_PROVIDER?.trim() === 'midjourney-proxy',
  run: (config, ctx) => checkMidjourneyProxy(config, ctx.fetch, ctx.timeoutMs),
};
