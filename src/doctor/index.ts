// `npm run doctor`: checks an installation and prints a checklist with a fix for each failure; exit code 1 when any
// check fails. The checks come in groups, one file each (discord, upstream, storage, public-url); a group reads only
// its own settings, so each part is checked with whatever settings there are (`npm run doctor -- --only upstream`
// before any Discord application exists). The printer is pure; the whole output passes through the redactor, so no
// token is ever printed (masked: first and last 3 characters). It reaches Discord at DISCORD_API_URL and useapi at
// USEAPI_API_URL, so the tests run it against the fakes.
import { parseArgs } from 'node:util';
import dotenv from 'dotenv';
import { type Config, ConfigError, loadConfig, redactorForEnv } from '../config.js';
import { type Check, type CheckGroup, type DoctorContext, formatReport, skip } from './check.js';
import { checkConfig } from './config.js';
import { discordChecks } from './discord.js';
import { midjourneyProxyChecks } from './midjourney-proxy.js';
import { publicUrlChecks } from './public-url.js';
import { storageChecks } from './storage.js';
import { useapiChecks } from './useapi.js';

export { channelPermissions } from './alert-channel.js';
export type { Check } from './check.js';
export { compareCommands } from './commands.js';

/**
 * Every group, in the order printed. Another upstream adds its group (named `upstream`, with `applies` saying when it
 * is the configured one) in a file of its own and one line here.
 */
const GROUPS: CheckGroup[] = [
  discordChecks,
  useapiChecks,
  midjourneyProxyChecks,
  storageChecks,
  publicUrlChecks,
] as CheckGroup[];

export const GROUP_NAMES = [...new Set(GROUPS.map((g) => g.name))];

export interface DoctorOptions {
  fetch?: typeof fetch;
  out: (text: string) => void;
  /** Per HTTP call. Default 10 s. */
  timeoutMs?: number;
  /** Run only these groups (GROUP_NAMES). Default: all. */
  only?: readonly string[];
}

export interface DoctorReport {
  checks: Check[];
  exitCode: 0 | 1;
}

async function runGroup(
  group: CheckGroup,
  env: Record<string, string | undefined>,
  ctx: DoctorContext,
): Promise<Check[]> {
  let config: Pick<Config, keyof Config>;
  try {
    config = loadConfig(env, { only: group.parts });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    const variables = [...new Set(error.problems.map((p) => p.split(' ')[0]))].join(', ');
    return group.checks.map((name) => skip(name, `skipped: fix ${variables} first (see Configuration)`));
  }
  return group.run(config, ctx);
}

export async function runDoctor(
  env: Record<string, string | undefined>,
  options: DoctorOptions,
): Promise<DoctorReport> {
  const ctx: DoctorContext = {
    fetch: options.fetch ?? globalThis.fetch,
    timeoutMs: options.timeoutMs ?? 10_000,
  };
  // Whatever an upstream echoes back, no secret of the environment reaches the output.
  const redact = redactorForEnv(env);
  const groups = GROUPS.filter(
    (g) => (!options.only || options.only.includes(g.name)) && (g.applies?.(env) ?? true),
  );
  const parts = [...new Set(groups.flatMap((g) => g.parts))];
  const results = await Promise.all(groups.map((group) => runGroup(group, env, ctx)));
  const checks = [checkConfig(env, parts, Boolean(options.only)), ...results.flat()];
  options.out(redact(formatReport(checks)));
  return { checks, exitCode: checks.some((c) => !c.ok) ? 1 : 0 };
}

const isMain = /doctor[/\\]index\.[jt]s$/.test(process.argv[1] ?? '');
if (isMain) {
  dotenv.config({ quiet: true });
  const { values } = parseArgs({ options: { only: { type: 'string' } }, strict: false });
  const only = typeof values.only === 'string' ? values.only.split(',').map((s) => s.trim()) : undefined;
  const unknown = only?.filter((name) => !GROUP_NAMES.includes(name)) ?? [];
  if (unknown.length) {
    process.stderr.write(
      `Unknown group ${unknown.join(', ')}: use --only ${GROUP_NAMES.join('|')} (comma-separated).\n`,
    );
    process.exit(2);
  }
  const { exitCode } = await runDoctor(process.env, {
    out: (text) => process.stdout.write(text),
    ...(only ? { only } : {}),
  });
  process.exitCode = exitCode;
}
