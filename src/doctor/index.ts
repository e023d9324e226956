// `npm run doctor`: checks an installation and prints a checklist with a fix for each failure; exit code 1 when any
// check fails. Every check is a small function returning {name, ok, detail, fix}, one file per group of checks; the
// printer is pure; the whole output passes through the redactor, so no token is ever printed (masked: first and last
// 3 characters). It reaches Discord at DISCORD_API_URL and useapi at USEAPI_API_URL, so the tests run it against the
// fakes.
import dotenv from 'dotenv';
import { redactorForEnv } from '../config.js';
import { checkAlertChannel } from './alert-channel.js';
import { type Check, formatReport, skip } from './check.js';
import { checkCommands } from './commands.js';
import { checkConfig } from './config.js';
import { checkApplicationId, checkDiscordToken } from './discord.js';
import { discordApi } from './http.js';
import { checkPublicUrl } from './public-url.js';
import { checkStorage } from './storage.js';
import { checkUseapi } from './useapi.js';

export { channelPermissions } from './alert-channel.js';
export type { Check } from './check.js';
export { compareCommands } from './commands.js';

export interface DoctorOptions {
  fetch?: typeof fetch;
  out: (text: string) => void;
  /** Per HTTP call. Default 10 s. */
  timeoutMs?: number;
}

export interface DoctorReport {
  checks: Check[];
  exitCode: 0 | 1;
}

// --- the run -------------------------------------------------------------------------------------------------

export async function runDoctor(
  env: Record<string, string | undefined>,
  options: DoctorOptions,
): Promise<DoctorReport> {
  const fetchFn = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  // Whatever an upstream echoes back, no secret of the environment reaches the output.
  const redact = redactorForEnv(env);
  const checks: Check[] = [];
  const { check, config } = checkConfig(env);
  checks.push(check);
  if (config) {
    const discord = discordApi(config, fetchFn, timeoutMs);
    const [token, useapi, storage, publicUrl] = await Promise.all([
      checkDiscordToken(discord),
      checkUseapi(config, fetchFn, timeoutMs),
      checkStorage(config, timeoutMs),
      checkPublicUrl(config, fetchFn, timeoutMs),
    ]);
    checks.push(token.check);
    const needsToken = 'needs a Discord token that works';
    if (token.botUserId) {
      const botUserId = token.botUserId;
      const [app, cmds, alert] = await Promise.all([
        checkApplicationId(config, discord, botUserId),
        checkCommands(config, discord),
        checkAlertChannel(config, discord, botUserId),
      ]);
      checks.push(app, cmds, ...useapi, storage, publicUrl, alert);
    } else {
      checks.push(
        skip('Application id', `skipped: ${needsToken}`),
        skip('Commands', `skipped: ${needsToken}`),
        ...useapi,
        storage,
        publicUrl,
        skip('Moderator alert channel', `skipped: ${needsToken}`),
      );
    }
  }
  options.out(redact(formatReport(checks)));
  return { checks, exitCode: checks.some((c) => !c.ok) ? 1 : 0 };
}

const isMain = /doctor[/\\]index\.[jt]s$/.test(process.argv[1] ?? '');
if (isMain) {
  dotenv.config({ quiet: true });
  const { exitCode } = await runDoctor(process.env, { out: (text) => process.stdout.write(text) });
  process.exitCode = exitCode;
}
