// `npm run doctor` with SEED_PROVIDER=midjourney-proxy: the proxy's two lines (reachable, token accepted) in place of
// useapi's, each with its fix, against the fake proxy and the running bot.
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { runDoctor } from '../../src/doctor/index.js';
import { registerCommands } from '../../src/register.js';
import { type Harness, startHarness } from '../helpers/harness.js';

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function doctor(env: Record<string, string | undefined>) {
  let output = '';
  const report = await runDoctor(env, { out: (text) => (output += text) });
  return { ...report, output };
}

const line = (output: string, name: string) =>
  output.split('\n').find((l) => l.slice(2).startsWith(name)) ?? '';

describe('npm run doctor on a midjourney-proxy', () => {
  it('says the proxy answers and takes the token, and never checks useapi', async () => {
    h = await startHarness({ upstream: 'midjourney-proxy' });
    await registerCommands(loadConfig(h.env));
    const env = { ...h.env, PUBLIC_URL: h.bot.http()?.url ?? '', USEAPI_TOKEN: '' };
    const { output, checks } = await doctor(env);
    expect(line(output, 'midjourney-proxy:')).toMatch(/answers at http:\/\/127\.0\.0\.1/);
    expect(line(output, 'midjourney-proxy token')).toMatch(/MJ_PROXY_TOKEN accepted/);
    expect(checks.filter((c) => c.name.startsWith('midjourney-proxy')).every((c) => c.ok)).toBe(true);
    expect(checks.some((c) => c.name.startsWith('useapi'))).toBe(false);
    expect(output).not.toContain(String(h.proxy?.token));
  });

  it('names a refused token and an unreachable proxy, each with its fix', async () => {
    h = await startHarness({ upstream: 'midjourney-proxy' });
    const refused = await doctor({ ...h.env, MJ_PROXY_TOKEN: 'not-the-proxy-token-0123456789' });
    expect(refused.exitCode).toBe(1);
    expect(line(refused.output, 'midjourney-proxy token')).toMatch(/refused MJ_PROXY_TOKEN/);
    expect(refused.output).toMatch(/Mj-Api-Secret/);
    await h.proxy?.outage('refuse');
    const down = await doctor(h.env);
    expect(line(down.output, 'midjourney-proxy:')).toMatch(/no answer from/);
    expect(down.output).toMatch(/start the midjourney-proxy, or set MJ_PROXY_URL/);
  });
});
