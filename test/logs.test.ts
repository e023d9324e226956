// Logs and traces: one correlation id follows a request from the interaction to the answer, and no secret ever
// reaches a log line, whatever path it travels (captured at LOG_LEVEL=trace through the harness).
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { InteractionHandle } from '../dev/fakes/fake-discord.js';
import { freePort } from '../dev/fakes/net.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { runDoctor } from '../src/doctor/index.js';
import { CHANNEL, type Harness, isSeedReply, startHarness } from './helpers/harness.js';

const SECRET = 'logs-test-callback-secret-0123456789abcdef';
let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

interface Line {
  msg?: string;
  cid?: string;
  requestId?: string;
  interaction?: string;
  jobid?: string;
  seedJobId?: string;
  [key: string]: unknown;
}
const lines = (harness: Harness): Line[] => harness.logs.map((l) => JSON.parse(l) as Line);

/** The bot with callbacks on: PUBLIC_URL points at its own HTTP server, logs at trace. */
async function withCallbacks(env: Record<string, string> = {}) {
  const port = await freePort();
  h = await startHarness({
    env: {
      LOG_LEVEL: 'trace',
      HTTP_PORT: String(port),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
      CALLBACK_SECRET: SECRET,
      ...env,
    },
  });
  return h;
}

const waitForLog = (harness: Harness, predicate: (l: Line) => boolean) =>
  vi.waitFor(
    () => {
      const found = lines(harness).find(predicate);
      if (!found) throw new Error('no such log line yet');
      return found;
    },
    { timeout: 15_000, interval: 20 },
  );

describe('one correlation id per request', () => {
  it('carries the interaction’s cid on every log line of the request: storage, seed_async replyRef, callbacks, answer', async () => {
    const harness = await withCallbacks();
    const { jobid } = harness.imagineJob({ seedValue: 5150 });
    const interaction = harness.slashSeed(jobid);
    await interaction.waitForEdit(isSeedReply, 15_000);
    await waitForLog(harness, (l) => l.msg === 'request answered');
    await harness.useapi.settleCallbacks();
    await waitForLog(harness, (l) => l.msg === 'seed callback' && l.status === 'completed');

    const received = lines(harness).find(
      (l) => l.msg === 'interaction received' && l.interaction === interaction.id,
    );
    const cid = received?.cid;
    expect(cid).toMatch(/^[0-9a-f]{8}$/);
    // useapi got it in replyRef, and sent it back in every callback.
    const seedAsync = harness.useapi.requests.find((r) => r.path === '/v2/jobs/seed_async');
    expect((seedAsync?.body as { replyRef?: string } | undefined)?.replyRef).toBe(`${interaction.id}:${cid}`);
    expect(harness.useapi.callbacks.length).toBeGreaterThan(0);

    const seedJobId = harness.useapi.callbacks.map((c) => (c.body as { jobid: string }).jobid)[0];
    const ofRequest = lines(harness).filter(
      (l) =>
        l.interaction === interaction.id ||
        l.requestId === interaction.id ||
        l.jobid === jobid ||
        (seedJobId !== undefined && l.seedJobId === seedJobId),
    );
    expect(ofRequest.filter((l) => l.cid !== cid)).toEqual([]);
    const messages = ofRequest.map((l) => l.msg);
    for (const msg of [
      'interaction received',
      'request stored',
      'seed job started',
      'seed callback',
      'request answered',
    ])
      expect(messages).toContain(msg);
  });

  it('logs a refusal with the cid of its interaction', async () => {
    const harness = await withCallbacks();
    const interaction = harness.slashSeed('not a jobid at all');
    await interaction.waitForCallback();
    const received = await waitForLog(
      harness,
      (l) => l.msg === 'interaction received' && l.interaction === interaction.id,
    );
    const refused = await waitForLog(harness, (l) => l.msg === 'interaction refused');
    expect(refused.cid).toBe(received.cid);
  });
});

