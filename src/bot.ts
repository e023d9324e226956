// The composition root: builds every piece from the config, starts, stops. It reads like a recipe; only this file
// knows every concrete implementation.
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Client, Events, GatewayIntentBits } from 'discord.js';
import type { DestinationStream } from 'pino';
import { commands } from '../commands/index.js';
import { type Config, redactedConfig, redactorFor } from './config.js';
import { createAlerts } from './discord/alerts.js';
import { discordCaches } from './discord/client-caches.js';
import { gatewayBackoff, reportWhileConnecting, withDiscordRetry } from './discord/connect.js';
import { createImageFetcher, uploadLimitForTier } from './discord/images.js';
import { createMessageReader } from './discord/message-reader.js';
import { createDiscordNotifier } from './discord/notifier.js';
import { watchDiscordRest } from './discord/rest-watch.js';
import { createRouter, type Router } from './discord/router.js';
import type { CommandServices } from './discord/types.js';
import { createHealth } from './http/health.js';
import { type HttpServer, type HttpServerDeps, startHttpServer } from './http/server.js';
import { createEvent, type Event } from './lib/event.js';
import { only } from './lib/only.js';
import type { CallInfo } from './lib/transport.js';
import { createLogger, type Logger } from './log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createMidjourneyProxyUpstream, upstreamErrorOf } from './midjourney-proxy/adapter.js';
import { createMidjourneyProxyClient } from './midjourney-proxy/http-client.js';
import type { UpstreamErrorKind } from './seed/errors.js';
import { createJobIndex, type JobIndex } from './seed/lookup/job-index.js';
import { createJobidVerifier } from './seed/lookup/verify-jobid.js';
import type { Hold, ResetAudit } from './seed/model/types.js';
import { createHoldWatch, type HoldWatchDeps } from './seed/moderation/hold-watch.js';
import { createHolds, type Holds } from './seed/moderation/holds.js';
import {
  createModeration,
  type Moderation,
  type ModerationDeps,
  type ResetOutcome,
} from './seed/moderation/moderation.js';
import type { Notifier, Storage } from './seed/ports.js';
import { createRequestProcessor, type RequestProcessor } from './seed/requests/processor.js';
import { createRateLimiter } from './seed/requests/rate-limit.js';
import { createCallbackHandler } from './seed/retrieval/callbacks.js';
import { createFairQueue } from './seed/retrieval/fair-queue.js';
import { createSeedService, type SeedService, type SeedServiceDeps } from './seed/retrieval/seed-service.js';
import { severityOf } from './seed/severity.js';
import type { Upstream } from './seed/upstream.js';
import { createStorage } from './storage/index.js';
import { createUseapiUpstream } from './useapi/adapter.js';
import { createUseapiClient } from './useapi/http-client.js';

export interface BotOptions {
  /** Where log lines go (default stdout). */
  logDestination?: DestinationStream;
}

export interface Bot {
  config: Config;
  log: Logger;
  client: Client;
  storage: Storage;
  holds: Holds;
  metrics: Metrics;
  /** What the handlers receive (narrowed: no tokens, no client). */
  services: CommandServices;
  requests: RequestProcessor;
  /** The HTTP server (callbacks, health, metrics) once started. */
  http(): HttpServer | undefined;
  /** Log in and resolve once the gateway is READY and open requests are resumed. */
  start(): Promise<void>;
  /** Stop taking interactions, finish or persist in-flight work, close storage. */
  stop(deadlineMs?: number): Promise<void>;
}

const newRef = () => randomBytes(4).toString('hex');
const REST_HANDLER_SWEEP_MS = 60_000;

