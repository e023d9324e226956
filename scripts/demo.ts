// `npm run demo`: the whole bot working on a fresh machine, with no tokens at all. It starts the fake Discord and the
// fake useapi the tests use, registers the commands and starts the real bot against them (createBot + loadConfig:
// the same code path as `npm start`) on a temporary SQLite file, then plays a member's /seed, a right-click
// "Get seed", and a 596 with a moderator's reset, printing what each of them would see. Nothing leaves this machine.
// Exit code 0 when every step that exists passed; `--logs` also prints the bot's log lines (pretty) to stderr.
// `--upstream midjourney-proxy` plays the same against a fake trueai-org/midjourney-proxy instead: /seed with a task
// id (the proxy needs two asks to find the seed), "Get seed" on a message it announced through its notifyHook, and
// the proxy losing its only Midjourney account, then getting it back.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import pretty from 'pino-pretty';
import { commandData, commands } from '../commands/index.js';
import {
  type FakeDiscord,
  type FakeMessage,
  type InteractionHandle,
  type InteractionUser,
  startFakeDiscord,
} from '../dev/fakes/fake-discord.js';
import { type FakeMidjourneyProxy, startFakeMidjourneyProxy } from '../dev/fakes/fake-midjourney-proxy.js';
import { type FakeJob, type FakeUseapi, startFakeUseapi } from '../dev/fakes/fake-useapi.js';
import { addImagineJob, midjourneyMessage } from '../dev/fakes/midjourney.js';
import { freePort } from '../dev/fakes/net.js';
import { announcesImages } from '../dev/fixtures.js';
import { captureLogLines } from '../dev/log-lines.js';
import { type Bot, createBot } from '../src/bot.js';
import { loadConfig } from '../src/config.js';
import { registerCommands } from '../src/register.js';

const GUILD = '811111111111111111';
const CHANNEL = '833333333333333333';
const ALERT_CHANNEL = '844444444444444444';
const ACCOUNT_CHANNEL = '1316232391072944131';
const MEMBER: InteractionUser = { id: '855555555555555555', username: 'ana', permissions: '0' };
const GERMAN_MEMBER: InteractionUser = { id: '866666666666666666', username: 'jonas', permissions: '0' };
/** Manage Server. */
const MODERATOR: InteractionUser = {
  id: '877777777777777777',
  username: 'mod-kim',
  permissions: String(1 << 5),
};
const NAMES = new Map([MEMBER, GERMAN_MEMBER, MODERATOR].map((u) => [u.id, u.username ?? u.id]));
const WAIT_MS = 8_000;
const EPHEMERAL = 64;

const showLogs = process.argv.includes('--logs');
/** `--upstream midjourney-proxy` (or `--upstream=midjourney-proxy`); useapi otherwise. */
const upstreamArg = (() => {
  const i = process.argv.indexOf('--upstream');
  const value =
    i >= 0 ? process.argv[i + 1] : process.argv.find((a) => a.startsWith('--upstream='))?.slice(11);
  return value === 'midjourney-proxy' ? 'midjourney-proxy' : 'useapi';
})();
const print = (line = '') => process.stdout.write(`${line}\n`);
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;

// --- what a member sees ----------------------------------------------------------------------------------------

interface Embed {
  title?: string;
  description?: string;
  url?: string;
  fields?: { name: string; value: string }[];
  footer?: { text: string };
  image?: { url: string };
}
interface Button {
  type: number;
  label?: string;
  custom_id?: string;
  disabled?: boolean;
}

const clock = (unix: string) => new Date(Number(unix) * 1000).toTimeString().slice(0, 8);

/** Discord markup as a reader sees it: mentions as @name, links as "text → url", times as a clock, no bold. */
const plain = (text: string) =>
  text
    .replace(/<@!?(\d+)>/g, (_, id: string) => `@${NAMES.get(id) ?? id}`)
    .replace(/<t:(\d+)(:\w)?>/g, (_, unix: string) => clock(unix))
    .replace(/\[([^\]]+)\]\((https?:[^)]+)\)/g, '$1 → $2')
    .replace(/\*\*([^*]+)\*\*/g, '$1');

