// Waits on the REST log: a test waits for a request the bot made or will make.
import { DEFAULT_WAIT_MS, present, waitUntil } from './common.js';
import type { FakeDiscord, RecordedRest } from './types.js';
import type { World } from './world.js';

export function createRestLog({ world }: { world: World }) {
  const { rest, restWaiters } = world;

  /** A request was answered: wake the waits. */
  const answered = (record: RecordedRest): void => {
    for (const waiter of [...restWaiters]) waiter(record);
  };

  /** The first request matching `predicate` that was answered already, or else the next one. */
  const waitForRest: FakeDiscord['waitForRest'] = async (predicate, timeoutMs = DEFAULT_WAIT_MS) => {
    const seen = rest.find((r) => r.status !== 0 && predicate(r));
    if (seen) return seen;
    // A holder, not a `let`: the record is set inside the check, which control flow cannot see.
    const hit: { record?: RecordedRest } = {};
    const matches = (r?: RecordedRest): boolean => {
      if (r && predicate(r)) hit.record = r;
      return hit.record !== undefined;
    };
    await waitUntil(restWaiters, matches, timeoutMs, () => {
      const last = rest.slice(-10).map((r) => `  ${r.method} ${r.path} -> ${r.status}`);
      return new Error(
        `fake-discord: timed out after ${timeoutMs} ms waiting for a REST request; last ones:\n${last.join('\n')}`,
      );
    });
    return present(hit.record, 'the request');
  };

  return { answered, waitForRest };
}

export type RestLog = ReturnType<typeof createRestLog>;
