// `npm run doctor`: checks an installation and prints a checklist with a fix for each failure; exit code 1 when any
// check fails. Every check is a small function returning {name, ok, detail, fix}; the printer is pure; the whole
// output passes through the redactor, so no token is ever printed (masked: first and last 3 characters).
// It reaches Discord at DISCORD_API_URL and useapi at USEAPI_API_URL, so the tests run it against the fakes.
import {
  DiscordAPIError,
  HTTPError,
  PermissionFlagsBits,
  REST,
  RESTJSONErrorCodes,
  type RouteLike,
  Routes,
} from 'discord.js';
import dotenv from 'dotenv';
import { commandData } from '../commands/index.js';
import { type Config, ConfigError, loadConfig, redactorForEnv, redactUrl } from './config.js';
import { checkMidjourneyProxy } from './doctor-proxy.js';
import { mask } from './redact.js';
import { createStorage } from './storage/index.js';
import { isUseapiError } from './useapi/errors.js';
import { createUseapiClient } from './useapi/http-client.js';
import type { MidjourneyAccount } from './useapi/port.js';

export interface Check {
  name: string;
  ok: boolean;
  /** What was found (one or more lines). */
  detail: string;
  /** What to do, when the check failed or warns. */
  fix?: string | undefined;
  /** Passed, but something deserves attention (does not fail the run). */
  warning?: boolean | undefined;
  /** Not run (not configured, or an earlier check it needs failed); never fails the run. */
  skipped?: boolean | undefined;
}

export interface DoctorOptions {
  fetch?: typeof fetch;
  out: (text: string) => void;
  /** Per HTTP call. Default 10 s. */
  timeoutMs?: number;
}

export interface DoctorReport {
  checks: Check[];
  exitCode: 0 | 1;
}

const pass = (name: string, detail: string, extra: Partial<Check> = {}): Check => ({
  name,
  ok: true,
  detail,
  ...extra,
});
const failure = (name: string, detail: string, fix: string): Check => ({ name, ok: false, detail, fix });
const skip = (name: string, detail: string): Check => ({ name, ok: true, skipped: true, detail });

// --- the printer ---------------------------------------------------------------------------------------------

/** The checklist as text: pure, so it is tested (and redacted) as a whole. */
function formatReport(checks: Check[]): string {
  const lines = ['mj-seed-bot doctor', ''];
  for (const c of checks) {
    const mark = c.skipped ? '–' : !c.ok ? '✖' : c.warning ? '⚠' : '✔';
    const [first = '', ...rest] = c.detail.split('\n');
    lines.push(`${mark} ${c.name}: ${first}`);
    for (const line of rest) lines.push(`    ${line}`);
    if (c.fix && (!c.ok || c.warning)) {
      const [fixFirst = '', ...fixRest] = c.fix.split('\n');
      lines.push(`    → ${fixFirst}`);
      for (const line of fixRest) lines.push(`      ${line}`);
    }
  }
  const failed = checks.filter((c) => !c.ok).length;
  const warned = checks.filter((c) => c.ok && c.warning).length;
  lines.push('');
  lines.push(
    failed
      ? `${failed} check${failed === 1 ? '' : 's'} failed. Fix ${failed === 1 ? 'it' : 'them'} and run \`npm run doctor\` again.`
      : `All checks passed${warned ? ` (${warned} warning${warned === 1 ? '' : 's'})` : ''}.`,
  );
  return `${lines.join('\n')}\n`;
}

// --- HTTP ----------------------------------------------------------------------------------------------------

interface HttpAnswer {
  /** 0 when no answer came (network error, timeout). */
  status: number;
  body: unknown;
  /** Why there was no answer. */
  error?: string;
}

const errorCodeOf = (error: unknown): string => {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if (current.name === 'TimeoutError' || current.name === 'AbortError') return 'timeout';
    current = current.cause;
  }
  return error instanceof Error ? error.name : 'error';
};

async function request(
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
    return { status: 0, body: undefined, error: errorCodeOf(error) };
  }
}

