// The 596 rule as the seed service applies it: nothing goes upstream for an account channel on hold, and a 596 puts
// the channel on hold (alerting the moderators once, through holds.ts) and ends the request as `held`.
import type { UseapiError } from '../../useapi/errors.js';
import { SeedError } from '../errors.js';
import { channelOfJobid } from '../model/jobid.js';
import type { Holds } from '../moderation/holds.js';

export interface HoldGuard {
  /** Throws a `held` SeedError when the job's account channel is on hold. */
  check(jobid: string): Promise<void>;
  /** Puts the channel on hold and returns the `held` error to throw. */
  place(
    error: UseapiError | { channel?: string; moderationText?: string },
    jobid: string,
  ): Promise<SeedError>;
}

export function createHoldGuard(deps: {
  holds: Holds;
  onUpstreamSignal?: ((signal: 'busy' | 'pending_moderation') => void) | undefined;
}): HoldGuard {
  return {
    async check(jobid) {
      const channel = channelOfJobid(jobid);
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
      const channel = error.channel ?? channelOfJobid(jobid);
      if (channel) await deps.holds.place(channel, error.moderationText);
      return new SeedError('held', `account channel ${channel ?? 'unknown'} is pending moderation`, {
        channel,
        moderationText: error.moderationText,
      });
    },
  };
}
