// The explicit list of what the bot does. The router builds its maps from this list and refuses duplicates.
import type { CommandSet } from '../src/discord/types.js';
import { copySeedButton } from './copy-seed.js';
import { getSeedCommand } from './get-seed.js';
import { midjourneyCommand, modCancelButton, modConfirmButton, modResetButton } from './midjourney.js';
import { pasteJobidHandler } from './paste-jobid.js';
import { seedCommand } from './seed.js';

export const commands: CommandSet = {
  slash: [seedCommand, midjourneyCommand],
  message: [getSeedCommand],
  components: [modResetButton, modConfirmButton, modCancelButton, pasteJobidHandler, copySeedButton],
};

/** What `npm run register` sends to Discord. */
export const commandData = () => [
  ...commands.slash.map((c) => c.data),
  ...commands.message.map((c) => c.data),
];
