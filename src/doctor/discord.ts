// Discord: the token, the application it belongs to, the commands, the gateway and the alert channel.
import type { Config } from '../config.js';
import { checkAlertChannel } from './alert-channel.js';
import { type Check, type CheckGroup, failure, pass, skip } from './check.js';
import { checkCommands } from './commands.js';
import { checkGateway } from './gateway.js';
import { type Discord, describe, discordApi, record } from './http.js';

const TOKEN_FIX =
  'Copy the bot token again (Developer Portal → your application → Bot → Reset Token) into DISCORD_TOKEN.';

async function checkDiscordToken(discord: Discord): Promise<{ check: Check; botUserId?: string }> {
  const name = 'Discord token';
  const me = await discord.get('/users/@me');
  if (me.status === 200) {
    const user = record(me.body);
    return {
      check: pass(name, `accepted: bot ${String(user.username)} (user id ${String(user.id)})`),
      botUserId: String(user.id),
    };
  }
  if (me.status === 401) return { check: failure(name, 'Discord refused DISCORD_TOKEN (401)', TOKEN_FIX) };
  if (me.status === 0)
    return {
      check: failure(
        name,
        `could not reach Discord at ${discord.apiUrl}: ${describe(me)}`,
        'Check the network, and DISCORD_API_URL if you set it (default https://discord.com/api).',
      ),
    };
  return {
    check: failure(
      name,
      `GET /users/@me answered ${describe(me)}`,
      'Try again in a minute; if it stays, check DISCORD_API_URL.',
    ),
  };
}

async function checkApplicationId(
  config: Pick<Config, 'discord'>,
  discord: Discord,
  botUserId: string,
): Promise<Check> {
  const name = 'Application id';
  const wanted = config.discord.applicationId;
  const app = await discord.get('/applications/@me');
  const actual = app.status === 200 ? String(record(app.body).id) : undefined;
  const against = actual ? 'the application of the token (GET /applications/@me)' : 'the bot user id';
  const found = actual ?? botUserId;
  if (found === wanted) return pass(name, `DISCORD_APPLICATION_ID ${wanted} matches ${against}`);
  return failure(
    name,
    `DISCORD_APPLICATION_ID is ${wanted}, but the token belongs to ${actual ? 'application' : 'bot user'} ${found}`,
    `Set DISCORD_APPLICATION_ID=${found} (Developer Portal → General Information → Application ID), or use the token of application ${wanted}.`,
  );
}

// Command comparison: what Discord keeps, normalized so that defaults (null, false, {} and []) equal absence.

export const discordChecks: CheckGroup<'discord' | 'moderation'> = {
  name: 'discord',
  parts: ['discord', 'moderation'],
  checks: ['Discord token', 'Application id', 'Commands', 'Discord gateway', 'Moderator alert channel'],
  async run(config, ctx) {
    const discord = discordApi(config, ctx.fetch, ctx.timeoutMs);
    const token = await checkDiscordToken(discord);
    if (!token.botUserId) {
      const needsToken = 'skipped: needs a Discord token that works';
      return [token.check, ...this.checks.slice(1).map((name) => skip(name, needsToken))];
    }
    const botUserId = token.botUserId;
    const rest = await Promise.all([
      checkApplicationId(config, discord, botUserId),
      checkCommands(config, discord),
      checkGateway(discord, ctx.timeoutMs),
      checkAlertChannel(config, discord, botUserId),
    ]);
    return [token.check, ...rest];
  },
};