const record = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
const discordCode = (answer: HttpAnswer) => Number(record(answer.body).code ?? 0);
const describe = (answer: HttpAnswer) =>
  answer.status === 0
    ? `no answer (${answer.error})`
    : `HTTP ${answer.status}${record(answer.body).message ? ` ${String(record(answer.body).message)}` : ''}`;

interface Discord {
  get(path: RouteLike, query?: URLSearchParams): Promise<HttpAnswer>;
  apiUrl: string;
}

/** Discord through @discordjs/rest, as the bot and `npm run register` reach it; every answer becomes an HttpAnswer. */
function discordApi(config: Config, fetchFn: typeof fetch, timeoutMs: number): Discord {
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
        return { status: 0, body: undefined, error: errorCodeOf(error) };
      }
    },
  };
}

// --- checks --------------------------------------------------------------------------------------------------

function checkConfig(env: Record<string, string | undefined>): { check: Check; config?: Config } {
  try {
    const config = loadConfig(env);
    const lines = [
      'valid',
      `Discord: application ${config.discord.applicationId}, token ${mask(config.discord.token)}, commands ${
        config.discord.guildId ? `in guild ${config.discord.guildId}` : 'global'
      }, API ${config.discord.apiUrl}`,
      `useapi: token ${mask(config.useapi.token)}, API ${config.useapi.apiUrl}, ${config.useapi.maxJobs} seed jobs at once`,
      `storage: ${redactUrl(config.storageUrl)}`,
      `HTTP: ${config.http.host}:${config.http.port}, PUBLIC_URL ${config.http.publicUrl ?? 'not set'}${
        config.http.callbackSecret ? `, CALLBACK_SECRET ${mask(config.http.callbackSecret)}` : ''
      }`,
      `access: ${config.seed.access}, ${config.seed.userLimitPerMinute || 'unlimited'} requests per member and minute`,
    ];
    return { check: pass('Configuration', lines.join('\n')), config };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      check: failure(
        'Configuration',
        `${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}\n${error.problems.map((p) => `- ${p}`).join('\n')}`,
        'Set these in .env (see .env.example) or in the environment. The other checks need a valid configuration.',
      ),
    };
  }
}

const TOKEN_FIX =
  'Copy the bot token again (Developer Portal → your application → Bot → Reset Token) into DISCORD_TOKEN.';

async function checkDiscordToken(discord: Discord): Promise<{ check: Check; botUserId?: string }> {
  const name = 'Discord token';
  const me = await discord.get('/users/@me');
  if (me.status === 200) {
    const user = record(me.body);
    return {
      check: pass(name, `accepted: bot ${String(user.username)} (user id ${String(user.id)})`),
      botUserId: String(user.id),
    };
  }
  if (me.status === 401) return { check: failure(name, 'Discord refused DISCORD_TOKEN (401)', TOKEN_FIX) };
  if (me.status === 0)
    return {
      check: failure(
        name,
        `could not reach Discord at ${discord.apiUrl}: ${describe(me)}`,
        'Check the network, and DISCORD_API_URL if you set it (default https://discord.com/api).',
      ),
    };
  return {
    check: failure(
      name,
      `GET /users/@me answered ${describe(me)}`,
      'Try again in a minute; if it stays, check DISCORD_API_URL.',
    ),
  };
}

async function checkApplicationId(config: Config, discord: Discord, botUserId: string): Promise<Check> {
  const name = 'Application id';
  const wanted = config.discord.applicationId;
  const app = await discord.get('/applications/@me');
  const actual = app.status === 200 ? String(record(app.body).id) : undefined;
  const against = actual ? 'the application of the token (GET /applications/@me)' : 'the bot user id';
  const found = actual ?? botUserId;
  if (found === wanted) return pass(name, `DISCORD_APPLICATION_ID ${wanted} matches ${against}`);
  return failure(
    name,
    `DISCORD_APPLICATION_ID is ${wanted}, but the token belongs to ${actual ? 'application' : 'bot user'} ${found}`,
    `Set DISCORD_APPLICATION_ID=${found} (Developer Portal → General Information → Application ID), or use the token of application ${wanted}.`,
  );
}

