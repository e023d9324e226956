// The hold rule as the seed service applies it, with real memory storage and holds, and useapi's jobid grammar.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isSeedError, UpstreamError } from '../../../src/seed/errors.js';
import type { Hold } from '../../../src/seed/model/types.js';
import { createHolds, type Holds } from '../../../src/seed/moderation/holds.js';
import { createHoldGuard, type HoldGuard } from '../../../src/seed/retrieval/hold-guard.js';
import { createStorage, type Storage } from '../../../src/storage/index.js';
import { useapiJobids } from '../../../src/useapi/jobid.js';

const CHANNEL = '1316232391072944131';
const JOBID = `j1023141520123456789i-u12345-c${CHANNEL}-bot:midjourney`;
const OTHER = 'j1023141520123456789i-u12345-c1316232391072944999-bot:midjourney';

let storage: Storage;
let holds: Holds;
let guard: HoldGuard;
let incidents: Hold[];
let signals: string[];

beforeEach(async () => {
  storage = await createStorage('memory://');
  incidents = [];
  signals = [];
  holds = createHolds({
    store: storage.holds,
    index: storage.heldChannels,
    coordinator: storage.coordinator,
    onIncident: (hold) => incidents.push(hold),
  });
  guard = createHoldGuard({ holds, jobids: useapiJobids, onUpstreamSignal: (s) => signals.push(s) });
});
afterEach(() => storage.close());

describe('hold guard', () => {
  it('lets a job through while its account channel is not held', async () => {
    await expect(guard.check(JOBID)).resolves.toBeUndefined();
  });

  it('refuses a job of a held channel with a held SeedError carrying the channel and text, others pass', async () => {
    await holds.place(CHANNEL, 'solve the captcha');
    const error = await guard.check(JOBID).catch((e: unknown) => e);
    expect(isSeedError(error) && error.kind).toBe('held');
    expect(error).toMatchObject({ details: { channel: CHANNEL, moderationText: 'solve the captcha' } });
    await expect(guard.check(OTHER)).resolves.toBeUndefined();
  });

  it('places the hold for the channel an upstream error names, once per incident, and returns the error to throw', async () => {
    const upstream = new UpstreamError('pending_moderation', '596', {
      channel: CHANNEL,
      moderationText: 'captcha',
    });
    const first = await guard.place(upstream, OTHER);
    const second = await guard.place(upstream, OTHER);
    expect(first).toMatchObject({ kind: 'held', details: { channel: CHANNEL, moderationText: 'captcha' } });
    expect(second.kind).toBe('held');
    expect((await holds.get(CHANNEL))?.moderationText).toBe('captcha');
    expect(incidents).toHaveLength(1);
    expect(signals).toEqual(['pending_moderation', 'pending_moderation']);
    await expect(guard.check(JOBID)).rejects.toSatisfy(isSeedError);
  });

  it('takes the channel from the jobid when the error names none', async () => {
    const error = await guard.place({ moderationText: 'pending' }, JOBID);
    expect(error.details.channel).toBe(CHANNEL);
    expect(await holds.get(CHANNEL)).toBeDefined();
  });
});
