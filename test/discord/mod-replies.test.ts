import { describe, expect, it } from 'vitest';
import {
  alertMessage,
  auditLine,
  confirmReply,
  resetOutcomeText,
  statusReply,
} from '../../src/discord/mod-replies.js';
import { translator } from '../../src/i18n/index.js';
import type { Hold } from '../../src/seed/model/types.js';
import type { AccountStatus } from '../../src/seed/moderation/moderation.js';

const t = translator('en-US');
const CHANNEL = '1316232391072944131';
const hold: Hold = {
  channel: CHANNEL,
  since: 1_750_000_000_000,
  moderationText: 'Please acknowledge',
  incidentId: 'i1',
};
const buttons = (reply: { components: unknown[] }) =>
  (reply.components as { components: { custom_id: string; disabled?: boolean }[] }[]).flatMap(
    (r) => r.components,
  );

describe('alertMessage', () => {
  it('names the channel, the moderation text, what to do, and carries the Reset button', () => {
    const reply = alertMessage(hold, t);
    const embed = reply.embeds[0];
    expect(embed?.title).toContain(CHANNEL);
    expect(embed?.description).toMatch(/Log in to Discord with the Midjourney account/);
    expect(embed?.fields?.[0]?.value).toBe('Please acknowledge');
    expect(buttons(reply)).toEqual([
      expect.objectContaining({ custom_id: `mod-reset:${CHANNEL}`, disabled: false }),
    ]);
  });

  it('shows a resolved alert with its button disabled', () => {
    const reply = alertMessage(hold, t, { by: '877777777777777777', at: 1_750_000_100_000 });
    expect(reply.embeds[0]?.title).toMatch(/was reset/);
    expect(reply.embeds[0]?.description).toContain('<@877777777777777777>');
    expect(buttons(reply)[0]?.disabled).toBe(true);
  });

  it('keeps a long moderation text within Discord’s field limit', () => {
    const reply = alertMessage({ ...hold, moderationText: 'x'.repeat(5000) }, t);
    expect(reply.embeds[0]?.fields?.[0]?.value.length).toBe(1024);
  });
});

describe('confirmReply and outcomes', () => {
  it('reminds what to do first and offers confirm and cancel', () => {
    const reply = confirmReply(CHANNEL, t);
    expect(reply.content).toMatch(/acknowledged the moderation message/);
    expect(buttons(reply).map((b) => b.custom_id)).toEqual([
      `mod-confirm:${CHANNEL}`,
      `mod-cancel:${CHANNEL}`,
    ]);
  });

  it('has a clear message for every result', () => {
    const audit = { channel: CHANNEL, by: 'm', at: 0, result: 'ok' as const };
    const base = { channel: CHANNEL, audit, hold: undefined, released: 2 };
    expect(resetOutcomeText({ ...base, result: 'ok' }, t, 'm')).toMatch(/2 waiting request/);
    expect(resetOutcomeText({ ...base, result: 'unauthorized' }, t, 'm')).toMatch(/401/);
    expect(resetOutcomeText({ ...base, result: 'not_found' }, t, 'm')).toMatch(/404/);
    expect(resetOutcomeText({ ...base, result: 'still_pending' }, t, 'm')).toMatch(/stays held/);
    expect(resetOutcomeText({ ...base, result: 'error', reason: 'timeout' }, t, 'm')).toMatch(/\(timeout\)/);
    expect(resetOutcomeText({ result: 'in_progress', channel: CHANNEL }, t, 'm')).toMatch(/already running/);
    expect(auditLine({ ...audit, result: 'still_pending' }, t)).toMatch(/by <@m> <t:0:f>: still pending/);
  });
});

describe('statusReply', () => {
  const account = (n: number, patch: Partial<AccountStatus> = {}): AccountStatus => ({
    channel: `13162323910729441${String(n).padStart(2, '0')}`,
    configured: true,
    discord: 'MTAxMjM0NTY3ODkwMTIzNDU2Nzg5MA.secret.token',
    maxJobs: 3,
    waiting: 0,
    executing: [],
    resets: [],
    ...patch,
  });

  it('masks the token even if useapi sent it whole', () => {
    const reply = statusReply({ accounts: [account(1)] }, t);
    expect(reply.embeds[0]?.description).toContain('`MTA…ken`');
    expect(JSON.stringify(reply)).not.toContain('secret');
  });

  it('shows at most ten accounts and says how many are left out', () => {
    const reply = statusReply({ accounts: Array.from({ length: 12 }, (_, i) => account(i)) }, t);
    expect(reply.embeds).toHaveLength(10);
    expect(reply.content).toMatch(/2 more account/);
  });

  it('says when there is no account, and when useapi did not answer', () => {
    expect(statusReply({ accounts: [] }, t).content).toMatch(/No Midjourney account/);
    const failed = statusReply(
      { accounts: [account(1, { configured: false, hold })], accountsError: 'unauthorized' },
      t,
    );
    expect(failed.content).toMatch(/useapi did not answer: unauthorized/);
    expect(failed.embeds[0]?.description).toMatch(/Not listed by useapi/);
    expect(failed.embeds[0]?.description).toMatch(/Alert:\*\* not posted/);

    const proxy = statusReply(
      { accounts: [account(1, { configured: false })], accountsError: 'unavailable' },
      t,
      {
        upstream: 'midjourney-proxy',
      },
    );
    expect(proxy.content).toMatch(/midjourney-proxy did not answer: unavailable/);
    expect(proxy.embeds[0]?.description).toMatch(/Not listed by midjourney-proxy/);
  });
});
