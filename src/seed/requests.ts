// Accepted requests are stored before anything goes upstream, move through their states in storage, and are resumed
// on start (or by another process) until they are answered. Replies go through the Notifier port, which needs only
// what is stored (application id + interaction token, or the channel), so any process can answer any request.
import type { Logger } from 'pino';
import type { Storage } from '../storage/port.js';
import { isUseapiError } from '../useapi/errors.js';
import { logUpstreamFailure } from '../useapi/severity.js';
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
  knownSeed?: { seed: number; prompt?: string | undefined; channelId?: string | undefined } | undefined;
}

export interface RequestProcessor {
  /** Store the request and start working on it. Resolves once it is stored. */
  accept(request: NewRequest): Promise<SeedRequest>;
  /** Pick up every open request nobody is working on (start-up, and periodically for dead processes). */
  resumeOpen(filter?: (request: SeedRequest) => boolean): Promise<number>;
  /** Requests this process is working on now. */
  active(): number;
  /**
   * Stop taking work. Requests that only wait (in the queue, or for useapi) are left at once: they are stored and
   * resume on the next start. Replies being written are let finish until the deadline.
   */
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
  /** A process's claim on a request lasts this long between renewals: after a crash, others take over after it. */
  lockTtlMs?: number;
}

const LOCK_TTL_MS = 60_000;
/** Least time between two progress edits of one reply when the phase changes. */
const PHASE_GAP_MS = 1_000;

