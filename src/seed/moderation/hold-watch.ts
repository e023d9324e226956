// For an upstream whose accounts come back by themselves (a midjourney-proxy: no reset route, its operator unlocks
// accounts in its own admin page), held accounts are checked again every `everyMs`; a usable one has its hold cleared,
// which makes its waiting requests run again in every process, and the moderators' alert is marked resolved
// (`onCleared`). Not audited: nobody reset anything. useapi's 596 holds
// are never re-checked by program: a human acknowledges Midjourney's message first, then resets.
import type { Logger } from 'pino';
import type { Hold } from '../model/types.js';
import type { Coordinator } from '../ports.js';
import type { RequestProcessor } from '../requests/processor.js';
import type { Upstream } from '../upstream.js';
import type { Holds } from './holds.js';
import { heldJobOf, RESET_LOCK_MS, resetLockKey } from './moderation.js';

export interface HoldWatch {
  start(): void;
  stop(): void;
}

export interface HoldWatchDeps {
  holds: Pick<Holds, 'list' | 'clear'>;
  upstream: Pick<Upstream, 'checkAccount' | 'jobids'>;
  coordinator: Pick<Coordinator, 'tryLock'>;
  requests: Pick<RequestProcessor, 'openRequests'>;
  everyMs: number;
  log: Logger;
  /** After this process cleared a hold (the account is usable again): the alert says it is resolved. */
  onCleared?: ((hold: Hold) => void) | undefined;
}

export function createHoldWatch(deps: HoldWatchDeps): HoldWatch {
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  /** True when the account was usable again and its hold cleared. */
  async function recheck(channel: string): Promise<boolean> {
    // One check at a time per account, across processes (a moderator's reset included).
    const lease = await deps.coordinator.tryLock(resetLockKey(channel), RESET_LOCK_MS);
    if (!lease) return false;
    try {
      const probe = heldJobOf(await deps.requests.openRequests(), channel, deps.upstream);
      const check = await deps.upstream.checkAccount(channel, probe);
      if (check.held) return false;
      const cleared = await deps.holds.clear(channel);
      deps.log.info({ channel }, 'the account is usable again: hold cleared, its requests run again');
      if (cleared) deps.onCleared?.(cleared);
      return true;
    } finally {
      await lease.release();
    }
  }

  async function round() {
    if (running) return;
    running = true;
    try {
      for (const hold of await deps.holds.list()) await recheck(hold.channel);
    } catch (error) {
      deps.log.debug({ err: error }, 'could not check the held accounts again; trying later');
    } finally {
      running = false;
    }
  }

  return {
    start() {
      timer = setInterval(() => void round(), deps.everyMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
    },
  };
}
