// The hold rule as the seed service applies it: nothing goes upstream for an account channel on hold, and an account
// in trouble (useapi's 596, the proxy without a usable account) puts the channel on hold (alerting the moderators
// once, through holds.ts) and ends the request as `held`.
import { SeedError, type UpstreamError } from '../errors.js';
import type { Holds } from '../moderation/holds.js';
import type { JobidGrammar } from '../upstream.js';

export interface HoldGuard {
  /** Throws a `held` SeedError when the job's account channel is on hold. */
  check(jobid: string): Promise<void>;
  /** Puts the channel on hold and returns the `held` error to throw. */
  place(
    error: UpstreamError | { channel?: string | undefined; moderationText?: string | undefined },
    jobid: string,
  ): Promise<SeedError>;
}

export function createHoldGuard(deps: {
  holds: Holds;
  /** Which account a job belongs to. */
  jobids: Pick<JobidGrammar, 'accountOf'>;
  onUpstreamSignal?: ((signal: 'busy' | 'pending_moderation') => void) | undefined;
}): HoldGuard {
  return {
    async check(jobid) {
      const channel = deps.jobids.accountOf(jobid);
      if (!channel) return;
      const hold = await deps.holds.get(channel);
      if (hold) {
        throw new SeedError('held', `account channel ${channel} is held for moderation`, {
          channel,
          moderationText: hold.moderationText,
        });
      }
    },
    async place(error, jobid) {
      deps.onUpstreamSignal?.('pending_moderation');
      const channel = error.channel ?? deps.jobids.accountOf(jobid);
      if (channel) await deps.holds.place(channel, error.moderationText);
      return new SeedError('held', `account channel ${channel ?? 'unknown'} is pending moderation`, {
        channel,
        moderationText: error.moderationText,
      });
    },
  };
}
