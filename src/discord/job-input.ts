// What a member may type in `/seed job:` or paste in the modal: a useapi jobid, a Discord message link, or a bare
// message id, forgiven as normalize-input.ts explains; a longer pasted line is read when it holds exactly one jobid.
import type { MessageKey } from '../i18n/index.js';
import { findJobids, type ParsedJobid, parseJobid } from '../seed/model/jobid.js';
import { SNOWFLAKE } from '../snowflake.js';
import { normalizeInput } from './normalize-input.js';

export type JobInput =
  | { kind: 'jobid'; jobid: string }
  /** `guildId` is undefined for a DM link (`/channels/@me/...`). */
  | { kind: 'link'; guildId: string | undefined; channelId: string; messageId: string }
  | { kind: 'messageId'; messageId: string };

const LINK =
  /^<?https?:\/\/(?:(?:www|ptb|canary)\.)?discord(?:app)?\.com\/channels\/(\d{17,20}|@me)\/(\d{17,20})\/(\d{17,20})\/?(?:[?#]\S*)?>?$/i;

/** The one jobid of a pasted text: the whole text, or the only jobid written in it. */
export function pastedJobid(input: string): ParsedJobid | undefined {
  const text = normalizeInput(input);
  const whole = parseJobid(text);
  if (whole) return whole;
  const found = findJobids(text);
  return found.length === 1 && found[0] ? parseJobid(found[0]) : undefined;
}

export function parseJobInput(input: string): JobInput | undefined {
  const parsed = pastedJobid(input);
  if (parsed) return { kind: 'jobid', jobid: parsed.jobid };
  const text = normalizeInput(input);
  const link = LINK.exec(text);
  if (link?.[2] && link[3]) {
    return {
      kind: 'link',
      guildId: link[1] === '@me' ? undefined : link[1],
      channelId: link[2],
      messageId: link[3],
    };
  }
  if (SNOWFLAKE.test(text)) return { kind: 'messageId', messageId: text };
  return undefined;
}

/** Why a text is not a job input, as the answer to give: several jobids need a different fix than none. */
export function jobInputProblem(input: string, none: MessageKey): MessageKey {
  return findJobids(normalizeInput(input)).length > 1 ? 'error.severalJobids' : none;
}
