// What moderators need when Midjourney holds an account (useapi's 596, a midjourney-proxy without a usable account):
// the state of every account of the upstream, and the reset that follows a human's work. The reset is the only call
// here that changes anything upstream (where the upstream has one: the proxy's accounts are unlocked in its own admin
// page, and the reset only re-checks); it is never repeated by program (a 596 from it means "still pending": a human
// must act first), and nothing here acknowledges Midjourney's message. Every reset is audited. No discord.js here.
import type { Logger } from 'pino';
import { isHoldError, isUpstreamError, upstreamFailureKind } from '../errors.js';
import type { Hold, ResetAudit, SeedRequest } from '../model/types.js';
import type { Storage } from '../ports.js';
import type { RequestProcessor } from '../requests/processor.js';
import { readOpenRequests } from '../requests/request-store.js';
import type { Upstream, UpstreamAccount, UpstreamName } from '../upstream.js';
import type { Holds } from './holds.js';

export type ResetResult = ResetAudit['result'];

export type ResetOutcome =
  | {
      result: ResetResult;
      channel: string;
      audit: ResetAudit;
      /** The hold the reset cleared (ok), or the one that still stands. */
      hold: Hold | undefined;
      /** Held requests of the channel that run again (ok). */
      released: number;
      /** For `error`: the kind of failure (e.g. `unavailable`), never upstream text. */
      reason?: string | undefined;
    }
  /** Another moderator's reset of the same channel is running: nothing was sent upstream, nothing audited. */
  | { result: 'in_progress'; channel: string };

export interface AccountStatus {
  channel: string;
  /** False for a held channel that the upstream did not list. */
  configured: boolean;
  /** The Discord token as the upstream shows it (already masked by it). */
  discord?: string | undefined;
  maxJobs?: number | undefined;
  pendingModMessage?: string | undefined;
  hold?: Hold | undefined;
  /** Open (stored, unanswered) requests for this channel. */
  waiting: number;
  /** Jobs the upstream is executing on this channel. */
  executing: string[];
  lastError?: { kind: string; at: number } | undefined;
  /** The last five resets, newest first. */
  resets: ResetAudit[];
}

export interface ModerationStatus {
  accounts: AccountStatus[];
  /** Set when GET /account/midjourney failed: only held channels are listed then. */
  accountsError?: string | undefined;
  /** Set when GET /jobs failed. */
  executingError?: string | undefined;
}

export interface Moderation {
  /** Which upstream the accounts are at (the texts moderators read differ). */
  readonly upstream: UpstreamName;
  /** The upstream has a reset route; without one, a reset only re-checks (the account is unlocked upstream). */
  readonly canReset: boolean;
  /** Is this an account id of the upstream (what a reset accepts)? */
  isAccount(value: string): boolean;
  status(): Promise<ModerationStatus>;
  reset(channel: string, byUserId: string): Promise<ResetOutcome>;
  /** Account channels for autocomplete; cached for a minute. */
  accountChannels(): Promise<string[]>;
  /** Midjourney's pending moderation text of a channel as the upstream stores it, when it has one. */
  pendingModMessage(channel: string): Promise<string | undefined>;
}

export interface ModerationDeps {
  upstream: Upstream;
  holds: Holds;
  storage: Storage;
  /** Source of open requests; read from storage when absent. */
  requests?: Pick<RequestProcessor, 'openRequests'> | undefined;
  log: Logger;
  now?: () => number;
  /** After every audited reset (to post it where moderators see it). Errors are logged, not thrown. */
  onReset?: ((outcome: Extract<ResetOutcome, { audit: ResetAudit }>) => void | Promise<void>) | undefined;
}

const ACCOUNTS_TTL_MS = 60_000;
const AUDIT_KEEP = 50;
const SHOWN_RESETS = 5;
export const RESET_LOCK_MS = 60_000;
/** One reset (or re-check) of an account at a time, across processes. */
export const resetLockKey = (channel: string) => `mod-reset:${channel}`;

export const auditKey = (channel: string) => `audit:${channel}`;

/** A failed reset or re-read, as the typed result moderators see. */
function resultOf(error: unknown): { result: ResetResult; reason?: string } {
  if (isUpstreamError(error)) {
    if (error.kind === 'unauthorized') return { result: 'unauthorized' };
    if (error.kind === 'not_found') return { result: 'not_found' };
    if (isHoldError(error)) return { result: 'still_pending' };
    return { result: 'error', reason: error.status ? `${error.kind}, HTTP ${error.status}` : error.kind };
  }
  return { result: 'error', reason: 'internal' };
}

/** The oldest request held for the account: what an upstream without an account route is asked about. */
export const heldJobOf = (
  open: SeedRequest[],
  channel: string,
  upstream: Pick<Upstream, 'jobids'>,
): string | undefined =>
  open.find((r) => r.state === 'held' && (r.accountChannel ?? upstream.jobids.accountOf(r.jobid)) === channel)
    ?.jobid;

