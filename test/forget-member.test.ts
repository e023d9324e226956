// `npm run forget-member -- <user id>` as a real child process on a real SQLite file: what it says it removes is gone,
// another member's data is untouched, and it refuses to run beside a bot holding the file.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ROOT } from '../dev/bot-process.js';
import type { IndexEntry, SeedRecord, SeedRequest } from '../src/seed/model/types.js';
import { createStorage, type Storage } from '../src/storage/index.js';
import { lockSqliteFile } from '../src/storage/sqlite-lock.js';

const run = promisify(execFile);
const GONE = '700000000000000001';
const STAYS = '700000000000000002';
let dir: string;
let url: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'seed-bot-forget-'));
  url = `sqlite://${join(dir, 'bot.sqlite')}`;
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const request = (id: string, userId: string, state: SeedRequest['state']): SeedRequest => ({
  id,
  correlationId: `c${id}`,
  jobid: `job:${id}`,
  applicationId: '100000000000000001',
  interactionToken: `token-of-${id}`,
  guildId: '800000000000000001',
  channelId: '800000000000000002',
  userId,
  locale: 'en-US',
  ephemeral: false,
  state,
  createdAt: 1,
  updatedAt: 1,
  attempts: 0,
});
const entry = (jobid: string, ownerId: string): IndexEntry => ({
  jobid,
  ownerId,
  prompt: `prompt of ${jobid}`,
  server: '800000000000000001',
  children: [],
  uuids: [],
  seen: Date.now(),
});
const seed = (jobid: string): SeedRecord => ({
  jobid,
  seed: 7,
  images: [],
  retrievedAt: Date.now(),
  source: 'useapi',
});

async function fill(storage: Storage) {
  for (const [id, user, state] of [
    ['900000000000000001', GONE, 'done'],
    ['900000000000000002', GONE, 'running'],
    ['900000000000000003', STAYS, 'running'],
  ] as const) {
    if (state === 'running') await storage.openRequests.add(id, 1);
    await storage.requests.set(`req:${id}`, request(id, user, state));
  }
  // One job of each member, indexed by message id and by Midjourney UUID, with its seed.
  for (const [jobid, owner] of [
    ['job:gone-1', GONE],
    ['job:stays-1', STAYS],
  ] as const) {
    await storage.jobs.set(`msg:${jobid}`, entry(jobid, owner));
    await storage.jobs.set(`uuid:${jobid}`, entry(jobid, owner));
    await storage.seeds.set(jobid, seed(jobid));
  }
  await storage.recent.set('800000000000000001', [
    { jobid: 'job:gone-1', ownerId: GONE, prompt: 'p', seen: 2 },
    { jobid: 'job:stays-1', ownerId: STAYS, prompt: 'q', seen: 1 },
  ]);
}

const forget = (userId: string) =>
  run(process.execPath, ['--import', 'tsx', 'src/forget-member.ts', userId], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', STORAGE_URL: url },
  });

it("removes the member's requests, indexed jobs, their seeds and recent entries, and nothing of anyone else", async () => {
  const before = await createStorage(url);
  await fill(before);
  await before.close();

  const { stdout } = await forget(GONE);
  expect(stdout).toContain(`Deleted the data of member ${GONE}`);
  expect(stdout).toContain(
    '2 requests, 2 job-index entries and 1 seeds of images they made, 1 entries of the recent-jobs lists',
  );

  const after = await createStorage(url);
  try {
    const requests = [];
    for await (const [, r] of after.requests.entries()) requests.push(r);
    expect(requests.map((r) => r.userId)).toEqual([STAYS]);
    expect(await after.openRequests.list(10)).toEqual(['900000000000000003']);
    const jobs = [];
    for await (const [key] of after.jobs.entries()) jobs.push(key);
    expect(jobs.sort()).toEqual(['msg:job:stays-1', 'uuid:job:stays-1']);
    expect(await after.seeds.get('job:gone-1')).toBeUndefined();
    expect(await after.seeds.get('job:stays-1')).toBeDefined();
    expect((await after.recent.get('800000000000000001'))?.map((j) => j.jobid)).toEqual(['job:stays-1']);
  } finally {
    await after.close();
  }
});

it('refuses while a bot holds the SQLite file, and takes no id that is not one', async () => {
  const lock = await lockSqliteFile(join(dir, 'bot.sqlite'));
  try {
    const refused = await forget(GONE).catch((error: { code: number; stderr: string }) => error);
    expect('code' in refused && refused.code).toBe(1);
    expect(refused.stderr).toContain(`The bot (process ${process.pid}`);
    expect(refused.stderr).toContain('stop it, run this again');
  } finally {
    await lock.release();
  }
  const wrong = await forget('someone').catch((error: { code: number; stderr: string }) => error);
  expect('code' in wrong && wrong.code).toBe(2);
  expect(wrong.stderr).toContain('Usage: npm run forget-member -- <Discord user id>');
});
