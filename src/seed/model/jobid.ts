// useapi jobids are opaque, but their form is known (see useapi.md): we validate user input with it and read the
// Midjourney account channel out of it.

const V2 = /^job:\d{17}-user:\d+-channel:(\d{17,20})(?:-bot:(?:midjourney|niji))?$/;
const V3 = /^j\d{10,25}[iv]-u\d+-c(\d{17,20})-bot:(?:midjourney|niji)$/;

export interface ParsedJobid {
  jobid: string;
  form: 'v2' | 'v3';
  channel: string;
}

export function parseJobid(input: string): ParsedJobid | undefined {
  const jobid = input.trim().replace(/^[`'"<]+|[`'">]+$/g, '');
  const v2 = V2.exec(jobid);
  if (v2?.[1]) return { jobid, form: 'v2', channel: v2[1] };
  const v3 = V3.exec(jobid);
  if (v3?.[1]) return { jobid, form: 'v3', channel: v3[1] };
  return undefined;
}

export const isJobid = (input: string): boolean => parseJobid(input) !== undefined;

export const channelOfJobid = (jobid: string): string | undefined => parseJobid(jobid)?.channel;

/**
 * What a seed from the prompt of a Midjourney message whose job the bot has never seen is stored and asked under (the
 * message id: stable, whoever asks). Never a jobid of any upstream, so it is never sent to one.
 */
export const messageSeedKey = (messageId: string): string => `message:${messageId}`;

export const isMessageSeedKey = (key: string): boolean => /^message:\d{17,20}$/.test(key);

/** A v3 jobid ending in `v` (before the -u part) is a video job: no seed exists for it. */
export const isVideoJobid = (jobid: string): boolean => /^j\d+v-/.test(jobid.trim());

const JOBID_ANYWHERE =
  /(job:\d{17}-user:\d+-channel:\d{17,20}(?:-bot:(?:midjourney|niji))?|j\d{10,25}[iv]-u\d+-c\d{17,20}-bot:(?:midjourney|niji))/;

const JOBIDS_ANYWHERE = new RegExp(`(?<![\\w:-])${JOBID_ANYWHERE.source}(?![\\w:-])`, 'g');

/** Every distinct useapi jobid written as a whole word in a text, in order. */
export function findJobids(text: string): string[] {
  return [...new Set([...text.matchAll(JOBIDS_ANYWHERE)].map((m) => m[1] ?? ''))].filter(Boolean);
}

/** The first useapi jobid written anywhere in a text. */
export function findJobid(text: string | undefined | null): string | undefined {
  if (!text) return undefined;
  return JOBID_ANYWHERE.exec(text)?.[1];
}
