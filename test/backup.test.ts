// `npm run backup` on the file of a running bot (a real child process): the copy opens in SQLite, passes its
// integrity check and holds every request the bot had stored, while the bot keeps running on the original.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type BotProcess, ROOT, spawnBot } from '../dev/bot-process.js';
import { type FakeDiscord, startFakeDiscord } from '../dev/fakes/fake-discord.js';
import { type FakeUseapi, startFakeUseapi } from '../dev/fakes/fake-useapi.js';
import { addImagineJob } from '../dev/fakes/midjourney.js';
import { ACCOUNT_CHANNEL, baseEnv, CHANNEL, GUILD, MEMBER, uniqueId } from './helpers/harness.js';

const run = promisify(execFile);
let useapi: FakeUseapi;
let discord: FakeDiscord;
let bot: BotProcess;
const dir = mkdtempSync(join(tmpdir(), 'seed-bot-backup-'));
let env: Record<string, string>;

beforeAll(async () => {
  // Seed jobs that take long: the requests stay open (and keep being written) while the backup runs.
  useapi = await startFakeUseapi({ seedDurationMs: 120_000 });
  useapi.addAccount({ channel: ACCOUNT_CHANNEL, maxJobs: 3 });
  discord = await startFakeDiscord();
  discord.addGuild({ id: GUILD, name: 'Test server', channels: [{ id: CHANNEL, name: 'midjourney' }] });
  env = baseEnv(useapi, discord, dir);
  bot = spawnBot('bot', env);
  await bot.ready;
});
afterAll(async () => {
  await bot?.kill('SIGKILL');
  await discord?.close();
  await useapi?.close();
  rmSync(dir, { recursive: true, force: true });
});

const rows = (file: string, sql: string) =>
  new Promise<Record<string, unknown>[]>((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (error) => {
      if (error) return reject(error);
      db.all(sql, (err, result) => {
        db.close();
        if (err) reject(err);
        else resolve(result as Record<string, unknown>[]);
      });
    });
  });

it('copies a running bot’s SQLite file with every stored request in it', async () => {
  const interactions = Array.from({ length: 6 }, () => {
    const { jobid } = addImagineJob(useapi, {
      accountChannel: ACCOUNT_CHANNEL,
      guildId: GUILD,
      ownerId: MEMBER.id,
      prompt: `a lighthouse ${uniqueId('5')}`,
      seedValue: 42,
    });
    return discord.slash({
      name: 'seed',
      options: [{ name: 'job', type: 3, value: jobid }],
      guildId: GUILD,
      channelId: CHANNEL,
      user: MEMBER,
    });
  });
  const ids = interactions.map((i) => i.id);
  await vi.waitFor(
    () =>
      expect(
        bot.logs.filter((l) => l.msg === 'request stored' && ids.includes(String(l.requestId))),
      ).toHaveLength(6),
    { timeout: 15_000, interval: 50 },
  );

  const destination = join(dir, 'backups', 'copy.sqlite');
  const { stdout } = await run(process.execPath, ['--import', 'tsx', 'src/backup.ts', destination], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', STORAGE_URL: env.STORAGE_URL ?? '' },
  });
  expect(stdout).toMatch(
    /^Backed up .*bot\.sqlite to .*copy\.sqlite \(\d+ pages, integrity ok, 6 stored requests\)/,
  );
  expect(statSync(destination).mode & 0o777).toBe(0o600);

  const [check] = await rows(destination, 'PRAGMA integrity_check');
  expect(check?.integrity_check).toBe('ok');
  const stored = await rows(destination, 'SELECT key, value FROM requests');
  for (const id of ids) {
    const row = stored.find((r) => r.key === `requests:req:${id}`);
    expect(row, id).toBeDefined();
    expect(JSON.parse(String(row?.value)).value).toMatchObject({
      id,
      userId: MEMBER.id,
      jobid: expect.any(String),
    });
  }
  const open = await rows(destination, 'SELECT id FROM open_requests');
  expect(open.map((r) => r.id).sort()).toEqual([...ids].sort());
  // The bot did not notice.
  expect(bot.child.exitCode).toBeNull();
}, 60_000);

it('refuses to overwrite an existing file', async () => {
  const destination = join(dir, 'backups', 'copy.sqlite');
  const failed = await run(process.execPath, ['--import', 'tsx', 'src/backup.ts', destination], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', STORAGE_URL: env.STORAGE_URL ?? '' },
  }).catch((error: { code: number; stderr: string }) => error);
  expect('code' in failed && failed.code).toBe(1);
  expect(failed.stderr).toContain('exists already');
});
