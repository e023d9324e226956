// Waits on the REST log: a test waits for a request the bot made or will make.
import { DEFAULT_WAIT_MS } from './common.js';
import type { FakeDiscord, RecordedRest } from './types.js';
import type { World } from './world.js';

export function createRestLog({ world }: { world: World }) {
  const { rest, restWaiters } = world;

  /** A request was answered: wake the waits. */
  const answered = (record: RecordedRest): void => {
    for (const waiter of [...restWaiters]) waiter(record);
  };

  const waitForRest: FakeDiscord['waitForRest'] = (predicate, timeoutMs = DEFAULT_WAIT_MS) =>
    new Promise((resolve, reject) => {
      const seen = rest.find((r) => r.status !== 0 && predicate(r));
      if (seen) return resolve(seen);
      const waiter = (r: RecordedRest): void => {
        if (!predicate(r)) return;
        clearTimeout(timer);
        restWaiters.delete(waiter);
        resolve(r);
      };
      const timer = setTimeout(() => {
        restWaiters.delete(waiter);
        const last = rest.slice(-10).map((r) => `  ${r.method} ${r.path} -> ${r.status}`);
        reject(
          new Error(
            `fake-discord: timed out after ${timeoutMs} ms waiting for a REST request; last ones:\n${last.join('\n')}`,
          ),
        );
      }, timeoutMs);
      restWaiters.add(waiter);
    });

  return { answered, waitForRest };
}

export type RestLog = ReturnType<typeof createRestLog>;
