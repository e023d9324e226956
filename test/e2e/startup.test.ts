// Starting as a service: the bot as a real child process (`node --import tsx src/main.ts`) against the fake Discord
// with faults at start. What waiting can fix is waited out and said; what it cannot is one final message.
import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type BotProcess, ROOT, spawnBot } from '../../dev/bot-process.js';
import type { FakeDiscord } from '../../dev/fakes/fake-discord.js';
import { GUILD, type ProcessRig, startProcessRig } from '../helpers/harness.js';

let rig: ProcessRig;
let discord: FakeDiscord;
let dir: string;
let env: Record<string, string>;
let bots: BotProcess[];

beforeEach(async () => {
  rig = await startProcessRig({ dirPrefix: 'seed-bot-startup-' });
  ({ discord, dir, env, bots } = rig);
  discord.addGuild({ id: GUILD, name: 'Test server' });
});
afterEach(async () => {
  // The gateway accepts again, so the fake Discord closes its connections.
  discord.refuseGateway(false);
  await rig.stop();
});

function start(name: string, extra: Record<string, string> = {}): BotProcess {
  const bot = spawnBot(name, { ...env, ...extra }, { readyTimeoutMs: 40_000 });
  bots.push(bot);
  return bot;
}

const text = (bot: BotProcess) => bot.logs.map((l) => JSON.stringify(l)).join('\n');

