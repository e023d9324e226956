// `npm run register`: send the command definitions to Discord, guild-scoped when DISCORD_GUILD_ID is set (instant,
// for development), global otherwise. Run it when commands change, not on every start: Discord limits creations.
import { REST, Routes } from 'discord.js';
import dotenv from 'dotenv';
import { commandData } from '../commands/index.js';
import { loadConfigOrExit } from './cli.js';
import type { Config } from './config.js';
import { redactorForEnv } from './config.js';

export async function registerCommands(config: Config): Promise<{ scope: string; count: number }> {
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
  const redact = redactorForEnv(process.env);
  const config = loadConfigOrExit(process.env);
  try {
    const { scope, count } = await registerCommands(config);
    process.stdout.write(`Registered ${count} commands (${scope}).\n`);
  } catch (error) {
    process.stderr.write(`Registering failed: ${redact(String((error as Error).message))}\n`);
    process.exit(1);
  }
}
