// Callbacks to a job's replyUrl, as useapi sends them: the whole job on every change, in order per job, each recorded
// once answered or failed.
import type { FakeJob } from './job.js';

export interface FakeCallback {
  url: string;
  body: unknown;
  status: number | 'error';
}

const CALLBACK_TIMEOUT_MS = 5_000;

export interface CallbackSender {
  readonly sent: FakeCallback[];
  /** Posts a snapshot of the job to its replyUrl (none: nothing), after the job's earlier callbacks. */
  notify(job: FakeJob): void;
  settle(): Promise<void>;
  close(): Promise<void>;
}

export function createCallbackSender(): CallbackSender {
  const sent: FakeCallback[] = [];
  /** Per job, the chain of its callbacks, so they arrive in order. */
  const chains = new Map<string, Promise<void>>();
  const closing = new AbortController();

  const post = async (url: string, body: unknown): Promise<void> => {
    let status: number | 'error' = 'error';
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(CALLBACK_TIMEOUT_MS)]),
      });
      status = response.status;
      await response.arrayBuffer().catch(() => undefined);
    } catch {
      status = 'error';
    }
    sent.push({ url, body, status });
  };

  return {
    sent,
    notify(job) {
      const url = job.replyUrl;
      if (url === undefined || closing.signal.aborted) return;
      const snapshot: unknown = structuredClone(job);
      const previous = chains.get(job.jobid) ?? Promise.resolve();
      chains.set(
        job.jobid,
        previous.then(() => post(url, snapshot)),
      );
    },
    async settle() {
      // A callback can be chained while we wait: loop until no chain changed.
      for (;;) {
        const pending = [...chains.values()];
        await Promise.allSettled(pending);
        if ([...chains.values()].every((c, i) => c === pending[i])) return;
      }
    },
    async close() {
      closing.abort();
      await Promise.allSettled([...chains.values()]);
    },
  };
}
