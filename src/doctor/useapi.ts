// useapi: the token, the Midjourney accounts it has, and whether useapi still serves Midjourney for it.
import type { Config } from '../config.js';
import { mask } from '../redact.js';
import { isUseapiError } from '../useapi/errors.js';
import { createUseapiClient } from '../useapi/http-client.js';
import type { MidjourneyAccount } from '../useapi/port.js';
import { type Check, type CheckGroup, failure, pass } from './check.js';
import { errorCodeOf, request, unreachable } from './http.js';

const DEFAULT_URL = 'https://api.useapi.net/v2';
const SETUP_GUIDE_URL = 'https://useapi.net/docs/start-here/setup-useapi';
const MJ_SETUP = 'https://useapi.net/docs/start-here/setup-midjourney';

const midjourneyDocsUrl = 'https://useapi.net/docs/api-v2';

/** useapi no longer serving Midjourney for this token: one line with what it means and where to check. */
const discontinued = (evidence: string): Check =>
  failure(
    'useapi token',
    `useapi no longer serves Midjourney for this token (${evidence}): the bot cannot fetch any seed, and members who ask are told seeds are unavailable.`,
    `Check ${midjourneyDocsUrl} and your subscription at https://useapi.net (useapi's docs say "Midjourney support was discontinued on June 24, 2026").`,
  );

/** Whether useapi accepts the token on its general account route (GET /account), which is not Midjourney's. */
async function tokenValid(
  config: Pick<Config, 'useapi'>,
  fetchFn: typeof fetch,
  timeoutMs: number,
): Promise<boolean> {
  const answer = await request(fetchFn, `${config.useapi.apiUrl.replace(/\/+$/, '')}/account`, {
    headers: { Authorization: `Bearer ${config.useapi.token}` },
    timeoutMs,
  });
  return answer.status === 200;
}

async function checkUseapi(
  config: Pick<Config, 'useapi'>,
  fetchFn: typeof fetch,
  timeoutMs: number,
): Promise<Check[]> {
  const name = 'useapi token';
  const client = createUseapiClient({
    baseUrl: config.useapi.apiUrl,
    token: config.useapi.token,
    timeoutMs: Math.min(timeoutMs, config.useapi.timeoutMs),
    fetch: fetchFn,
    retry: { maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 1_000 },
  });
  let accounts: MidjourneyAccount[];
  try {
    accounts = await client.getAccounts();
  } catch (error) {
    if (!isUseapiError(error)) throw error;
    switch (error.kind) {
      case 'discontinued':
        // A wrong USEAPI_API_URL gives the same 404: useapi's own account route, at the same URL, tells them apart.
        if (error.status === 404 && !(await tokenValid(config, fetchFn, timeoutMs)))
          return [
            failure(
              name,
              `GET /account/midjourney and GET /account both answered HTTP 404 at ${config.useapi.apiUrl}: this is not useapi's v2 API, or useapi no longer serves Midjourney`,
              `Check USEAPI_API_URL (default ${DEFAULT_URL}; a wrong URL gives the same 404), then run \`npm run doctor -- --only upstream\` again.`,
            ),
          ];
        return [
          discontinued(
            `GET /account/midjourney answered HTTP ${error.status ?? '?'}${error.status === 404 ? '; GET /account answers at the same URL, so USEAPI_API_URL is right' : ''}`,
          ),
        ];
      case 'unauthorized':
        // A token useapi accepts elsewhere but not for Midjourney: the Midjourney API is gone for it.
        if (await tokenValid(config, fetchFn, timeoutMs))
          return [
            discontinued(
              `GET /account/midjourney refused the token (HTTP ${error.status ?? 401}) that GET /account accepts`,
            ),
          ];
        return [
          failure(
            name,
            `useapi refused USEAPI_TOKEN (${error.status ?? 401})`,
            `Copy your API token again from useapi.net (${SETUP_GUIDE_URL}) into USEAPI_TOKEN.`,
          ),
        ];
      case 'no_subscription':
        return [
          failure(
            name,
            'accepted, but the useapi subscription has ended (402)',
            'Renew the subscription at https://useapi.net.',
          ),
        ];
      case 'network':
      case 'timeout':
        return [
          failure(
            name,
            `could not reach useapi at ${config.useapi.apiUrl}: ${unreachable(
              error.kind === 'timeout'
                ? 'timeout'
                : (/\[([A-Z_]+)/.exec(error.message)?.[1] ?? errorCodeOf(error.cause)),
              config.useapi.apiUrl,
              Math.min(timeoutMs, config.useapi.timeoutMs),
            )}`,
            'Check the network, and USEAPI_API_URL if you set it (default https://api.useapi.net/v2).',
          ),
        ];
      default:
        return [
          failure(
            name,
            `GET /account/midjourney failed: ${error.kind}${error.status ? ` (HTTP ${error.status})` : ''}`,
            'useapi may be having trouble; try again in a few minutes (https://useapi.net).',
          ),
        ];
    }
  }
  if (accounts.length === 0)
    return [
      failure(
        name,
        'accepted, but no Midjourney account is configured for it',
        `Add your Midjourney Discord account at useapi (${MJ_SETUP}).`,
      ),
    ];
  // Listed is not enough: each account route must answer too (useapi may keep the list and drop the rest).
  for (const a of accounts.slice(0, 5)) {
    try {
      await client.getAccount(a.channel);
    } catch (error) {
      if (isUseapiError(error) && error.kind === 'discontinued')
        return [discontinued(`GET /account/midjourney/${a.channel} answered HTTP ${error.status ?? '?'}`)];
      // Anything else (a 404 for one channel, a timeout) is not this check's to judge: the list answered.
    }
  }
  const lines = accounts.map(
    (a) =>
      `account channel ${a.channel}: Discord token ${mask(a.discord)}, maxJobs ${a.maxJobs ?? 'unknown'}`,
  );
  const listed = `accepted: ${accounts.length} Midjourney account${accounts.length === 1 ? '' : 's'}`;
  const smallest = Math.min(...accounts.map((a) => a.maxJobs ?? Number.POSITIVE_INFINITY));
  const checks: Check[] = [];
  if (Number.isFinite(smallest) && config.useapi.maxJobs > smallest)
    checks.push(
      pass(name, `${listed}\n${lines.join('\n')}`, {
        warning: true,
        fix: `USEAPI_MAX_JOBS is ${config.useapi.maxJobs} but an account allows ${smallest} jobs at once: useapi will answer 429 (busy). Set USEAPI_MAX_JOBS=${smallest}.`,
      }),
    );
  else checks.push(pass(name, `${listed}\n${lines.join('\n')}`));
  for (const a of accounts) {
    if (!a.pendingModMessage) continue;
    checks.push(
      failure(
        `Midjourney account ${a.channel}`,
        `pending moderation message (useapi answers 596 until it is dealt with): "${a.pendingModMessage.slice(0, 300)}"`,
        `Log in to Discord with that Midjourney account, acknowledge the message (or solve the CAPTCHA), then run \`/midjourney reset channel:${a.channel}\` in Discord (moderators).`,
      ),
    );
  }
  return checks;
}

/** useapi v2 as the upstream: its token, its Midjourney accounts and whether it still serves Midjourney. */
export const useapiChecks: CheckGroup<'useapi'> = {
  name: 'upstream',
  parts: ['useapi'],
  checks: ['useapi token'],
  applies: (env) => (env.SEED_PROVIDER?.trim() || 'useapi') === 'useapi',
  run: (config, ctx) => checkUseapi(config, ctx.fetch, ctx.timeoutMs),
};
