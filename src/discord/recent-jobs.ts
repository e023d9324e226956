// Autocomplete for `/seed job:`: recent jobs of the guild from the index, as Discord choices. Pure, so it is tested
// as a plain function; the command only reads the index and answers.
import type { APIApplicationCommandOptionChoice } from 'discord.js';
import type { RecentJob } from '../seed/lookup/job-index.js';

/** Discord's limits: 25 choices, 100 characters per name and per value. */
export const MAX_CHOICES = 25;
const MAX_NAME = 100;
const PROMPT_CHARS = 70;

const shorten = (text: string, max: number) =>
  text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;

/** "3 hr. ago", "vor 3 Std.", "3 時間前": the member's own language, no message keys needed. */
export function ageLabel(ms: number, locale: string | undefined): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const [value, unit]: [number, Intl.RelativeTimeFormatUnit] =
    seconds < 60
      ? [seconds, 'second']
      : seconds < 3_600
        ? [Math.round(seconds / 60), 'minute']
        : seconds < 172_800
          ? [Math.round(seconds / 3_600), 'hour']
          : [Math.round(seconds / 86_400), 'day'];
  let format: Intl.RelativeTimeFormat;
  try {
    format = new Intl.RelativeTimeFormat(locale, { style: 'short' });
  } catch {
    format = new Intl.RelativeTimeFormat('en', { style: 'short' });
  }
  return format.format(-value, unit);
}

export function recentJobChoices(
  recent: readonly RecentJob[],
  typed: string,
  options: { now: number; locale?: string | undefined; onlyOwner?: string | undefined },
): APIApplicationCommandOptionChoice<string>[] {
  const needle = typed.trim().toLowerCase();
  const choices: APIApplicationCommandOptionChoice<string>[] = [];
  for (const job of recent) {
    if (choices.length >= MAX_CHOICES) break;
    // Discord refuses a value over 100 characters: such a jobid cannot be offered.
    if (job.jobid.length > MAX_NAME) continue;
    if (options.onlyOwner && job.ownerId !== options.onlyOwner) continue;
    if (
      needle &&
      !job.jobid.toLowerCase().includes(needle) &&
      !job.prompt?.toLowerCase().includes(needle) &&
      job.messageId !== needle
    )
      continue;
    const age = ageLabel(options.now - job.seen, options.locale);
    const label = job.prompt?.replace(/\s+/g, ' ').trim() || job.jobid;
    const suffix = ` · ${age}`;
    choices.push({
      name: `${shorten(label, Math.min(PROMPT_CHARS, MAX_NAME - suffix.length))}${suffix}`,
      value: job.jobid,
    });
  }
  return choices;
}
