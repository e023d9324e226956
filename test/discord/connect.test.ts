// What an operator reads when Discord cannot be reached at start: real failures of @discordjs/rest (the client the bot
// and `npm run register` use) against the fake Discord and an unresolvable host, explained.
import { REST, Routes } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeDiscord, startFakeDiscord } from '../../dev/fakes/fake-discord.js';
import { explainDiscordFailure } from '../../src/discord/connect.js';

let discord: FakeDiscord;
beforeAll(async () => {
  discord = await startFakeDiscord();
});
afterAll(() => discord.close());

const failureOf = async (apiUrl: string, token: string, timeoutMs = 5_000) => {
  const rest = new REST({ api: apiUrl, timeout: timeoutMs, retries: 0 }).setToken(token);
  const error = await rest.get(Routes.gatewayBot()).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeDefined();
  return explainDiscordFailure(error, { apiUrl, timeoutMs });
};

describe('explainDiscordFailure', () => {
  it('names Discord, the URL and the timeout when no answer comes (not "This operation was aborted")', async () => {
    const undo = discord.delayRest((method, path) => method === 'GET' && path === '/gateway/bot', 2_000);
    try {
      const failure = await failureOf(discord.apiUrl, discord.token, 300);
      expect(failure.summary).toBe(
        `Discord did not answer at ${discord.apiUrl} within 0.3 s (each of 4 tries)`,
      );
      expect(failure.transient).toBe(true);
      expect(failure.summary).not.toContain('aborted');
    } finally {
      undo();
    }
  });

  it('reads a DNS failure as one, and as transient', async () => {
    const failure = await failureOf('http://discord-api.invalid/api', discord.token);
    expect(failure.summary).toMatch(
      /^DNS could not resolve discord-api\.invalid \((ENOTFOUND|EAI_AGAIN)\), the host of Discord's API http:\/\/discord-api\.invalid\/api$/,
    );
    expect(failure.transient).toBe(true);
    expect(failure.fix).toContain('DISCORD_API_URL');
  });

  it('waits out a 5xx, and ends on a refused token with the fix', async () => {
    discord.failRest((method, path) => method === 'GET' && path === '/gateway/bot', 503, 1);
    const unavailable = await failureOf(discord.apiUrl, discord.token);
    expect(unavailable).toMatchObject({ transient: true });
    expect(unavailable.summary).toMatch(/^Discord answered 503/);
    const refused = await failureOf(discord.apiUrl, `${discord.token.slice(0, -6)}XXXXXX`);
    expect(refused).toMatchObject({ transient: false });
    expect(refused.summary).toBe(`Discord refused DISCORD_TOKEN (401 at ${discord.apiUrl})`);
    expect(refused.fix).toContain('Bot → Reset Token');
  });
});
