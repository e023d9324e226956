// Nothing lost across restarts: the bot as a real child process (`node --import tsx src/main.ts`, what `npm start`
// runs minus the build) on one SQLite file, killed with SIGKILL or stopped with SIGTERM in the middle of a seed job,
// then started again. Both fakes live in this test process and outlive the bot.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type BotProcess, spawnBot } from '../../dev/bot-process.js';
import type { FakeDiscord } from '../../dev/fakes/fake-discord.js';
import type { FakeUseapi } from '../../dev/fakes/fake-useapi.js';
import { addImagineJob } from '../../dev/fakes/midjourney.js';
import {
  ACCOUNT_CHANNEL,
  CHANNEL,
  GUILD,
  isSeedReply,
  MEMBER,
  OTHER_MEMBER,
  type ProcessRig,
  startProcessRig,
  uniqueId,
} from '../helpers/harness.js';

/** A channel where the bot may not post: a late answer goes by DM. */
const CLOSED_CHANNEL = '833333333333333399';

let rig: ProcessRig;
let useapi: FakeUseapi;
let discord: FakeDiscord;
let env: Record<string, string>;
let bots: BotProcess[];

beforeEach(async () => {
  rig = await startProcessRig({ dirPrefix: 'seed-bot-restart-', useapi: { seedDurationMs: 120_000 } });
  ({ useapi, discord, env, bots } = rig);
  useapi.addAccount({ channel: ACCOUNT_CHANNEL, maxJobs: 3 });
  discord.addGuild({
    id: GUILD,
    name: 'Test server',
    channels: [
      { id: CHANNEL, name: 'midjourney' },
      { id: CLOSED_CHANNEL, name: 'read-only', botCanSend: false },
    ],
  });
});
afterEach(() => rig.stop());

async function startBot(name: string): Promise<BotProcess> {
  const bot = spawnBot(name, env);
  bots.push(bot);
  await bot.ready;
  return bot;
}

function imagineJob(seedValue: number) {
  return addImagineJob(useapi, {
    accountChannel: ACCOUNT_CHANNEL,
    guildId: GUILD,
    ownerId: MEMBER.id,
    prompt: `a harbour in fog ${uniqueId('7')}`,
    seedValue,
  }).jobid;
}

const slash = (jobid: string, channelId = CHANNEL, user = MEMBER) =>
  discord.slash({
    name: 'seed',
    options: [{ name: 'job', type: 3, value: jobid }],
    guildId: GUILD,
    channelId,
    user,
  });

/**
 * The seed job the bot follows for `parent`, once it polled it: its id is stored with the request by then (the fake
 * has no event for it).
 */
const seedJobOf = (parent: string): Promise<string> =>
  vi.waitFor(
    () => {
      const polled = useapi.requests.find(
        (r) => r.path === '/v2/jobs/' && useapi.getJob(r.query.jobid ?? '')?.parentJobId === parent,
      );
      if (!polled?.query.jobid) throw new Error(`no seed job of ${parent} polled yet`);
      return polled.query.jobid;
    },
    { timeout: 5_000, interval: 20 },
  );

const seedOf = (embeds: unknown[] | undefined) =>
  /`--seed (\d+)`/.exec((embeds?.[0] as { description?: string } | undefined)?.description ?? '')?.[1];
const logged = (bot: BotProcess, msg: string) => bot.logs.filter((l) => l.msg === msg);

describe('the bot as a child process, restarted in the middle of a job', () => {
  it('after SIGKILL, resumes the request and edits the original reply with the seed', async () => {
    const jobid = imagineJob(1111111111);
    const first = await startBot('first');
    const interaction = slash(jobid);
    const seedJob = await seedJobOf(jobid);
    await first.kill('SIGKILL');
    // The job ends while no bot runs.
    useapi.completeNow(seedJob);

    const second = await startBot('second');
    const final = await interaction.waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final.embeds)).toBe('1111111111');
    expect(final.attachments).toHaveLength(4);
    // The stored seed job was followed: no second seed_async.
    expect(useapi.count('POST', '/v2/jobs/seed_async')).toBe(1);
    expect(logged(second, 'resumed open requests')[0]).toMatchObject({ resumed: 1 });
    expect(discord.channelMessages(CHANNEL)).toEqual([]);
  });

  it('after the token expired, answers in the channel mentioning the member, or by DM where it cannot post', async () => {
    const inChannel = imagineJob(2222222222);
    const inClosed = imagineJob(3333333333);
    const first = await startBot('first');
    const a = slash(inChannel);
    const b = slash(inClosed, CLOSED_CHANNEL, OTHER_MEMBER);
    const seedJobs = [await seedJobOf(inChannel), await seedJobOf(inClosed)];
    await first.kill('SIGKILL');
    // More than 15 minutes later, as far as Discord is concerned.
    a.expire();
    b.expire();

    await startBot('second');
    for (const id of seedJobs) useapi.completeNow(id);
    const posted = await discord.waitForRest(
      (r) => r.method === 'POST' && r.path === `/channels/${CHANNEL}/messages` && r.status === 200,
      15_000,
    );
    const message = discord.channelMessages(CHANNEL)[0];
    expect(message?.content).toContain(`<@${MEMBER.id}>`);
    expect(seedOf(message?.embeds)).toBe('2222222222');
    expect(message?.attachments).toHaveLength(4);
    // Multipart (files attached): the JSON part is payload_json.
    const body = posted.body as { payload_json?: unknown };
    const payload = (body.payload_json ?? body) as { allowed_mentions?: { users?: string[] } };
    expect(payload.allowed_mentions?.users).toEqual([MEMBER.id]);

    await vi.waitFor(() => expect(discord.dmMessages(OTHER_MEMBER.id)).toHaveLength(1), {
      timeout: 15_000,
      interval: 50,
    });
    const dm = discord.dmMessages(OTHER_MEMBER.id)[0];
    expect(seedOf(dm?.embeds)).toBe('3333333333');
    expect(useapi.count('POST', '/v2/jobs/seed_async')).toBe(2);
    // The expired original replies were not edited with the answer.
    expect(isSeedReply(a.original())).toBe(false);
    expect(isSeedReply(b.original())).toBe(false);
  });

  it('exits cleanly within 10 s on SIGTERM, and the next start answers the open request', async () => {
    const jobid = imagineJob(444444444);
    const first = await startBot('first');
    const interaction = slash(jobid);
    const seedJob = await seedJobOf(jobid);

    const stopAt = Date.now();
    first.child.kill('SIGTERM');
    const exit = await first.exited;
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - stopAt).toBeLessThan(10_000);
    expect(logged(first, 'request left for the next start')).toHaveLength(1);
    expect(logged(first, 'stopped')).toHaveLength(1);
    expect(isSeedReply(interaction.original())).toBe(false);

    const second = await startBot('second');
    useapi.completeNow(seedJob);
    const final = await interaction.waitForEdit(isSeedReply, 15_000);
    expect(seedOf(final.embeds)).toBe('444444444');
    expect(useapi.count('POST', '/v2/jobs/seed_async')).toBe(1);
    expect(logged(second, 'resumed open requests')[0]).toMatchObject({ resumed: 1 });
  });
});
