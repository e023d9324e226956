// `npm run register`: send the command definitions to Discord, guild-scoped when DISCORD_GUILD_ID is set (instant,
// for development), global otherwise. Run it when commands change, not on every start: Discord limits creations.
// It reads only the Discord settings (no upstream token is needed), and a Discord that does not answer is tried again
// a few times, then named with the fix, as `npm start` does.
import { REST, Routes } from 'discord.js';
import dotenv from 'dotenv';
import { commandData } from '../commands/index.js';
import { loadConfigOrExit } from './cli.js';
import { type Config, redactorForEnv } from './config.js';
import { DiscordStartError, withDiscordRetry } from './discord/connect.js';
import { createLogger, type Logger } from './log.js';

/** Tries of one registration when Discord does not answer (about 15 s of waiting between them in all, plus 15 s per
 * try that gets no answer). */
const MAX_ATTEMPTS = 5;

export async function registerCommands(
  config: Pick<Config, 'discord'>,
  options: { log?: Logger; maxAttempts?: number } = {},
): Promise<{ scope: string; count: number }> {
  // One try per attempt: the attempts below are spaced out and said, rather than four silent tries of 15 s.
  const rest = new REST({ api: config.discord.apiUrl, retries: options.log ? 0 : 3 }).setToken(
    config.discord.token,
  );
  const body = commandData();
  const route = config.discord.guildId
    ? Routes.applicationGuildCommands(config.discord.applicationId, config.discord.guildId)
    : Routes.applicationCommands(config.discord.applicationId);
  const put = () => rest.put(route, { body }) as Promise<unknown[]>;
  const result = options.log
    ? await withDiscordRetry(put, {
        log: options.log,
        where: { apiUrl: config.discord.apiUrl, timeoutMs: rest.options.timeout, tries: 1 },
        what: 'registering the commands',
        maxAttempts: options.maxAttempts ?? MAX_ATTEMPTS,
        maxDelayMs: 8_000,
      })
    : await put();
  return {
    scope: config.discord.guildId ? `guild ${config.discord.guildId}` : 'global',
    count: result.length,
  };
}

const isMain = process.argv[1]?.endsWith('register.js') || process.argv[1]?.endsWith('register.ts');
if (isMain) {
  dotenv.config({ quiet: true });
  const redact = redactorForEnv(process.env);
  const config = loadConfigOrExit(process.env, {
    only: ['discord', 'log'],
    purpose: 'The commands cannot be registered',
  });
  const log = createLogger({ ...config.log, redact, name: 'register' });
  try {
    const { scope, count } = await registerCommands(config, { log });
    process.stdout.write(`Registered ${count} commands (${scope}).\n`);
  } catch (error) {
    const failure = error instanceof DiscordStartError ? error.failure : undefined;
    process.stderr.write(
      redact(
        failure
          ? `Registering the commands failed: ${failure.summary}.\n${failure.fix}\n`
          : `Registering the commands failed: ${String((error as Error).message)}\n\`npm run doctor\` checks the installation.\n`,
      ),
    );
    process.exit(1);
  }
}
