// The one abortable pause of the codebase: retries, backoffs and keyed waits all sleep through it.
import { setTimeout as timer } from 'node:timers/promises';

/** Sleep for `ms`; rejects with the signal's own reason (not an AbortError) when it aborts. */
export async function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  signal?.throwIfAborted();
  try {
    await timer(ms, undefined, { signal });
  } catch (error) {
    throw signal?.aborted ? signal.reason : error;
  }
}
