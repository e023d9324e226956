// `npm run doctor` against the fakes: the real bot running (for PUBLIC_URL), the fake Discord and the fake useapi.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { commandData } from '../commands/index.js';
import { freePort } from '../dev/fakes/net.js';
import { loadConfig } from '../src/config.js';
import { channelPermissions, compareCommands, runDoctor } from '../src/doctor/index.js';
import { registerCommands } from '../src/register.js';
import { ACCOUNT_CHANNEL, GUILD, type Harness, startHarness } from './helpers/harness.js';

const SECRET = 'cb_0123456789abcdef0123456789abcdef_secret';
let h: Harness | undefined;

afterEach(async () => {
  await h?.stop();
  h = undefined;
});

async function setup(env: Record<string, string> = {}): Promise<Harness> {
  h = await startHarness({ env: { CALLBACK_SECRET: SECRET, ...env } });
  return h;
}

/** The doctor's environment: the harness's, with PUBLIC_URL pointing at the running bot. */
const doctorEnv = (harness: Harness, extra: Record<string, string> = {}) => ({
  ...harness.env,
  PUBLIC_URL: harness.bot.http()?.url ?? '',
  ...extra,
});

async function doctor(env: Record<string, string | undefined>, only?: string[]) {
  let output = '';
  const report = await runDoctor(env, { out: (text) => (output += text), ...(only ? { only } : {}) });
  return { ...report, output };
}

const line = (output: string, name: string) =>
  output.split('\n').find((l) => l.slice(2).startsWith(name)) ?? '';

