// Callbacks to a job's replyUrl, as useapi sends them: the whole job on every change, in order per job, each recorded
// once answered or failed.
import { createJsonCallbackSender, type SentCallback } from '../http/callback-sender.js';
import type { FakeJob } from './job.js';

export type FakeCallback = SentCallback<unknown>;

export interface CallbackSender {
  readonly sent: FakeCallback[];
  /** Posts a snapshot of the job to its replyUrl (none: nothing), after the job's earlier callbacks. */
  notify(job: FakeJob): void;
  settle(): Promise<void>;
  close(): Promise<void>;
}

export function createCallbackSender(): CallbackSender {
  const sender = createJsonCallbackSender<unknown>({ contentType: 'application/json', timeoutMs: 5_000 });
  return {
    sent: sender.sent,
    notify(job) {
      if (job.replyUrl !== undefined) sender.send(job.jobid, job.replyUrl, job);
    },
    settle: () => sender.settle(),
    close: () => sender.close(),
  };
}
