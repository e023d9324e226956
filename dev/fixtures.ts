// The ids and environment the end-to-end tests, the demo and the benchmark share: one server with a channel and a
// moderators' channel, a member, a moderator, a Midjourney account, and the bot's environment pointed at the fakes.
import { join } from 'node:path';
import { LOCALES } from '../src/i18n/index.js';
import type { FakeDiscord, FakeMessage, InteractionUser } from './fakes/fake-discord.js';
import type { FakeUseapi } from './fakes/fake-useapi.js';

export const GUILD = '811111111111111111';
export const OTHER_GUILD = '822222222222222222';
export const CHANNEL = '833333333333333333';
export const ALERT_CHANNEL = '844444444444444444';
/** The Midjourney account's channel at useapi (part of every jobid). */
export const ACCOUNT_CHANNEL = '1316232391072944131';
export { MIDJOURNEY_BOT_ID as MIDJOURNEY_BOT } from './fakes/midjourney.js';
export const MEMBER: InteractionUser = { id: '855555555555555555', username: 'member', permissions: '0' };
export const OTHER_MEMBER: InteractionUser = {
  id: '866666666666666666',
  username: 'other',
  permissions: '0',
};
/** Manage Server (1 << 5). */
export const MODERATOR: InteractionUser = {
  id: '877777777777777777',
  username: 'mod',
  permissions: String(1 << 5),
};

export function baseEnv(useapi: FakeUseapi, discord: FakeDiscord, dir: string): Record<string, string> {
  return {
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: discord.applicationId,
    DISCORD_API_URL: discord.apiUrl,
    USEAPI_TOKEN: useapi.token,
    USEAPI_API_URL: useapi.url,
    USEAPI_POLL_INTERVAL_MS: '200',
    USEAPI_TIMEOUT_MS: '5000',
    STORAGE_URL: `sqlite://${join(dir, 'bot.sqlite')}`,
    HTTP_PORT: '0',
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'debug',
    LOG_FORMAT: 'json',
    SEED_USER_LIMIT_PER_MINUTE: '0',
    MOD_ALERT_CHANNEL_ID: ALERT_CHANNEL,
  };
}

/** An edit that shows a seed: its first embed's title names it. */
export const isSeedVisible = (m: FakeMessage | undefined): boolean =>
  Boolean(
    m &&
      Array.isArray(m.embeds) &&
      m.embeds.some((e) => /Seed \d+/.test(String((e as { title?: string }).title))),
  );

/** "The four images follow…" in every locale: the seed shown before its images, not yet the final reply. */
const IMAGES_FOLLOW = Object.values(LOCALES).map((messages) => messages['reply.imagesFollow']);

/** An edit that shows the seed alone and announces its four images (the first of the two edits of an answer). */
export const announcesImages = (m: FakeMessage | undefined): boolean =>
  (m?.embeds ?? []).some((e) =>
    IMAGES_FOLLOW.some((text) => String((e as { description?: string }).description).includes(text)),
  );

/** The final seed reply: an edit that shows the seed and no longer announces its images. */
export const isSeedReply = (m: FakeMessage | undefined): boolean => isSeedVisible(m) && !announcesImages(m);
