// notifyHook callbacks as the proxy sends them (NotifyService): POST application/json, the whole task, on every
// status or progress change; an update that is not newer than the last one sent for the task is dropped; no retries,
// no signature. Sent in order per task; each attempt is recorded once answered or failed.
import type { FakeTask } from './task.js';

export interface FakeNotification {
  url: string;
  /** The body as sent (a snapshot of the task). */
  body: FakeTask;
  status: number | 'error';
}

const TIMEOUT_MS = 5_000;

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
  const sent: FakeNotification[] = [];
  const lastSent = new Map<string, string>();
  const chains = new Map<string, Promise<void>>();
  const closing = new AbortController();

  const post = async (url: string, body: FakeTask): Promise<void> => {
    let status: number | 'error' = 'error';
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(body),
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(TIMEOUT_MS)]),
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
    taskChanged(task) {
      const hookProperty = task.properties.notifyHook;
      const url = typeof hookProperty === 'string' && hookProperty !== '' ? hookProperty : fallbackHook;
      if (url === undefined || closing.signal.aborted) return;
      const state = `${task.status}:${task.progress ?? ''}`;
      const previous = lastSent.get(task.id);
      if (previous !== undefined) {
        const [status = '', progress = ''] = previous.split(':');
        if (state === previous || orderOf(task.status, task.progress) <= orderOf(status, progress)) return;
      }
      // The proxy forgets a task once it succeeded or failed: a later change is sent again.
      if (task.status === 'SUCCESS' || task.status === 'FAILURE') lastSent.delete(task.id);
      else lastSent.set(task.id, state);
      const snapshot = structuredClone(task);
      const chain = chains.get(task.id) ?? Promise.resolve();
      chains.set(
        task.id,
        chain.then(() => post(url, snapshot)),
      );
    },
    setDefaultHook(url) {
      fallbackHook = url;
    },
    async settle() {
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
