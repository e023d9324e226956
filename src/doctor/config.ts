// The configuration check: every problem of the settings the selected groups read, at once, tokens masked.
import { type Config, ConfigError, loadConfig, redactUrl } from '../config.js';
import { mask } from '../redact.js';
import { type Check, failure, pass } from './check.js';

/** One line per part of the configuration that is present. */
function describeParts(config: Partial<Config>): string[] {
  const lines: string[] = [];
  const { discord, useapi, http, seed } = config;
  if (discord)
    lines.push(
      `Discord: application ${discord.applicationId}, token ${mask(discord.token)}, commands ${
        discord.guildId ? `in guild ${discord.guildId}` : 'global'
      }, API ${discord.apiUrl}`,
    );
  if (useapi)
    lines.push(
      `useapi: token ${mask(useapi.token)}, API ${useapi.apiUrl}, ${useapi.maxJobs} seed jobs at once`,
    );
  if (config.storageUrl) lines.push(`storage: ${redactUrl(config.storageUrl)}`);
  if (http)
    lines.push(
      `HTTP: ${http.host}:${http.port}, PUBLIC_URL ${http.publicUrl ?? 'not set'}${
        http.callbackSecret ? `, CALLBACK_SECRET ${mask(http.callbackSecret)}` : ''
      }`,
    );
  if (seed)
    lines.push(
      `access: ${seed.access}, ${seed.userLimitPerMinute || 'unlimited'} requests per member and minute`,
    );
  return lines;
}

export function checkConfig(
  env: Record<string, string | undefined>,
  parts: readonly (keyof Config)[],
  partial: boolean,
): Check {
  try {
    // The whole configuration unless some groups were asked for: a wrong SEED_ACCESS is worth saying too.
    const config: Partial<Config> = partial ? loadConfig(env, { only: parts }) : loadConfig(env);
    return pass(
      'Configuration',
      [partial ? 'valid (the settings of the groups checked)' : 'valid', ...describeParts(config)].join('\n'),
    );
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return failure(
      'Configuration',
      `${error.problems.length} problem${error.problems.length === 1 ? '' : 's'}\n${error.problems.map((p) => `- ${p}`).join('\n')}`,
      'Set these in .env (see .env.example) or in the environment. The checks that need them are skipped; the others ran.',
    );
  }
}