/** Four long file names as one readable line: the first in full (shortened), then what differs. */
function fileNames(names: string[]): string {
  const [first = '', ...rest] = names;
  let common = 0;
  while (rest.every((n) => n[common] === first[common]) && common < first.length) common++;
  const short = first.length > 48 ? `${first.slice(0, 20)}…${first.slice(-24)}` : first;
  return [short, ...rest.map((n) => (common > 8 ? `…${n.slice(common)}` : n))].join(', ');
}

const buttonsOf = (m: FakeMessage): Button[] =>
  (m.components as { components?: Button[] }[])
    .flatMap((row) => row.components ?? [])
    .filter((c) => c.type === 2);

/** A message as lines of text: content, embeds (title, description, fields, footer), images, buttons. */
function render(m: FakeMessage, indent: string, brief = false): string[] {
  const out: string[] = [];
  const add = (text: string, extra = '') => {
    for (const line of plain(text).split('\n')) out.push(`${indent}${extra}${line}`);
  };
  if (m.flags !== undefined && m.flags & EPHEMERAL) out.push(`${indent}(only you can see this)`);
  if (m.content) add(m.content);
  const embeds = m.embeds as Embed[];
  const gallery = embeds.length > 1 && embeds.every((e) => e.url && e.url === embeds[0]?.url);
  for (const e of embeds) {
    if (!e.title && !e.description && !e.fields?.length) continue;
    if (e.title) add(`▌${e.title}`);
    if (e.description) add(brief ? (e.description.split('\n')[0] ?? '') : e.description, '▌ ');
    if (brief) continue;
    for (const f of e.fields ?? []) add(`${f.name}: ${f.value}`, '▌ ');
    if (e.footer?.text) add(e.footer.text, '▌ ');
  }
  const images = embeds.filter((e) => e.image?.url).length;
  if (m.attachments.length) {
    const how = gallery && images === 4 ? ', shown as one 2x2 gallery' : '';
    out.push(
      `${indent}images: ${m.attachments.length} attached${how}: ${fileNames(m.attachments.map((a) => a.filename))}`,
    );
  } else if (images) out.push(`${indent}images: ${images} linked (not attached)`);
  const buttons = buttonsOf(m);
  if (buttons.length)
    out.push(
      `${indent}buttons: ${buttons.map((b) => `[${b.label ?? '?'}]${b.disabled ? ' (disabled)' : ''}`).join(' ')}`,
    );
  return out;
}

const say = (who: string, text: string) => print(`  ${who.padEnd(10)}› ${text}`);
function sees(who: string, m: FakeMessage, brief = false) {
  const [first = '', ...rest] = render(m, '', brief);
  print(`  ${who.padEnd(10)}‹ ${first}`);
  for (const line of rest) print(`  ${' '.repeat(10)}  ${line}`);
}

const contentOf = (event: { body: unknown }) =>
  String(
    (event.body as { content?: string; data?: { content?: string } }).content ??
      (event.body as { data?: { content?: string } }).data?.content ??
      '',
  );

/** The progress lines the member saw before the answer (each distinct text once). */
function progressLines(interaction: InteractionHandle): string[] {
  const seen: string[] = [];
  for (const e of interaction.events) {
    const text = e.kind === 'edit' ? contentOf(e) : '';
    if (text.startsWith('⏳') && !seen.includes(text)) seen.push(text);
  }
  return seen;
}

/** The final answer: a seed in the title (any language), its images no longer announced. */
const isSeedReply = (m: FakeMessage) =>
  (m.embeds as Embed[]).some((e) => /\d{2,}/.test(e.title ?? '')) && !announcesImages(m);

