// For an upstream whose accounts come back by themselves (a midjourney-proxy: no reset route, its operator unlocks
// accounts in its own admin page), held accounts are checked again every `everyMs`; a usable one has its hold cleared,
// which makes its waiting requests run again in every process. useapi's 596 holds are never re-checked by program:
// a human acknowledges Midjourney's message first, then resets.
import type { Logger } from 'pino';
import type { Holds } from './holds.js';
import type { Moderation } from './moderation.js';

export interface HoldWatch {
  start(): void;
  stop(): void;
}

export function createHoldWatch(deps: {
  holds: Pick<Holds, 'list'>;
  moderation: Pick<Moderation, 'recheck'>;
  everyMs: number;
  log: Logger;
}): HoldWatch {
  let timer: NodeJS.Timeout | undefined;
  let running = false;

  async function round() {
    if (running) return;
    running = true;
    try {
      for (const hold of await deps.holds.list()) await deps.moderation.recheck(hold.channel);
    } catch (error) {
      deps.log.debug({ err: error }, 'could not look at the held accounts; trying later');
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
