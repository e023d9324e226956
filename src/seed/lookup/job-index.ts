// The bot's own map from Discord messages to upstream jobs: no upstream has an endpoint for it, so every job object the
// bot sees (seed results, polled jobs, callbacks, jobids users give) is recorded here, keyed by the Discord message id
// and by the Midjourney job UUIDs in its attachments.

import { ownImageOf } from '../model/own-image.js';
import { type IndexEntry, KEEP_SEEDS_MS, type RecentJob } from '../model/types.js';
import type { Store } from '../ports.js';
import type { UpstreamJob as Job } from '../upstream.js';

export type { RecentJob } from '../model/types.js';

/** useapi keeps jobs 31 days; after that the index entry is useless unless a seed is stored for it. */
export const INDEX_TTL_MS = 31 * 24 * 60 * 60 * 1000;
const RECENT_PER_GUILD = 100;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

export const uuidsIn = (text: string | undefined): string[] => [
  ...new Set((text ?? '').toLowerCase().match(UUID) ?? []),
];

/** The prompt of a Midjourney message: the bold part of `**<prompt>** - <@user> (fast)`. */
export function promptOf(content: string | undefined): string | undefined {
  if (!content) return undefined;
  const m = /^\*\*(.+?)\*\*/s.exec(content);
  return (m?.[1] ?? content).trim() || undefined;
}

/** The member a Midjourney message names: the `<@id>` after the prompt (`**<prompt>** - <@id> (fast)`). */
export function ownerOf(content: string | undefined): string | undefined {
  if (!content) return undefined;
  const rest = content.replace(/^\*\*(.+?)\*\*/s, '');
  const ids = [...rest.matchAll(/<@!?(\d{17,20})>/g)].map((m) => m[1]);
  return ids[ids.length - 1];
}

export interface JobIndex {
  /** Record an upstream job (and what it says of its children). */
  recordJob(job: Job, extra?: { seen?: number; hasSeed?: boolean }): Promise<IndexEntry>;
  /** The job behind a Discord message, never one from another guild. */
  byMessage(messageId: string, guildId: string | undefined): Promise<IndexEntry | undefined>;
  byUuid(uuid: string, guildId: string | undefined): Promise<IndexEntry | undefined>;
  byJobid(jobid: string): Promise<IndexEntry | undefined>;
  /** Newest first. */
  recent(guildId: string): Promise<RecentJob[]>;
}

interface IndexDeps {
  jobs: Store<IndexEntry>;
  recent: Store<RecentJob[]>;
  now?: () => number;
}

/** The one guild filter: a job of another guild is not this guild's (unknown on either side counts as the same). */
export const isSameGuild = (server: string | undefined, guildId: string | undefined): boolean =>
  server === undefined || guildId === undefined || server === guildId;

/** The index entry unless it belongs to another guild. */
export const inGuild = (entry: IndexEntry | undefined, guildId: string | undefined) =>
  entry && isSameGuild(entry.server, guildId) ? entry : undefined;

