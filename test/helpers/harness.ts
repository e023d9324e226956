// End-to-end harness: the fake useapi (and, with `upstream: 'midjourney-proxy'`, the fake proxy the bot then uses)
// and the fake Discord on loopback, and the real bot built by createBot (the same code path as `npm start`, minus
// reading .env and signal handling) on a real SQLite file in a temporary folder.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, vi } from 'vitest';
import type { BotProcess } from '../../dev/bot-process.js';
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  type FakeMessage,
  type InteractionHandle,
  type InteractionUser,
  startFakeDiscord,
} from '../../dev/fakes/fake-discord.js';
import {
  type FakeMidjourneyProxy,
  type FakeTask,
  type ImagineTaskInput,
  type SeedPlan,
  startFakeMidjourneyProxy,
} from '../../dev/fakes/fake-midjourney-proxy.js';
import {
  type FakeJob,
  type FakeUseapi,
  type FakeUseapiOptions,
  startFakeUseapi,
} from '../../dev/fakes/fake-useapi.js';
import { addImagineJob, midjourneyMessage } from '../../dev/fakes/midjourney.js';
import {
  ACCOUNT_CHANNEL,
  ALERT_CHANNEL,
  baseEnv,
  CHANNEL,
  GUILD,
  MEMBER,
  OTHER_GUILD,
} from '../../dev/fixtures.js';
import { captureLogLines } from '../../dev/log-lines.js';
import { type Bot, createBot } from '../../src/bot.js';
import { loadConfig } from '../../src/config.js';

export {
  ACCOUNT_CHANNEL,
  ALERT_CHANNEL,
  baseEnv,
  CHANNEL,
  GUILD,
  isSeedReply,
  MEMBER,
  MIDJOURNEY_BOT,
  MODERATOR,
  OTHER_GUILD,
  OTHER_MEMBER,
} from '../../dev/fixtures.js';

export interface Harness {
  useapi: FakeUseapi;
  /** The fake midjourney-proxy, when the bot runs against one. */
  proxy: FakeMidjourneyProxy | undefined;
  discord: FakeDiscord;
  bot: Bot;
  env: Record<string, string>;
  dir: string;
  logs: string[];
  /** Every log line joined, for searching. */
  logText(): string;
  /** A completed imagine job on the account, with a Midjourney message in CHANNEL that shows it. */
  /** `grid`: the bytes of a real PNG grid for the message's attachment (the bot cuts it when the prompt has the seed). */
  imagineJob(options?: { prompt?: string; seedValue?: number; guild?: string; grid?: Buffer }): {
    jobid: string;
    message: FakeMessage;
  };
  /**
   * A finished imagine task at the fake proxy (its notifyHook already sent to the bot), and the message Midjourney
   * posted for it in CHANNEL.
   */
  proxyTask(
    input?: ImagineTaskInput & { seedPlan?: SeedPlan },
    grid?: { data: Buffer; width: number; height: number },
  ): { task: FakeTask; message: FakeMessage };
  slashSeed(
    job: string,
    user?: InteractionUser,
    extra?: { private?: boolean; locale?: string },
  ): ReturnType<FakeDiscord['slash']>;
  stop(): Promise<void>;
}

export interface HarnessOptions {
  env?: Record<string, string>;
  useapi?: FakeUseapiOptions;
  /** The fake Discord's options (e.g. its rate limits). */
  discord?: FakeDiscordOptions;
  /** The upstream the bot runs against (SEED_PROVIDER). Default useapi. */
  upstream?: 'useapi' | 'midjourney-proxy';
  /** Reuse fakes and folder (restart tests). */
  reuse?: { useapi: FakeUseapi; discord: FakeDiscord; dir: string; proxy?: FakeMidjourneyProxy };
  start?: boolean;
}