describe('no secret in any log line (LOG_LEVEL=trace)', () => {
  const secretsIn = (text: string, secrets: string[]) => secrets.filter((s) => text.includes(s));

  it('keeps the Discord token, the useapi token, the callback secret and interaction tokens out of every path', async () => {
    const harness = await withCallbacks();
    const discordToken = harness.discord.token;
    const useapiToken = harness.useapi.token;
    const interactions: InteractionHandle[] = [];

    // A normal request, with callbacks.
    const first = harness.slashSeed(harness.imagineJob().jobid);
    interactions.push(first);
    await first.waitForEdit(isSeedReply, 15_000);

    // useapi answers 401 and echoes the token it was sent.
    harness.useapi.failNext({ method: 'POST', path: '/v2/jobs/seed_async' }, [
      { status: 401, body: { error: `Invalid token ${useapiToken} (Bearer ${useapiToken})`, code: 401 } },
    ]);
    const refused = harness.slashSeed(harness.imagineJob().jobid);
    interactions.push(refused);
    await refused.waitForEdit((m) => /useapi token was refused/.test(m.content), 10_000);

    // useapi fails with 5xx on every attempt of a poll, echoing the Authorization header, and with a body that is
    // not JSON: both are logged with the error.
    harness.useapi.failNext({ method: 'GET', path: '/v2/jobs/' }, [
      ...Array.from({ length: 4 }, () => ({
        status: 500,
        body: { error: `upstream saw Bearer ${useapiToken}` },
      })),
      { status: 200, body: `<html>proxy error for Authorization: Bearer ${useapiToken}</html>` },
    ]);
    const flaky = harness.slashSeed(harness.imagineJob().jobid);
    interactions.push(flaky);
    await flaky.waitForEdit(isSeedReply, 20_000);
    await waitForLog(
      harness,
      (l) => l.msg === 'polling the seed job failed; trying again' && /500/.test(JSON.stringify(l)),
    );
    await waitForLog(
      harness,
      (l) => l.msg === 'polling the seed job failed; trying again' && /bad_response/.test(JSON.stringify(l)),
    );

    // An interaction that expired before the bot acknowledged it: Discord refuses the callback (10062), then the
    // error reply; both errors carry the URL with the interaction token.
    const expired = harness.slashSeed(harness.imagineJob().jobid);
    expired.expire();
    interactions.push(expired);
    const failed = await waitForLog(harness, (l) => l.msg === 'could not send the error reply');
    expect(JSON.stringify(failed)).toMatch(/\/interactions\/\d+\/\*\*\*/);

    // A token that expires while the answer is being prepared: the edit is refused (401 50027), the answer goes to the
    // channel instead.
    harness.useapi.setSeedDuration(1_000);
    const late = harness.slashSeed(harness.imagineJob().jobid);
    interactions.push(late);
    await late.waitForCallback();
    late.expire();
    await harness.discord.waitForRest(
      (r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages`,
      15_000,
    );

    // Callbacks with a wrong secret (one that starts with the real one), and with the right one and a bad body.
    const http = harness.bot.http()?.url;
    for (const [path, body] of [
      [`${SECRET}x`, '{}'],
      ['wrong', '{}'],
      [SECRET, 'not json'],
      [SECRET, JSON.stringify({ jobid: 'x' })],
    ] as const) {
      const response = await fetch(`${http}/useapi/callback/${path}`, { method: 'POST', body });
      expect(response.status).toBeGreaterThanOrEqual(400);
    }

    // The doctor, with the same environment and with refused tokens.
    let doctor = '';
    await runDoctor(harness.env, { out: (t) => (doctor += t) });
    await runDoctor(
      {
        ...harness.env,
        DISCORD_TOKEN: `${discordToken.slice(0, -4)}ABCD`,
        USEAPI_TOKEN: `${useapiToken}-old`,
      },
      { out: (t) => (doctor += t) },
    );
    expect(doctor).toContain('Discord refused DISCORD_TOKEN');

    await harness.useapi.settleCallbacks();
    const text = harness.logText();
    // Every path above left its trace; the startup line shows the tokens masked.
    const starting = lines(harness).find((l) => l.msg === 'starting');
    expect(JSON.stringify(starting)).toContain(`${discordToken.slice(0, 3)}…${discordToken.slice(-3)}`);
    expect(text).toContain('interaction failed');
    expect(text.length).toBeGreaterThan(10_000);
    const secrets = [
      discordToken,
      `${discordToken.slice(0, -4)}ABCD`,
      useapiToken,
      SECRET,
      ...interactions.map((i) => i.token),
    ];
    expect(secretsIn(text, secrets)).toEqual([]);
    expect(secretsIn(doctor, secrets)).toEqual([]);
    expect(secretsIn(JSON.stringify(interactions.map((i) => i.events)), secrets)).toEqual([]);
  });

  it('keeps a useapi token that useapi refuses out of the logs and the reply', async () => {
    const wrong = 'refused-useapi-token-0123456789abcdef';
    h = await startHarness({ env: { LOG_LEVEL: 'trace', USEAPI_TOKEN: wrong } });
    const interaction = h.slashSeed(h.imagineJob().jobid);
    const reply = await interaction.waitForEdit((m) => /useapi token was refused/.test(m.content), 10_000);
    expect(JSON.stringify(reply)).not.toContain(wrong);
    expect(h.logText()).toContain('request failed');
    expect(h.logText()).not.toContain(wrong);
  });

  it('names the variables of a bad configuration without their values, in loadConfig and at `npm start`', async () => {
    const discordToken = 'MTEwMDAwMDAwMDAwMDAwMDAwMQ.Gx1234.abcdefghijklmnopqrstuvwxyz0123456789AB';
    const env = {
      DISCORD_TOKEN: discordToken,
      // The token pasted into the wrong variable, and a secret with a character a URL cannot hold.
      DISCORD_APPLICATION_ID: discordToken,
      USEAPI_TOKEN: 'user:1234-useapitokenvalue0123456789',
      PUBLIC_URL: 'https://bot.example.com',
      CALLBACK_SECRET: `${'s'.repeat(40)}!secret-part`,
    };
    const error = (() => {
      try {
        loadConfig(env);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    const message = (error as ConfigError).message;
    expect(message).toContain('DISCORD_APPLICATION_ID must be a Discord id');
    expect(message).toContain('CALLBACK_SECRET may hold only letters');
    for (const value of Object.values(env).filter((v) => !v.startsWith('https')))
      expect(message).not.toContain(value);

    // `npm start` prints the problems and exits 1.
    const root = fileURLToPath(new URL('..', import.meta.url));
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        process.execPath,
        ['--import', tsx, join(root, 'src/main.ts')],
        { cwd: '/', env: { PATH: process.env.PATH ?? '', LOG_LEVEL: 'trace', ...env }, timeout: 20_000 },
        (e, stdout, stderr) =>
          resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
      );
    });
    expect(output).toContain('DISCORD_APPLICATION_ID must be a Discord id');
    expect(code).toBe(1);
    for (const value of Object.values(env).filter((v) => !v.startsWith('https')))
      expect(output).not.toContain(value);
  });
});
