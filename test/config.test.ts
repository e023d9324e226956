import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactedConfig, redactorFor, redactorForEnv } from '../src/config.js';

const DISCORD_TOKEN = `MTE${'x'.repeat(60)}abc`;
const USEAPI_TOKEN = 'user:1234-SecretUseapiTokenValue';
const valid = { DISCORD_TOKEN, DISCORD_APPLICATION_ID: '123456789012345678', USEAPI_TOKEN };

const problems = (env: Record<string, string | undefined>): string[] => {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
};

describe('loadConfig', () => {
  it('lists every missing required variable in one error', () => {
    const list = problems({});
    expect(list).toHaveLength(3);
    expect(list.join('\n')).toMatch(/DISCORD_TOKEN is required/);
    expect(list.join('\n')).toMatch(/DISCORD_APPLICATION_ID is required/);
    expect(list.join('\n')).toMatch(/USEAPI_TOKEN is required/);
  });

  it('applies the documented defaults', () => {
    const config = loadConfig(valid);
    expect(config.storageUrl).toBe('sqlite://./data/seed-bot.sqlite');
    expect(config.useapi.apiUrl).toBe('https://api.useapi.net/v2');
    expect(config.discord.apiUrl).toBe('https://discord.com/api');
    expect(config.useapi.pollIntervalMs).toBe(15_000);
    expect(config.useapi.maxJobs).toBe(3);
    expect(config.http.port).toBe(3000);
    expect(config.log.level).toBe('info');
    expect(config.seed.access).toBe('anyone');
    expect(config.seed.midjourneyBotIds).toEqual(['936929561302675456', '1022952195194359889']);
  });

  it('treats empty values as unset, as a copied .env.example has them', () => {
    const config = loadConfig({ ...valid, DISCORD_GUILD_ID: '', STORAGE_URL: ' ', HTTP_PORT: '' });
    expect(config.discord.guildId).toBeUndefined();
    expect(config.http.port).toBe(3000);
  });

  it('reports invalid values with what to do, and never echoes a secret', () => {
    const badToken = 'short-secret-token';
    const list = problems({
      ...valid,
      DISCORD_TOKEN: badToken,
      HTTP_PORT: 'abc',
      STORAGE_URL: 'mysql://x',
      SEED_ACCESS: 'all',
    });
    expect(list.length).toBe(4);
    expect(list.join('\n')).not.toContain(badToken);
    expect(list.join('\n')).toMatch(/HTTP_PORT must be a whole number/);
    expect(list.join('\n')).toMatch(/STORAGE_URL must be sqlite/);
  });

  it('reports a missing CALLBACK_SECRET together with the other problems', () => {
    const list = problems({ PUBLIC_URL: 'https://bot.example.com' });
    expect(list.join('\n')).toMatch(/DISCORD_TOKEN is required/);
    expect(list.join('\n')).toMatch(/CALLBACK_SECRET is required when PUBLIC_URL is set/);
  });

  it('requires CALLBACK_SECRET of 32+ characters when PUBLIC_URL is set', () => {
    expect(problems({ ...valid, PUBLIC_URL: 'https://bot.example.com' }).join()).toMatch(
      /CALLBACK_SECRET is required/,
    );
    expect(
      problems({ ...valid, PUBLIC_URL: 'https://bot.example.com', CALLBACK_SECRET: 'short' }).join(),
    ).toMatch(/at least 32/);
    const ok = loadConfig({
      ...valid,
      PUBLIC_URL: 'https://bot.example.com/',
      CALLBACK_SECRET: 'a'.repeat(40),
    });
    expect(ok.http.publicUrl).toBe('https://bot.example.com');
  });

  it('parses id lists and shard settings', () => {
    const config = loadConfig({
      ...valid,
      MOD_ROLE_IDS: '223456789012345678, 323456789012345678',
      DISCORD_SHARD_COUNT: '4',
      DISCORD_SHARD_IDS: '2,3',
    });
    expect(config.moderation.roleIds).toEqual(['223456789012345678', '323456789012345678']);
    expect(config.discord.shardIds).toEqual([2, 3]);
    expect(problems({ ...valid, DISCORD_SHARD_COUNT: '2', DISCORD_SHARD_IDS: '2' }).join()).toMatch(
      /below DISCORD_SHARD_COUNT/,
    );
  });

  it('masks secrets in the redacted view', () => {
    const view = JSON.stringify(
      redactedConfig(loadConfig({ ...valid, STORAGE_URL: 'redis://user:hunter2@127.0.0.1:6379' })),
    );
    expect(view).not.toContain(DISCORD_TOKEN);
    expect(view).not.toContain(USEAPI_TOKEN);
    expect(view).not.toContain('hunter2');
    expect(view).toContain('MTE…abc');
  });
});

