// `npm start`: read .env, validate the config, run the bot until SIGTERM/SIGINT.
import dotenv from 'dotenv';
import { createBot } from './bot.js';
import { loadConfigOrExit } from './cli.js';

/** Replies being written get this long; the whole stop stays under 10 s (Docker's and systemd's usual grace). */
const STOP_DEADLINE_MS = 7_000;
const EXIT_DEADLINE_MS = 9_500;

export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  const bot = await createBot(loadConfigOrExit(env));
  process.on('unhandledRejection', (reason) => bot.log.error({ err: reason }, 'unhandled rejection'));
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    bot.log.info({ signal }, 'stopping');
    // Exit within 10 s whatever happens; what is not finished stays stored and resumes on the next start.
    setTimeout(() => {
      bot.log.error('stopping took too long; exiting');
      process.exit(1);
    }, EXIT_DEADLINE_MS).unref();
    bot
      .stop(STOP_DEADLINE_MS)
      .then(() => {
        bot.log.info({ signal }, 'stopped');
        process.exit(0);
      })
      .catch((error) => {
        bot.log.error({ err: error }, 'error while stopping');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  try {
    await bot.start();
  } catch (error) {
    const code = (error as { code?: string }).code;
    bot.log.fatal(
      { err: error },
      code === 'TokenInvalid' ? 'Discord refused DISCORD_TOKEN' : 'could not start',
    );
    process.stderr.write(
      code === 'TokenInvalid'
        ? 'Discord refused DISCORD_TOKEN. Copy the bot token again from the Developer Portal (Bot → Reset Token).\n'
        : 'The bot could not start; see the log above. `npm run doctor` checks the installation.\n',
    );
    await bot.stop(1_000).catch(() => {});
    process.exit(1);
  }
}

dotenv.config({ quiet: true });
await main();
