// useapi: the token, the Midjourney accounts it has, and whether useapi still serves Midjourney for it.
import type { Config } from '../config.js';
import { mask } from '../redact.js';
import { isUseapiError, type UseapiError } from '../useapi/errors.js';
import { createUseapiClient } from '../useapi/http-client.js';
import type { MidjourneyAccount, UseapiClient } from '../useapi/port.js';
import { type Check, type CheckGroup, failure, pass } from './check.js';
import { errorCodeOf, request, unreachable } from './http.js';

/** The check's name, on every line it reports. */
const NAME = 'useapi token';
const DEFAULT_URL = 'https://api.useapi.net/v2';
const SETUP_GUIDE_URL = 'https://useapi.net/docs/start-here/setup-useapi';
const MJ_SETUP = 'https://useapi.net/docs/start-here/setup-midjourney';

const midjourneyDocsUrl = 'https://useapi.net/docs/api-v2';

/** useapi no longer serving Midjourney for this token: one line with what it means and where to check. */
const discontinued = (evidence: string): Check =>
  failure(
    NAME,
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

/** What the steps of the check need: the settings, and how to reach useapi. */
interface UseapiProbe {
  config: Pick<Config, 'useapi'>;
  fetchFn: typeof fetch;
  timeoutMs: number;
}

/** GET /account/midjourney answered 404 or 410, or said Midjourney is gone: a wrong URL, or the end of the API. */
async function listingGone(error: UseapiError, probe: UseapiProbe): Promise<Check> {
  const { apiUrl } = probe.config.useapi;
  // A wrong USEAPI_API_URL gives the same 404: useapi's own account route, at the same URL, tells them apart.
  if (error.status === 404 && !(await tokenValid(probe.config, probe.fetchFn, probe.timeoutMs)))
    return failure(
      NAME,
      `GET /account/midjourney and GET /account both answered HTTP 404 at ${apiUrl}: this is not useapi's v2 API, or useapi no longer serves Midjourney`,
      `Check USEAPI_API_URL (default ${DEFAULT_URL}; a wrong URL gives the same 404), then run \`npm run doctor -- --only upstream\` again.`,
    );
  return discontinued(
    `GET /account/midjourney answered HTTP ${error.status ?? '?'}${error.status === 404 ? '; GET /account answers at the same URL, so USEAPI_API_URL is right' : ''}`,
  );
}

/** The token refused for Midjourney: a wrong token, or one useapi accepts elsewhere (the Midjourney API is gone). */
async function tokenRefused(error: UseapiError, probe: UseapiProbe): Promise<Check> {
  if (await tokenValid(probe.config, probe.fetchFn, probe.timeoutMs))
    return discontinued(
      `GET /account/midjourney refused the token (HTTP ${error.status ?? 401}) that GET /account accepts`,
    );
  return failure(
    NAME,
    `useapi refused USEAPI_TOKEN (${error.status ?? 401})`,
    `Copy your API token again from useapi.net (${SETUP_GUIDE_URL}) into USEAPI_TOKEN.`,
  );
}

/** No answer at all: the network, or the URL. */
function useapiUnreachable(error: UseapiError, probe: UseapiProbe): Check {
  const { apiUrl } = probe.config.useapi;
  const code =
    error.kind === 'timeout'
      ? 'timeout'
      : (/\[([A-Z_]+)/.exec(error.message)?.[1] ?? errorCodeOf(error.cause));
  return failure(
    NAME,
    `could not reach useapi at ${apiUrl}: ${unreachable(code, apiUrl, Math.min(probe.timeoutMs, probe.config.useapi.timeoutMs))}`,
    'Check the network, and USEAPI_API_URL if you set it (default https://api.useapi.net/v2).',
  );
}

/** What a failed account listing says, by the kind of the failure. */
async function listingFailed(error: UseapiError, probe: UseapiProbe): Promise<Check> {
  switch (error.kind) {
    case 'discontinued':
      return listingGone(error, probe);
    case 'unauthorized':
      return tokenRefused(error, probe);
    case 'no_subscription':
      return failure(
        NAME,
        'accepted, but the useapi subscription has ended (402)',
        'Renew the subscription at https://useapi.net.',
      );
    case 'network':
    case 'timeout':
      return useapiUnreachable(error, probe);
    default:
      return failure(
        NAME,
        `GET /account/midjourney failed: ${error.kind}${error.status ? ` (HTTP ${error.status})` : ''}`,
        'useapi may be having trouble; try again in a few minutes (https://useapi.net).',
      );
  }
}

/** Listed is not enough: each account route must answer too (useapi may keep the list and drop the rest). */
async function anAccountGone(
  client: UseapiClient,
  accounts: MidjourneyAccount[],
): Promise<Check | undefined> {
  for (const a of accounts.slice(0, 5)) {
    try {
      await client.getAccount(a.channel);
    } catch (error) {
      if (isUseapiError(error) && error.kind === 'discontinued')
        return discontinued(`GET /account/midjourney/${a.channel} answered HTTP ${error.status ?? '?'}`);
      // Anything else (a 404 for one channel, a timeout) is not this check's to judge: the list answered.
    }
  }
  return undefined;
}

/** The accounts, one line each; a warning when USEAPI_MAX_JOBS is above what one of them allows. */
function accountsListed(accounts: MidjourneyAccount[], maxJobs: number): Check {
  const lines = accounts.map(
    (a) =>
      `account channel ${a.channel}: Discord token ${mask(a.discord)}, maxJobs ${a.maxJobs ?? 'unknown'}`,
  );
  const listed = `accepted: ${accounts.length} Midjourney account${accounts.length === 1 ? '' : 's'}`;
  const detail = `${listed}\n${lines.join('\n')}`;
  const smallest = Math.min(...accounts.map((a) => a.maxJobs ?? Number.POSITIVE_INFINITY));
  if (!Number.isFinite(smallest) || maxJobs <= smallest) return pass(NAME, detail);
  return pass(NAME, detail, {
    warning: true,
    fix: `USEAPI_MAX_JOBS is ${maxJobs} but an account allows ${smallest} jobs at once: useapi will answer 429 (busy). Set USEAPI_MAX_JOBS=${smallest}.`,
  });
}

/** One failed check per account with a pending moderation message. */
const pendingModeration = (accounts: MidjourneyAccount[]): Check[] =>
  accounts
    .filter((a) => a.pendingModMessage)
    .map((a) =>
      failure(
        `Midjourney account ${a.channel}`,
        `pending moderation message (useapi answers 596 until it is dealt with): "${(a.pendingModMessage ?? '').slice(0, 300)}"`,
        `Log in to Discord with that Midjourney account, acknowledge the message (or solve the CAPTCHA), then run \`/midjourney reset channel:${a.channel}\` in Discord (moderators).`,
      ),
    );

async function checkUseapi(probe: UseapiProbe): Promise<Check[]> {
  const { config } = probe;
  const client = createUseapiClient({
    baseUrl: config.useapi.apiUrl,
    token: config.useapi.token,
    timeoutMs: Math.min(probe.timeoutMs, config.useapi.timeoutMs),
    fetch: probe.fetchFn,
    retry: { maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 1_000 },
  });
  let accounts: MidjourneyAccount[];
  try {
    accounts = await client.getAccounts();
  } catch (error) {
    if (!isUseapiError(error)) throw error;
    return [await listingFailed(error, probe)];
  }
  if (accounts.length === 0)
    return [
      failure(
        NAME,
        'accepted, but no Midjourney account is configured for it',
        `Add your Midjourney Discord account at useapi (${MJ_SETUP}).`,
      ),
    ];
  const gone = await anAccountGone(client, accounts);
  if (gone) return [gone];
  return [accountsListed(accounts, config.useapi.maxJobs), ...pendingModeration(accounts)];
}

/** useapi v2 as the upstream: its token, its Midjourney accounts and whether it still serves Midjourney. */
export const useapiChecks: CheckGroup<'useapi'> = {
  name: 'upstream',
  parts: ['useapi'],
  checks: [NAME],
  applies: (env) => (env.SEED_PROVIDER?.trim() || 'useapi') === 'useapi',
  run: (config, ctx) => checkUseapi({ config, fetchFn: ctx.fetch, timeoutMs: ctx.timeoutMs }),
};
