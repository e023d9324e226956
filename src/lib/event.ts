// A one-way notification that others subscribe to after construction: the root builds the core before the adapters
// that react to it (the moderators' alerts need the Discord client), without forward references.
export interface Event<T> {
  emit(value: T): void;
  /** Returns the unsubscribe function. */
  subscribe(handler: (value: T) => void): () => void;
}

export function createEvent<T>(): Event<T> {
  const handlers = new Set<(value: T) => void>();
  return {
    emit(value) {
      for (const handler of [...handlers]) handler(value);
    },
    subscribe(handler) {
      // A wrapper, so the same function subscribed twice is called twice and unsubscribed once each.
      const entry = (value: T) => handler(value);
      handlers.add(entry);
      return () => {
        handlers.delete(entry);
      };
    },
  };
}
