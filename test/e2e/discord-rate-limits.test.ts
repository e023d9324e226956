// Discord's rate limits enforced by the fake (a global limit per bot token, per-route buckets, 429 with retry_after):
// a burst of members whose links the bot must fetch is answered in full, the bot waits out every 429 it is given,
// and the operator sees them in /metrics and in the debug log.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Harness, MEMBER, MIDJOURNEY_BOT, privateAnswer, startHarness } from '../helpers/harness.js';

const BIG = '1900000000000000000';
const MEMBERS = 150;
const channelId = (i: number) => String(1_900_000_000_000_001_000n + BigInt(i));

/** The sum of a counter's samples whose labels match. */
async function counter(h: Harness, name: string, labels: Record<string, string> = {}) {
  const text = await (await fetch(`${h.bot.http()?.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${name}{`) || l.startsWith(`${name} `))
    .filter((l) => Object.entries(labels).every(([k, v]) => l.includes(`${k}="${v}"`)))
    .reduce((n, l) => n + Number(l.slice(l.lastIndexOf(' ') + 1)), 0);
}

describe('Discord rate limits', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ discord: { rateLimits: {} } });
    h.discord.addGuild({
      id: BIG,
      name: 'A big server',
      channels: Array.from({ length: MEMBERS }, (_, i) => ({ id: channelId(i), name: `images-${i}` })),
    });
    await vi.waitFor(() => expect(h.bot.client.guilds.cache.get(BIG)?.channels.cache.size).toBe(MEMBERS), {
      timeout: 10_000,
    });
  });
  afterAll(async () => {
    await h.stop();
  });

  it('serves a burst in full, waits out every 429, and counts them in /metrics', async () => {
    // Each member links a Midjourney image in a channel of its own: 150 message reads with the bot token at once, one
    // per route bucket, so only the global limit (50/s) holds them back.
    const asked = Array.from({ length: MEMBERS }, (_, i) => {
      const message = h.discord.makeMessage({
        channelId: channelId(i),
        guildId: BIG,
        author: { id: MIDJOURNEY_BOT, username: 'Midjourney Bot', bot: true },
        content: `**a fox number ${i}** - <@${MEMBER.id}> (fast)`,
        attachments: [{ filename: `member_a_fox_${crypto.randomUUID()}.png`, content_type: 'image/png' }],
      });
      return h.discord.slash({
        name: 'seed',
        options: [
          {
            name: 'job',
            type: 3,
            value: `https://discord.com/channels/${BIG}/${channelId(i)}/${message.id}`,
          },
        ],
        guildId: BIG,
        channelId: channelId(0),
        user: { ...MEMBER, id: String(1_900_000_000_000_100_000n + BigInt(i)) },
      });
    });
    // All served: every member gets the answer for an image the bot cannot place.
    const answers = await Promise.all(asked.map((i) => privateAnswer(i, 60_000)));
    for (const a of answers) expect(a.content).toMatch(/could not find the useapi job/);

    const refused = h.discord.rest.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.rateLimit?.scope === 'global')).toBe(true);
    // Nothing repeated inside its retry window: each refused request came again only after retry_after.
    for (const r of refused) {
      const next = h.discord.rest.find((x) => x.at > r.at && x.method === r.method && x.path === r.path);
      expect(next, `${r.method} ${r.path} was never sent again`).toBeDefined();
      expect(next?.at ?? 0).toBeGreaterThanOrEqual(r.rateLimit?.retryUntil ?? Number.POSITIVE_INFINITY);
    }
    // The operator sees them: every 429 counted by status, scope and route, and the waits they caused.
    expect(await counter(h, 'seedbot_discord_invalid_requests_total', { status: '429' })).toBe(
      refused.length,
    );
    expect(
      await counter(h, 'seedbot_discord_invalid_requests_total', {
        status: '429',
        scope: 'global',
        route: 'GET /channels/:id/messages/:id',
      }),
    ).toBe(refused.length);
    expect(await counter(h, 'seedbot_discord_rate_limited_total')).toBeGreaterThan(0);
    expect(h.logText()).toContain('discord rate limit: waiting');
    // Far from a tenth of Discord's ban threshold: no warning.
    expect(h.logText()).not.toContain('many invalid requests');
  }, 90_000);

  it('announces each route bucket with X-RateLimit headers and refuses past it with 429 and retry_after', async () => {
    const url = `${h.discord.apiUrl}/v10/channels/${channelId(0)}/messages/${channelId(1)}`;
    const headers = { authorization: `Bot ${h.discord.token}` };
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await fetch(url, { headers }));
    expect(answers[0]?.headers.get('x-ratelimit-limit')).toBe('5');
    expect(answers[0]?.headers.get('x-ratelimit-remaining')).toBe('4');
    expect(answers[0]?.headers.get('x-ratelimit-bucket')).toMatch(/^[0-9a-f]+$/);
    const last = answers[5];
    expect(last?.status).toBe(429);
    expect(last?.headers.get('x-ratelimit-scope')).toBe('user');
    const body = (await last?.json()) as { retry_after: number; global: boolean };
    expect(body.global).toBe(false);
    expect(body.retry_after).toBeGreaterThan(0);
  });
});
