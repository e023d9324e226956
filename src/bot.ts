// The composition root: builds every piece from the config, starts, stops. It reads like a recipe; only this file
// knows every concrete implementation.
import { randomBytes } from 'node:crypto';
import { Client, Events, GatewayIntentBits, Status } from 'discord.js';
import type { DestinationStream } from 'pino';
import { commands } from '../commands/index.js';
import { type Config, redactedConfig } from './config.js';
import { createAlerts } from './discord/alerts.js';
import { createImageFetcher, uploadLimitForTier } from './discord/images.js';
import { createDiscordNotifier } from './discord/notifier.js';
import { createRouter } from './discord/router.js';
import type { BotContext } from './discord/types.js';
import { type HttpServer, startHttpServer } from './http/server.js';
import { createLogger, type Logger } from './log.js';
import { createMetrics, type Metrics } from './metrics.js';
import { createRedactor } from './redact.js';
import { createFairQueue } from './seed/fair-queue.js';
import { createHolds } from './seed/holds.js';
import { createJobIndex } from './seed/job-index.js';
import { createModeration } from './seed/moderation.js';
import { createRateLimiter } from './seed/rate-limit.js';
import { createRequestProcessor } from './seed/requests.js';
import { createSeedService } from './seed/seed-service.js';
import type { Hold } from './seed/types.js';
import { createStorage } from './storage/index.js';
import type { Storage } from './storage/port.js';
import { createUseapiClient } from './useapi/http-client.js';
import { severityOf } from './useapi/severity.js';

export interface BotOptions {
  /** Where log lines go (default stdout). */
  logDestination?: DestinationStream;
}

export interface Bot {
  config: Config;
  log: Logger;
  client: Client;
  storage: Storage;
  metrics: Metrics;
  ctx: BotContext;
  /** The HTTP server (callbacks, health, metrics) once started. */
  http(): HttpServer | undefined;
  /** Log in and resolve once the gateway is READY and open requests are resumed. */
  start(): Promise<void>;
  /** Stop taking interactions, finish or persist in-flight work, close storage. */
  stop(deadlineMs?: number): Promise<void>;
}

const newRef = () => randomBytes(4).toString('hex');