export function createModeration(deps: ModerationDeps): Moderation {
  const now = deps.now ?? Date.now;
  const { upstream } = deps;
  const accountOf = (request: SeedRequest) =>
    request.accountChannel ?? upstream.jobids.accountOf(request.jobid);
  let cachedAccounts: { at: number; accounts: UpstreamAccount[] } | undefined;

  async function accounts(fresh = false): Promise<UpstreamAccount[]> {
    if (!fresh && cachedAccounts && now() - cachedAccounts.at < ACCOUNTS_TTL_MS)
      return cachedAccounts.accounts;
    const list = await upstream.getAccounts();
    cachedAccounts = { at: now(), accounts: list };
    return list;
  }

  /** What is open, from the open index: the cost follows what is open, not the history stored. */
  const openRequests = (): Promise<SeedRequest[]> =>
    deps.requests ? deps.requests.openRequests() : readOpenRequests(deps.storage);

  const resetsOf = async (channel: string) => (await deps.storage.audit.get(auditKey(channel))) ?? [];

  async function audit(entry: ResetAudit) {
    const previous = await resetsOf(entry.channel);
    await deps.storage.audit.set(auditKey(entry.channel), [...previous, entry].slice(-AUDIT_KEEP));
  }

  const probeOf = async (channel: string) => heldJobOf(await openRequests(), channel, upstream);

  /** Reset (where the upstream has a route for it), then re-check the account: only a clear account counts as done. */
  async function resetUpstream(
    channel: string,
  ): Promise<{ result: ResetResult; reason?: string; pendingText?: string }> {
    try {
      await upstream.resetAccount?.(channel);
    } catch (error) {
      deps.log.warn({ err: error, channel }, 'the upstream refused the account reset');
      return resultOf(error);
    }
    try {
      const check = await upstream.checkAccount(channel, await probeOf(channel));
      return check.held ? { result: 'still_pending', pendingText: check.text } : { result: 'ok' };
    } catch (error) {
      deps.log.warn({ err: error, channel }, 'could not re-read the account after the reset');
      return resultOf(error);
    }
  }

  return {
    upstream: upstream.name,
    canReset: upstream.resetAccount !== undefined,
    isAccount: (value) => upstream.jobids.isAccount(value),
    async status() {
      const [listed, executing, holds, open] = await Promise.all([
        // A moderator reads this before a reset: always the current state, never the autocomplete cache.
        accounts(true).then(
          (list) => ({ list, error: undefined }),
          (error: unknown) => ({ list: [] as UpstreamAccount[], error: upstreamFailureKind(error) }),
        ),
        upstream.getExecutingJobs().then(
          (jobids) => ({ jobids, error: undefined }),
          (error: unknown) => ({ jobids: [] as string[], error: upstreamFailureKind(error) }),
        ),
        deps.holds.list(),
        openRequests(),
      ]);
      if (listed.error) deps.log.warn({ kind: listed.error }, 'could not list the Midjourney accounts');
      const channels = [
        ...listed.list.map((a) => a.channel),
        ...holds.map((h) => h.channel).filter((c) => !listed.list.some((a) => a.channel === c)),
      ];
      const statuses = await Promise.all(
        channels.map(async (channel): Promise<AccountStatus> => {
          const account = listed.list.find((a) => a.channel === channel);
          const resets = await resetsOf(channel);
          return {
            channel,
            configured: account !== undefined,
            discord: account?.discord,
            maxJobs: account?.maxJobs,
            pendingModMessage: account?.pendingModMessage,
            // A hold stored by an older version has no index entry: looked up by its channel.
            hold: holds.find((h) => h.channel === channel) ?? (await deps.holds.get(channel)),
            waiting: open.filter((r) => accountOf(r) === channel).length,
            executing: executing.jobids.filter((jobid) => upstream.jobids.accountOf(jobid) === channel),
            lastError: await deps.storage.lastErrors.get(channel),
            resets: resets.slice(-SHOWN_RESETS).reverse(),
          };
        }),
      );
      return { accounts: statuses, accountsError: listed.error, executingError: executing.error };
    },

    async reset(channel, byUserId) {
      const lease = await deps.storage.coordinator.tryLock(resetLockKey(channel), RESET_LOCK_MS);
      if (!lease) return { result: 'in_progress', channel };
      try {
        const { result, reason, pendingText } = await resetUpstream(channel);
        let hold = await deps.holds.get(channel);
        let released = 0;
        if (result === 'ok') {
          released = (await openRequests()).filter(
            (r) => r.state === 'held' && r.accountChannel === channel,
          ).length;
          // Clearing the hold is what makes the waiting requests run (every process listens for it).
          hold = (await deps.holds.clear(channel)) ?? hold;
        } else if (result === 'still_pending' && !hold) {
          // The upstream says the account is held: guard it like any other hold.
          hold = (await deps.holds.place(channel, pendingText)).hold;
        }
        const entry: ResetAudit = { channel, by: byUserId, at: now(), result, incidentId: hold?.incidentId };
        await audit(entry);
        cachedAccounts = undefined;
        deps.log.info({ channel, by: byUserId, result, reason, released }, 'account reset audited');
        const outcome = { result, channel, audit: entry, hold, released, reason };
        try {
          await deps.onReset?.(outcome);
        } catch (error) {
          deps.log.error({ err: error, channel }, 'could not report the reset');
        }
        return outcome;
      } finally {
        await lease.release();
      }
    },

    async accountChannels() {
      return (await accounts()).map((a) => a.channel);
    },

    async pendingModMessage(channel) {
      return (await accounts(true)).find((a) => a.channel === channel)?.pendingModMessage;
    },
  };
}
