// The configuration check: every problem at once, tokens masked.
import { type Config, ConfigError, loadConfig, redactUrl } from '../config.js';
import { mask } from '../redact.js';
import { type Check, failure, pass } from './check.js';

export function checkConfig(env: Record<string, string | undefined>): { check: Check; config?: Config } {
  try {
    const config = loadConfig(env);
    const lines = [
      'valid',
      `Discord: application ${config.discord.applicationId}, token ${mask(config.discord.token)}, commands ${
        config.discord.guildId ? `in guild ${config.discord.guildId}` : 'global'
      }, API ${config.discord.apiUrl}`,
      `useapi: token ${mask(config.useapi.token)}, API ${config.useapi.apiUrl}, ${config.useapi.maxJobs} seed jobs at once`,
      `storage: ${redactUrl(config.storageUrl)}`,
      `HTTP: ${config.http.host}:${config.http.port}, PUBLIC_URL ${config.http.publicUrl ?? 'not set'}${
        config.http.callbackSecret ? `, CALLBACK_SECRET ${mask(config.http.callbackSecret)}` : ''
      }`,
      `access: ${config.seed.access}, ${config.seed.userLimitPerMinute || 'unlimited'} requests per member and minute`,
    ];
    return { check: pass('Configuration', lines.join('\n')), config };
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return {
      check: failure(
        'Configuration',
        `${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}\n${error.problems.map((p) => `- ${p}`).join('\n')}`,
        'Set these in .env (see .env.example) or in the environment. The other checks need a valid configuration.',
      ),
    };
  }
}