describe('npm run doctor', () => {
  it('passes every check of a working installation and shows tokens masked', async () => {
    const harness = await setup();
    await registerCommands(loadConfig(harness.env));
    const { exitCode, output, checks } = await doctor(doctorEnv(harness));
    expect(output).toContain('All checks passed');
    expect(exitCode).toBe(0);
    expect(checks.filter((c) => !c.ok)).toEqual([]);
    for (const name of [
      'Configuration',
      'Discord token',
      'Application id',
      'Commands',
      'useapi token',
      'Storage',
      'Public URL',
      'Moderator alert channel',
    ]) {
      expect(line(output, name)).toMatch(/^✔ /);
    }
    expect(output).toMatch(/up to date: \/seed/);
    expect(output).toContain(`account channel ${ACCOUNT_CHANNEL}`);
    expect(output).toContain('the callback route accepts CALLBACK_SECRET');
    expect(output).toMatch(/#mod-alerts in Test server: the bot may view, post and embed/);
    const token = harness.discord.token;
    expect(output).toContain(`${token.slice(0, 3)}…${token.slice(-3)}`);
    for (const secret of [token, harness.useapi.token, SECRET]) expect(output).not.toContain(secret);
  });

  it('fails with the fix when Discord refuses the token, and never prints it', async () => {
    const harness = await setup();
    const wrong = `${harness.discord.token.slice(0, -6)}XXXXXX`;
    const { exitCode, output } = await doctor(doctorEnv(harness, { DISCORD_TOKEN: wrong }));
    expect(exitCode).toBe(1);
    expect(line(output, 'Discord token')).toMatch(/^✖ Discord token: Discord refused DISCORD_TOKEN \(401\)/);
    expect(output).toContain('Bot → Reset Token');
    expect(line(output, 'Commands')).toMatch(/^– Commands: skipped/);
    expect(output).not.toContain(wrong);
  });

  it('fails when the application id does not belong to the token', async () => {
    const harness = await setup();
    const { exitCode, output } = await doctor(
      doctorEnv(harness, { DISCORD_APPLICATION_ID: '1234567890123456789' }),
    );
    expect(exitCode).toBe(1);
    expect(line(output, 'Application id')).toMatch(/^✖ .*belongs to application/);
    expect(output).toContain(`Set DISCORD_APPLICATION_ID=${harness.discord.applicationId}`);
  });

  it('fails with the fix when useapi refuses the token', async () => {
    const harness = await setup();
    const { exitCode, output } = await doctor(
      doctorEnv(harness, { USEAPI_TOKEN: 'wrong-useapi-token-abcdef' }),
    );
    expect(exitCode).toBe(1);
    expect(line(output, 'useapi token')).toMatch(/^✖ useapi token: useapi refused USEAPI_TOKEN \(401\)/);
    expect(output).toContain('into USEAPI_TOKEN');
    expect(output).not.toContain('wrong-useapi-token-abcdef');
  });

  describe('when useapi no longer serves Midjourney for the token', () => {
    const NOTICE =
      /^✖ useapi token: useapi no longer serves Midjourney for this token \(.+\): the bot cannot fetch any seed, and members who ask are told seeds are unavailable\.$/;

    it.each([
      [
        '404 on the account list',
        '/v2/account/midjourney',
        404,
        /GET \/account\/midjourney answered HTTP 404/,
      ],
      [
        '410 on the account list',
        '/v2/account/midjourney',
        410,
        /GET \/account\/midjourney answered HTTP 410/,
      ],
      [
        '410 on an account route',
        `/v2/account/midjourney/${ACCOUNT_CHANNEL}`,
        410,
        new RegExp(`GET /account/midjourney/${ACCOUNT_CHANNEL} answered HTTP 410`),
      ],
    ])(
      'says so in one line, with what it means and where to check, on %s',
      async (_what, path, status, evidence) => {
        const harness = await setup();
        await registerCommands(loadConfig(harness.env));
        harness.useapi.failNext({ method: 'GET', path }, [
          { status, body: { error: 'Not found', code: status } },
        ]);
        const { exitCode, output } = await doctor(doctorEnv(harness));
        expect(exitCode).toBe(1);
        const found = line(output, 'useapi token');
        expect(found).toMatch(NOTICE);
        expect(found).toMatch(evidence);
        expect(output).toContain('https://useapi.net/docs/api-v2');
        expect(output).toContain('Midjourney support was discontinued on June 24, 2026');
        expect(output.match(/no longer serves Midjourney/g)).toHaveLength(1);
      },
    );

    it('says so when the Midjourney routes refuse a token useapi accepts elsewhere', async () => {
      const harness = await setup();
      harness.useapi.failNext({ method: 'GET', path: '/v2/account/midjourney' }, [
        { status: 401, body: { error: 'Unauthorized', code: 401 } },
      ]);
      const { exitCode, output } = await doctor(doctorEnv(harness));
      expect(exitCode).toBe(1);
      expect(line(output, 'useapi token')).toMatch(NOTICE);
      expect(line(output, 'useapi token')).toContain(
        'refused the token (HTTP 401) that GET /account accepts',
      );
    });

    it('still says the token is wrong when useapi refuses it everywhere', async () => {
      const harness = await setup();
      const { output } = await doctor(doctorEnv(harness, { USEAPI_TOKEN: 'wrong-useapi-token-abcdef' }));
      expect(output).not.toContain('no longer serves Midjourney');
    });

    it('passes when the accounts are listed and answer', async () => {
      const harness = await setup();
      const { output } = await doctor(doctorEnv(harness));
      expect(line(output, 'useapi token')).toMatch(/^✔ useapi token: accepted: 1 Midjourney account$/);
    });
  });

  it('fails when the commands are not registered, and suggests npm run register', async () => {
    const harness = await setup({ DISCORD_GUILD_ID: GUILD });
    const { exitCode, output } = await doctor(doctorEnv(harness));
    expect(exitCode).toBe(1);
    expect(line(output, 'Commands')).toMatch(/^✖ Commands: none registered \(guild \d+\)/);
    expect(output).toContain('npm run register');
  });

  it('fails when the registered commands differ from the code, naming what changed', async () => {
    const harness = await setup({ DISCORD_GUILD_ID: GUILD });
    const changed = commandData().map((c) =>
      c.name === 'seed' ? { ...c, description: 'An older description', options: [] } : c,
    );
    const response = await fetch(
      `${harness.discord.apiUrl}/v10/applications/${harness.discord.applicationId}/guilds/${GUILD}/commands`,
      {
        method: 'PUT',
        headers: { authorization: `Bot ${harness.discord.token}`, 'content-type': 'application/json' },
        body: JSON.stringify([
          ...changed,
          { name: 'old-command', description: 'gone from the code', type: 1 },
        ]),
      },
    );
    expect(response.status).toBe(200);
    const { exitCode, output } = await doctor(doctorEnv(harness));
    expect(exitCode).toBe(1);
    expect(output).toContain('changed in the code: /seed (description, options)');
    expect(output).toContain('registered but no longer in the code: /old-command');
    await registerCommands(loadConfig(harness.env));
    const again = await doctor(doctorEnv(harness));
    expect(line(again.output, 'Commands')).toMatch(
      /^✔ Commands: \d+ registered \(guild \d+\) and up to date/,
    );
  });

  it('fails on a pending moderation message and says to acknowledge it, then reset', async () => {
    const harness = await setup();
    await registerCommands(loadConfig(harness.env));
    harness.useapi.setPendingModeration(ACCOUNT_CHANNEL, 'Please acknowledge our community guidelines.');
    const { exitCode, output } = await doctor(doctorEnv(harness));
    expect(exitCode).toBe(1);
    expect(line(output, `Midjourney account ${ACCOUNT_CHANNEL}`)).toMatch(
      /^✖ .*pending moderation message .*"Please acknowledge our community guidelines\."/,
    );
    expect(output).toContain(
      `acknowledge the message (or solve the CAPTCHA), then run \`/midjourney reset channel:${ACCOUNT_CHANNEL}\``,
    );
  });

  it('fails when the storage path cannot be created', async () => {
    const harness = await setup();
    const file = join(harness.dir, 'a-file');
    writeFileSync(file, 'not a folder');
    const { exitCode, output } = await doctor(
      doctorEnv(harness, { STORAGE_URL: `sqlite://${join(file, 'sub', 'bot.sqlite')}` }),
    );
    expect(exitCode).toBe(1);
    expect(line(output, 'Storage')).toMatch(/^✖ Storage: sqlite:\/\/.*ENOTDIR/);
    expect(output).toContain('writable by the bot');
  });

  it('fails when PUBLIC_URL reaches nothing, or a bot with another CALLBACK_SECRET', async () => {
    const harness = await setup();
    const nothing = await doctor(doctorEnv(harness, { PUBLIC_URL: 'http://127.0.0.1:9' }));
    expect(nothing.exitCode).toBe(1);
    expect(line(nothing.output, 'Public URL')).toMatch(
      /^✖ Public URL: nothing answered at http:\/\/127\.0\.0\.1:9\/healthz/,
    );
    const other = `${SECRET.slice(0, -6)}OTHER1`;
    const wrong = await doctor(doctorEnv(harness, { CALLBACK_SECRET: other }));
    expect(wrong.exitCode).toBe(1);
    expect(wrong.output).toContain('but the callback route refused CALLBACK_SECRET (HTTP 404');
    expect(wrong.output).not.toContain(other);
  });

  it('fails when the bot may not post in the moderator alert channel, and when it does not exist', async () => {
    const harness = await setup();
    harness.discord.addGuild({
      id: GUILD,
      name: 'Test server',
      channels: [
        { id: '833333333333333333', name: 'midjourney' },
        { id: '844444444444444444', name: 'mod-alerts', botCanSend: false },
      ],
    });
    const locked = await doctor(doctorEnv(harness));
    expect(locked.exitCode).toBe(1);
    expect(line(locked.output, 'Moderator alert channel')).toMatch(/^✖ .*#mod-alerts .*lacks Send Messages/);
    const missing = await doctor(doctorEnv(harness, { MOD_ALERT_CHANNEL_ID: '800000000000000001' }));
    expect(line(missing.output, 'Moderator alert channel')).toMatch(/^✖ .*does not exist/);
  });

  it('fails on a bad configuration with every problem named and no secret shown', async () => {
    const secretish = 'bad secret with spaces that is long enough to count 123';
    const useapiToken = 'useapi-token-that-is-fine-0123456789';
    const closed = await freePort();
    const { exitCode, output } = await doctor({
      DISCORD_TOKEN: 'short-token',
      DISCORD_APPLICATION_ID: 'not-a-number',
      USEAPI_TOKEN: useapiToken,
      // A port nothing listens on: the upstream group runs (its settings are valid) and must not reach useapi.net.
      USEAPI_API_URL: `http://127.0.0.1:${closed}/v2`,
      STORAGE_URL: 'memory://',
      PUBLIC_URL: 'https://bot.example.com',
      CALLBACK_SECRET: secretish,
    });
    expect(exitCode).toBe(1);
    expect(line(output, 'Configuration')).toMatch(/^✖ Configuration: 3 problems/);
    expect(output).toContain('DISCORD_TOKEN does not look like a Discord bot token');
    expect(output).toContain('DISCORD_APPLICATION_ID must be a Discord id');
    expect(output).toContain('CALLBACK_SECRET may hold only letters');
    for (const secret of ['short-token', secretish, useapiToken]) expect(output).not.toContain(secret);
    // Each part is checked with the settings it has: Discord's are wrong, useapi's and storage's are not.
    expect(line(output, 'Discord token')).toMatch(
      /^– Discord token: skipped: fix DISCORD_TOKEN, DISCORD_APPLICATION_ID first/,
    );
    expect(line(output, 'Public URL')).toMatch(/^– Public URL: skipped: fix CALLBACK_SECRET first/);
    expect(line(output, 'useapi token')).toMatch(
      /^✖ useapi token: could not reach useapi at http:\/\/127\.0\.0\.1:\d+\/v2: 127\.0\.0\.1:\d+ refused the connection \(ECONNREFUSED\)/,
    );
    expect(line(output, 'Storage')).toMatch(/^✔ Storage: memory/);
  });

  it('checks the upstream alone, with no Discord setting at all (--only upstream)', async () => {
    const harness = await setup();
    const { exitCode, output, checks } = await doctor(
      { USEAPI_TOKEN: harness.env.USEAPI_TOKEN, USEAPI_API_URL: harness.env.USEAPI_API_URL },
      ['upstream'],
    );
    expect(checks.map((c) => c.name)).toEqual(['Configuration', 'useapi token']);
    expect(line(output, 'Configuration')).toMatch(
      /^✔ Configuration: valid \(the settings of the groups checked\)/,
    );
    expect(line(output, 'useapi token')).toMatch(/^✔ useapi token: accepted: 1 Midjourney account/);
    expect(exitCode).toBe(0);
  });

  it('reads a DNS failure as one', async () => {
    const { output } = await doctor(
      {
        USEAPI_TOKEN: 'useapi-token-that-is-fine-0123456789',
        USEAPI_API_URL: 'http://useapi-host.invalid/v2',
      },
      ['upstream'],
    );
    expect(line(output, 'useapi token')).toMatch(
      /could not reach useapi at http:\/\/useapi-host\.invalid\/v2: DNS could not resolve useapi-host\.invalid \((ENOTFOUND|EAI_AGAIN)\)/,
    );
  });

  it("says a 404 on the account list may be a wrong USEAPI_API_URL when useapi's account route is not there either", async () => {
    const harness = await setup();
    const wrongUrl = `${harness.useapi.url.replace(/\/v2$/, '')}/v1`;
    const { exitCode, output } = await doctor(
      { USEAPI_TOKEN: harness.env.USEAPI_TOKEN, USEAPI_API_URL: wrongUrl },
      ['upstream'],
    );
    expect(exitCode).toBe(1);
    expect(line(output, 'useapi token')).toMatch(
      /^✖ useapi token: GET \/account\/midjourney and GET \/account both answered HTTP 404 at .*\/v1: this is not useapi's v2 API/,
    );
    expect(output).toContain(
      'Check USEAPI_API_URL (default https://api.useapi.net/v2; a wrong URL gives the same 404)',
    );
    expect(output).not.toContain('no longer serves Midjourney for this token');
  });

  it('opens the gateway and reads HELLO, and fails with the fix when WebSockets are refused', async () => {
    const harness = await setup();
    await registerCommands(loadConfig(harness.env));
    const open = await doctor(doctorEnv(harness), ['discord']);
    expect(line(open.output, 'Discord gateway')).toMatch(
      /^✔ Discord gateway: ws:\/\/127\.0\.0\.1:\d+ answered HELLO in \d+ ms/,
    );
    harness.discord.refuseGateway(true);
    const refused = await doctor(doctorEnv(harness), ['discord']);
    harness.discord.refuseGateway(false);
    expect(refused.exitCode).toBe(1);
    expect(line(refused.output, 'Discord gateway')).toMatch(
      /^✖ Discord gateway: could not open the gateway at ws:/,
    );
    expect(refused.output).toContain('let this machine open it through its firewall or proxy');
    expect(line(refused.output, 'Discord token')).toMatch(/^✔ /);
  });
});

describe('doctor helpers', () => {
  const guildId = '100000000000000000';
  const botId = '200000000000000000';
  const role = '300000000000000000';
  const send = 1n << 11n;
  const view = 1n << 10n;

  it('computes channel permissions from roles, then @everyone, role and member overwrites', () => {
    const base = {
      guildId,
      ownerId: '1',
      roles: [
        { id: guildId, permissions: String(view) },
        { id: role, permissions: String(send) },
      ],
      userId: botId,
      memberRoles: [role],
    };
    expect(channelPermissions({ ...base, overwrites: [] })).toBe(view | send);
    const denyEveryone = { id: guildId, type: 0, allow: '0', deny: String(view | send) };
    expect(channelPermissions({ ...base, overwrites: [denyEveryone] })).toBe(0n);
    const allowRole = { id: role, type: 0, allow: String(view), deny: '0' };
    expect(channelPermissions({ ...base, overwrites: [denyEveryone, allowRole] })).toBe(view);
    const denyMember = { id: botId, type: 1, allow: '0', deny: String(view) };
    expect(channelPermissions({ ...base, overwrites: [allowRole, denyMember] })).toBe(send);
    expect(channelPermissions({ ...base, ownerId: botId, overwrites: [denyEveryone] }) & send).toBe(send);
  });

  it('treats Discord defaults (null, false, {} and []) as equal to absent fields', () => {
    const local = commandData().map((c) => ({ ...c }) as Record<string, unknown>);
    const remote = local.map((c) => ({
      ...c,
      id: '1',
      version: '2',
      default_member_permissions: c.default_member_permissions ?? null,
      nsfw: false,
      name_localizations: c.name_localizations ?? null,
      options: c.options ?? [],
    }));
    expect(compareCommands(local, remote)).toEqual({ missing: [], extra: [], outdated: [] });
    const changed = remote.map((c) => ({ ...c, name_localizations: { de: 'anders' } }));
    expect(compareCommands(local, changed).outdated[0]).toMatch(/name_localizations/);
  });
});

describe('npm run doctor as a child process', () => {
  const root = fileURLToPath(new URL('..', import.meta.url));
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const run = (env: Record<string, string>, cwd: string) =>
    new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', tsx, join(root, 'src/doctor/index.ts')],
        { env: { PATH: process.env.PATH ?? '', ...env }, cwd, timeout: 20_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
      );
    });

  it('exits 0 when everything passes and 1 when a check fails', async () => {
    const harness = await setup();
    await registerCommands(loadConfig(harness.env));
    const good = await run(doctorEnv(harness), harness.dir);
    expect(good.stdout).toContain('All checks passed');
    expect(good.code).toBe(0);
    const bad = await run(doctorEnv(harness, { USEAPI_TOKEN: 'wrong-useapi-token-abcdef' }), harness.dir);
    expect(bad.stdout).toContain('✖ useapi token');
    expect(bad.code).toBe(1);
  });
});
