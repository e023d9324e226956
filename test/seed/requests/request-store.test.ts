// The request store on a real SQLite file: the open index written before a request and cleared only after it is
// stored as closed, a state storage could not take kept in memory and written first when storage answers again,
// the newest state preferred over the stored one, and reading what is open dropping index entries of closed requests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SeedRequest } from '../../../src/seed/model/types.js';
import type { Storage } from '../../../src/seed/ports.js';
import { createRequestStore, readOpenRequests } from '../../../src/seed/requests/request-store.js';
import { createStorage } from '../../../src/storage/index.js';
import { silentLogger } from '../../helpers/builders.js';

const log = silentLogger;
const JOBID = 'job:20241218021941022-user:1308-channel:1316232391072944131-bot:midjourney';
const DONE_TTL = 60_000;

const request = (id: string, createdAt = 1): SeedRequest => ({
  id,
  correlationId: `c-${id}`,
  jobid: JOBID,
  // Set when the request is accepted, from the upstream's jobid grammar (the core reads no jobid itself).
  accountChannel: '1316232391072944131',
  applicationId: 'app',
  interactionToken: 'token',
  userId: 'u1',
  locale: 'en-US',
  ephemeral: false,
  state: 'accepted',
  createdAt,
  updatedAt: createdAt,
  attempts: 0,
});

let dir: string;
let storage: Storage;
/** The real storage, with a switch that makes request writes fail as they do while storage is away. */
let down = false;
let store: ReturnType<typeof createRequestStore>;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'request-store-'));
  storage = await createStorage(`sqlite://${join(dir, 'bot.sqlite')}`);
  down = false;
  const requests: Storage['requests'] = {
    ...storage.requests,
    get: (k) => storage.requests.get(k),
    getMany: (k) => storage.requests.getMany(k),
    delete: (k) => storage.requests.delete(k),
    entries: () => storage.requests.entries(),
    set: async (k, v, ttl) => {
      if (down) throw new Error('storage unavailable');
      await storage.requests.set(k, v, ttl);
    },
  };
  store = createRequestStore({
    storage: { requests, openRequests: storage.openRequests, lastErrors: storage.lastErrors },
    now: () => 5,
    doneTtlMs: DONE_TTL,
  });
});

afterEach(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('request store', () => {
  it('indexes a request when it is added and reads it back as open', async () => {
    await store.add(request('a'));
    expect(await storage.openRequests.list(10)).toEqual(['a']);
    expect((await readOpenRequests(storage)).map((r) => r.id)).toEqual(['a']);
  });

  it('takes a request out of the open index only once it is stored as closed', async () => {
    const r = request('a');
    await store.add(r);
    await store.save(r, { state: 'running' }, log);
    expect(await storage.openRequests.list(10)).toEqual(['a']);
    await store.save(r, { state: 'done', deliveredVia: 'edit' }, log);
    expect(await storage.openRequests.list(10)).toEqual([]);
    expect((await store.latest('a'))?.state).toBe('done');
  });

  it('keeps a state storage could not take, prefers it, and writes it first when storage answers', async () => {
    const r = request('a');
    await store.add(r);
    down = true;
    await store.save(r, { state: 'running', seedJobId: 'seed-job-1' }, log);
    expect(store.unsaved()).toBe(1);
    // The stored copy is older; the newest known state wins.
    expect((await storage.requests.get('req:a'))?.state).toBe('accepted');
    expect((await store.latest('a'))?.seedJobId).toBe('seed-job-1');
    await expect(store.flush()).rejects.toThrow('storage unavailable');
    expect(store.unsaved()).toBe(1);
    down = false;
    await store.flush();
    expect(store.unsaved()).toBe(0);
    expect((await storage.requests.get('req:a'))?.seedJobId).toBe('seed-job-1');
  });

  it('keeps a closed request in the open index while its closing could not be stored', async () => {
    const r = request('a');
    await store.add(r);
    down = true;
    await store.save(r, { state: 'done' }, log);
    expect(await storage.openRequests.list(10)).toEqual(['a']);
    down = false;
    await store.flush();
    expect(await storage.openRequests.list(10)).toEqual([]);
  });

  it('drops index entries whose request is closed or gone when reading what is open', async () => {
    await store.add(request('open', 1));
    await storage.openRequests.add('gone', 2);
    const closed = request('closed', 3);
    await storage.openRequests.add('closed', 3);
    await storage.requests.set('req:closed', { ...closed, state: 'failed' });
    expect((await readOpenRequests(storage)).map((r) => r.id)).toEqual(['open']);
    // The reader does not wait for the removal.
    await vi.waitFor(async () => expect(await storage.openRequests.list(10)).toEqual(['open']));
  });

  it('notes the last error per account channel', async () => {
    store.noteError(request('a'), 'unavailable');
    await vi.waitFor(async () =>
      expect(await storage.lastErrors.get('1316232391072944131')).toEqual({ kind: 'unavailable', at: 5 }),
    );
  });
});
