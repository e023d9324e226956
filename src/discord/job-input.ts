// What a member may type in `/seed job:` or paste in the modal: a jobid of the upstream (its grammar comes through
// the core's port), a Discord message link, or a bare message id, forgiven as normalize-input.ts explains; a longer
// pasted line is read when it holds exactly one jobid.
import type { MessageKey } from '../i18n/index.js';
import type { JobidGrammar, ParsedJobid } from '../seed/upstream.js';
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
export function pastedJobid(input: string, jobids: JobidGrammar): ParsedJobid | undefined {
  const text = normalizeInput(input);
  const whole = jobids.parse(text);
  if (whole) return whole;
  const found = jobids.findAll(text);
  return found.length === 1 && found[0] ? jobids.parse(found[0]) : undefined;
}

export function parseJobInput(input: string, jobids: JobidGrammar): JobInput | undefined {
  const parsed = pastedJobid(input, jobids);
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
export function jobInputProblem(input: string, none: MessageKey, jobids: JobidGrammar): MessageKey {
  return jobids.findAll(normalizeInput(input)).length > 1 ? 'error.severalJobids' : none;
}
