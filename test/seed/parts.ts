// Small builders shared by the unit tests of the seed service's parts (follower, starter, single flight).

import { SeedError } from '../../src/seed/errors.js';
import type { GuardedLease } from '../../src/seed/lease-guard.js';
import type { HoldGuard } from '../../src/seed/retrieval/hold-guard.js';
import { silentLogger } from '../helpers/builders.js';

export const silent = silentLogger;

/** A hold guard that never holds, and records what it was asked to place. */
export function openGuard(): HoldGuard & { placed: string[] } {
  const placed: string[] = [];
  return {
    placed,
    async check() {},
    async place(_error, jobid) {
      placed.push(jobid);
      return new SeedError('held', `held ${jobid}`);
    },
  };
}

/** A lease that holds until `lose()` is called. */
export function testLease(): GuardedLease & { lose(): void; checks: number } {
  const abort = new AbortController();
  const lease = {
    checks: 0,
    signal: abort.signal,
    async holds() {
      lease.checks++;
      return !abort.signal.aborted;
    },
    async assertHeld() {
      if (!(await lease.holds())) throw abort.signal.reason;
    },
    async release() {},
    lose: () => abort.abort(new Error('lease lost')),
  };
  return lease;
}
