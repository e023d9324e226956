// The doctor's lines for SEED_PROVIDER=midjourney-proxy: is the proxy reachable, is MJ_PROXY_TOKEN accepted (one line
// each, with the fix), from the proxy client's probe. A small part of its own so the doctor's useapi checks stay as
// they are; the doctor runs this instead of them when the bot is configured for a proxy.
import type { Config } from './config.js';
import { createMidjourneyProxyClient } from './midjourney-proxy/http-client.js';
import { probeMidjourneyProxy } from './midjourney-proxy/probe.js';

/** Shaped as the doctor's Check. */
interface ProxyCheck {
  name: string;
  ok: boolean;
  detail: string;
  fix?: string | undefined;
  skipped?: boolean | undefined;
}

const NAMES = { reachable: 'midjourney-proxy', token: 'midjourney-proxy token' } as const;

export async function checkMidjourneyProxy(
  config: Pick<Config, 'midjourneyProxy'>,
  fetchFn: typeof fetch,
  timeoutMs: number,
): Promise<ProxyCheck[]> {
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