export function createRequestProcessor(deps: RequestProcessorDeps): RequestProcessor {
  const now = deps.now ?? Date.now;
  const lockTtl = deps.lockTtlMs ?? LOCK_TTL_MS;
  const progressInterval = deps.progressIntervalMs ?? 5_000;
  const doneTtl = deps.doneTtlMs ?? 7 * 24 * 60 * 60 * 1000;
  const running = new Map<string, { promise: Promise<void>; abort: AbortController; request: SeedRequest }>();
  let draining = false;

  const key = (id: string) => `req:${id}`;

  async function save(request: SeedRequest, patch: Partial<SeedRequest>): Promise<SeedRequest> {
    Object.assign(request, patch, { updatedAt: now() });
    const closed = request.state === 'done' || request.state === 'failed';
    await deps.storage.requests.set(key(request.id), request, closed ? doneTtl : undefined);
    return request;
  }

  /**
   * Progress edits of one reply: the first at once, a new phase after a second, the same phase again (a queue
   * position, the seconds waited) at most once per interval, so a long queue moving does not flood Discord; always
   * the latest state, and none once the answer is on its way.
   */
  function pacer(request: SeedRequest, log: Logger) {
    let last = 0;
    let shown = '';
    let shownPhase = '';
    let latest: Progress | undefined;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    let pending: Promise<void> = Promise.resolve();
    const keyOf = (p: Progress) => (p.phase === 'queued' ? `queued:${p.position}` : p.phase);
    const flush = () => {
      timer = undefined;
      const progress = latest;
      latest = undefined;
      if (stopped || !progress) return;
      const key = keyOf(progress);
      // The waiting text counts seconds, so it is worth showing again; the others are not.
      if (key === shown && progress.phase !== 'waiting') return;
      shown = key;
      shownPhase = progress.phase;
      last = now();
      pending = pending
        .then(() => deps.notifier.progress(request, progress))
        .catch((error) => log.debug({ err: error }, 'progress update failed'));
    };
    const push = (progress: Progress) => {
      if (stopped) return;
      latest = progress;
      if (timer) clearTimeout(timer);
      const gap = progress.phase === shownPhase ? progressInterval : PHASE_GAP_MS;
      const wait = last + gap - now();
      if (wait <= 0) flush();
      else {
        timer = setTimeout(flush, wait);
        timer.unref();
      }
    };
    /** No more progress edits; resolves once the last one sent is done (so the answer lands after it). */
    const stop = async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await pending;
    };
    return { push, stop };
  }

  async function work(request: SeedRequest, signal: AbortSignal, knownSeed?: NewRequest['knownSeed']) {
    const log = deps.log.child({ cid: request.correlationId, requestId: request.id, jobid: request.jobid });
    // With the seed already shown (from the prompt), progress lines would replace it: only the images follow.
    const progress = knownSeed ? { push: () => {}, stop: async () => {} } : pacer(request, log);
    const saveQuietly = (patch: Partial<SeedRequest>) =>
      save(request, patch).catch((error) => log.warn({ err: error }, 'could not store the request state'));
    const shown: SeedRecord | undefined = knownSeed && {
      jobid: request.jobid,
      seed: knownSeed.seed,
      prompt: knownSeed.prompt,
      messageId: request.messageId,
      server: request.guildId,
      channel: knownSeed.channelId ?? request.channelId,
      images: [],
      retrievedAt: now(),
      source: 'prompt',
    };
    // A failure after the seed was shown keeps the seed on screen (without images) instead of an error line.
    const tell = (error: unknown) =>
      shown ? deps.notifier.deliver(request, shown, { partial: false }) : deps.notifier.fail(request, error);
    try {
      if (shown) await deps.notifier.deliver(request, shown, { partial: true });
      await save(request, { state: 'running', attempts: request.attempts + 1 });
      const record = await deps.seeds.retrieve(request.jobid, {
        user: request.userId,
        replyRef: `${request.id}:${request.correlationId}`,
        seedJobId: request.seedJobId,
        signal,
        log,
        // Stored even when the request was left (shutting down): the next start follows this job, not a new one.
        onSeedJob: async (seedJobId) => {
          if (request.seedJobId !== seedJobId) await saveQuietly({ seedJobId });
        },
        onStatus: (status) => {
          if (signal.aborted) return;
          if (status.phase === 'queued' && request.state !== 'queued') void saveQuietly({ state: 'queued' });
          if (status.phase === 'asking' && request.state !== 'running')
            void saveQuietly({ state: 'running' });
          progress.push(status);
        },
      });
      await progress.stop();
      await save(request, { state: 'delivering' });
      const via = await deps.notifier.deliver(request, record, { partial: false });
      await save(request, { state: 'done', deliveredVia: via });
      deps.onOutcome?.('done');
      log.info({ via, seed: record.seed }, 'request answered');
    } catch (error) {
      await progress.stop();
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
          // That seed job ended (or will) without a seed: after the reset a new one is asked for.
          seedJobId: undefined,
        });
        if (!wasHeld) await tell(error).catch((e) => log.warn({ err: e }, 'could not tell the member'));
        deps.onOutcome?.('held');
        log.warn({ channel: error.details.channel }, 'request held: account pending moderation');
        return;
      }
      if (kind === 'internal') log.error({ err: error }, 'request failed');
      else logUpstreamFailure(log, error, { kind }, 'request failed');
      const via = await tell(error).catch((e) => {
        log.warn({ err: e }, 'could not tell the member');
        return 'none' as const;
      });
      await save(request, { state: 'failed', lastError: kind, deliveredVia: via });
      deps.onOutcome?.('failed');
    }
  }

  async function start(request: SeedRequest, knownSeed?: NewRequest['knownSeed']): Promise<boolean> {
    if (running.has(request.id)) return false;
    const lease = await deps.storage.coordinator.tryLock(`request:${request.id}`, lockTtl);
    if (!lease) return false;
    // Re-read under the lock: another process may have finished it meanwhile.
    const fresh = (await deps.storage.requests.get(key(request.id))) ?? request;
    if (!OPEN_STATES.has(fresh.state)) {
      await lease.release();
      return false;
    }
    const abort = new AbortController();
    const keepAlive = setInterval(() => void lease.extend(lockTtl).catch(() => {}), lockTtl / 3);
    keepAlive.unref();
    const promise = work(fresh, abort.signal, knownSeed)
      .catch((error) =>
        deps.log.error({ err: error, cid: request.correlationId, requestId: request.id }, 'request crashed'),
      )
      .finally(async () => {
        clearInterval(keepAlive);
        running.delete(request.id);
        await lease.release().catch(() => {});
      });
    running.set(request.id, { promise, abort, request: fresh });
    return true;
  }

  return {
    async accept(input) {
      const { knownSeed, ...rest } = input;
      const t = now();
      const request: SeedRequest = { ...rest, state: 'accepted', createdAt: t, updatedAt: t, attempts: 0 };
      await deps.storage.requests.set(key(request.id), request);
      deps.log.debug(
        { cid: request.correlationId, requestId: request.id, jobid: request.jobid },
        'request stored',
      );
      // Shutting down: the request is kept (as the member is told) and the next start answers it.
      if (draining) throw new SeedError('shutting_down', 'the bot is shutting down');
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
      const reason = new SeedError('shutting_down', 'shutting down');
      // Waiting costs nothing to resume later; a reply half written is finished now.
      const leave = (r: (typeof all)[number]) => {
        if (r.request.state !== 'delivering') r.abort.abort(reason);
      };
      for (const r of all) leave(r);
      const timeout = new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), deadlineMs).unref());
      const result = await Promise.race([
        Promise.allSettled(all.map((r) => r.promise)).then(() => 'ok' as const),
        timeout,
      ]);
      if (result === 'timeout') {
        for (const r of running.values()) r.abort.abort(reason);
        await Promise.race([
          Promise.allSettled([...running.values()].map((r) => r.promise)),
          new Promise((r) => setTimeout(r, 1_000).unref()),
        ]);
      }
      const left = all.filter((r) => r.abort.signal.aborted && OPEN_STATES.has(r.request.state)).length;
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
