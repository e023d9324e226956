// `npm run register`: send the command definitions to Discord, guild-scoped when DISCORD_GUILD_ID is set (instant,
// for development), global otherwise. Run it when commands change, not on every start: Discord limits creations.
import { REST, Routes } from 'discord.js';
import dotenv from 'dotenv';
import { commandData } from '../commands/index.js';
import { ConfigError, loadConfig } from './config.js';
import { createRedactor } from './redact.js';

export async function registerCommands(
  config: ReturnType<typeof loadConfig>,
): Promise<{ scope: string; count: number }> {
  const rest = new REST({ api: config.discord.apiUrl }).setToken(config.discord.token);
  const body = commandData();
  const route = config.discord.guildId
    ? Routes.applicationGuildCommands(config.discord.applicationId, config.discord.guildId)
    : Routes.applicationCommands(config.discord.applicationId);
  const result = (await rest.put(route, { body })) as unknown[];
  return {
    scope: config.discord.guildId ? `guild ${config.discord.guildId}` : 'global',
    count: result.length,
  };
}

const isMain = process.argv[1]?.endsWith('register.js') || process.argv[1]?.endsWith('register.ts');
if (isMain) {
  dotenv.config({ quiet: true });
  const redact = createRedactor([process.env.DISCORD_TOKEN]);
  try {
    const { scope, count } = await registerCommands(loadConfig(process.env));
    process.stdout.write(`Registered ${count} commands (${scope}).\n`);
  } catch (error) {
    process.stderr.write(
      error instanceof ConfigError
        ? `${error.message}\n`
        : `Registering failed: ${redact(String((error as Error).message))}\n`,
    );
    process.exit(1);
  }
}
