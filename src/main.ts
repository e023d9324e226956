// `npm start`: read .env, validate the config, run the bot until SIGTERM/SIGINT.
import dotenv from 'dotenv';
import { createBot } from './bot.js';
import { loadConfigOrExit } from './cli.js';
import { DiscordStartError } from './discord/connect.js';
import { StorageInUseError } from './storage/index.js';

/** Replies being written get this long; the whole stop stays under 10 s (Docker's and systemd's usual grace). */
const STOP_DEADLINE_MS = 7_000;
const EXIT_DEADLINE_MS = 9_500;

export async function main(env: Record<string, string | undefined> = process.env): Promise<void> {
  const bot = await createBot(loadConfigOrExit(env)).catch((error: unknown) => {
    // Storage that cannot be opened (another bot on the SQLite file, a folder it may not write): one message.
    process.stderr.write(
      `The bot could not start: ${error instanceof StorageInUseError ? '' : 'storage: '}${(error as Error).message}\n`,
    );
    process.exit(1);
  });
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
    // Stopped (SIGTERM) while it waited for Discord: the stop exits; there is nothing to report.
    if (stopping) return;
    // Say the real cause once: stopping what was started must not add errors of its own (see Bot.stop).
    const failure = error instanceof DiscordStartError ? error.failure : undefined;
    bot.log.fatal({ err: error, fix: failure?.fix }, failure ? failure.summary : 'could not start');
    await bot.stop(1_000).catch(() => {});
    process.stderr.write(
      failure
        ? `The bot could not start: ${failure.summary}.\n${failure.fix}\n`
        : `The bot could not start: ${(error as Error).message}\nSee the log above; \`npm run doctor\` checks the installation.\n`,
    );
    process.exit(1);
  }
}

dotenv.config({ quiet: true });
await main();
