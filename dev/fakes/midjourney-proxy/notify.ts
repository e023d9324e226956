// notifyHook callbacks as the proxy sends them (NotifyService): POST application/json, the whole task, on every
// status or progress change; an update that is not newer than the last one sent for the task is dropped; no retries,
// no signature. Sent in order per task; each attempt is recorded once answered or failed.
import { createJsonCallbackSender, type SentCallback } from '../http/callback-sender.js';
import type { FakeTask } from './task.js';

export type FakeNotification = SentCallback<FakeTask>;

/** The proxy's order of a `STATUS:progress` pair (`TaskStatusExtensions.GetOrder`, progress inside IN_PROGRESS). */
const orderOf = (status: string, progress: string | null): number => {
  const base: Record<string, number> = { NOT_START: 0, SUBMITTED: 1, IN_PROGRESS: 3, FAILURE: 4, SUCCESS: 5 };
  const order = base[status] ?? 0;
  if (status !== 'IN_PROGRESS' || progress === null || !progress.endsWith('%')) return order;
  const percent = Number.parseFloat(progress);
  return Number.isNaN(percent) ? order : order + percent / 100;
};

export interface Notifier {
  readonly sent: FakeNotification[];
  /** Sends the task to its hook (its own, else the proxy-wide one) when its status or progress moved forward. */
  taskChanged(task: FakeTask): void;
  setDefaultHook(url: string | undefined): void;
  /** Resolves once every callback so far has been answered or has failed. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export function createNotifier(defaultHook: string | undefined): Notifier {
  let fallbackHook = defaultHook;
  const sender = createJsonCallbackSender<FakeTask>({
    contentType: 'application/json; charset=utf-8',
    timeoutMs: 5_000,
  });
  /** Per task, the `STATUS:progress` last sent. */
  const lastSent = new Map<string, string>();

  const movedForward = (task: FakeTask): boolean => {
    const state = `${task.status}:${task.progress ?? ''}`;
    const previous = lastSent.get(task.id);
    if (previous !== undefined) {
      const [status = '', progress = ''] = previous.split(':');
      if (state === previous || orderOf(task.status, task.progress) <= orderOf(status, progress))
        return false;
    }
    // The proxy forgets a task once it succeeded or failed: a later change is sent again.
    if (task.status === 'SUCCESS' || task.status === 'FAILURE') lastSent.delete(task.id);
    else lastSent.set(task.id, state);
    return true;
  };

  return {
    sent: sender.sent,
    taskChanged(task) {
      const hookProperty = task.properties.notifyHook;
      const url = typeof hookProperty === 'string' && hookProperty !== '' ? hookProperty : fallbackHook;
      if (url !== undefined && movedForward(task)) sender.send(task.id, url, task);
    },
    setDefaultHook(url) {
      fallbackHook = url;
    },
    settle: () => sender.settle(),
    close: () => sender.close(),
  };
}