describe('the upstream', () => {
  const PROXY_TOKEN = 'proxy-secret-token-value';
  const proxy = {
    DISCORD_TOKEN,
    DISCORD_APPLICATION_ID: '123456789012345678',
    SEED_PROVIDER: 'midjourney-proxy',
    MJ_PROXY_URL: 'http://127.0.0.1:8080/',
    MJ_PROXY_TOKEN: PROXY_TOKEN,
  };

  it("is useapi by default, with useapi's slot limit", () => {
    const config = loadConfig(valid);
    expect(config.seed.provider).toBe('useapi');
    expect(config.seed.maxJobs).toBe(3);
    expect(loadConfig({ ...valid, USEAPI_MAX_JOBS: '5' }).seed.maxJobs).toBe(5);
  });

  it("takes a midjourney-proxy without USEAPI_TOKEN, and runs at most the proxy's 12 seeds at once", () => {
    const config = loadConfig(proxy);
    expect(config.seed.provider).toBe('midjourney-proxy');
    expect(config.midjourneyProxy).toEqual({ url: 'http://127.0.0.1:8080', token: PROXY_TOKEN });
    expect(config.seed.maxJobs).toBe(12);
  });

  it('names a missing MJ_PROXY_URL and MJ_PROXY_TOKEN in the one error, with the other problems', () => {
    const list = problems({ SEED_PROVIDER: 'midjourney-proxy' });
    expect(list.join('\n')).toMatch(/DISCORD_TOKEN is required/);
    expect(list.join('\n')).toMatch(/MJ_PROXY_URL is required with SEED_PROVIDER=midjourney-proxy/);
    expect(list.join('\n')).toMatch(/MJ_PROXY_TOKEN is required with SEED_PROVIDER=midjourney-proxy/);
    expect(list.join('\n')).not.toMatch(/USEAPI_TOKEN/);
    const alone = problems({ ...proxy, MJ_PROXY_URL: '', MJ_PROXY_TOKEN: ' ' });
    expect(alone).toHaveLength(2);
    expect(problems({ ...proxy, MJ_PROXY_URL: 'ftp://proxy' }).join()).toMatch(
      /MJ_PROXY_URL must be an http/,
    );
    // Sent as it is in a header: what cannot travel there is refused here, not when the bot starts.
    const spaced = problems({ ...proxy, MJ_PROXY_TOKEN: 'two words' }).join();
    expect(spaced).toMatch(/MJ_PROXY_TOKEN may hold only printable ASCII/);
    expect(spaced).not.toContain('two words');
    expect(problems({ ...valid, SEED_PROVIDER: 'v3' }).join()).toMatch(
      /SEED_PROVIDER must be useapi or midjourney-proxy/,
    );
  });

  it('masks MJ_PROXY_TOKEN in the redacted view and in log lines', () => {
    const config = loadConfig(proxy);
    expect(JSON.stringify(redactedConfig(config))).not.toContain(PROXY_TOKEN);
    expect(redactorFor(config)(`Mj-Api-Secret: ${PROXY_TOKEN}`)).toBe('Mj-Api-Secret: pro…lue');
    expect(redactorForEnv(proxy)(PROXY_TOKEN)).toBe('pro…lue');
  });

  it('reads SEED_JOB_DEADLINE_MS, and USEAPI_JOB_DEADLINE_MS as its former name', () => {
    expect(loadConfig(valid).seed.jobDeadlineMs).toBe(600_000);
    expect(loadConfig({ ...valid, SEED_JOB_DEADLINE_MS: '120000' }).seed.jobDeadlineMs).toBe(120_000);
    expect(loadConfig({ ...valid, USEAPI_JOB_DEADLINE_MS: '90000' }).seed.jobDeadlineMs).toBe(90_000);
    const both = { ...valid, SEED_JOB_DEADLINE_MS: '120000', USEAPI_JOB_DEADLINE_MS: '90000' };
    expect(loadConfig(both).seed.jobDeadlineMs).toBe(120_000);
    expect(problems({ ...valid, USEAPI_JOB_DEADLINE_MS: '10' }).join()).toMatch(
      /USEAPI_JOB_DEADLINE_MS must be at least 5000/,
    );
  });
});
