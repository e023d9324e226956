// The moderation core against real memory storage and holds, with an in-memory useapi port that behaves like the
// documented endpoints (accounts, executing jobs, reset) and lets a test script their failures.

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OPEN_STATES, type SeedRequest } from '../../../src/seed/model/types.js';
import { createHolds, type Holds } from '../../../src/seed/moderation/holds.js';
import {
  auditKey,
  createModeration,
  type Moderation,
  type ResetOutcome,
} from '../../../src/seed/moderation/moderation.js';
import type { Storage } from '../../../src/seed/ports.js';
import { createStorage } from '../../../src/storage/index.js';
import { createUseapiUpstream } from '../../../src/useapi/adapter.js';
import { UseapiError } from '../../../src/useapi/errors.js';
import { channelOfJobid } from '../../../src/useapi/jobid.js';
import type { MidjourneyAccount, UseapiClient } from '../../../src/useapi/port.js';
import { silentLogger } from '../../helpers/builders.js';

const A = '1316232391072944131';
const B = '1316232391072944222';
const jobOn = (channel: string, n: number) =>
  `job:2024121802194102${n}-user:1308-channel:${channel}-bot:midjourney`;

function fakePort() {
  const accounts = new Map<string, MidjourneyAccount>([
    [A, { channel: A, discord: 'MTA…ken', maxJobs: 3 }],
    [B, { channel: B, discord: 'abc…xyz', maxJobs: 5 }],
  ]);
  const calls: string[] = [];
  const failures: Partial<Record<'reset' | 'account' | 'accounts' | 'jobs', UseapiError[]>> = {};
  let executing: string[] = [];
  let resetGate: Promise<void> | undefined;
  const failIf = (what: keyof typeof failures) => {
    const error = failures[what]?.shift();
    if (error) throw error;
  };
  const port: UseapiClient = {
    seedAsync: () => Promise.reject(new Error('not used')),
    getJob: () => Promise.reject(new Error('not used')),
    async getExecutingJobs() {
      calls.push('jobs');
      failIf('jobs');
      return executing;
    },
    async getAccounts() {
      calls.push('accounts');
      failIf('accounts');
      return [...accounts.values()].map((a) => ({ ...a }));
    },
    async getAccount(channel) {
      calls.push(`account:${channel}`);
      failIf('account');
      const account = accounts.get(channel);
      if (!account) throw new UseapiError('not_found', 'no account', { status: 404 });
      return { ...account };
    },
    async resetAccount(channel) {
      calls.push(`reset:${channel}`);
      await resetGate;
      failIf('reset');
      const account = accounts.get(channel);
      if (!account) throw new UseapiError('not_found', 'no account', { status: 404 });
      delete account.pendingModMessage;
    },
  };
  return {
    port,
    calls,
    accounts,
    account: (channel: string): MidjourneyAccount => {
      const account = accounts.get(channel);
      if (!account) throw new Error(`no account ${channel} in the fake`);
      return account;
    },
    failNext: (what: keyof typeof failures, error: UseapiError) => {
      failures[what] = [...(failures[what] ?? []), error];
    },
    setExecuting: (jobids: string[]) => {
      executing = jobids;
    },
    gateResets: (gate: Promise<void>) => {
      resetGate = gate;
    },
  };
}

let storage: Storage;
let holds: Holds;
let useapi: ReturnType<typeof fakePort>;
let clock: number;
let moderation: Moderation;
let reported: ResetOutcome[];
const log = silentLogger;

/** Stored as the request processor stores it: open ones in the open index, the last error per channel. */
async function put(r: SeedRequest) {
  if (OPEN_STATES.has(r.state)) await storage.openRequests.add(r.id, r.createdAt);
  await storage.requests.set(`req:${r.id}`, r);
  const channel = r.accountChannel ?? channelOfJobid(r.jobid);
  const known = channel ? await storage.lastErrors.get(channel) : undefined;
  if (channel && r.lastError && (!known || known.at < r.updatedAt))
    await storage.lastErrors.set(channel, { kind: r.lastError, at: r.updatedAt });
}

const request = (id: string, patch: Partial<SeedRequest>): SeedRequest => ({
  id,
  correlationId: id,
  jobid: jobOn(A, 1),
  accountChannel: A,
  applicationId: '1',
  interactionToken: 't',
  userId: '2',
  locale: 'en-US',
  ephemeral: false,
  state: 'held',
  createdAt: clock,
  updatedAt: clock,
  attempts: 1,
  ...patch,
});

beforeEach(async () => {
  storage = await createStorage('memory://');
  holds = createHolds({
    store: storage.holds,
    index: storage.heldChannels,
    coordinator: storage.coordinator,
  });
  useapi = fakePort();
  clock = 1_750_000_000_000;
  reported = [];
  moderation = createModeration({
    upstream: createUseapiUpstream(useapi.port),
    holds,
    storage,
    log,
    now: () => clock,
    onReset: (outcome) => {
      reported.push(outcome);
    },
  });
});
afterEach(async () => {
  await storage.close();
});

