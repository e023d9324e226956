// `npm run start:sharded`: one bot process per Discord shard on this machine, through discord.js's ShardingManager.
// Every process is the ordinary bot (main.js) told its shard through DISCORD_SHARD_IDS / DISCORD_SHARD_COUNT, and
// they share their work through STORAGE_URL=redis://…, so any of them can answer any request or callback.
// Several machines: give each the same DISCORD_SHARD_COUNT and its own DISCORD_SHARD_IDS (see README).
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { REST, type RESTGetAPIGatewayBotResult, Routes, type Shard, ShardingManager } from 'discord.js';
import dotenv from 'dotenv';
import { loadConfigOrExit } from './cli.js';
import { type Config, redactorFor } from './config.js';
import { createLogger, type Logger } from './log.js';

const STOP_DEADLINE_MS = 12_000;
/** Discord lets one identify through per rate-limit bucket every 5 s; a little margin on top. */
const IDENTIFY_SPACING_MS = 5_500;

interface ShardPlan {
  totalShards: number;
  shardList: number[];
  /** Pause between two spawns, so identifies stay within Discord's max_concurrency. */
  spawnDelayMs: number;
}

/** What to spawn: the configured shards, or Discord's recommendation asked of DISCORD_API_URL (not discord.com). */
async function planShards(config: Config, fetchGateway: () => Promise<RESTGetAPIGatewayBotResult>) {
  const gateway = await fetchGateway();
  const totalShards = config.discord.shardCount ?? Math.max(1, gateway.shards);
  const shardList = config.discord.shardIds ?? [...Array(totalShards).keys()];
  const concurrency = Math.max(1, gateway.session_start_limit?.max_concurrency ?? 1);
  return {
    totalShards,
    shardList,
    spawnDelayMs: Math.ceil(IDENTIFY_SPACING_MS / concurrency),
  } satisfies ShardPlan;
}

/** Environment of one shard's process: its own shard, and its own HTTP port when a fixed one is configured. */
function shardEnv(config: Config, plan: ShardPlan, shardId: number): Record<string, string> {
  return {
    DISCORD_SHARD_IDS: String(shardId),
    DISCORD_SHARD_COUNT: String(plan.totalShards),
    HTTP_PORT: config.http.port === 0 ? '0' : String(config.http.port + shardId),
  };
}

/** Several processes need one storage they all see: refuse to start with SQLite or memory. */
function exitUnlessSharedStorage(config: Config, plan: ShardPlan): void {
  if (plan.shardList.length <= 1 || /^rediss?:\/\//.test(config.storageUrl)) return;
  process.stderr.write(
    `npm run start:sharded runs ${plan.shardList.length} bot processes: they must share their storage.\n` +
      'Set STORAGE_URL=redis://host:6379 (SQLite and memory storage serve one process only).\n',
  );
  process.exit(1);
}

/** The manager of the shard processes, each given its own environment and watched in the log. */
function createShardManager(config: Config, plan: ShardPlan, log: Logger): ShardingManager {
  // The shard processes run like this one: built JavaScript under node, or TypeScript under tsx in development.
  const here = fileURLToPath(import.meta.url);
  const manager = new ShardingManager(join(dirname(here), `main${extname(here)}`), {
    token: config.discord.token,
    totalShards: plan.totalShards,
    shardList: plan.shardList,
    mode: 'process',
    respawn: true,
    execArgv: process.execArgv,
  });
  manager.on('shardCreate', (shard: Shard) => {
    // Shard.env is the child's environment (typed loosely by discord.js).
    Object.assign(shard.env as Record<string, unknown>, shardEnv(config, plan, shard.id));
    shard.on('death', () => log.warn({ shard: shard.id }, 'shard process exited'));
    shard.on('ready', () => log.info({ shard: shard.id }, 'shard ready'));
  });
  return manager;
}

/** SIGTERM / SIGINT: no more respawns, every shard told to stop, exit once they all did (or at the deadline). */
function stopOnSignals(manager: ShardingManager, log: Logger): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    manager.respawn = false;
    log.info({ signal }, 'stopping every shard');
    setTimeout(() => process.exit(1), STOP_DEADLINE_MS).unref();
    // Each shard process finishes or stores its work on SIGTERM (as `npm start` does), then exits.
    const exits = [...manager.shards.values()].map(
      (shard) =>
        new Promise<void>((resolve) => {
          const child = shard.process;
          if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
          child.once('exit', () => resolve());
          child.kill('SIGTERM');
        }),
    );
    void Promise.all(exits).then(() => process.exit(0));
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

async function main() {
  dotenv.config({ quiet: true });
  const config = loadConfigOrExit(process.env);
  const log = createLogger({
    level: config.log.level,
    format: config.log.format,
    redact: redactorFor(config),
    name: 'seed-bot-shards',
  });
  const rest = new REST({ api: config.discord.apiUrl }).setToken(config.discord.token);
  const plan = await planShards(
    config,
    () => rest.get(Routes.gatewayBot()) as Promise<RESTGetAPIGatewayBotResult>,
  );
  exitUnlessSharedStorage(config, plan);
  const manager = createShardManager(config, plan, log);
  stopOnSignals(manager, log);
  log.info(
    { totalShards: plan.totalShards, shards: plan.shardList, spawnDelayMs: plan.spawnDelayMs },
    'spawning shards',
  );
  await manager.spawn({ amount: plan.totalShards, delay: plan.spawnDelayMs });
  log.info({ shards: plan.shardList }, 'all shards ready');
}

await main().catch((error) => {
  process.stderr.write(`The shard manager could not start: ${(error as Error).message}\n`);
  process.exit(1);
});
