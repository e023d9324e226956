// What a member may type in `/seed job:`: a useapi jobid, a Discord message link, or a bare message id.
import { parseJobid } from '../seed/jobid.js';

export type JobInput =
  | { kind: 'jobid'; jobid: string }
  /** `guildId` is undefined for a DM link (`/channels/@me/...`). */
  | { kind: 'link'; guildId: string | undefined; channelId: string; messageId: string }
  | { kind: 'messageId'; messageId: string };

const LINK =
  /^<?https?:\/\/(?:(?:www|ptb|canary)\.)?discord(?:app)?\.com\/channels\/(\d{17,20}|@me)\/(\d{17,20})\/(\d{17,20})\/?(?:[?#]\S*)?>?$/i;
const MESSAGE_ID = /^\d{17,20}$/;

export function parseJobInput(input: string): JobInput | undefined {
  const text = input.trim();
  const parsed = parseJobid(text);
  if (parsed) return { kind: 'jobid', jobid: parsed.jobid };
  const link = LINK.exec(text);
  if (link?.[2] && link[3]) {
    return {
      kind: 'link',
      guildId: link[1] === '@me' ? undefined : link[1],
      channelId: link[2],
      messageId: link[3],
    };
  }
  if (MESSAGE_ID.test(text)) return { kind: 'messageId', messageId: text };
  return undefined;
}
