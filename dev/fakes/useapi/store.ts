// The fake useapi's state: the Midjourney accounts (their maxJobs and pending moderation, useapi's 596), the jobs as
// useapi stores them, the seeds tests chose, and the account-wide replyUrl.

import { midjourneyFileStem } from '../midjourney-files.js';
import type { Images } from './images.js';
import {
  type AddJobInput,
  channelOfJobid,
  DISCORD_USER_ID,
  type FakeJob,
  type Ids,
  maskDiscord,
  uuidOf,
} from './job.js';

export interface Account {
  channel: string;
  discord: string;
  maxJobs: number;
  pendingModMessage?: string;
}

const DEFAULT_CHANNEL = '1316232391072944131';
const DEFAULT_SERVER = '1316232391072944000';
const DEFAULT_MOD_TEXT =
  'You have a pending moderation message. Please acknowledge it before using the bot further.';

export interface JobStore {
  accounts: Map<string, Account>;
  jobs: Map<string, FakeJob>;
  /** Seeds tests chose, by jobid (others are derived from the jobid). */
  seedValues: Map<string, number>;
  /** The account-wide replyUrl (POST /v2/account), used by seed jobs started without one. */
  defaultReplyUrl: string | undefined;
  addAccount(a: { channel: string; discord?: string; maxJobs?: number }): void;
  addJob(input: AddJobInput): FakeJob;
  setPendingModeration(channel: string, text?: string): void;
  /** The account as GET /v2/account/midjourney shows it (its Discord token masked). */
  accountJson(a: Account): Record<string, unknown>;
}

export function createJobStore(options: { ids: Ids; images: Images }): JobStore {
  const { ids, images } = options;
  const accounts = new Map<string, Account>();
  const jobs = new Map<string, FakeJob>();
  const seedValues = new Map<string, number>();

  const addJob = (input: AddJobInput): FakeJob => {
    const channel =
      input.channel ??
      (input.jobid === undefined ? undefined : channelOfJobid(input.jobid)) ??
      accounts.keys().next().value ??
      DEFAULT_CHANNEL;
    const jobid = input.jobid ?? ids.newJobid(channel);
    const verb = input.verb ?? 'imagine';
    const prompt = input.prompt ?? 'Steampunk cat --s 750 --v 6.1';
    const now = new Date().toISOString();
    const mention = `<@${DISCORD_USER_ID}>`;
    const defaultContent =
      verb === 'button' ? `**${prompt}** - Image #1 ${mention}` : `**${prompt}** - ${mention} (fast)`;
    const names = input.attachmentNames ?? [`${midjourneyFileStem(prompt, uuidOf(`mj:${jobid}`))}.png`];
    const account = accounts.get(channel);
    const job: FakeJob = {
      jobid,
      verb,
      status: input.status ?? 'completed',
      created: now,
      updated: now,
      prompt,
      content: input.content ?? defaultContent,
      channel,
      server: input.server ?? DEFAULT_SERVER,
      messageId: input.messageId ?? ids.snowflake(),
      timestamp: now.replace('Z', '000+00:00'),
      attachments: names.map((name) => images.attachment(channel, name, verb === 'button' ? 1024 : 2048)),
      code: 200,
    };
    if (account !== undefined) {
      job.discord = maskDiscord(account.discord);
      job.maxJobs = account.maxJobs;
    }
    if (input.parentJobId !== undefined) job.parentJobId = input.parentJobId;
    if (input.button !== undefined) job.button = input.button;
    if (input.children !== undefined) job.children = input.children;
    if (input.seedValue !== undefined) seedValues.set(jobid, input.seedValue);
    jobs.set(jobid, job);
    return job;
  };

  return {
    accounts,
    jobs,
    seedValues,
    defaultReplyUrl: undefined,
    addAccount({ channel, discord, maxJobs }) {
      accounts.set(channel, {
        channel,
        discord: discord ?? `fake-discord-token-for-${channel}`,
        maxJobs: maxJobs ?? 3,
      });
    },
    addJob,
    setPendingModeration(channel, text) {
      const account = accounts.get(channel);
      if (account === undefined) throw new Error(`fake useapi: no account for channel ${channel}`);
      account.pendingModMessage = text ?? DEFAULT_MOD_TEXT;
    },
    accountJson: (a) => ({
      channel: a.channel,
      discord: maskDiscord(a.discord),
      maxJobs: a.maxJobs,
      ...(a.pendingModMessage === undefined ? {} : { pendingModMessage: a.pendingModMessage }),
    }),
  };
}
