// loadConfig(env): the only place that reads configuration. Every problem is reported at once, with the
// variable's name and how to fix it; secrets never appear in messages or in the redacted view.
import { z } from 'zod';
import { createRedactor, mask, type Redactor } from './redact.js';
import { SNOWFLAKE } from './snowflake.js';

const snowflake = z.string().regex(SNOWFLAKE, 'must be a Discord id (17 to 20 digits)');
const url = (what: string) =>
  z
    .string()
    .trim()
    .refine((v) => {
      try {
        const u = new URL(v);
        return u.protocol === 'http:' || u.protocol === 'https:';
      } catch {
        return false;
      }
    }, `must be an http(s) URL (${what})`)
    .transform((v) => v.replace(/\/+$/, ''));
const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^\d+$/, `must be a whole number from ${min} to ${max}`)
    .transform(Number)
    .pipe(z.number().int().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`));
const idList = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(snowflake));
const blankToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v);
const optional = <T extends z.ZodType>(inner: T) => z.preprocess(blankToUndefined, inner);

const DEFAULT_STORAGE_URL = 'sqlite://./data/seed-bot.sqlite';
const DEFAULT_JOB_DEADLINE_MS = 600_000;
/**
 * Seed retrievals in flight at once against a midjourney-proxy, for the whole fleet: the proxy itself runs at most 12
 * per Discord account (DiscordService.cs:131), and the bot sees the proxy as one account.
 */
const MJ_PROXY_SEED_SLOTS = 12;
const useapiTokenRequired =
  'is required: your useapi.net API token (https://useapi.net/docs/start-here/setup-useapi)';
const PROXY_URL_REQUIRED =
  'is required with SEED_PROVIDER=midjourney-proxy: the base URL of your midjourney-proxy, e.g. http://127.0.0.1:8080';
const PROXY_TOKEN_REQUIRED =
  "is required with SEED_PROVIDER=midjourney-proxy: the proxy's API secret (sent as its Mj-Api-Secret header)";
const MIDJOURNEY_BOT_IDS = ['936929561302675456', '1022952195194359889'];

const schema = z
  .object({
    DISCORD_TOKEN: optional(
      z
        .string({ error: 'is required: the bot token from the Discord Developer Portal (Bot → Reset Token)' })
        .trim()
        .min(
          50,
          'does not look like a Discord bot token (too short); copy it again from the Developer Portal',
        ),
    ),
    DISCORD_APPLICATION_ID: optional(
      z
        .string({ error: 'is required: Developer Portal → General Information → Application ID' })
        .pipe(snowflake),
    ),
    DISCORD_GUILD_ID: optional(snowflake.optional()),
    DISCORD_API_URL: optional(
      url('Discord REST base, e.g. https://discord.com/api').default('https://discord.com/api'),
    ),
    DISCORD_SHARD_COUNT: optional(int(1, 4096).optional()),
    DISCORD_SHARD_IDS: optional(
      z
        .string()
        .regex(/^\d+(\s*,\s*\d+)*$/, 'must be a comma-separated list of shard numbers, e.g. 0,1')
        .transform((v) => v.split(',').map((s) => Number(s.trim())))
        .optional(),
    ),
    SEED_PROVIDER: optional(
      z
        .enum(['useapi', 'midjourney-proxy'], { error: 'must be useapi or midjourney-proxy' })
        .default('useapi'),
    ),
    // Required with SEED_PROVIDER=useapi (the default): see the cross-variable rules.
    USEAPI_TOKEN: optional(
      z.string().trim().min(10, 'does not look like a useapi.net API token (too short)').optional(),
    ),
    USEAPI_API_URL: optional(
      url('useapi base, e.g. https://api.useapi.net/v2').default('https://api.useapi.net/v2'),
    ),
    USEAPI_POLL_INTERVAL_MS: optional(int(200, 300_000).default(15_000)),
    USEAPI_TIMEOUT_MS: optional(int(1_000, 120_000).default(30_000)),
    SEED_JOB_DEADLINE_MS: optional(int(5_000, 3_600_000).optional()),
    /** The former name of SEED_JOB_DEADLINE_MS, still read. */
    USEAPI_JOB_DEADLINE_MS: optional(int(5_000, 3_600_000).optional()),
    USEAPI_MAX_JOBS: optional(int(1, 15).default(3)),
    USEAPI_BUSY_WAIT_MS: optional(int(100, 120_000).default(10_000)),
    MJ_PROXY_URL: optional(url('the midjourney-proxy base, e.g. http://127.0.0.1:8080').optional()),
    MJ_PROXY_TOKEN: optional(
      z
        .string()
        .trim()
        .regex(
          /^[\x21-\x7e]+$/,
          'may hold only printable ASCII without spaces (it is sent as it is, in a header)',
        )
        .optional(),
    ),
    STORAGE_URL: optional(
      z
        .string()
        .trim()
        .regex(
          /^(sqlite:\/\/.+|rediss?:\/\/.+|memory:\/\/.*)$/,
          'must be sqlite://<path>, redis://host:port or memory://',
        )
        .default(DEFAULT_STORAGE_URL),
    ),
    STORAGE_LEASE_MS: optional(int(1_000, 600_000).default(60_000)),
    LOG_LEVEL: optional(
      z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    ),
    LOG_FORMAT: optional(z.enum(['json', 'pretty', 'auto']).default('auto')),
    HTTP_PORT: optional(int(0, 65535).default(3000)),
    HTTP_HOST: optional(z.string().trim().default('127.0.0.1')),
    PUBLIC_URL: optional(url('how useapi reaches this bot, e.g. https://bot.example.com').optional()),
    CALLBACK_SECRET: optional(
      z
        .string()
        .trim()
        .min(32, 'must be at least 32 characters (try: openssl rand -hex 32)')
        .regex(/^[A-Za-z0-9_-]+$/, 'may hold only letters, digits, - and _ (it is part of a URL)')
        .optional(),
    ),
    SEED_ACCESS: optional(z.enum(['anyone', 'owner', 'moderators']).default('anyone')),
    SEED_USER_LIMIT_PER_MINUTE: optional(int(0, 1000).default(5)),
    MIDJOURNEY_BOT_IDS: idList.transform((v) => (v.length ? v : MIDJOURNEY_BOT_IDS)),
    MOD_ALERT_CHANNEL_ID: optional(snowflake.optional()),
    MOD_ROLE_IDS: idList,
  })
  .superRefine((v, ctx) => crossRules(v, ctx));

/** The rules between variables; in a partial schema the variables of other parts are raw, hence the type checks. */
function crossRules(v: Record<string, unknown>, ctx: z.RefinementCtx): void {
  // Raw in a partial schema that leaves out the seed part: absent means the default.
  const provider = v.SEED_PROVIDER ?? 'useapi';
  if (provider === 'useapi' && !v.USEAPI_TOKEN)
    ctx.addIssue({ code: 'custom', path: ['USEAPI_TOKEN'], message: useapiTokenRequired });
  if (provider === 'midjourney-proxy') {
    if (!v.MJ_PROXY_URL)
      ctx.addIssue({ code: 'custom', path: ['MJ_PROXY_URL'], message: PROXY_URL_REQUIRED });
    if (!v.MJ_PROXY_TOKEN)
      ctx.addIssue({ code: 'custom', path: ['MJ_PROXY_TOKEN'], message: PROXY_TOKEN_REQUIRED });
  }
  if (v.PUBLIC_URL && !v.CALLBACK_SECRET) {
    ctx.addIssue({
      code: 'custom',
      path: ['CALLBACK_SECRET'],
      message: 'is required when PUBLIC_URL is set (at least 32 characters; try: openssl rand -hex 32)',
    });
  }
  if (v.DISCORD_SHARD_IDS && !v.DISCORD_SHARD_COUNT) {
    ctx.addIssue({
      code: 'custom',
      path: ['DISCORD_SHARD_COUNT'],
      message: 'is required when DISCORD_SHARD_IDS is set',
    });
  }
  const count = v.DISCORD_SHARD_COUNT;
  const ids = v.DISCORD_SHARD_IDS;
  if (Array.isArray(ids) && typeof count === 'number' && ids.some((id) => id >= count)) {
    ctx.addIssue({
      code: 'custom',
      path: ['DISCORD_SHARD_IDS'],
      message: `every shard id must be below DISCORD_SHARD_COUNT (${count})`,
    });
  }
}

type Env = z.output<typeof schema>;

/** Which part of the configuration each variable feeds: a script that needs some parts validates only their variables. */
const PART_OF: Record<keyof typeof schema.shape, keyof Config> = {
  DISCORD_TOKEN: 'discord',
  DISCORD_APPLICATION_ID: 'discord',
  DISCORD_GUILD_ID: 'discord',
  DISCORD_API_URL: 'discord',
  DISCORD_SHARD_COUNT: 'discord',
  DISCORD_SHARD_IDS: 'discord',
  SEED_PROVIDER: 'seed',
  USEAPI_TOKEN: 'useapi',
  USEAPI_API_URL: 'useapi',
  USEAPI_POLL_INTERVAL_MS: 'useapi',
  USEAPI_TIMEOUT_MS: 'useapi',
  SEED_JOB_DEADLINE_MS: 'seed',
  USEAPI_JOB_DEADLINE_MS: 'seed',
  USEAPI_MAX_JOBS: 'useapi',
  USEAPI_BUSY_WAIT_MS: 'useapi',
  MJ_PROXY_URL: 'midjourneyProxy',
  MJ_PROXY_TOKEN: 'midjourneyProxy',
  STORAGE_URL: 'storageUrl',
  STORAGE_LEASE_MS: 'storageLeaseMs',
  LOG_LEVEL: 'log',
  LOG_FORMAT: 'log',
  HTTP_PORT: 'http',
  HTTP_HOST: 'http',
  PUBLIC_URL: 'http',
  CALLBACK_SECRET: 'http',
  SEED_ACCESS: 'seed',
  SEED_USER_LIMIT_PER_MINUTE: 'seed',
  MIDJOURNEY_BOT_IDS: 'seed',
  MOD_ALERT_CHANNEL_ID: 'moderation',
  MOD_ROLE_IDS: 'moderation',
};

/** The schema with the variables of other parts accepted as they are (neither required nor checked). */
function schemaOf(parts: ReadonlySet<string>): typeof schema {
  const shape = Object.fromEntries(
    Object.entries(schema.shape).map(([name, field]) => [
      name,
      parts.has(PART_OF[name as keyof typeof PART_OF]) ? field : z.unknown().optional(),
    ]),
  );
  // A rule about a variable of another part is not this script's business.
  return z.object(shape).superRefine((v, ctx) =>
    crossRules(v, {
      addIssue: (issue: z.core.$ZodRawIssue) => {
        if (parts.has(PART_OF[String(issue.path?.[0]) as keyof typeof PART_OF])) ctx.addIssue(issue);
      },
    } as z.RefinementCtx),
  ) as unknown as typeof schema;
}

const isSet = (v: string | undefined) => v !== undefined && v.trim() !== '';

/** The cross-variable rules of the schema's superRefine, on the raw values (same messages). */
function dependentProblems(env: Record<string, string | undefined>): string[] {
  const out: string[] = [];
  const provider = env.SEED_PROVIDER?.trim() || 'useapi';
  if (provider === 'useapi' && !isSet(env.USEAPI_TOKEN)) out.push(`USEAPI_TOKEN ${useapiTokenRequired}`);
  if (provider === 'midjourney-proxy') {
    if (!isSet(env.MJ_PROXY_URL)) out.push(`MJ_PROXY_URL ${PROXY_URL_REQUIRED}`);
    if (!isSet(env.MJ_PROXY_TOKEN)) out.push(`MJ_PROXY_TOKEN ${PROXY_TOKEN_REQUIRED}`);
  }
  if (isSet(env.PUBLIC_URL) && !isSet(env.CALLBACK_SECRET)) {
    out.push(
      'CALLBACK_SECRET is required when PUBLIC_URL is set (at least 32 characters; try: openssl rand -hex 32)',
    );
  }
  if (isSet(env.DISCORD_SHARD_IDS) && !isSet(env.DISCORD_SHARD_COUNT)) {
    out.push('DISCORD_SHARD_COUNT is required when DISCORD_SHARD_IDS is set');
  }
  return out;
}

export interface Config {
  discord: {
    token: string;
    applicationId: string;
    guildId: string | undefined;
    apiUrl: string;
    shardCount: number | undefined;
    shardIds: number[] | undefined;
  };
  useapi: {
    /** Empty when SEED_PROVIDER is not useapi (then nothing reads it). */
    token: string;
    apiUrl: string;
    pollIntervalMs: number;
    timeoutMs: number;
    maxJobs: number;
    /** After a 429: wait this long (growing to 3x) unless one of the executing jobs ends first. */
    busyWaitMs: number;
  };
  storageUrl: string;
  /** How long a process's claim on shared work lasts without renewal; also how often orphaned work is looked for. */
  storageLeaseMs: number;
  log: { level: Env['LOG_LEVEL']; format: Env['LOG_FORMAT'] };
  http: { port: number; host: string; publicUrl: string | undefined; callbackSecret: string | undefined };
  midjourneyProxy: {
    /** e.g. http://127.0.0.1:8080 (routes under /mj/…); empty when SEED_PROVIDER is not midjourney-proxy. */
    url: string;
    /** Sent raw as the Mj-Api-Secret header; empty when SEED_PROVIDER is not midjourney-proxy. */
    token: string;
  };
  seed: {
    /** Which upstream retrieves seeds. */
    provider: Env['SEED_PROVIDER'];
    /** A request is retried (and its seed job followed) until this long after it was accepted. */
    jobDeadlineMs: number;
    /** Seed retrievals upstream at once, for the whole fleet: USEAPI_MAX_JOBS, or the proxy's 12. */
    maxJobs: number;
    access: Env['SEED_ACCESS'];
    userLimitPerMinute: number;
    midjourneyBotIds: string[];
  };
  moderation: { alertChannelId: string | undefined; roleIds: string[] };
}

/** A redactor that knows every secret of the configuration (what the bot's log lines pass through). */
export const redactorFor = (
  config: Pick<Config, 'discord' | 'useapi' | 'http'> & Partial<Pick<Config, 'midjourneyProxy'>>,
): Redactor =>
  createRedactor([
    config.discord.token,
    config.useapi.token,
    config.midjourneyProxy?.token,
    config.http.callbackSecret,
  ]);

/** The same secrets read from the raw environment, for scripts that run before (or without) a valid config. */
export const redactorForEnv = (env: Record<string, string | undefined>): Redactor =>
  createRedactor([
    env.DISCORD_TOKEN?.trim(),
    env.USEAPI_TOKEN?.trim(),
    env.MJ_PROXY_TOKEN?.trim(),
    env.CALLBACK_SECRET?.trim(),
  ]);

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  /** `purpose`: what cannot happen, e.g. "The bot cannot start" or "The commands cannot be registered". */
  constructor(
    readonly problems: string[],
    purpose = 'The bot cannot start',
  ) {
    super(
      `${purpose}: ${problems.length} configuration problem${problems.length === 1 ? '' : 's'}.\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        `\nSet these in .env (see .env.example) or in the environment, then ${purpose === 'The bot cannot start' ? 'start' : 'run it'} again.`,
    );
  }
}

