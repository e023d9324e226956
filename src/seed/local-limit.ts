// At most `limit` of one kind of work at a time in this process, the rest waiting in arrival order. A tiny semaphore
// of our own: the bot needs only this, abortable, and p-limit has no abort and is one more dependency.
export interface LocalLimit {
  run<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T>;
}

export function createLocalLimit(limit: number): LocalLimit {
  let active = 0;
  const waiting: (() => void)[] = [];
  const next = () => {
    active--;
    waiting.shift()?.();
  };
  const turn = (signal?: AbortSignal) =>
    new Promise<void>((resolve, reject) => {
      signal?.throwIfAborted();
      const go = () => {
        signal?.removeEventListener('abort', onAbort);
        active++;
        resolve();
      };
      const onAbort = () => {
        const i = waiting.indexOf(go);
        if (i >= 0) waiting.splice(i, 1);
        reject(signal?.reason);
      };
      if (active < limit) return go();
      waiting.push(go);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  return {
    async run(work, signal) {
      await turn(signal);
      try {
        return await work();
      } finally {
        next();
      }
    },
  };
}