export async function createBot(config: Config, options: BotOptions = {}): Promise<Bot> {
  const redact = createRedactor([config.discord.token, config.useapi.token, config.http.callbackSecret]);
  const log = createLogger({
    level: config.log.level,
    format: config.log.format,
    redact,
    destination: options.logDestination,
  });
  const metrics = createMetrics();
  const storage = await createStorage(config.storageUrl, {
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
  });

  const useapi = createUseapiClient({
    baseUrl: config.useapi.apiUrl,
    token: config.useapi.token,
    timeoutMs: config.useapi.timeoutMs,
    onCall: ({ endpoint, status, ms }) => {
      const labels = { endpoint, status: String(status) };
      metrics.upstreamCalls.inc(labels);
      metrics.upstreamLatency.observe(labels, ms / 1000);
      // Every 429 answer, the client's own retries included.
      if (status === 429) metrics.busy.inc();
    },
    onError: (error) => metrics.upstreamErrors.inc({ kind: error.kind, ...severityOf(error.kind) }),
  });
  const index = createJobIndex({ jobs: storage.jobs, recent: storage.recent });
  // Holds exist before the Discord client that alerts moderators: the alert is bound once the client exists.
  let alertIncident: (hold: Hold) => void = () => {};
  const holds = createHolds({
    store: storage.holds,
    coordinator: storage.coordinator,
    onIncident: (hold) => alertIncident(hold),
  });
  const queue = createFairQueue(config.useapi.maxJobs);
  const replyUrl =
    config.http.publicUrl && config.http.callbackSecret
      ? `${config.http.publicUrl}/useapi/callback/${config.http.callbackSecret}`
      : undefined;
  const seeds = createSeedService({
    useapi,
    storage,
    index,
    holds,
    queue,
    log,
    pollIntervalMs: config.useapi.pollIntervalMs,
    deadlineMs: config.useapi.jobDeadlineMs,
    maxJobs: config.useapi.maxJobs,
    replyUrl,
    busyWaitMs: config.useapi.busyWaitMs,
    lockTtlMs: config.storageLeaseMs,
    // 429s are counted per answer in onCall above; 596 here, whether it came as an answer or as a failed job.
    onUpstreamSignal: (signal) => {
      if (signal === 'pending_moderation') metrics.pendingModeration.inc();
    },
  });

  const client = new Client({
    intents: [GatewayIntentBits.Guilds],
    rest: {
      api: config.discord.apiUrl,
      // Nearly everything this bot sends is an interaction reply or edit, which Discord exempts from its global
      // limit of 50 requests/s; @discordjs/rest would still hold webhook edits to 50/s (100 answers at once would
      // wait 2 s). The few bot-authenticated calls stay within Discord's limit, and a global 429 is still honoured.
      globalRequestsPerSecond: Number.POSITIVE_INFINITY,
    },
    ...(config.discord.shardIds && config.discord.shardCount
      ? { shards: config.discord.shardIds, shardCount: config.discord.shardCount }
      : {}),
  });
  const images = createImageFetcher({ rest: client.rest, log });
  const notifier = createDiscordNotifier({
    client,
    images,
    log,
    uploadLimit: (guildId) =>
      uploadLimitForTier(guildId ? client.guilds.cache.get(guildId)?.premiumTier : undefined),
    guildLocale: (guildId) => (guildId ? client.guilds.cache.get(guildId)?.preferredLocale : undefined),
  });
  const requests = createRequestProcessor({
    storage,
    seeds,
    notifier,
    holds,
    log,
    onOutcome: (outcome) => metrics.requests.inc({ outcome }),
    deadlineMs: config.useapi.jobDeadlineMs,
    lockTtlMs: config.storageLeaseMs,
    sweepEveryMs: config.storageLeaseMs,
  });
  const alertChannelId = config.moderation.alertChannelId;
  const alerts = createAlerts({
    rest: client.rest,
    channelId: alertChannelId,
    holds,
    log,
    locale: () => {
      const channel = alertChannelId ? client.channels.cache.get(alertChannelId) : undefined;
      return channel && 'guild' in channel ? channel.guild.preferredLocale : undefined;
    },
    pendingModMessage: (channel) => moderation.pendingModMessage(channel),
  });
  const moderation = createModeration({
    useapi,
    holds,
    storage,
    requests,
    log,
    onReset: (outcome) => void alerts.resetDone(outcome),
  });
  alertIncident = (hold) => void alerts.incident(hold);
  const limiter = createRateLimiter({ store: storage.volatile, perMinute: config.seed.userLimitPerMinute });

  const ctx: BotContext = {
    config,
    log,
    client,
    storage,
    useapi,
    seeds,
    requests,
    index,
    holds,
    limiter,
    metrics,
    moderation,
    newRef,
  };
  const router = createRouter(commands, ctx);
  client.on(Events.InteractionCreate, (interaction) => void router.handle(interaction));
  client.on(Events.Error, (error) => log.error({ err: error }, 'discord client error'));
  client.on(Events.ShardDisconnect, (_event, shard) => log.warn({ shard }, 'gateway disconnected'));
  client.on(Events.ShardResume, (shard) => log.info({ shard }, 'gateway resumed'));

  let http: HttpServer | undefined;
  let stopping = false;
  const SEEDABLE = new Set(['imagine', 'button', 'blend']);
  const FINAL = new Set(['completed', 'moderated', 'failed', 'cancelled']);

  async function health() {
    const discord =
      client.ws.status === Status.Ready ? 'ready' : (Status[client.ws.status] ?? 'unknown').toLowerCase();
    const storageState = await Promise.race([
      storage.ping().then(() => 'ok'),
      new Promise<string>((r) => setTimeout(() => r('timeout'), 2_000).unref()),
    ]).catch(() => 'error');
    return {
      ok: !stopping && discord === 'ready' && storageState === 'ok',
      ...(stopping ? { stopping: true } : {}),
      discord,
      gatewayPingMs: client.ws.ping,
      storage: storageState,
      storageBackend: storage.backend,
      requestsInFlight: requests.active(),
      ...seeds.stats(),
      uptimeSeconds: Math.round(process.uptime()),
    };
  }
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
    metrics,
    ctx,
    http: () => http,
    async start() {
      log.info({ config: redactedConfig(config) }, 'starting');
      http = await startHttpServer({
        port: config.http.port,
        host: config.http.host,
        callbackSecret: config.http.callbackSecret,
        registry: metrics.registry,
        onScrape: setGauges,
        log,
        health,
        onCallbackOutcome: (outcome) => metrics.callbacks.inc({ outcome }),
        async onCallback(job) {
          // A body is a hint. It wakes the follower of a seed job we started (which re-reads it with GET), or a
          // wait after a 429 that named the job; nothing named in it is fetched.
          if (SEEDABLE.has(job.verb)) {
            // Every imagine/button/blend job the account makes feeds the index (right-click works on it later).
            await index.recordJob(job);
          } else if (job.verb === 'seed_async') {
            const ours = await seeds.seedJobChanged(job.jobid, job.parentJobId, job.status);
            // replyRef is `<requestId>:<cid>`: the callback line carries the request's correlation id.
            const [requestId, cid] = job.replyRef?.slice(0, 100).split(':') ?? [];
            log.debug({ cid, requestId, seedJobId: job.jobid, status: job.status, ours }, 'seed callback');
          }
          if (FINAL.has(job.status)) await seeds.jobEnded(job.jobid);
        },
      });
      log.info({ url: http.url }, 'http server listening');
      const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
      await client.login(config.discord.token);
      await ready;
      log.info({ user: client.user?.tag, guilds: client.guilds.cache.size }, 'ready');
      await requests.start();
    },
    async stop(deadlineMs = 8_000) {
      // New interactions get a short "restarting" answer; waiting requests stay stored for the next start.
      stopping = true;
      const started = Date.now();
      router.close();
      const drained = await requests.drain(deadlineMs);
      log.info(drained, 'stopped taking work');
      await seeds.close(Math.max(500, deadlineMs - (Date.now() - started)));
      await client.destroy();
      await http?.close();
      await storage.close();
    },
  };
}