export interface LoadOptions<K extends keyof Config> {
  /** Validate only the variables of these parts (the others are neither required nor read). Default: all. */
  only?: readonly K[];
  /** What cannot happen while a variable is wrong, for the message. Default "The bot cannot start". */
  purpose?: string;
}

export function loadConfig(env: Record<string, string | undefined>): Config;
export function loadConfig<K extends keyof Config>(
  env: Record<string, string | undefined>,
  options: LoadOptions<K>,
): Pick<Config, K>;
export function loadConfig(
  env: Record<string, string | undefined>,
  options: LoadOptions<keyof Config> = {},
): Partial<Config> {
  const only = options.only && new Set<string>(options.only);
  const wanted = (variable: string) => !only || only.has(PART_OF[variable as keyof typeof PART_OF]);
  const parsed = (only ? schemaOf(only) : schema).safeParse(env);
  if (!parsed.success) {
    // Messages name the variable and the fix; they never echo the value (it may be a secret).
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'environment'} ${issue.message}`,
    );
    // zod checks variables that depend on each other only once every single one is valid; report them now too.
    const dependent = dependentProblems(env).filter((p) => wanted(p.split(' ')[0] ?? ''));
    throw new ConfigError([...new Set([...problems, ...dependent])], options.purpose);
  }
  const v = parsed.data;
  const config: Config = {
    discord: {
      token: v.DISCORD_TOKEN,
      applicationId: v.DISCORD_APPLICATION_ID,
      guildId: v.DISCORD_GUILD_ID,
      apiUrl: v.DISCORD_API_URL,
      shardCount: v.DISCORD_SHARD_COUNT,
      shardIds: v.DISCORD_SHARD_IDS,
    },
    useapi: {
      token: v.USEAPI_TOKEN ?? '',
      apiUrl: v.USEAPI_API_URL,
      pollIntervalMs: v.USEAPI_POLL_INTERVAL_MS,
      timeoutMs: v.USEAPI_TIMEOUT_MS,
      maxJobs: v.USEAPI_MAX_JOBS,
      busyWaitMs: v.USEAPI_BUSY_WAIT_MS,
    },
    storageUrl: v.STORAGE_URL,
    storageLeaseMs: v.STORAGE_LEASE_MS,
    log: { level: v.LOG_LEVEL, format: v.LOG_FORMAT },
    http: {
      port: v.HTTP_PORT,
      host: v.HTTP_HOST,
      publicUrl: v.PUBLIC_URL,
      callbackSecret: v.CALLBACK_SECRET,
    },
    midjourneyProxy: { url: v.MJ_PROXY_URL ?? '', token: v.MJ_PROXY_TOKEN ?? '' },
    seed: {
      provider: v.SEED_PROVIDER,
      // The former name still works; the new one wins when both are set.
      jobDeadlineMs: v.SEED_JOB_DEADLINE_MS ?? v.USEAPI_JOB_DEADLINE_MS ?? DEFAULT_JOB_DEADLINE_MS,
      maxJobs: v.SEED_PROVIDER === 'midjourney-proxy' ? MJ_PROXY_SEED_SLOTS : v.USEAPI_MAX_JOBS,
      access: v.SEED_ACCESS,
      userLimitPerMinute: v.SEED_USER_LIMIT_PER_MINUTE,
      midjourneyBotIds: v.MIDJOURNEY_BOT_IDS,
    },
    moderation: { alertChannelId: v.MOD_ALERT_CHANNEL_ID, roleIds: v.MOD_ROLE_IDS },
  };
  // The parts not asked for hold unchecked values: they never leave this function.
  return only ? Object.fromEntries(Object.entries(config).filter(([part]) => only.has(part))) : config;
}

/** The config as it may be logged or shown: secrets masked. */
export function redactedConfig(config: Config): Record<string, unknown> {
  return {
    ...config,
    discord: { ...config.discord, token: mask(config.discord.token) },
    useapi: { ...config.useapi, token: config.useapi.token ? mask(config.useapi.token) : undefined },
    midjourneyProxy: {
      ...config.midjourneyProxy,
      token: config.midjourneyProxy.token ? mask(config.midjourneyProxy.token) : undefined,
    },
    http: {
      ...config.http,
      callbackSecret: config.http.callbackSecret ? mask(config.http.callbackSecret) : undefined,
    },
    storageUrl: redactUrl(config.storageUrl),
  };
}

/** Hide a password in a URL such as redis://user:pass@host. */
export const redactUrl = (value: string): string => value.replace(/(\/\/[^:/@]*:)[^@]*@/, '$1***@');
