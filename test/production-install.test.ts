// The steps the Dockerfile runs, on this machine (no Docker daemon here): a production install in a temporary folder
// (package.json, package-lock.json, dist/ and the start-up check; `npm ci --omit=dev` from npm's cache), then the bot
// started from dist/ as a real child process against the fake Discord, with no dev dependency present.
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ROOT, spawnBot } from '../dev/bot-process.js';
import { startFakeDiscord } from '../dev/fakes/fake-discord.js';
import { startFakeUseapi } from '../dev/fakes/fake-useapi.js';
import { baseEnv } from './helpers/harness.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'seed-bot-production-'));
const app = join(dir, 'app');
const env = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };

beforeAll(async () => {
  // dist/ as `npm run build` leaves it (built only when the sources changed).
  await run(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: ROOT, env });
  for (const file of ['package.json', 'package-lock.json', 'dist', 'scripts/build-if-stale.mjs'])
    cpSync(join(ROOT, file), join(app, file), { recursive: true });
  // From npm's cache, without install scripts: sqlite3's would compile its native addon again (minutes on two
  // cores); the one this machine built for the same Node is copied instead. The Dockerfile runs the scripts.
  await run('npm', ['ci', '--omit=dev', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], {
    cwd: app,
    env,
    timeout: 240_000,
  });
  cpSync(join(ROOT, 'node_modules/sqlite3/build'), join(app, 'node_modules/sqlite3/build'), {
    recursive: true,
  });
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('has no dev dependency, and starts from dist/ against the fake Discord', async () => {
  for (const dev of ['typescript', 'tsx', 'vitest', '@biomejs/biome', 'knip', 'discord-api-spec'])
    expect(existsSync(join(app, 'node_modules', dev)), dev).toBe(false);
  // The start-up check finds dist/ and nothing to build.
  const check = await run(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: app, env });
  expect(check.stderr).toBe('');

  const discord = await startFakeDiscord();
  const useapi = await startFakeUseapi();
  try {
    const bot = spawnBot('production', baseEnv(useapi, discord, join(dir, 'data')), {
      cwd: app,
      entry: 'dist/src/main.js',
      nodeArgs: [],
      readyTimeoutMs: 60_000,
    });
    await bot.ready;
    await bot.kill('SIGTERM');
    expect((await bot.exited).code).toBe(0);
  } finally {
    await discord.close();
    await useapi.close();
  }
}, 120_000);

it('says what to do when dist/ is missing where TypeScript is not installed', async () => {
  rmSync(join(app, 'dist'), { recursive: true, force: true });
  const failed = await run(process.execPath, ['scripts/build-if-stale.mjs'], { cwd: app, env }).catch(
    (error: { code: number; stderr: string }) => error,
  );
  expect('code' in failed && failed.code).toBe(1);
  expect(failed.stderr).toContain('dist/ is missing and TypeScript is not installed');
});