async function answer(who: string, interaction: InteractionHandle, done: (m: FakeMessage) => boolean) {
  const ack = await interaction.waitForCallback(WAIT_MS);
  if (ack.type === 5)
    print(
      `  ${who.padEnd(10)}‹ ${ack.body && ((ack.body as { data?: { flags?: number } }).data?.flags ?? 0) & EPHEMERAL ? '(only you) ' : ''}mj-seed-bot is thinking…`,
    );
  const final = await interaction.waitForEdit(done, WAIT_MS);
  for (const line of progressLines(interaction)) print(`  ${' '.repeat(10)}‹ ${line}`);
  sees(who, final);
  return final;
}

// --- the demo ---------------------------------------------------------------------------------------------------

interface World {
  discord: FakeDiscord;
  useapi: FakeUseapi;
  /** The fake midjourney-proxy, with --upstream midjourney-proxy. */
  proxy?: FakeMidjourneyProxy | undefined;
  bot: Bot;
  logs: string[];
  secret: string;
}

const DISCORD_EPOCH = 1_420_070_400_000;
let sequence = 0;

function midjourneyOutput(
  world: World,
  prompt: string,
  seedValue: number,
): { job: FakeJob; message: FakeMessage } {
  const messageId = ((BigInt(Date.now() - DISCORD_EPOCH) << 22n) | BigInt(++sequence)).toString();
  const job = addImagineJob(world.useapi, {
    accountChannel: ACCOUNT_CHANNEL,
    guildId: GUILD,
    ownerId: MEMBER.id,
    prompt,
    seedValue,
    messageId,
  });
  const message = midjourneyMessage(world.discord, job, {
    channelId: CHANNEL,
    guildId: GUILD,
    ownerId: MEMBER.id,
  });
  return { job, message };
}

const parsed = (world: World) =>
  world.logs.flatMap((l) => {
    try {
      return [JSON.parse(l) as { cid?: string; msg?: string }];
    } catch {
      return [];
    }
  });

/** The log lines of one request, found by the correlation id useapi got in replyRef (`<requestId>:<cid>`). */
function traceOf(world: World, jobid: string): string | undefined {
  const call = world.useapi.requests.find(
    (r) => r.path === '/v2/jobs/seed_async' && (r.body as { jobid?: string } | undefined)?.jobid === jobid,
  );
  const cid = String((call?.body as { replyRef?: string } | undefined)?.replyRef ?? '').split(':')[1];
  if (!cid) return undefined;
  const lines = parsed(world)
    .filter((l) => l.cid === cid)
    .map((l) => l.msg);
  return `log: correlation id ${cid} (sent to useapi in replyRef) on ${lines.length} lines: ${[...new Set(lines)].join(' → ')}`;
}

/** `/seed job:<jobid>` by the member. */
const slashSeed = (world: World, jobid: string): InteractionHandle =>
  world.discord.slash({
    name: 'seed',
    options: [{ name: 'job', value: jobid }],
    guildId: GUILD,
    channelId: CHANNEL,
    user: MEMBER,
  });

/** "Get seed" on a Midjourney message by the member whose Discord speaks German. */
const getSeedInGerman = (world: World, message: FakeMessage): InteractionHandle =>
  world.discord.messageCommand({
    name: 'Get seed',
    target: message,
    guildId: GUILD,
    channelId: CHANNEL,
    user: { ...GERMAN_MEMBER, locale: 'de' },
    locale: 'de',
  });

function expectSeedShown(
  final: FakeMessage,
  seed: number,
  problem = 'the answer does not show the seed',
): void {
  if (!JSON.stringify(final.embeds).includes(String(seed))) throw new Error(problem);
}

/** Polls (every 20 ms, at most `tries` times) for what the bot does a moment after what the demo awaited. */
async function waitUntil(done: () => boolean | Promise<boolean>, tries = 100): Promise<void> {
  for (let i = 0; i < tries && !(await done()); i++) await new Promise((r) => setTimeout(r, 20));
}

