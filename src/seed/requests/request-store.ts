// Where a request's states go: the request table and the open index, written in the order that keeps an open request
// always indexed, with the states storage could not take kept in memory until it answers again. Also the last error
// per account channel, and reading what is open through the index.
import type { Logger } from 'pino';
import { OPEN_STATES, type SeedRequest } from '../model/types.js';
import type { Storage } from '../ports.js';

/** Open requests read at once through the index; more are read by the next sweep. */
export const RESUME_BATCH = 1_000;
const READ_CHUNK = 200;

const requestKey = (id: string) => `req:${id}`;

export interface RequestStoreDeps {
  storage: Pick<Storage, 'requests' | 'openRequests' | 'lastErrors'>;
  now: () => number;
  /** Closed requests are kept this long (status pages), then expire. */
  doneTtlMs: number;
}

export function createRequestStore(deps: RequestStoreDeps) {
  /**
   * Requests whose latest state could not be stored (storage away): kept here and written first thing when storage
   * answers again, and preferred over the stored copy when this process takes them up again, so an outage never
   * makes it forget a seed job it started or an answer it gave.
   */
  const unsaved = new Map<string, SeedRequest>();

  async function persist(request: SeedRequest) {
    const closed = request.state === 'done' || request.state === 'failed';
    await deps.storage.requests.set(requestKey(request.id), request, closed ? deps.doneTtlMs : undefined);
    // Out of the open index only once stored as closed: an open request is never missing from it.
    if (closed) await deps.storage.openRequests.remove(request.id);
  }

  return {
    /** Indexed before it is stored: an open request is never missing from the index. */
    async add(request: SeedRequest) {
      await deps.storage.openRequests.add(request.id, request.createdAt);
      await deps.storage.requests.set(requestKey(request.id), request);
    },
    /** Record a new state; when storage does not take it, it is kept in memory and written when storage returns. */
    async save(request: SeedRequest, patch: Partial<SeedRequest>, log: Logger): Promise<void> {
      Object.assign(request, patch, { updatedAt: deps.now() });
      try {
        await persist(request);
        if (unsaved.get(request.id) === request) unsaved.delete(request.id);
      } catch (error) {
        unsaved.set(request.id, request);
        log.warn(
          { err: error, state: request.state },
          'could not store the request state; kept until storage answers',
        );
      }
    },
    /** Write what could not be stored; rejects (and keeps the rest) while storage is still away. */
    async flush() {
      for (const request of [...unsaved.values()]) {
        await persist(request);
        if (unsaved.get(request.id) === request) unsaved.delete(request.id);
      }
    },
    unsaved: () => unsaved.size,
    /** The newest state known: one this process could not store yet, or the stored one. */
    async latest(id: string): Promise<SeedRequest | undefined> {
      return unsaved.get(id) ?? (await deps.storage.requests.get(requestKey(id)));
    },
    /** The last error per account channel, for /midjourney status (one small record per channel, not a scan). */
    noteError(request: SeedRequest, kind: string) {
      // Set when the request was accepted, from the upstream's jobid grammar.
      const channel = request.accountChannel;
      if (!channel) return;
      void deps.storage.lastErrors.set(channel, { kind, at: deps.now() }, deps.doneTtlMs).catch(() => {});
    },
  };
}

/** The open requests, read through the index; ids whose request is closed or gone are dropped from it. */
export async function readOpenRequests(
  storage: Pick<Storage, 'openRequests' | 'requests'>,
  limit = RESUME_BATCH,
): Promise<SeedRequest[]> {
  const ids = await storage.openRequests.list(limit);
  const out: SeedRequest[] = [];
  for (let i = 0; i < ids.length; i += READ_CHUNK) {
    const chunk = ids.slice(i, i + READ_CHUNK);
    const found = await storage.requests.getMany(chunk.map(requestKey));
    chunk.forEach((id, j) => {
      const request = found[j];
      if (request && OPEN_STATES.has(request.state)) out.push(request);
      // A crash between storing the closed request and clearing its index entry: clear it now.
      else void storage.openRequests.remove(id).catch(() => {});
    });
  }
  return out;
}