export async function createBot(config: Config, options: BotOptions = {}): Promise<Bot> {
  const destination = options.logDestination;
  const log = createLogger({ ...config.log, redact: redactorFor(config), destination });
  const metrics = createMetrics();
  const storage = await openStorage(config, log);
  const core = coreFor(config, storage, metrics, log);
  const { upstream, index, holds, seeds } = core;

  const client = discordClient(config);
  const requests = createRequestProcessor({
    storage,
    seeds,
    notifier: notifierFor(client, log),
    holds,
    log,
    onOutcome: (outcome) => metrics.requests.inc({ outcome }),
    deadlineMs: config.seed.jobDeadlineMs,
    lockTtlMs: config.storageLeaseMs,
    sweepEveryMs: config.storageLeaseMs,
  });
  const mod = moderationFor(config, client, { ...core, storage, requests, log });
  const services = servicesFor(config, { ...core, storage, client, requests, metrics, log }, mod.moderation);
  const router = createRouter(commands, services, { log, metrics, newRef });
  listen(client, router, log, metrics);

  let http: HttpServer | undefined;
  let stopping = false;
  // A stop during the start ends its waits for Discord.
  const starting = new AbortController();
  const health = createHealth({ client, storage, requests, seeds, stopping: () => stopping });
  // Gauges are read when Prometheus scrapes, so they are never stale.
  const setGauges = () => {
    metrics.queueDepth.set(seeds.stats().waiting);
    metrics.inFlight.set(requests.active());
  };

  return {
    config,
    log,
    client,
    storage,
    holds,
    metrics,
    services,
    requests,
    http: () => http,
    async start() {
      log.info({ config: redactedConfig(config) }, 'starting');
      http = await serveHttp(config, metrics, log, {
        health,
        onScrape: setGauges,
        upstream,
        onCallback: createCallbackHandler({ index, seeds, upstream, log }),
      });
      logListening(http, config, log);
      await loginAndWait(client, config, log, starting.signal);
      await requests.start();
      mod.holdWatch?.start();
    },
    async stop(deadlineMs = 8_000) {
      // New interactions get a short "restarting" answer; waiting requests stay stored for the next start.
      stopping = true;
      starting.abort();
      const started = Date.now();
      router.close();
      mod.holdWatch?.stop();
      const drained = await requests.drain(deadlineMs);
      log.info(drained, 'stopped taking work');
      await seeds.close(Math.max(500, deadlineMs - (Date.now() - started)));
      await client.destroy();
      await http?.close();
      await storage.close();
    },
  };
}

/** The core: the upstream behind its port, the job index, the holds (their incidents alert once the client exists), the seeds. */
function coreFor(config: Config, storage: Storage, metrics: Metrics, log: Logger) {
  const upstream = upstreamFor(config, metrics);
  const index = createJobIndex({ jobs: storage.jobs, recent: storage.recent });
  // Subscribed once the Discord client that alerts moderators exists.
  const incidents = createEvent<Hold>();
  const holds = createHolds({
    store: storage.holds,
    index: storage.heldChannels,
    coordinator: storage.coordinator,
    onIncident: incidents.emit,
  });
  const seeds = seedServiceFor(config, { upstream, storage, index, holds, log }, metrics);
  return { upstream, index, holds, incidents, seeds };
}

/** What the handlers receive: each service narrowed to what they use; the settings without a token. */
function servicesFor(
  config: Config,
  parts: {
    upstream: Upstream;
    index: JobIndex;
    seeds: SeedService;
    requests: RequestProcessor;
    storage: Storage;
    client: Client;
    metrics: Metrics;
    log: Logger;
  },
  moderation: Moderation,
): CommandServices {
  const { upstream, index, log } = parts;
  return {
    settings: {
      seed: { access: config.seed.access, midjourneyBotIds: config.seed.midjourneyBotIds },
      moderation: { roleIds: config.moderation.roleIds },
    },
    seeds: only(parts.seeds, ['cached']),
    requests: only(parts.requests, ['accept']),
    messages: createMessageReader(parts.client),
    index: only(index, ['byMessage', 'byUuid', 'byJobid', 'recent']),
    limiter: createRateLimiter({ store: parts.storage.volatile, perMinute: config.seed.userLimitPerMinute }),
    metrics: { cacheHits: parts.metrics.cacheHits },
    moderation,
    verifyJobid: createJobidVerifier({ upstream, index, log }),
    jobids: upstream.jobids,
    upstream: upstream.name,
  };
}

/** Log in (transient failures retried with backoff, and said) and wait for READY. */
async function loginAndWait(client: Client, config: Config, log: Logger, signal: AbortSignal): Promise<void> {
  const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
  const where = {
    apiUrl: config.discord.apiUrl,
    timeoutMs: client.rest.options.timeout,
    tries: client.rest.options.retries + 1,
  };
  const connecting = reportWhileConnecting(client, { log, where });
  try {
    await withDiscordRetry(() => client.login(config.discord.token), {
      log,
      where,
      what: 'logging in to Discord',
      signal,
    });
    await ready;
  } finally {
    connecting();
  }
  log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'ready');
}