/** The member's /seed is kept on hold (⏸️) and the moderators get an alert: what each of them sees. */
async function seedHeld(
  world: World,
  jobid: string,
): Promise<{ seed: InteractionHandle; alert: FakeMessage }> {
  say('member', `/seed job:${jobid}`);
  const seed = slashSeed(world, jobid);
  await answer('member', seed, (m) => /⏸️/.test(m.content));
  const alertPost = await world.discord
    .waitForRest((r) => r.method === 'POST' && r.path === `/channels/${ALERT_CHANNEL}/messages`, WAIT_MS)
    .catch(() => undefined);
  const alert = world.discord.channelMessages(ALERT_CHANNEL)[0];
  if (!alertPost || !alert) throw new Error('no alert was posted in the moderator channel');
  print('  #mod-alerts (what moderators see):');
  sees('bot', alert);
  return { seed, alert };
}

/** Once the hold is gone, the kept request runs again by itself and gets its seed. */
async function keptRequestAnswered(seed: InteractionHandle, value: number): Promise<void> {
  const final = await seed.waitForEdit(isSeedReply, WAIT_MS);
  sees('member', final);
  expectSeedShown(final, value, 'the kept request did not get its seed');
}

/** A moderator presses an alert's button and sees the message it leads to. */
async function press(world: World, message: FakeMessage, prefix: string, done?: (m: FakeMessage) => boolean) {
  const button = buttonsOf(message).find((b) => b.custom_id?.startsWith(prefix));
  if (!button?.custom_id) throw new Error(`the message has no ${prefix} button`);
  say('moderator', `presses [${button.label}]`);
  const click = world.discord.button({
    customId: button.custom_id,
    message,
    guildId: GUILD,
    channelId: ALERT_CHANNEL,
    user: MODERATOR,
  });
  const shown = await click.waitForEdit(done, WAIT_MS);
  sees('moderator', shown);
  return shown;
}

