// A useapi job exactly as useapi stores and sends it, and what the fake derives from a jobid: its channel, its
// Midjourney job UUID, the file names and seed Midjourney would show. Deterministic: hashes and counters, no randomness.
import { createHash } from 'node:crypto';

/** An attachment exactly as useapi sends it (snake_case). */
export interface FakeAttachment {
  id: string;
  url: string;
  proxy_url: string;
  width: number;
  height: number;
  size: number;
  placeholder_version: number;
  placeholder: string;
  filename: string;
  content_type: string;
}

export interface FakeSeed {
  value: number;
  content: string;
  attachments: FakeAttachment[];
}

export interface FakeChild {
  button: string;
  jobid: string;
  messageId?: string;
}

/** A job exactly as useapi stores and sends it. */
export interface FakeJob {
  jobid: string;
  verb: string;
  status: string;
  created: string;
  updated: string;
  parentJobId?: string;
  prompt?: string;
  content?: string;
  button?: string;
  discord?: string;
  channel: string;
  server?: string;
  messageId?: string;
  timestamp?: string;
  maxJobs?: number;
  replyUrl?: string;
  replyRef?: string;
  attachments: FakeAttachment[];
  children?: FakeChild[];
  seed?: FakeSeed;
  error?: string;
  errorDetails?: string;
  code: number;
}

export interface AddJobInput {
  jobid?: string;
  verb?: 'imagine' | 'button' | 'blend' | 'video' | string;
  /** Default 'completed'. */
  status?: string;
  channel?: string;
  server?: string;
  messageId?: string;
  prompt?: string;
  content?: string;
  parentJobId?: string;
  button?: string;
  children?: FakeChild[];
  /** The seed the fake will report for this job. Default: derived from the jobid. */
  seedValue?: number;
  /** Filenames of the job's own attachments (not the seed images). Default: one image. */
  attachmentNames?: string[];
}

const USER_NUMBER = 1308;
export const DISCORD_USER_ID = '1100000000000000001';
const DISCORD_EPOCH = 1_420_070_400_000n;
export const SEEDABLE_VERBS = new Set(['imagine', 'button', 'blend']);
export const FINAL = new Set(['completed', 'moderated', 'failed', 'cancelled']);

/** mulberry32: small, seedable, good enough to pick which calls fail. */
export const prngOf = (seed: number): (() => number) => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

export const sha256 = (text: string): Buffer => createHash('sha256').update(text).digest();

export const uuidOf = (text: string): string => {
  const h = sha256(text).toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

export const channelOfJobid = (jobid: string): string | undefined =>
  /(?:^|-)channel:(\d+)/.exec(jobid)?.[1] ?? /^j\d+[iv]-u\d+-c(\d+)-bot:/.exec(jobid)?.[1];

export const maskDiscord = (discord: string): string => `${discord.slice(0, 3)}…secured…${discord.slice(-3)}`;

export const promptOf = (job: FakeJob): string =>
  job.prompt ?? /^\*\*(.+?)\*\*/.exec(job.content ?? '')?.[1] ?? 'untitled prompt';

/** `yyyyMMddHHmmssSSS` in UTC. */
const jobTimestamp = (ms: number): string => new Date(ms).toISOString().replace(/[-T:.Z]/g, '');

export interface Ids {
  /** A Discord snowflake of now, unique within this fake. */
  snowflake(): string;
  /** A v2 jobid on that channel, strictly later than the last one. */
  newJobid(channel: string): string;
}

export function createIds(): Ids {
  let sequence = 0;
  let lastJobMs = 0;
  return {
    snowflake() {
      sequence += 1;
      return (((BigInt(Date.now()) - DISCORD_EPOCH) << 22n) | BigInt(sequence & 0x3fffff)).toString();
    },
    newJobid(channel) {
      lastJobMs = Math.max(Date.now(), lastJobMs + 1);
      return `job:${jobTimestamp(lastJobMs)}-user:${USER_NUMBER}-channel:${channel}-bot:midjourney`;
    },
  };
}