/** Where the HTTP server really listens, and who can reach it: /healthz and /metrics are as public as the address. */
function logListening(http: HttpServer, config: Config, log: Logger): void {
  const { address, port } = http.server.address() as AddressInfo;
  const everywhere = address === '0.0.0.0' || address === '::';
  log.info(
    { address, port, url: http.url, publicUrl: config.http.publicUrl },
    everywhere
      ? `http server listening on ${address}:${port}, every interface: /healthz, /metrics and the callback route are reachable by anyone who reaches this port (HTTP_HOST)`
      : `http server listening on ${address}:${port}${config.http.publicUrl ? `; useapi reaches it through ${config.http.publicUrl}` : ''}`,
  );
}

function openStorage(config: Config, log: Logger): Promise<Storage> {
  return createStorage(config.storageUrl, {
    onError: (error) => log.error({ err: error }, 'storage error'),
    onInvalid: (info) =>
      log.warn(info, 'stored record does not fit its schema (another version?); read as absent'),
    // Once per outage, not once per call or reconnect attempt.
    onOutage: {
      down: (error) =>
        log.error({ err: error }, 'storage unavailable: requests wait, new ones are told to retry'),
      up: ({ failures, ms }) => log.info({ failures, downMs: ms }, 'storage answering again'),
    },
    leaseMs: config.storageLeaseMs,
    // One bot process per SQLite file: a second `npm start` on it is refused.
    exclusive: true,
  });
}

/** The upstream SEED_PROVIDER names, behind the core's port. */
function upstreamFor(config: Config, metrics: Metrics): Upstream {
  if (config.seed.provider === 'midjourney-proxy')
    return createMidjourneyProxyUpstream(proxyClientFor(config, metrics));
  return createUseapiUpstream(useapiClientFor(config, metrics));
}

function proxyClientFor(config: Config, metrics: Metrics) {
  const counted = countUpstreamCalls(metrics);
  return createMidjourneyProxyClient({
    baseUrl: config.midjourneyProxy.url,
    token: config.midjourneyProxy.token,
    onCall: counted.onCall,
    onError: (error) => counted.failed(upstreamErrorOf(error).kind),
  });
}

function useapiClientFor(config: Config, metrics: Metrics) {
  const counted = countUpstreamCalls(metrics);
  return createUseapiClient({
    baseUrl: config.useapi.apiUrl,
    token: config.useapi.token,
    timeoutMs: config.useapi.timeoutMs,
    onCall: counted.onCall,
    onError: (error) => counted.failed(error.kind),
  });
}

/**
 * The upstream metrics, the same for either upstream (`seedbot_useapi_*`, names kept for existing dashboards): every
 * HTTP answer with its time (each 429 counted, the clients' own retries included), every failure by its core kind.
 */
function countUpstreamCalls(metrics: Metrics) {
  return {
    onCall({ endpoint, status, ms }: CallInfo<string>) {
      const labels = { endpoint, status: String(status) };
      metrics.upstreamCalls.inc(labels);
      metrics.upstreamLatency.observe(labels, ms / 1000);
      if (status === 429) metrics.busy.inc();
    },
    failed: (kind: UpstreamErrorKind) => metrics.upstreamErrors.inc({ kind, ...severityOf(kind) }),
  };
}

/** An upstream without a reset route: its held accounts are checked again at the sweep's pace. */
function holdWatchFor(config: Config, deps: Omit<HoldWatchDeps, 'everyMs'> & { upstream: Upstream }) {
  return deps.upstream.holdsClearThemselves
    ? createHoldWatch({ ...deps, everyMs: config.storageLeaseMs })
    : undefined;
}

function discordClient(config: Config): Client {
  return new Client({
    intents: [GatewayIntentBits.Guilds],
    // Only what the bot reads back: no member, user or message caches (see discord/client-caches.ts).
    ...discordCaches(),
    // A gateway that cannot be reached is tried again with backoff, not every half second.
    ws: { buildStrategy: gatewayBackoff() },
    rest: {
      api: config.discord.apiUrl,
      // Nearly everything this bot sends is an interaction reply or edit, which Discord exempts from its global
      // limit of 50 requests/s; @discordjs/rest would still hold webhook edits to 50/s (100 answers at once would
      // wait 2 s). The few bot-authenticated calls stay within Discord's limit, and a global 429 is still honoured.
      globalRequestsPerSecond: Number.POSITIVE_INFINITY,
      // Every interaction token is a rate-limit bucket of its own ("webhooks/<app>/<token>"): idle ones are dropped
      // every minute rather than every hour, so the handlers follow the last minute's interactions, not the last hour's.
      handlerSweepInterval: REST_HANDLER_SWEEP_MS,
    },
    ...(config.discord.shardIds && config.discord.shardCount
      ? { shards: config.discord.shardIds, shardCount: config.discord.shardCount }
      : {}),
  });
}