describe('reset', () => {
  it('resets, confirms the moderation message is gone, clears the hold and audits who did it', async () => {
    useapi.account(A).pendingModMessage = 'acknowledge this';
    await holds.place(A, 'acknowledge this');
    await put(request('1', {}));
    await put(request('2', { state: 'done' }));
    const outcome = await moderation.reset(A, '877777777777777777');
    expect(outcome).toMatchObject({ result: 'ok', released: 1, hold: { channel: A } });
    expect(useapi.calls).toEqual([`reset:${A}`, `account:${A}`]);
    expect(await holds.get(A)).toBeUndefined();
    expect(await storage.audit.get(auditKey(A))).toEqual([
      { channel: A, by: '877777777777777777', at: clock, result: 'ok', incidentId: expect.any(String) },
    ]);
    expect(reported).toEqual([outcome]);
  });

  it.each([
    ['unauthorized', new UseapiError('unauthorized', 'x', { status: 401 })],
    ['not_found', new UseapiError('not_found', 'x', { status: 404 })],
    ['still_pending', new UseapiError('pending_moderation', 'x', { status: 596 })],
    ['error', new UseapiError('unavailable', 'x', { status: 503 })],
  ] as const)(
    'answers %s when the reset fails that way, keeps the hold, and does not re-read',
    async (result, error) => {
      await holds.place(A, 'text');
      useapi.failNext('reset', error);
      const outcome = await moderation.reset(A, 'mod');
      expect(outcome.result).toBe(result);
      expect(useapi.calls).toEqual([`reset:${A}`]);
      expect(await holds.get(A)).toBeDefined();
      expect((await storage.audit.get(auditKey(A)))?.map((a) => a.result)).toEqual([result]);
    },
  );

  it('gives the kind, never upstream text, as the reason of an error', async () => {
    useapi.failNext('reset', new UseapiError('unavailable', 'secret upstream words', { status: 503 }));
    const outcome = await moderation.reset(A, 'mod');
    expect(outcome).toMatchObject({ result: 'error', reason: 'unavailable, HTTP 503' });
  });

  it('keeps the hold when the account still has a pending moderation message after the reset', async () => {
    useapi.port.resetAccount = async (channel) => {
      useapi.calls.push(`reset:${channel}`);
    };
    useapi.account(A).pendingModMessage = 'still there';
    await holds.place(A, 'still there');
    const outcome = await moderation.reset(A, 'mod');
    expect(outcome.result).toBe('still_pending');
    expect(await holds.get(A)).toBeDefined();
  });

  it('holds a channel that useapi reports pending even when the bot had not seen a 596', async () => {
    useapi.failNext('reset', new UseapiError('pending_moderation', 'x', { status: 596 }));
    await moderation.reset(B, 'mod');
    expect(await holds.get(B)).toBeDefined();
  });

  it('runs one reset of a channel at a time; the second moderator is told, nothing is sent for them', async () => {
    let open!: () => void;
    useapi.gateResets(new Promise<void>((r) => (open = r)));
    const first = moderation.reset(A, 'mod-1');
    await new Promise((r) => setImmediate(r));
    const second = await moderation.reset(A, 'mod-2');
    expect(second).toEqual({ result: 'in_progress', channel: A });
    open();
    expect((await first).result).toBe('ok');
    expect(useapi.calls.filter((c) => c.startsWith('reset:'))).toHaveLength(1);
    expect(await storage.audit.get(auditKey(A))).toHaveLength(1);
  });

  it('keeps a bounded audit and status shows the last five, newest first', async () => {
    for (let i = 0; i < 60; i++) {
      clock += 1000;
      await moderation.reset(A, `mod-${i}`);
    }
    expect(await storage.audit.get(auditKey(A))).toHaveLength(50);
    const status = await moderation.status();
    expect(status.accounts.find((a) => a.channel === A)?.resets.map((r) => r.by)).toEqual([
      'mod-59',
      'mod-58',
      'mod-57',
      'mod-56',
      'mod-55',
    ]);
  });
});

describe('status', () => {
  it('joins accounts, holds, waiting requests, executing jobs and the last error per channel', async () => {
    useapi.account(A).pendingModMessage = 'captcha';
    await holds.place(A, 'captcha');
    await put(request('1', { lastError: 'held', updatedAt: clock + 5 }));
    await put(request('2', { state: 'queued', lastError: 'busy', updatedAt: clock + 1 }));
    await put(request('3', { state: 'done', accountChannel: B, jobid: jobOn(B, 2) }));
    useapi.setExecuting([jobOn(B, 3), jobOn(B, 4), 'not-a-jobid']);
    const status = await moderation.status();
    const [a, b] = status.accounts;
    expect(a).toMatchObject({
      channel: A,
      configured: true,
      discord: 'MTA…ken',
      maxJobs: 3,
      pendingModMessage: 'captcha',
      hold: { channel: A, moderationText: 'captcha' },
      waiting: 2,
      executing: [],
      lastError: { kind: 'held', at: clock + 5 },
    });
    expect(b).toMatchObject({ channel: B, waiting: 0, executing: [jobOn(B, 3), jobOn(B, 4)] });
    expect(b?.hold).toBeUndefined();
  });

  it('still lists held channels when useapi cannot list the accounts', async () => {
    await holds.place(A, 'text');
    useapi.failNext('accounts', new UseapiError('unauthorized', 'x', { status: 401 }));
    useapi.failNext('jobs', new UseapiError('unauthorized', 'x', { status: 401 }));
    const status = await moderation.status();
    expect(status.accountsError).toBe('unauthorized');
    expect(status.executingError).toBe('unauthorized');
    expect(status.accounts).toEqual([
      expect.objectContaining({ channel: A, configured: false, hold: expect.anything() }),
    ]);
  });

  it('always reads the accounts afresh, while autocomplete asks at most once a minute', async () => {
    await moderation.accountChannels();
    await moderation.accountChannels();
    expect(useapi.calls.filter((c) => c === 'accounts')).toHaveLength(1);
    clock += 61_000;
    expect(await moderation.accountChannels()).toEqual([A, B]);
    expect(useapi.calls.filter((c) => c === 'accounts')).toHaveLength(2);
    await moderation.status();
    expect(useapi.calls.filter((c) => c === 'accounts')).toHaveLength(3);
  });
});
