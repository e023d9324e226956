// `npm run start:sharded` (src/sharded.ts) against the fakes: the ShardingManager asks the fake Discord (through
// DISCORD_API_URL, not discord.com) how many shards to run, starts one bot process per shard, and each answers the
// guilds of its shard. It refuses to start several processes on storage only one process can use.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, expect, it } from 'vitest';
import { type BotProcess, spawnBot } from '../../dev/bot-process.js';
import { type FakeDiscord, shardOf, startFakeDiscord } from '../../dev/fakes/fake-discord.js';
import { type FakeUseapi, startFakeUseapi } from '../../dev/fakes/fake-useapi.js';
import { describeBackend, redis } from '../helpers/backends.js';
import { ACCOUNT_CHANNEL, baseEnv, GUILD, isSeedReply, MEMBER } from '../helpers/harness.js';

const guildOnShard = (shard: number) => {
  let id = BigInt(GUILD);
  while (shardOf(id.toString(), 2) !== shard) id += 1n << 22n;
  return id.toString();
};
const GUILDS = [guildOnShard(0), guildOnShard(1)];
const CHANNELS = ['833333333333333311', '833333333333333312'];

let running: { manager: BotProcess; useapi: FakeUseapi; discord: FakeDiscord; dir: string } | undefined;

afterEach(async () => {
  if (!running) return;
  const r = running;
  running = undefined;
  await r.manager.kill('SIGKILL');
  await r.discord.close();
  await r.useapi.close();
  rmSync(r.dir, { recursive: true, force: true });
});
afterAll(() => redis.cleanup());

async function fakes() {
  const useapi = await startFakeUseapi();
  useapi.addAccount({ channel: ACCOUNT_CHANNEL, maxJobs: 3 });
  // Discord recommends two shards for this bot.
  const discord = await startFakeDiscord({ shards: 2 });
  GUILDS.forEach((id, i) => {
    discord.addGuild({ id, channels: [{ id: CHANNELS[i] as string }] });
  });
  const dir = mkdtempSync(join(tmpdir(), 'seed-bot-sharded-'));
  return { useapi, discord, dir };
}

describeBackend(redis, 'npm run start:sharded', () => {
  it('runs one process per recommended shard, each answering its own guilds, and stops them all', async () => {
    const { useapi, discord, dir } = await fakes();
    const manager = spawnBot(
      'shards',
      { ...baseEnv(useapi, discord, dir), STORAGE_URL: redis.freshUrl(), LOG_LEVEL: 'info' },
      { entry: 'src/sharded.ts' },
    );
    running = { manager, useapi, discord, dir };
    await discord.waitForReady({ shard: 0, timeoutMs: 25_000 });
    await discord.waitForReady({ shard: 1, timeoutMs: 25_000 });
    expect(discord.sessions().map((s) => s.shard)).toEqual([
      [0, 2],
      [1, 2],
    ]);
    // The manager asked the configured API for the shard count.
    expect(discord.rest.some((r) => r.path === '/gateway/bot')).toBe(true);

    for (const [i, guildId] of GUILDS.entries()) {
      const job = useapi.addJob({
        verb: 'imagine',
        channel: ACCOUNT_CHANNEL,
        server: GUILD,
        seedValue: 500 + i,
      });
      const interaction = discord.slash({
        name: 'seed',
        options: [{ name: 'job', type: 3, value: job.jobid }],
        guildId,
        channelId: CHANNELS[i] as string,
        user: MEMBER,
      });
      const final = await interaction.waitForEdit(isSeedReply, 15_000);
      expect(JSON.stringify(final.embeds)).toContain(`--seed ${500 + i}`);
    }
    const pids = new Set(manager.logs.filter((l) => l.msg === 'ready').map((l) => l.pid));
    expect(pids.size).toBe(2);

    await manager.kill('SIGTERM');
    expect((await manager.exited).code).toBe(0);
    for (const pid of pids) expect(isAlive(Number(pid))).toBe(false);
  }, 60_000);

  it('refuses to run several shard processes on SQLite storage', async () => {
    const { useapi, discord, dir } = await fakes();
    const manager = spawnBot('shards', baseEnv(useapi, discord, dir), { entry: 'src/sharded.ts' });
    running = { manager, useapi, discord, dir };
    expect((await manager.exited).code).toBe(1);
    expect(manager.logs.map((l) => l.msg).join('\n')).toMatch(/STORAGE_URL=redis:\/\//);
    expect(discord.sessions()).toHaveLength(0);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