export function createJobIndex(deps: IndexDeps): JobIndex {
  const now = deps.now ?? Date.now;
  const key = {
    job: (jobid: string) => `job:${jobid}`,
    message: (id: string) => `msg:${id}`,
    uuid: (id: string) => `uuid:${id.toLowerCase()}`,
  };

  async function save(entry: IndexEntry, hasSeed: boolean): Promise<IndexEntry> {
    const previous = await deps.jobs.get(key.job(entry.jobid));
    const merged: IndexEntry = previous
      ? {
          ...previous,
          ...Object.fromEntries(Object.entries(entry).filter(([, v]) => v !== undefined)),
          children: mergeChildren(previous.children, entry.children),
          uuids: [...new Set([...previous.uuids, ...entry.uuids])],
          messageIds: mergeIds(previous.messageIds, entry.messageIds),
          seen: Math.max(previous.seen, entry.seen),
        }
      : entry;
    const ttl = hasSeed ? KEEP_SEEDS_MS : INDEX_TTL_MS;
    // The entry lives under its jobid, and a copy under each message id and UUID.
    const writes: Promise<void>[] = [deps.jobs.set(key.job(merged.jobid), merged, ttl)];
    // Each key holds its own copy of the entry (one read answers a right-click), not a reference to the jobid key.
    const copy = { ...merged };
    const messages = new Set([merged.messageId, ...(merged.messageIds ?? [])]);
    for (const id of messages) if (id) writes.push(deps.jobs.set(key.message(id), copy, ttl));
    for (const u of merged.uuids) writes.push(deps.jobs.set(key.uuid(u), copy, ttl));
    await Promise.all(writes);
    if (merged.server && merged.verb !== 'seed_async') await remember(merged);
    return merged;
  }

  async function remember(entry: IndexEntry) {
    if (!entry.server) return;
    const list = (await deps.recent.get(entry.server)) ?? [];
    const next = [
      {
        jobid: entry.jobid,
        prompt: entry.prompt,
        messageId: entry.messageId,
        ownerId: entry.ownerId,
        seen: entry.seen,
      },
      ...list.filter((r) => r.jobid !== entry.jobid),
    ].slice(0, RECENT_PER_GUILD);
    await deps.recent.set(entry.server, next, INDEX_TTL_MS);
  }

  async function recordChildren(job: Job, seen: number) {
    // A grid's children are its upscales and variations: index each by its own message id, with its parent.
    await Promise.all(
      job.children.map((child) =>
        save(
          {
            jobid: child.jobid,
            verb: 'button',
            button: child.button,
            server: job.server,
            channel: job.channel,
            messageId: child.messageId,
            prompt: job.prompt ?? promptOf(job.content),
            ownerId: ownerOf(job.content),
            parentJobId: job.jobid,
            children: [],
            uuids: [],
            seen,
          },
          false,
        ),
      ),
    );
  }

  return {
    async recordJob(job, extra = {}) {
      const seen = extra.seen ?? now();
      const entry: IndexEntry = {
        jobid: job.jobid,
        verb: job.verb,
        status: job.status,
        server: job.server,
        channel: job.channel,
        messageId: job.messageId,
        messageIds: job.messageIds?.length ? job.messageIds : undefined,
        prompt: job.prompt ?? promptOf(job.content),
        ownerId: ownerOf(job.content),
        parentJobId: job.parentJobId,
        children: job.children.map((c) => ({ button: c.button, jobid: c.jobid, messageId: c.messageId })),
        // In the attachments' names (Midjourney's file names), and those the upstream names outright.
        uuids: uuidsIn(
          [...job.attachments.map((a) => `${a.filename} ${a.url}`), ...(job.uuids ?? [])].join(' '),
        ),
        seen,
        created: job.created ? Date.parse(job.created) || undefined : undefined,
        grid: ownImageOf(job),
      };
      const saved = await save(entry, extra.hasSeed === true);
      if (job.children.length) await recordChildren(job, seen);
      return saved;
    },
    async byMessage(messageId, guildId) {
      return inGuild(await deps.jobs.get(key.message(messageId)), guildId);
    },
    async byUuid(uuid, guildId) {
      return inGuild(await deps.jobs.get(key.uuid(uuid)), guildId);
    },
    byJobid: (jobid) => deps.jobs.get(key.job(jobid)),
    async recent(guildId) {
      return (await deps.recent.get(guildId)) ?? [];
    },
  };
}

function mergeIds(a: string[] | undefined, b: string[] | undefined): string[] | undefined {
  const all = [...new Set([...(a ?? []), ...(b ?? [])])];
  return all.length ? all : undefined;
}

function mergeChildren(a: IndexEntry['children'], b: IndexEntry['children']): IndexEntry['children'] {
  const byJob = new Map(a.map((c) => [c.jobid, c]));
  for (const c of b) byJob.set(c.jobid, { ...byJob.get(c.jobid), ...c });
  return [...byJob.values()];
}