const step = {
  async seed(world: World) {
    print('1. /seed with a jobid');
    const prompt = 'a red fox in fresh snow, golden hour --ar 3:2 --v 6.1';
    const { job } = midjourneyOutput(world, prompt, 1234567890);
    say('member', `/seed job:${job.jobid}`);
    expectSeedShown(await answer('member', slashSeed(world, job.jobid), isSeedReply), 1234567890);
    const calls = world.useapi.count('POST', '/v2/jobs/seed_async');
    await world.useapi.settleCallbacks();
    const lookups = world.useapi.count('GET', '/v2/jobs');
    const callbacks = world.useapi.callbacks.length;
    print(`  useapi    : ${calls} seed_async, ${lookups} job look-ups, ${callbacks} callbacks to PUBLIC_URL`);
    // The request's last log line follows its answer by a moment.
    await waitUntil(() => parsed(world).some((l) => l.msg === 'request answered'), 50);
    const trace = traceOf(world, job.jobid);
    if (trace) print(`  ${trace}`);
    say('member', `/seed job:${job.jobid}   (again: answered from storage, no useapi call)`);
    const before = world.useapi.requests.length;
    await answer('member', slashSeed(world, job.jobid), isSeedReply);
    if (world.useapi.requests.length !== before) throw new Error('the second answer called useapi');
  },

  async getSeed(world: World) {
    print('2. Right-click a Midjourney image → Apps → Get seed (a member whose Discord speaks German)');
    const { job, message } = midjourneyOutput(
      world,
      'isometric tiny library inside a teacup, soft light',
      987654321,
    );
    // What useapi does for every job of the account when its replyUrl points at the bot: the job index learns it.
    const http = world.bot.http();
    const response = await fetch(`${http?.url}/useapi/callback/${world.secret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(job),
    });
    if (response.status !== 200) throw new Error(`the job callback answered ${response.status}`);
    await waitUntil(async () => Boolean(await world.bot.services.index.byJobid(job.jobid)));
    print(`  useapi    › callback for the imagine job: the bot indexes message ${message.id}`);
    say('member', `right-clicks the image in #midjourney → Apps → Get seed`);
    expectSeedShown(await answer('member', getSeedInGerman(world, message), isSeedReply), 987654321);
  },

  async moderation(world: World, canReset: boolean) {
    print('3. Midjourney shows the account a moderation message (useapi 596), and a moderator resets it');
    world.useapi.setPendingModeration(
      ACCOUNT_CHANNEL,
      'Your recent prompt was flagged. Please review and acknowledge the community guidelines.',
    );
    const { job } = midjourneyOutput(world, 'a lighthouse in a storm, oil painting', 4242);
    const { seed, alert } = await seedHeld(world, job.jobid);
    if (!canReset) {
      print('  (skipped: the Reset button and /midjourney reset are not registered in this build)');
      return;
    }
    // The alert's message id is stored on the hold right after the post (the status links to it).
    await waitUntil(async () => Boolean((await world.bot.holds.get(ACCOUNT_CHANNEL))?.alertMessageId));
    say('moderator', '/midjourney status');
    const status = world.discord.slash({
      name: 'midjourney',
      subcommand: 'status',
      guildId: GUILD,
      channelId: ALERT_CHANNEL,
      user: MODERATOR,
    });
    await answer('moderator', status, (m) => m.embeds.length > 0);
    print('  moderator : logs in to Discord as the Midjourney account and acknowledges the message');
    const confirmation = await press(world, alert, 'mod-reset');
    await press(world, confirmation, 'mod-confirm', (m) => !m.content.startsWith('⏳'));
    print('  member    : the kept request runs again by itself');
    await keptRequestAnswered(seed, 4242);
    const resolved = world.discord.channelMessages(ALERT_CHANNEL).find((m) => m.id === alert.id);
    if (resolved && JSON.stringify(resolved) !== JSON.stringify(alert)) {
      print('  #mod-alerts afterwards (the alert, edited):');
      sees('bot', resolved, true);
    }
  },
};

/** The same story against a midjourney-proxy (SEED_PROVIDER=midjourney-proxy). */
const proxyStep = {
  proxyOf(world: World): FakeMidjourneyProxy {
    if (!world.proxy) throw new Error('no fake midjourney-proxy');
    return world.proxy;
  },

  async seed(world: World) {
    print('1. /seed with a midjourney-proxy task id (the proxy finds the seed on the third ask)');
    const proxy = proxyStep.proxyOf(world);
    const task = proxy.addImagineTask({
      prompt: 'a red fox in fresh snow, golden hour --ar 3:2 --v 6.1',
      seed: 1234567890,
      channelId: CHANNEL,
      guildId: GUILD,
      seedPlan: { notFoundTimes: 2 },
    });
    proxy.showInDiscord(world.discord, task.id, { ownerId: MEMBER.id });
    say('member', `/seed job:${task.id}`);
    expectSeedShown(await answer('member', slashSeed(world, task.id), isSeedReply), 1234567890);
    print(
      `  proxy     : ${proxy.calls('fetch')} task reads, ${proxy.calls('image-seed')} image-seed calls ("未找到 seed" twice: the member is told the seed is on its way)`,
    );
  },

  async getSeed(world: World) {
    print(
      '2. Right-click a Midjourney image the proxy made → Apps → Get seed (a member whose Discord speaks German)',
    );
    const proxy = proxyStep.proxyOf(world);
    const task = proxy.addImagineTask({
      prompt: 'isometric tiny library inside a teacup, soft light',
      seed: 987654321,
      channelId: CHANNEL,
      guildId: GUILD,
    });
    const message = proxy.showInDiscord(world.discord, task.id, { ownerId: MEMBER.id });
    await proxy.settleNotifications();
    await waitUntil(async () => Boolean(await world.bot.services.index.byMessage(message.id, GUILD)));
    print(
      `  proxy     › notifyHook for task ${task.id}: the bot reads the task again and indexes message ${message.id}`,
    );
    say('member', 'right-clicks the image in #midjourney → Apps → Get seed');
    expectSeedShown(await answer('member', getSeedInGerman(world, message), isSeedReply), 987654321);
  },

  async hold(world: World) {
    print('3. The proxy loses its only Midjourney account (无可用的账号实例), then its operator unlocks it');
    const proxy = proxyStep.proxyOf(world);
    proxy.setAccountAlive(false);
    const task = proxy.addImagineTask({
      prompt: 'a lighthouse in a storm, oil painting',
      seed: 4242,
      channelId: CHANNEL,
      guildId: GUILD,
    });
    const { seed } = await seedHeld(world, task.id);
    print("  operator  : unlocks the account in the proxy's admin page");
    proxy.setAccountAlive(true);
    print('  member    : the kept request runs again by itself once the proxy answers again');
    await keptRequestAnswered(seed, 4242);
  },
};

// --- the run ----------------------------------------------------------------------------------------------------

interface Fakes {
  discord: FakeDiscord;
  useapi: FakeUseapi;
  proxy: FakeMidjourneyProxy | undefined;
}

/** The fake Discord with the demo server, the fake useapi with one account, and the fake proxy when asked for. */
async function startFakes(): Promise<Fakes> {
  const [discord, useapi] = await Promise.all([startFakeDiscord(), startFakeUseapi({ seedDurationMs: 300 })]);
  // The proxy's Midjourney account posts in #midjourney.
  const proxy =
    upstreamArg === 'midjourney-proxy' ? await startFakeMidjourneyProxy({ instanceId: CHANNEL }) : undefined;
  discord.addGuild({
    id: GUILD,
    name: 'Demo server',
    preferredLocale: 'en-US',
    channels: [
      { id: CHANNEL, name: 'midjourney' },
      { id: ALERT_CHANNEL, name: 'mod-alerts' },
    ],
  });
  useapi.addAccount({
    channel: ACCOUNT_CHANNEL,
    discord: 'MTAxMjM0NTY3ODkwMTIzNDU2Nzg5MA.demo.token',
    maxJobs: 3,
  });
  return { discord, useapi, proxy };
}

/** The bot's configuration, as `npm start` would load it from an .env pointing at the fakes. */
function demoConfig(fakes: Fakes, where: { dir: string; port: number; secret: string }) {
  const { discord, useapi, proxy } = fakes;
  return loadConfig({
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_GUILD_ID: GUILD,
    DISCORD_API_URL: discord.apiUrl,
    USEAPI_TOKEN: useapi.token,
    USEAPI_API_URL: useapi.url,
    USEAPI_POLL_INTERVAL_MS: '200',
    STORAGE_URL: `sqlite://${join(where.dir, 'bot.sqlite')}`,
    HTTP_PORT: String(where.port),
    PUBLIC_URL: `http://127.0.0.1:${where.port}`,
    HTTP_HOST: '127.0.0.1',
    CALLBACK_SECRET: where.secret,
    MOD_ALERT_CHANNEL_ID: ALERT_CHANNEL,
    LOG_LEVEL: 'debug',
    LOG_FORMAT: 'json',
    ...(proxy
      ? {
          SEED_PROVIDER: 'midjourney-proxy',
          MJ_PROXY_URL: proxy.url,
          MJ_PROXY_TOKEN: proxy.token,
          // A held proxy is checked again this often.
          STORAGE_LEASE_MS: '1000',
        }
      : {}),
  });
}

/** The bot's log lines, kept for the trace and a failure; with --logs also printed (pretty) to stderr. */
function captureBotLogs(): { logs: string[]; logDestination: Writable } {
  const prettyOut = showLogs
    ? pretty({ colorize: true, destination: 2, sync: true, ignore: 'pid,hostname' })
    : undefined;
  const { lines, stream } = captureLogLines((text) => prettyOut?.write(text));
  return { logs: lines, logDestination: stream };
}

function printSetup(fakes: Fakes, storageUrl: string, registered: number): void {
  const names = commandData().map((c) => (c.type === 3 ? `"${c.name}"` : `/${c.name}`));
  print('Setup');
  print(`  fake Discord  ${fakes.discord.apiUrl}  (server "Demo server" with #midjourney and #mod-alerts)`);
  if (fakes.proxy)
    print(
      `  fake proxy    ${fakes.proxy.url}  (midjourney-proxy, one Midjourney account; notifyHook → the bot)`,
    );
  else print(`  fake useapi   ${fakes.useapi.url}  (one Midjourney account, channel ${ACCOUNT_CHANNEL})`);
  print(`  storage       ${storageUrl}`);
  print(`  commands      ${registered} registered in the server: ${names.join(', ')}`);
  print(`  bot           ready after ${elapsed()}`);
}

/** The story for this upstream; a step whose command this build does not register yet is skipped. */
function demoSteps(world: World): [string, (() => Promise<void>) | undefined][] {
  if (world.proxy)
    return [
      ['/seed', () => proxyStep.seed(world)],
      ['Get seed', () => proxyStep.getSeed(world)],
      ['no account, then back', () => proxyStep.hold(world)],
    ];
  const hasGetSeed = commands.message.some((c) => c.data.name === 'Get seed');
  const hasReset =
    commands.slash.some((c) => c.data.name === 'midjourney') &&
    commands.components.some((c) => c.prefix === 'mod-reset') &&
    commands.components.some((c) => c.prefix === 'mod-confirm');
  return [
    ['/seed', () => step.seed(world)],
    ['Get seed', hasGetSeed ? () => step.getSeed(world) : undefined],
    ['596 and reset', () => step.moderation(world, hasReset)],
  ];
}

/** Runs every step (a failed one does not stop the next), then checks what the bot sent Discord: the problems. */
async function playSteps(world: World): Promise<number> {
  let failed = 0;
  for (const [name, run] of demoSteps(world)) {
    print();
    if (!run) {
      print(`– ${name}: skipped (not registered in this build yet)`);
      continue;
    }
    try {
      await run();
      print(`✔ ${name}`);
    } catch (error) {
      failed++;
      print(`✖ ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const { violations } = world.discord;
  if (violations.length) {
    failed++;
    print();
    print(`✖ the bot sent Discord ${violations.length} payload(s) Discord would refuse:`);
    for (const v of violations) print(`  ${v}`);
  }
  return failed;
}

/** The last lines: what went wrong (with the bot's last log lines), or what to do next. The exit code. */
function conclude(failed: number, logs: string[]): number {
  print();
  if (failed) {
    process.stderr.write(`Last log lines of the bot:\n${logs.slice(-25).join('\n')}\n`);
    print(`Demo failed (${failed} problem${failed === 1 ? '' : 's'}) after ${elapsed()}.`);
    return 1;
  }
  print(
    `Demo finished in ${elapsed()}: everything above ran through the real bot. Next: cp .env.example .env, fill in`,
  );
  print('the tokens, `npm run doctor`, `npm run register`, `npm start`.');
  return 0;
}

async function main(): Promise<number> {
  print(
    `mj-seed-bot demo: the real bot against a local fake Discord and a fake ${upstreamArg === 'useapi' ? 'useapi.net' : 'midjourney-proxy'}`,
  );
  print('(no tokens needed; nothing leaves this machine)');
  print();
  const dir = mkdtempSync(join(tmpdir(), 'mj-seed-bot-demo-'));
  const fakes = await startFakes();
  const secret = randomBytes(24).toString('hex');
  // A fixed port, so that PUBLIC_URL is known before the bot starts: useapi's callbacks reach the bot.
  const port = await freePort();
  const config = demoConfig(fakes, { dir, port, secret });
  // The proxy's operator points its notifyHook at the bot.
  fakes.proxy?.setNotifyHook(`http://127.0.0.1:${port}/midjourney-proxy/callback/${secret}`);
  const { logs, logDestination } = captureBotLogs();

  let bot: Bot | undefined;
  let failed = 0;
  try {
    const registered = await registerCommands(config);
    bot = await createBot(config, { logDestination });
    await bot.start();
    printSetup(fakes, config.storageUrl, registered.count);
    failed += await playSteps({ ...fakes, bot, logs, secret });
  } catch (error) {
    failed++;
    print(`✖ the demo could not run: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await bot?.stop(2_000).catch(() => {});
    await Promise.allSettled([fakes.discord.close(), fakes.useapi.close(), fakes.proxy?.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
  return conclude(failed, logs);
}

process.exitCode = await main();
