// Callbacks as a fake upstream sends them (useapi's replyUrl, the proxy's notifyHook): a JSON POST of a snapshot,
// in order per key (a job, a task), each recorded once answered or failed. close() aborts those in flight.

export interface SentCallback<Body> {
  url: string;
  /** The body as sent (a snapshot taken when it was queued). */
  body: Body;
  status: number | 'error';
}

export interface JsonCallbackSender<Body> {
  readonly sent: SentCallback<Body>[];
  /** POSTs a snapshot of body to url after the earlier callbacks of that key; nothing once closed. */
  send(key: string, url: string, body: Body): void;
  /** Resolves once every callback so far has been answered or has failed. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export function createJsonCallbackSender<Body>(options: {
  contentType: string;
  timeoutMs: number;
}): JsonCallbackSender<Body> {
  const sent: SentCallback<Body>[] = [];
  /** Per key, the chain of its callbacks, so they arrive in order. */
  const chains = new Map<string, Promise<void>>();
  const closing = new AbortController();

  const post = async (url: string, body: Body): Promise<void> => {
    let status: number | 'error' = 'error';
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': options.contentType },
        body: JSON.stringify(body),
        signal: AbortSignal.any([closing.signal, AbortSignal.timeout(options.timeoutMs)]),
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
    send(key, url, body) {
      if (closing.signal.aborted) return;
      const snapshot = structuredClone(body);
      const previous = chains.get(key) ?? Promise.resolve();
      chains.set(
        key,
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
