import { describe, expect, it } from 'vitest';
import { ageLabel, MAX_CHOICES, recentJobChoices } from '../../src/discord/recent-jobs.js';
import type { RecentJob } from '../../src/seed/lookup/job-index.js';

const NOW = Date.parse('2025-01-01T12:00:00Z');
const HOUR = 3_600_000;
const jobid = (n: number) =>
  `job:2024121802194${String(n).padStart(4, '0')}-user:1308-channel:1316232391072944131-bot:midjourney`;
const recent = (n: number, over: Partial<RecentJob> = {}): RecentJob => ({
  jobid: jobid(n),
  prompt: `prompt number ${n}`,
  seen: NOW - n * HOUR,
  ...over,
});

describe('recentJobChoices', () => {
  it('labels each job with its shortened prompt and age, valued by jobid', () => {
    const long =
      'a red fox in snow, golden hour, cinematic lighting, 35mm film, shallow depth of field, bokeh';
    const [choice] = recentJobChoices([recent(3, { prompt: long })], '', { now: NOW, locale: 'en-US' });
    expect(choice?.value).toBe(jobid(3));
    expect(choice?.name).toMatch(/^a red fox in snow.*… · 3 hr\. ago$/);
    expect(choice?.name.length).toBeLessThanOrEqual(100);
  });

  it('filters by what the member typed: prompt, jobid or message id', () => {
    const list = [
      recent(1, { prompt: 'a red fox' }),
      recent(2, { prompt: 'a blue whale', messageId: '123' }),
    ];
    expect(recentJobChoices(list, 'WHALE', { now: NOW }).map((c) => c.value)).toEqual([jobid(2)]);
    expect(recentJobChoices(list, jobid(1).slice(0, 18), { now: NOW }).map((c) => c.value)).toEqual([
      jobid(1),
      jobid(2),
    ]);
    expect(recentJobChoices(list, '123', { now: NOW }).map((c) => c.value)).toEqual([jobid(2)]);
    expect(recentJobChoices(list, 'nothing like it', { now: NOW })).toEqual([]);
  });

  it('offers at most 25 choices', () => {
    const list = Array.from({ length: 60 }, (_, i) => recent(i));
    expect(recentJobChoices(list, '', { now: NOW })).toHaveLength(MAX_CHOICES);
  });

  it('shows only the member’s own jobs when asked to', () => {
    const list = [recent(1, { ownerId: '1' }), recent(2, { ownerId: '2' }), recent(3)];
    expect(recentJobChoices(list, '', { now: NOW, onlyOwner: '2' }).map((c) => c.value)).toEqual([jobid(2)]);
  });

  it('falls back to the jobid when the prompt is unknown', () => {
    const [choice] = recentJobChoices([recent(1, { prompt: undefined })], '', { now: NOW });
    expect(choice?.name.startsWith('job:')).toBe(true);
    expect(choice?.name.length).toBeLessThanOrEqual(100);
  });
});

describe('ageLabel', () => {
  it('speaks the member’s language', () => {
    expect(ageLabel(3 * HOUR, 'en-US')).toBe('3 hr. ago');
    expect(ageLabel(3 * HOUR, 'de')).toBe('vor 3 Std.');
    expect(ageLabel(5 * 60_000, 'en-US')).toMatch(/^5 min\.? ago$/);
    expect(ageLabel(3 * 24 * HOUR, 'en-US')).toBe('3 days ago');
  });

  it('survives a locale code Intl does not know', () => {
    expect(ageLabel(HOUR, 'not a locale!')).toBe('1 hr. ago');
  });
});