// Command comparison: what Discord keeps, normalized so that defaults (null, false, {} and []) equal absence.
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const OPTION_KEYS = [
  'type',
  'name',
  'name_localizations',
  'description',
  'description_localizations',
  'required',
  'choices',
  'options',
  'channel_types',
  'min_value',
  'max_value',
  'min_length',
  'max_length',
  'autocomplete',
];
const CHOICE_KEYS = ['name', 'name_localizations', 'value'];
const COMMAND_FIELDS = [
  'type',
  'name',
  'name_localizations',
  'description',
  'description_localizations',
  'options',
  'default_member_permissions',
  'contexts',
  'integration_types',
  'nsfw',
];

function normalize(value: unknown, keys?: string[]): Json | undefined {
  if (value === undefined || value === null || value === false) return undefined;
  if (Array.isArray(value)) {
    const items = value.map((v) => normalize(v, keys)).filter((v): v is Json => v !== undefined);
    return items.length ? items : undefined;
  }
  if (typeof value === 'object') {
    const source = value as Record<string, unknown>;
    const out: Record<string, Json> = {};
    for (const key of (keys ?? Object.keys(source)).slice().sort()) {
      // Options and choices keep only the fields Discord stores; anything else (localizations) keeps every key.
      const inner = key === 'options' ? OPTION_KEYS : key === 'choices' ? CHOICE_KEYS : undefined;
      const v = normalize(source[key], inner);
      if (v !== undefined) out[key] = v;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return value as Json;
}

const commandType = (c: Record<string, unknown>) => Number(c.type ?? 1);
const commandLabel = (c: Record<string, unknown>) =>
  commandType(c) === 1
    ? `/${String(c.name)}`
    : `"${String(c.name)}" (${commandType(c) === 3 ? 'message' : 'user'} menu)`;

/** Field names that differ between the code's command and Discord's. `contexts` and `integration_types` only count when the code sets them. */
function commandDifferences(local: Record<string, unknown>, remote: Record<string, unknown>): string[] {
  const differs: string[] = [];
  for (const field of COMMAND_FIELDS) {
    if ((field === 'contexts' || field === 'integration_types') && local[field] === undefined) continue;
    const inner = field === 'options' ? OPTION_KEYS : undefined;
    const a = field === 'type' ? commandType(local) : normalize(local[field], inner);
    const b = field === 'type' ? commandType(remote) : normalize(remote[field], inner);
    // A context menu has no description; Discord stores ''.
    if (field === 'description' && commandType(local) !== 1) continue;
    if (JSON.stringify(a) !== JSON.stringify(b)) differs.push(field);
  }
  return differs;
}

export function compareCommands(
  local: Record<string, unknown>[],
  remote: Record<string, unknown>[],
): { missing: string[]; extra: string[]; outdated: string[] } {
  const key = (c: Record<string, unknown>) => `${commandType(c)}:${String(c.name)}`;
  const remoteByKey = new Map(remote.map((c) => [key(c), c]));
  const localKeys = new Set(local.map(key));
  const missing: string[] = [];
  const outdated: string[] = [];
  for (const c of local) {
    const r = remoteByKey.get(key(c));
    if (!r) missing.push(commandLabel(c));
    else {
      const differs = commandDifferences(c, r);
      if (differs.length) outdated.push(`${commandLabel(c)} (${differs.join(', ')})`);
    }
  }
  const extra = remote.filter((c) => !localKeys.has(key(c))).map(commandLabel);
  return { missing, extra, outdated };
}

async function checkCommands(config: Config, discord: Discord): Promise<Check> {
  const name = 'Commands';
  const app = config.discord.applicationId;
  const guild = config.discord.guildId;
  const scope = guild ? `guild ${guild}` : 'global';
  const path = guild ? Routes.applicationGuildCommands(app, guild) : Routes.applicationCommands(app);
  const answer = await discord.get(path, new URLSearchParams({ with_localizations: 'true' }));
  if (answer.status !== 200) {
    const code = discordCode(answer);
    if (guild && (answer.status === 403 || code === RESTJSONErrorCodes.MissingAccess))
      return failure(
        name,
        `cannot read the commands of ${scope}: ${describe(answer)}`,
        'Invite the bot to that server with the applications.commands scope, or check DISCORD_GUILD_ID.',
      );
    return failure(
      name,
      `cannot read the ${scope} commands: ${describe(answer)}`,
      'Check DISCORD_APPLICATION_ID and the token.',
    );
  }
  const remote = (Array.isArray(answer.body) ? answer.body : []).map(record);
  const local = commandData().map((c) => record(c));
  const { missing, extra, outdated } = compareCommands(local, remote);
  const names = local.map(commandLabel).join(', ');
  if (remote.length === 0)
    return failure(
      name,
      `none registered (${scope}); the code has ${names}`,
      `Run \`npm run register\` (registers ${guild ? 'in DISCORD_GUILD_ID, instantly' : 'globally; Discord may take up to an hour to show them'}).`,
    );
  if (missing.length || outdated.length || extra.length) {
    const lines = [`registered (${scope}) but not up to date with the code`];
    if (missing.length) lines.push(`missing: ${missing.join(', ')}`);
    if (outdated.length) lines.push(`changed in the code: ${outdated.join(', ')}`);
    if (extra.length) lines.push(`registered but no longer in the code: ${extra.join(', ')}`);
    return failure(name, lines.join('\n'), 'Run `npm run register` to send the current definitions.');
  }
  const detail = `${local.length} registered (${scope}) and up to date: ${names}`;
  if (guild) {
    // Commands registered both globally and in the guild show twice there.
    const global = await discord.get(`/applications/${app}/commands`);
    const globals = (Array.isArray(global.body) ? global.body : []).map(record);
    const twice = globals.filter((g) =>
      local.some((l) => l.name === g.name && commandType(l) === commandType(g)),
    );
    if (global.status === 200 && twice.length)
      return pass(
        name,
        `${detail}\nalso registered globally: ${twice.map(commandLabel).join(', ')} (members see them twice in that server)`,
        {
          warning: true,
          fix: 'Remove the global registration (unset DISCORD_GUILD_ID, run `npm run register` with an empty command list, or delete them in the Developer Portal), or stop using DISCORD_GUILD_ID.',
        },
      );
  }
  return pass(name, detail);
}

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
async function tokenValid(config: Config, fetchFn: typeof fetch, timeoutMs: number): Promise<boolean> {
  const answer = await request(fetchFn, `${config.useapi.apiUrl.replace(/\/+$/, '')}/account`, {
    headers: { Authorization: `Bearer ${config.useapi.token}` },
    timeoutMs,
  });
  return answer.status === 200;
}

async function checkUseapi(config: Config, fetchFn: typeof fetch, timeoutMs: number): Promise<Check[]> {
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
        return [discontinued(`GET /account/midjourney answered HTTP ${error.status ?? '?'}`)];
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
            `could not reach useapi at ${config.useapi.apiUrl} (${error.kind})`,
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

async function checkStorage(config: Config, timeoutMs: number): Promise<Check> {
  const name = 'Storage';
  const where = redactUrl(config.storageUrl);
  try {
    const storage = await withTimeout(createStorage(config.storageUrl), timeoutMs, 'opening storage');
    try {
      await withTimeout(storage.ping(), timeoutMs, 'writing and reading a value');
      return pass(name, `${storage.backend} at ${storage.location}: reachable and writable`);
    } finally {
      await storage.close().catch(() => {});
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = errorCodeOf(error);
    const reason = message.includes(code) ? message : `${code}: ${message}`;
    const fix = config.storageUrl.startsWith('sqlite://')
      ? 'Make the folder of the SQLite file exist and be writable by the bot, or set STORAGE_URL=sqlite://<writable path>.'
      : config.storageUrl.startsWith('redis')
        ? 'Start Redis, check host, port and password in STORAGE_URL, and that this machine can reach it.'
        : 'Check STORAGE_URL.';
    return failure(name, `${where}: ${reason.split('\n')[0]}`, fix);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

const seconds = (ms: number) => (ms < 1_000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`);

async function checkPublicUrl(config: Config, fetchFn: typeof fetch, timeoutMs: number): Promise<Check> {
  const name = 'Public URL';
  const publicUrl = config.http.publicUrl;
  if (!publicUrl)
    return skip(
      name,
      `PUBLIC_URL not set: useapi callbacks are off, the bot polls seed jobs every ${seconds(config.useapi.pollIntervalMs)}`,
    );
  const routeFix = `Start the bot (npm start) and make ${publicUrl} forward to this machine's HTTP_PORT (${config.http.port}).`;
  const health = await request(fetchFn, `${publicUrl}/healthz`, { timeoutMs });
  if (health.status === 0)
    return failure(name, `nothing answered at ${publicUrl}/healthz (${health.error})`, routeFix);
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

const NEEDED: [bigint, string][] = [
  [PermissionFlagsBits.ViewChannel, 'View Channel'],
  [PermissionFlagsBits.SendMessages, 'Send Messages'],
  [PermissionFlagsBits.EmbedLinks, 'Embed Links'],
];
const ALL = (1n << 64n) - 1n;

interface Overwrite {
  id: string;
  type: number;
  allow: string;
  deny: string;
}

/** Discord's permission algorithm for one member in one channel: base from roles, then the channel's overwrites. */
export function channelPermissions(input: {
  guildId: string;
  ownerId: string | undefined;
  roles: { id: string; permissions: string }[];
  userId: string;
  memberRoles: string[];
  overwrites: Overwrite[];
}): bigint {
  if (input.userId === input.ownerId) return ALL;
  let bits = 0n;
  for (const r of input.roles)
    if (r.id === input.guildId || input.memberRoles.includes(r.id)) bits |= BigInt(r.permissions);
  if (bits & PermissionFlagsBits.Administrator) return ALL;
  const apply = (o: { allow: bigint; deny: bigint }) => {
    bits = (bits & ~o.deny) | o.allow;
  };
  const everyone = input.overwrites.find((o) => o.id === input.guildId);
  if (everyone) apply({ allow: BigInt(everyone.allow), deny: BigInt(everyone.deny) });
  const roleOverwrites = input.overwrites.filter((o) => o.type === 0 && input.memberRoles.includes(o.id));
  apply({
    allow: roleOverwrites.reduce((n, o) => n | BigInt(o.allow), 0n),
    deny: roleOverwrites.reduce((n, o) => n | BigInt(o.deny), 0n),
  });
  const own = input.overwrites.find((o) => o.type === 1 && o.id === input.userId);
  if (own) apply({ allow: BigInt(own.allow), deny: BigInt(own.deny) });
  return bits;
}

const TEXT_CHANNELS = new Set([0, 5]);
const THREADS = new Set([10, 11, 12]);

async function checkAlertChannel(config: Config, discord: Discord, botUserId: string): Promise<Check> {
  const name = 'Moderator alert channel';
  const id = config.moderation.alertChannelId;
  if (!id)
    return skip(
      name,
      'MOD_ALERT_CHANNEL_ID not set: moderators get no alert message when an account is held (596)',
    );
  const channel = await discord.get(`/channels/${id}`);
  if (channel.status === 404 || discordCode(channel) === RESTJSONErrorCodes.UnknownChannel)
    return failure(
      name,
      `channel ${id} does not exist (or the bot is not in its server)`,
      'Copy the channel id again (right-click the channel → Copy Channel ID) into MOD_ALERT_CHANNEL_ID.',
    );
  if (channel.status === 403)
    return failure(
      name,
      `the bot cannot see channel ${id} (${describe(channel)})`,
      "Give the bot's role View Channel, Send Messages and Embed Links in that channel.",
    );
  if (channel.status !== 200)
    return failure(name, `GET /channels/${id} answered ${describe(channel)}`, 'Try again in a minute.');
  const c = record(channel.body);
  const label = `#${String(c.name ?? id)}`;
  const guildId = typeof c.guild_id === 'string' ? c.guild_id : undefined;
  if (!guildId) return failure(name, `${id} is not a server channel`, 'Use a text channel of your server.');
  const type = Number(c.type);
  if (!TEXT_CHANNELS.has(type) && !THREADS.has(type))
    return failure(
      name,
      `${label} is not a text channel (type ${type})`,
      'Use a text channel the moderators read.',
    );
  const [guild, member] = await Promise.all([
    discord.get(`/guilds/${guildId}`),
    discord.get(`/guilds/${guildId}/members/${botUserId}`),
  ]);
  if (guild.status !== 200 || member.status !== 200)
    return pass(
      name,
      `${label} exists; could not read the roles to compute the bot's permissions (${describe(guild.status !== 200 ? guild : member)}), so posting is not verified`,
      {
        warning: true,
        fix: "Check that the bot's role has View Channel, Send Messages and Embed Links in that channel.",
      },
    );
  const g = record(guild.body);
  if (THREADS.has(type))
    return pass(
      name,
      `${label} in ${String(g.name)} is a thread: it exists; permissions are not computed for threads`,
      {
        warning: true,
        fix: 'Prefer a text channel: threads get archived and then the bot cannot post there.',
      },
    );
  const bits = channelPermissions({
    guildId,
    ownerId: typeof g.owner_id === 'string' ? g.owner_id : undefined,
    roles: (Array.isArray(g.roles) ? g.roles : [])
      .map(record)
      .map((r) => ({ id: String(r.id), permissions: String(r.permissions ?? '0') })),
    userId: botUserId,
    memberRoles: (Array.isArray(record(member.body).roles)
      ? (record(member.body).roles as unknown[])
      : []
    ).map(String),
    overwrites: (Array.isArray(c.permission_overwrites) ? c.permission_overwrites : [])
      .map(record)
      .map((o) => ({
        id: String(o.id),
        type: Number(o.type),
        allow: String(o.allow ?? '0'),
        deny: String(o.deny ?? '0'),
      })),
  });
  const lacking = NEEDED.filter(([bit]) => (bits & bit) !== bit).map(([, label]) => label);
  const how = "computed from the server's roles and the channel's overwrites; nothing was posted";
  if (lacking.length)
    return failure(
      name,
      `${label} in ${String(g.name)}: the bot lacks ${lacking.join(', ')} (${how})`,
      `Channel settings → Permissions: allow ${lacking.join(', ')} for the bot's role in ${label}.`,
    );
  return pass(name, `${label} in ${String(g.name)}: the bot may view, post and embed there (${how})`);
}

// --- the run -------------------------------------------------------------------------------------------------

export async function runDoctor(
  env: Record<string, string | undefined>,
  options: DoctorOptions,
): Promise<DoctorReport> {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  // Whatever an upstream echoes back, no secret of the environment reaches the output.
  const redact = redactorForEnv(env);
  const checks: Check[] = [];
  const { check, config } = checkConfig(env);
  checks.push(check);
  if (config) {
    const discord = discordApi(config, fetchFn, timeoutMs);
    const [token, useapi, storage, publicUrl] = await Promise.all([
      checkDiscordToken(discord),
      config.seed.provider === 'midjourney-proxy'
        ? checkMidjourneyProxy(config, fetchFn, timeoutMs)
        : checkUseapi(config, fetchFn, timeoutMs),
      checkStorage(config, timeoutMs),
      checkPublicUrl(config, fetchFn, timeoutMs),
    ]);
    checks.push(token.check);
    const needsToken = 'needs a Discord token that works';
    if (token.botUserId) {
      const botUserId = token.botUserId;
      const [app, cmds, alert] = await Promise.all([
        checkApplicationId(config, discord, botUserId),
        checkCommands(config, discord),
        checkAlertChannel(config, discord, botUserId),
      ]);
      checks.push(app, cmds, ...useapi, storage, publicUrl, alert);
    } else {
      checks.push(
        skip('Application id', `skipped: ${needsToken}`),
        skip('Commands', `skipped: ${needsToken}`),
        ...useapi,
        storage,
        publicUrl,
        skip('Moderator alert channel', `skipped: ${needsToken}`),
      );
    }
  }
  options.out(redact(formatReport(checks)));
  return { checks, exitCode: checks.some((c) => !c.ok) ? 1 : 0 };
}

const isMain = process.argv[1]?.endsWith('doctor.js') || process.argv[1]?.endsWith('doctor.ts');
if (isMain) {
  dotenv.config({ quiet: true });
  const { exitCode } = await runDoctor(process.env, { out: (text) => process.stdout.write(text) });
  process.exitCode = exitCode;
}
