// Deleting one member's data (`npm run forget-member -- <user id>`): every stored request they made (with its
// interaction token, open or closed), the job-index entries of images they made (prompt and owner) with the seeds of
// those jobs, and their jobs in the servers' recent lists (autocomplete). Kept: the reset audit (which moderator reset
// an account, 50 per channel) and what is not stored here (logs, Discord's own messages).
import { INDEX_TTL_MS } from '../lookup/job-index.js';
import type { Storage } from '../ports.js';

export interface Forgotten {
  requests: number;
  indexEntries: number;
  seeds: number;
  recentJobs: number;
}

export async function forgetMember(
  storage: Pick<Storage, 'requests' | 'openRequests' | 'jobs' | 'seeds' | 'recent'>,
  userId: string,
): Promise<Forgotten> {
  const forgotten: Forgotten = { requests: 0, indexEntries: 0, seeds: 0, recentJobs: 0 };
  for await (const [key, request] of storage.requests.entries()) {
    if (request.userId !== userId) continue;
    // Out of the open index first, as a closed request would be: nobody resumes it after this.
    await storage.openRequests.remove(request.id);
    if (await storage.requests.delete(key)) forgotten.requests++;
  }
  const jobids = new Set<string>();
  for await (const [key, entry] of storage.jobs.entries()) {
    if (entry.ownerId !== userId) continue;
    jobids.add(entry.jobid);
    if (await storage.jobs.delete(key)) forgotten.indexEntries++;
  }
  for (const jobid of jobids) if (await storage.seeds.delete(jobid)) forgotten.seeds++;
  for await (const [guildId, jobs] of storage.recent.entries()) {
    const kept = jobs.filter((job) => job.ownerId !== userId && !jobids.has(job.jobid));
    if (kept.length === jobs.length) continue;
    forgotten.recentJobs += jobs.length - kept.length;
    if (kept.length) await storage.recent.set(guildId, kept, INDEX_TTL_MS);
    else await storage.recent.delete(guildId);
  }
  return forgotten;
}