/** The moderators' side: status and reset, the alerts (one per incident), and the re-check of held accounts. */
function moderationFor(
  config: Config,
  client: Client,
  parts: Pick<ModerationDeps, 'upstream' | 'holds' | 'storage' | 'log'> & {
    requests: RequestProcessor;
    incidents: Event<Hold>;
  },
) {
  const { upstream, holds, storage, requests, incidents, log } = parts;
  const resets = createEvent<Extract<ResetOutcome, { audit: ResetAudit }>>();
  const moderation = createModeration({ upstream, holds, storage, requests, log, onReset: resets.emit });
  const alerts = alertsFor(config, client, holds, moderation, log);
  incidents.subscribe((hold) => void alerts.incident(hold));
  resets.subscribe((outcome) => void alerts.resetDone(outcome));
  const holdWatch = holdWatchFor(config, {
    holds,
    upstream,
    coordinator: storage.coordinator,
    requests,
    log,
    onCleared: (hold) => void alerts.recovered(hold),
  });
  return { moderation, holdWatch };
}

function alertsFor(config: Config, client: Client, holds: Holds, moderation: Moderation, log: Logger) {
  const channelId = config.moderation.alertChannelId;
  return createAlerts({
    rest: client.rest,
    channelId,
    holds,
    log,
    locale: () => {
      const channel = channelId ? client.channels.cache.get(channelId) : undefined;
      return channel && 'guild' in channel ? channel.guild.preferredLocale : undefined;
    },
    pendingModMessage: (channel) => moderation.pendingModMessage(channel),
    upstream: moderation.upstream,
  });
}

type SeedParts = Pick<SeedServiceDeps, 'upstream' | 'storage' | 'index' | 'holds' | 'log'>;

function seedServiceFor(config: Config, parts: SeedParts, metrics: Metrics): SeedService {
  const { publicUrl, callbackSecret } = config.http;
  return createSeedService({
    ...parts,
    queue: createFairQueue(config.seed.maxJobs),
    pollIntervalMs: config.useapi.pollIntervalMs,
    deadlineMs: config.seed.jobDeadlineMs,
    maxJobs: config.seed.maxJobs,
    replyUrl:
      publicUrl && callbackSecret
        ? `${publicUrl}${parts.upstream.callbackRoute}${callbackSecret}`
        : undefined,
    busyWaitMs: config.useapi.busyWaitMs,
    lockTtlMs: config.storageLeaseMs,
    // 429s are counted per answer by the useapi client; 596 here, whether it came as an answer or as a failed job.
    onUpstreamSignal: (signal) => {
      if (signal === 'pending_moderation') metrics.pendingModeration.inc();
    },
  });
}

function notifierFor(client: Client, log: Logger): Notifier {
  return createDiscordNotifier({
    client,
    images: createImageFetcher({ rest: client.rest, log }),
    log,
    uploadLimit: (guildId) =>
      uploadLimitForTier(guildId ? client.guilds.cache.get(guildId)?.premiumTier : undefined),
    guildLocale: (guildId) => (guildId ? client.guilds.cache.get(guildId)?.preferredLocale : undefined),
  });
}

function listen(client: Client, router: Router, log: Logger, metrics: Metrics): void {
  client.on(Events.InteractionCreate, (interaction) => void router.handle(interaction));
  watchDiscordRest(client.rest, { log, metrics });
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (_event, shard) => log.warn({ shard }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shard) => log.info({ shard }, 'gateway resumed'));
}

function serveHttp(
  config: Config,
  metrics: Metrics,
  log: Logger,
  handlers: Pick<HttpServerDeps, 'health' | 'onScrape' | 'onCallback' | 'upstream'>,
): Promise<HttpServer> {
  return startHttpServer({
    ...handlers,
    port: config.http.port,
    host: config.http.host,
    callbackSecret: config.http.callbackSecret,
    registry: metrics.registry,
    log,
    onCallbackOutcome: (outcome) => metrics.callbacks.inc({ outcome }),
  });
}