/** The bot's environment for the fake proxy: SEED_PROVIDER, its URL and token, and a callback secret. */
const proxyEnv = (proxy: FakeMidjourneyProxy): Record<string, string> => ({
  SEED_PROVIDER: 'midjourney-proxy',
  MJ_PROXY_URL: proxy.url,
  MJ_PROXY_TOKEN: proxy.token,
  CALLBACK_SECRET: 'proxy-callback-secret-0123456789abcdef',
});

let sequence = 0;
export const uniqueId = (prefix = '9'): string =>
  `${prefix}${Date.now()}${(sequence++).toString().padStart(4, '0')}`.slice(0, 19);

/** The bot's log lines, kept for the test to read. */
export const captureLogs = () => captureLogLines();

/** The test world: the server with #midjourney and #mod-alerts, another server, and one useapi account. */
function furnishFakes(discord: FakeDiscord, useapi: FakeUseapi): void {
  discord.addGuild({
    id: GUILD,
    name: 'Test server',
    preferredLocale: 'en-US',
    channels: [
      { id: CHANNEL, name: 'midjourney' },
      { id: ALERT_CHANNEL, name: 'mod-alerts' },
    ],
  });
  discord.addGuild({ id: OTHER_GUILD, name: 'Other server', channels: [{ id: '899999999999999999' }] });
  useapi.addAccount({
    channel: ACCOUNT_CHANNEL,
    discord: 'MTAxMjM0NTY3ODkwMTIzNDU2Nzg5MA.secret.token',
    maxJobs: 3,
  });
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const useapi = options.reuse?.useapi ?? (await startFakeUseapi(options.useapi));
  const discord = options.reuse?.discord ?? (await startFakeDiscord(options.discord));
  const dir = options.reuse?.dir ?? mkdtempSync(join(tmpdir(), 'seed-bot-'));
  if (!options.reuse) furnishFakes(discord, useapi);
  const proxy =
    options.upstream === 'midjourney-proxy'
      ? // The proxy's account posts in CHANNEL, as Midjourney posts in the account's channel.
        (options.reuse?.proxy ?? (await startFakeMidjourneyProxy({ instanceId: CHANNEL })))
      : undefined;
  const env = { ...baseEnv(useapi, discord, dir), ...(proxy ? proxyEnv(proxy) : {}), ...options.env };
  const { lines, stream } = captureLogs();
  const bot = await createBot(loadConfig(env), { logDestination: stream });
  if (options.start !== false) await bot.start();
  // The proxy's operator points its notifyHook at the bot (Setting.NotifyHook).
  const http = bot.http();
  if (proxy && http)
    proxy.setNotifyHook(`${http.url}/midjourney-proxy/callback/${env.CALLBACK_SECRET ?? ''}`);

  const harness: Harness = {
    useapi,
    proxy,
    discord,
    bot,
    env,
    dir,
    logs: lines,
    logText: () => lines.join('\n'),
    imagineJob(o = {}) {
      const guildId = o.guild ?? GUILD;
      const job = addImagineJob(useapi, {
        accountChannel: ACCOUNT_CHANNEL,
        guildId,
        ownerId: MEMBER.id,
        prompt: o.prompt,
        seedValue: o.seedValue,
      });
      // The message's file carries a UUID the index does not know: resolution must go through the message id.
      const message = midjourneyMessage(discord, job, {
        channelId: CHANNEL,
        guildId,
        ownerId: MEMBER.id,
        filename: `member_${String(job.prompt).replace(/\W+/g, '_')}_${crypto.randomUUID()}.png`,
        grid: o.grid,
      });
      return { jobid: job.jobid, message };
    },
    proxyTask(input = {}, grid = undefined) {
      if (!proxy) throw new Error('the harness runs on useapi: start it with upstream: midjourney-proxy');
      const task = proxy.addImagineTask({ channelId: CHANNEL, guildId: GUILD, ...input });
      const message = proxy.showInDiscord(discord, task.id, {
        ownerId: MEMBER.id,
        ...(grid ? { grid } : {}),
      });
      return { task, message };
    },
    slashSeed(job, user = MEMBER, extra = {}) {
      return discord.slash({
        name: 'seed',
        options: [
          { name: 'job', type: 3, value: job },
          ...(extra.private === undefined ? [] : [{ name: 'private', type: 5, value: extra.private }]),
        ],
        guildId: GUILD,
        channelId: CHANNEL,
        user,
        locale: extra.locale,
      });
    },
    async stop() {
      await bot.stop(2_000).catch(() => {});
      // Every body the bot sent in the test had to be valid against Discord's spec and rules.
      const violations = [...discord.violations];
      if (!options.reuse) {
        await discord.close();
        await useapi.close();
        await proxy?.close();
        rmSync(dir, { recursive: true, force: true });
      }
      if (violations.length > 0)
        throw new Error(`the bot sent bodies Discord would refuse:\n${violations.join('\n')}`);
    },
  };
  return harness;
}

