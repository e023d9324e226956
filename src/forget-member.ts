// `npm run forget-member -- <Discord user id>`: delete what the bot stores about one member (see the README's
// "Privacy"). On SQLite it takes the file's lock like the bot, so it runs while the bot is stopped; on Redis it runs
// beside the fleet.
import dotenv from 'dotenv';
import { loadConfigOrExit } from './cli.js';
import { redactUrl } from './config.js';
import { forgetMember } from './seed/moderation/forget-member.js';
import { SNOWFLAKE } from './snowflake.js';
import { createStorage, StorageInUseError } from './storage/index.js';

dotenv.config({ quiet: true });
const userId = process.argv[2]?.trim() ?? '';
if (!SNOWFLAKE.test(userId)) {
  process.stderr.write(
    'Usage: npm run forget-member -- <Discord user id> (17 to 20 digits: right-click the member → Copy User ID).\n',
  );
  process.exit(2);
}
const config = loadConfigOrExit(process.env, {
  only: ['storageUrl'],
  purpose: "The member's data cannot be deleted",
});
try {
  const storage = await createStorage(config.storageUrl, { exclusive: true });
  try {
    const forgotten = await forgetMember(storage, userId);
    process.stdout.write(
      `Deleted the data of member ${userId} from ${redactUrl(config.storageUrl)}: ${forgotten.requests} requests, ` +
        `${forgotten.indexEntries} job-index entries and ${forgotten.seeds} seeds of images they made, ` +
        `${forgotten.recentJobs} entries of the recent-jobs lists.\n`,
    );
  } finally {
    await storage.close();
  }
} catch (error) {
  process.stderr.write(
    error instanceof StorageInUseError
      ? `The bot (${error.who}) is running on ${error.path}: stop it, run this again, then start the bot.\n`
      : `Deleting the member's data failed: ${(error as Error).message}\n`,
  );
  process.exit(1);
}
