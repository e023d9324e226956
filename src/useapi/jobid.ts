// useapi jobids are opaque, but their form is known (see useapi.md): we validate user input with it and read the
// Midjourney account channel out of it. The core sees this grammar through its upstream port (useapiJobids).
import type { JobidGrammar } from '../seed/upstream.js';
import { SNOWFLAKE } from '../snowflake.js';

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

export const channelOfJobid = (jobid: string): string | undefined => parseJobid(jobid)?.channel;

/** A v3 jobid ending in `v` (before the -u part) is a video job: no seed exists for it. */
export const isVideoJobid = (jobid: string): boolean => /^j\d+v-/.test(jobid.trim());

const JOBID_ANYWHERE =
  /(job:\d{17}-user:\d+-channel:\d{17,20}(?:-bot:(?:midjourney|niji))?|j\d{10,25}[iv]-u\d+-c\d{17,20}-bot:(?:midjourney|niji))/;

const JOBIDS_ANYWHERE = new RegExp(`(?<![\\w:-])${JOBID_ANYWHERE.source}(?![\\w:-])`, 'g');

/** Every distinct useapi jobid written as a whole word in a text, in order. */
function findJobids(text: string): string[] {
  return [...new Set([...text.matchAll(JOBIDS_ANYWHERE)].map((m) => m[1] ?? ''))].filter(Boolean);
}

/** The first useapi jobid written anywhere in a text. */
export function findJobid(text: string | undefined | null): string | undefined {
  if (!text) return undefined;
  return JOBID_ANYWHERE.exec(text)?.[1];
}

/** useapi's jobid grammar, as the core's port describes one. An account is the Discord channel in the jobid. */
export const useapiJobids: JobidGrammar = {
  parse: (input) => {
    const parsed = parseJobid(input);
    return parsed && { jobid: parsed.jobid, channel: parsed.channel };
  },
  find: findJobid,
  findAll: findJobids,
  accountOf: channelOfJobid,
  isVideo: isVideoJobid,
  isAccount: (value) => SNOWFLAKE.test(value),
};
