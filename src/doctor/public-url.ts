// PUBLIC_URL: reaches this bot's /healthz, and its callback route accepts CALLBACK_SECRET.
import type { Config } from '../config.js';
import { type Check, type CheckGroup, failure, pass, skip } from './check.js';
import { describe, record, request } from './http.js';

async function checkPublicUrl(
  config: Pick<Config, 'http'>,
  fetchFn: typeof fetch,
  timeoutMs: number,
): Promise<Check> {
  const name = 'Public URL';
  const publicUrl = config.http.publicUrl;
  if (!publicUrl)
    return skip(name, 'PUBLIC_URL not set: upstream callbacks are off, the bot polls seed jobs instead');
  const routeFix = `Start the bot (npm start) and make ${publicUrl} forward to this machine's HTTP_PORT (${config.http.port}).`;
  const health = await request(fetchFn, `${publicUrl}/healthz`, { timeoutMs });
  if (health.status === 0)
    return failure(name, `nothing answered at ${publicUrl}/healthz (${describe(health)})`, routeFix);
  const report = record(health.body);
  if (typeof report.ok !== 'boolean' || !('discord' in report))
    return failure(
      name,
      `${publicUrl}/healthz answered ${describe(health)}, but not like this bot`,
      routeFix,
    );
  // An empty body is refused with 400 by the callback route when the secret matches, with 404 otherwise.
  const probe = await request(fetchFn, `${publicUrl}/useapi/callback/${config.http.callbackSecret ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
    timeoutMs,
  });
  const lines = [
    `${publicUrl}/healthz reaches the bot: ${report.ok ? 'healthy' : 'not healthy'} (discord ${String(report.discord)}, storage ${String(report.storage)})`,
  ];
  if (probe.status !== 400)
    return failure(
      name,
      `${lines[0]}\nbut the callback route refused CALLBACK_SECRET (${describe(probe)})`,
      'The bot answering at PUBLIC_URL runs with another CALLBACK_SECRET: use the same .env for both, then restart the bot.',
    );
  lines.push('the callback route accepts CALLBACK_SECRET');
  if (!report.ok)
    return failure(
      name,
      lines.join('\n'),
      'The bot is running but not ready; look at its log (`npm start`).',
    );
  return pass(name, lines.join('\n'));
}

export const publicUrlChecks: CheckGroup<'http'> = {
  name: 'public-url',
  parts: ['http'],
  checks: ['Public URL'],
  run: async (config, ctx) => [await checkPublicUrl(config, ctx.fetch, ctx.timeoutMs)],
};
