// Accepted requests are stored before anything goes upstream, move through their states in storage, and are resumed
// on start (or by another process) until they are answered. Replies go through the Notifier port, which needs only
// what is stored (application id + interaction token, or the channel), so any process can answer any request.
import type { Logger } from 'pino';
import type { Storage } from '../storage/port.js';
import { isUseapiError } from '../useapi/errors.js';
import { isSeedError, SeedError } from './errors.js';
import type { SeedService, SeedStatus } from './seed-service.js';
import { OPEN_STATES, type RequestState, type SeedRecord, type SeedRequest } from './types.js';

export type Progress = SeedStatus | { phase: 'accepted' };
export type DeliveredVia = NonNullable<SeedRequest['deliveredVia']>;

export interface Notifier {
  /** Show what is happening (paced by the processor). */
  progress(request: SeedRequest, progress: Progress): Promise<void>;
  /** The answer. `partial` when the seed is known but the images are still coming. */
  deliver(request: SeedRequest, record: SeedRecord, options: { partial: boolean }): Promise<DeliveredVia>;
  /** A failure the member must hear about (held requests too: they stay open). */
  fail(request: SeedRequest, error: unknown): Promise<DeliveredVia>;
}

export interface NewRequest
  extends Omit<SeedRequest, 'state' | 'createdAt' | 'updatedAt' | 'attempts' | 'deliveredVia' | 'lastError'> {
  /** A seed already known from the message (`--seed N` in the prompt): answered at once, images follow. */
  knownSeed?: { seed: number; prompt?: string | undefined } | undefined;
}

export interface RequestProcessor {
  /** Store the request and start working on it. Resolves once it is stored. */
  accept(request: NewRequest): Promise<SeedRequest>;
  /** Pick up every open request nobody is working on (start-up, and periodically for dead processes). */
  resumeOpen(filter?: (request: SeedRequest) => boolean): Promise<number>;
  /** Requests this process is working on now. */
  active(): number;
  /** Stop taking work, let running requests finish until the deadline, then leave the rest stored. */
  drain(deadlineMs: number): Promise<{ finished: number; left: number }>;
  openRequests(): Promise<SeedRequest[]>;
}

export interface RequestProcessorDeps {
  storage: Storage;
  seeds: SeedService;
  notifier: Notifier;
  log: Logger;
  /** Minimum time between two progress edits of one reply. */
  progressIntervalMs?: number;
  now?: () => number;
  /** Done requests are kept this long for status pages, then expire. */
  doneTtlMs?: number;
  onOutcome?: (outcome: 'done' | 'failed' | 'held' | 'left') => void;
}

const LOCK_TTL_MS = 60_000;

