// Faults a test injects into REST: requests held before they are handled, and requests answered with a 5xx instead.
import type { FakeDiscord } from './types.js';
import type { RestFailure, World } from './world.js';

export function createFaults({ world }: { world: World }) {
  const { delays, failures } = world;

  /** Hold every REST request matching `match` for `ms` before handling it; returns the undo. */
  const delayRest: FakeDiscord['delayRest'] = (match, ms) => {
    const delay = { match, ms };
    delays.add(delay);
    return () => {
      delays.delete(delay);
    };
  };

  const failRest: FakeDiscord['failRest'] = (match, status, times) => {
    failures.add({ match, status, left: times });
  };

  /** How long a request is held: the longest delay that matches it. */
  const heldFor = (method: string, path: string): number =>
    Math.max(0, ...[...delays].filter((d) => d.match(method, path)).map((d) => d.ms));

  /** The failure that answers this request instead of its route, counted down; undefined when none matches. */
  const takeFailure = (method: string, path: string): RestFailure | undefined => {
    const failure = [...failures].find((f) => f.left > 0 && f.match(method, path));
    if (!failure) return undefined;
    failure.left--;
    if (failure.left === 0) failures.delete(failure);
    return failure;
  };

  return { delayRest, failRest, heldFor, takeFailure };
}

export type Faults = ReturnType<typeof createFaults>;