describe('starting', () => {
  it('says what it waits for while the gateway refuses connections, and connects when it comes back', async () => {
    discord.refuseGateway(true);
    const bot = start('bot');
    const waiting = await vi.waitFor(
      () => {
        const line = bot.logs.find((l) => /^waiting for the Discord gateway/.test(String(l.msg)));
        if (!line) throw new Error('no waiting line yet');
        return line;
      },
      { timeout: 20_000, interval: 100 },
    );
    expect(waiting.level).toBe(40);
    expect(String(waiting.msg)).toContain(discord.origin.replace('http', 'ws'));
    expect(String(waiting.msg)).toMatch(/not connected after \d+ s and \d+ attempts? \(network error/);
    expect(waiting.fix).toMatch(/firewall/);
    // With backoff (1 s doubling): a handful of attempts in the first 5 s, not discord.js's one every half second.
    // A loaded machine makes fewer attempts, never more.
    expect(Number(waiting.attempts)).toBeGreaterThanOrEqual(1);
    expect(Number(waiting.attempts)).toBeLessThanOrEqual(6);
    expect(bot.logs.some((l) => l.msg === 'ready')).toBe(false);
    discord.refuseGateway(false);
    await bot.ready;
  }, 60_000);

  it('waits out a Discord that answers 503 at start, says so, and starts', async () => {
    // @discordjs/rest tries each call 4 times: 8 failures are two failed logins.
    discord.failRest((method, path) => method === 'GET' && path === '/gateway/bot', 503, 8);
    const bot = start('bot');
    await bot.ready;
    const retries = bot.logs.filter((l) =>
      /^logging in to Discord: Discord answered 503/.test(String(l.msg)),
    );
    expect(retries).toHaveLength(2);
    expect(String(retries[0]?.msg)).toMatch(/trying again in [\d.]+ s$/);
    expect(retries[0]?.level).toBe(40);
  }, 60_000);

  it('reads a DNS failure as one, and keeps trying', async () => {
    const bot = start('bot', { DISCORD_API_URL: 'http://discord-api.invalid/api' });
    await vi.waitFor(
      () => expect(text(bot)).toMatch(/DNS could not resolve discord-api\.invalid \((ENOTFOUND|EAI_AGAIN)\)/),
      { timeout: 20_000, interval: 100 },
    );
    expect(bot.child.exitCode).toBeNull();
    // Stopped while it waits: a clean exit, not a failed start.
    await bot.kill('SIGTERM');
    expect((await bot.exited).code).toBe(0);
    expect(text(bot)).not.toContain('could not start');
  }, 40_000);

  it('ends with one message naming the fix when Discord refuses the token, and no storage error after it', async () => {
    const bot = start('bot', { DISCORD_TOKEN: `${discord.token.slice(0, -6)}XXXXXX` });
    const { code } = await bot.exited;
    expect(code).toBe(1);
    const all = text(bot);
    expect(all).toContain('The bot could not start: Discord refused DISCORD_TOKEN (401 at');
    expect(all).toContain('Bot → Reset Token');
    expect(all).not.toMatch(/SQLITE_MISUSE|storage error|Database is closed/);
    expect(all).not.toContain(discord.token.slice(6, -6));
  }, 40_000);

  it('refuses a second bot on the same SQLite file, naming the first', async () => {
    const first = start('first');
    await first.ready;
    const second = start('second');
    const { code } = await second.exited;
    expect(code).toBe(1);
    expect(text(second)).toContain(`Another bot (process ${first.pid}`);
    expect(text(second)).toContain('STORAGE_URL=redis://');
    // The first keeps running, and once it is gone another may start.
    expect(first.child.exitCode).toBeNull();
    await first.kill('SIGTERM');
    await start('third').ready;
  }, 60_000);

  it('creates the SQLite file readable by its owner only, and listens on this machine only by default', async () => {
    const bot = start('bot', { HTTP_HOST: '' });
    await bot.ready;
    expect(statSync(join(dir, 'bot.sqlite')).mode & 0o777).toBe(0o600);
    const listening = bot.logs.find((l) => String(l.msg).startsWith('http server listening on '));
    expect(listening?.msg).toMatch(/^http server listening on 127\.0\.0\.1:\d+$/);
    expect(listening?.address).toBe('127.0.0.1');
  }, 40_000);

  it('says so when it listens on every interface', async () => {
    const bot = start('bot', { HTTP_HOST: '0.0.0.0' });
    await bot.ready;
    const listening = bot.logs.find((l) => String(l.msg).startsWith('http server listening on '));
    expect(listening?.msg).toMatch(
      /^http server listening on 0\.0\.0\.0:\d+, every interface: \/healthz, \/metrics/,
    );
  }, 40_000);
});

describe('npm run register', () => {
  const register = (extra: Record<string, string | undefined>) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const childEnv: Record<string, string | undefined> = {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        ...env,
        ...extra,
      };
      for (const [k, v] of Object.entries(childEnv)) if (v === undefined) delete childEnv[k];
      execFile(
        process.execPath,
        ['--import', 'tsx', 'src/register.ts'],
        { cwd: ROOT, env: childEnv as Record<string, string>, timeout: 40_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('needs only the Discord settings, and waits out a 503', async () => {
    discord.failRest((method, path) => method === 'PUT' && path.endsWith('/commands'), 503, 2);
    const { code, stdout } = await register({ USEAPI_TOKEN: undefined, USEAPI_API_URL: undefined });
    expect(stdout).toMatch(/Registered \d+ commands \(global\)/);
    expect(stdout).toMatch(/registering the commands: Discord answered 503/);
    expect(code).toBe(0);
    expect(discord.commands().length).toBeGreaterThan(0);
  }, 60_000);

  it('names a missing Discord setting as a registering problem, not a start', async () => {
    const { code, stderr } = await register({ DISCORD_TOKEN: undefined, USEAPI_TOKEN: undefined });
    expect(code).toBe(1);
    expect(stderr).toContain('The commands cannot be registered: 1 configuration problem');
    expect(stderr).toContain('DISCORD_TOKEN is required');
    expect(stderr).not.toContain('USEAPI_TOKEN');
  }, 40_000);

  it('gives a refused token the same fix as npm start', async () => {
    const { code, stderr } = await register({ DISCORD_TOKEN: `${discord.token.slice(0, -6)}XXXXXX` });
    expect(code).toBe(1);
    expect(stderr).toContain('Registering the commands failed: Discord refused DISCORD_TOKEN (401 at');
    expect(stderr).toContain('Bot → Reset Token');
  }, 40_000);
});