export function createRequestProcessor(deps: RequestProcessorDeps): RequestProcessor {
  const now = deps.now ?? Date.now;
  const progressInterval = deps.progressIntervalMs ?? 5_000;
  const doneTtl = deps.doneTtlMs ?? 7 * 24 * 60 * 60 * 1000;
  const running = new Map<string, { promise: Promise<void>; abort: AbortController }>();
  let draining = false;

  const key = (id: string) => `req:${id}`;

  async function save(request: SeedRequest, patch: Partial<SeedRequest>): Promise<SeedRequest> {
    Object.assign(request, patch, { updatedAt: now() });
    const closed = request.state === 'done' || request.state === 'failed';
    await deps.storage.requests.set(key(request.id), request, closed ? doneTtl : undefined);
    return request;
  }

  function pacer(request: SeedRequest) {
    let last = 0;
    let lastPhase = '';
    let pending: Promise<void> = Promise.resolve();
    return (progress: Progress) => {
      const t = now();
      const phaseKey = progress.phase === 'queued' ? `queued:${progress.position}` : progress.phase;
      if (phaseKey === lastPhase && t - last < progressInterval) return;
      if (t - last < 1_000 && progress.phase === 'waiting') return;
      last = t;
      lastPhase = phaseKey;
      pending = pending
        .then(() => deps.notifier.progress(request, progress))
        .catch((error) => deps.log.debug({ err: error, requestId: request.id }, 'progress update failed'));
    };
  }

  async function work(request: SeedRequest, signal: AbortSignal, knownSeed?: NewRequest['knownSeed']) {
    const log = deps.log.child({ cid: request.correlationId, requestId: request.id, jobid: request.jobid });
    const progress = pacer(request);
    try {
      if (knownSeed) {
        await deps.notifier.deliver(
          request,
          {
            jobid: request.jobid,
            seed: knownSeed.seed,
            prompt: knownSeed.prompt,
            messageId: request.messageId,
            server: request.guildId,
            channel: request.channelId,
            images: [],
            retrievedAt: now(),
            source: 'prompt',
          },
          { partial: true },
        );
      }
      await save(request, { state: 'running', attempts: request.attempts + 1 });
      const record = await deps.seeds.retrieve(request.jobid, {
        user: request.userId,
        replyRef: `${request.id}:${request.correlationId}`,
        seedJobId: request.seedJobId,
        signal,
        onSeedJob: async (seedJobId) => {
          if (request.seedJobId !== seedJobId) await save(request, { seedJobId });
        },
        onStatus: (status) => {
          if (status.phase === 'queued' && request.state !== 'queued')
            void save(request, { state: 'queued' });
          if (status.phase === 'asking' && request.state !== 'running')
            void save(request, { state: 'running' });
          progress(status);
        },
      });
      await save(request, { state: 'delivering' });
      const via = await deps.notifier.deliver(request, record, { partial: false });
      await save(request, { state: 'done', deliveredVia: via });
      deps.onOutcome?.('done');
      log.info({ via, seed: record.seed }, 'request answered');
    } catch (error) {
      if (signal.aborted) {
        // Shutting down: the request stays open in storage and resumes on the next start.
        deps.onOutcome?.('left');
        log.info({ state: request.state }, 'request left for the next start');
        return;
      }
      const kind = isSeedError(error) || isUseapiError(error) ? error.kind : 'internal';
      if (isSeedError(error) && error.kind === 'held') {
        // Kept: it runs again by itself when a moderator resets the account.
        const wasHeld = request.state === 'held';
        await save(request, {
          state: 'held',
          lastError: kind,
          accountChannel: error.details.channel ?? request.accountChannel,
        });
        if (!wasHeld)
          await deps.notifier
            .fail(request, error)
            .catch((e) => log.warn({ err: e }, 'could not tell the member'));
        deps.onOutcome?.('held');
        log.warn({ channel: error.details.channel }, 'request held: account pending moderation');
        return;
      }
      if (kind === 'internal') log.error({ err: error }, 'request failed');
      else log.info({ kind }, 'request failed');
      const via = await deps.notifier.fail(request, error).catch((e) => {
        log.warn({ err: e }, 'could not tell the member');
        return 'none' as const;
      });
      await save(request, { state: 'failed', lastError: kind, deliveredVia: via });
      deps.onOutcome?.('failed');
    }
  }

  async function start(request: SeedRequest, knownSeed?: NewRequest['knownSeed']): Promise<boolean> {
    if (running.has(request.id)) return false;
    const lease = await deps.storage.coordinator.tryLock(`request:${request.id}`, LOCK_TTL_MS);
    if (!lease) return false;
    // Re-read under the lock: another process may have finished it meanwhile.
    const fresh = (await deps.storage.requests.get(key(request.id))) ?? request;
    if (!OPEN_STATES.has(fresh.state)) {
      await lease.release();
      return false;
    }
    const abort = new AbortController();
    const keepAlive = setInterval(() => void lease.extend(LOCK_TTL_MS).catch(() => {}), LOCK_TTL_MS / 3);
    keepAlive.unref();
    const promise = work(fresh, abort.signal, knownSeed)
      .catch((error) => deps.log.error({ err: error, requestId: request.id }, 'request crashed'))
      .finally(async () => {
        clearInterval(keepAlive);
        running.delete(request.id);
        await lease.release().catch(() => {});
      });
    running.set(request.id, { promise, abort });
    return true;
  }

  return {
    async accept(input) {
      if (draining) throw new SeedError('shutting_down', 'the bot is shutting down');
      const { knownSeed, ...rest } = input;
      const t = now();
      const request: SeedRequest = { ...rest, state: 'accepted', createdAt: t, updatedAt: t, attempts: 0 };
      await deps.storage.requests.set(key(request.id), request);
      await start(request, knownSeed);
      return request;
    },
    async resumeOpen(filter) {
      if (draining) return 0;
      let resumed = 0;
      const open: SeedRequest[] = [];
      for await (const [, request] of deps.storage.requests.entries()) {
        if (OPEN_STATES.has(request.state) && !running.has(request.id) && (!filter || filter(request))) {
          open.push(request);
        }
      }
      open.sort((a, b) => a.createdAt - b.createdAt);
      for (const request of open) if (await start(request)) resumed++;
      if (resumed) deps.log.info({ resumed }, 'resumed open requests');
      return resumed;
    },
    active: () => running.size,
    async drain(deadlineMs) {
      draining = true;
      const all = [...running.values()];
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), deadlineMs).unref());
      const result = await Promise.race([
        Promise.all(all.map((r) => r.promise)).then(() => 'ok' as const),
        timeout,
      ]);
      const left = result === 'timeout' ? running.size : 0;
      if (left) {
        for (const r of running.values()) r.abort.abort(new SeedError('shutting_down', 'shutting down'));
        await Promise.race([
          Promise.allSettled([...running.values()].map((r) => r.promise)),
          new Promise((r) => setTimeout(r, 1_000).unref()),
        ]);
      }
      return { finished: all.length - left, left };
    },
    async openRequests() {
      const out: SeedRequest[] = [];
      for await (const [, request] of deps.storage.requests.entries()) {
        if (OPEN_STATES.has(request.state as RequestState)) out.push(request);
      }
      return out.sort((a, b) => a.createdAt - b.createdAt);
    },
  };
}