/** The fakes, a temporary directory and the environment for bots run as child processes (`spawnBot`). */
export interface ProcessRig {
  useapi: FakeUseapi;
  discord: FakeDiscord;
  dir: string;
  env: Record<string, string>;
  /** Bots spawned in the test: stop() kills those still running. */
  bots: BotProcess[];
  stop(): Promise<void>;
}

export async function startProcessRig(options: {
  dirPrefix: string;
  useapi?: FakeUseapiOptions;
}): Promise<ProcessRig> {
  const useapi = await startFakeUseapi(options.useapi);
  const discord = await startFakeDiscord();
  const dir = mkdtempSync(join(tmpdir(), options.dirPrefix));
  const bots: BotProcess[] = [];
  return {
    useapi,
    discord,
    dir,
    env: baseEnv(useapi, discord, dir),
    bots,
    async stop() {
      await Promise.allSettled(bots.splice(0).map((b) => b.kill('SIGKILL')));
      await discord.close();
      await useapi.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * What useapi does for a job when the account's replyUrl points at the bot: POSTs it to the callback route (the
 * harness's CALLBACK_SECRET); resolves once the bot, which answers first and indexes right after, indexed it.
 */
export async function deliverUseapiCallback(harness: Harness, job: FakeJob): Promise<void> {
  const http = harness.bot.http();
  if (!http) throw new Error('the bot has no HTTP server');
  const response = await fetch(`${http.url}/useapi/callback/${harness.env.CALLBACK_SECRET ?? ''}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(job),
  });
  expect(response.status).toBe(200);
  await vi.waitFor(async () => expect(await harness.bot.services.index.byJobid(job.jobid)).toBeDefined(), {
    timeout: 5_000,
    interval: 10,
  });
}

/** The member presses the "paste the jobid" button of the bot's reply: its custom id and the modal's callback. */
export async function openPasteModal(harness: Harness, reply: FakeMessage | undefined) {
  const button = (reply?.components[0] as { components: { custom_id: string }[] } | undefined)?.components[0];
  if (!reply || !button) throw new Error('no paste button');
  const click = harness.discord.button({
    customId: button.custom_id,
    message: reply,
    guildId: GUILD,
    channelId: CHANNEL,
    user: MEMBER,
  });
  return { customId: button.custom_id, modal: await click.waitForCallback() };
}

/**
 * The answer only the member sees, judged by what is finally seen, however it was sent (an ephemeral reply at once,
 * an edit of an ephemeral deferral, or a private answer after a public deferral): the member who asked sees exactly
 * one settled message answering the interaction, and nobody else in the channel sees any. Times out (with the
 * interaction's events) when the answer never reaches the member or when the channel keeps a trace.
 */
export async function privateAnswer(
  interaction: InteractionHandle,
  timeoutMs = 10_000,
): Promise<{ content: string; components: unknown[] }> {
  const LOADING = 1 << 7;
  await interaction.waitFor((i) => {
    const { member, others } = i.seen();
    return others.length === 0 && member.length === 1 && ((member[0]?.flags ?? 0) & LOADING) === 0;
  }, timeoutMs);
  const [answer] = interaction.seen().member;
  return { content: answer?.content ?? '', components: answer?.components ?? [] };
}
