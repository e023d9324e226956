// A Keyv instance as a Store. Keyv stays inside storage/.
import type Keyv from 'keyv';
import type { Store } from '../seed/ports.js';

export function keyvStore<V>(keyv: Keyv<V>, entries?: () => AsyncIterable<[string, V]>): Store<V> {
  return {
    get: (key) => keyv.get(key) as Promise<V | undefined>,
    getMany: async (keys) => (keys.length ? ((await keyv.get(keys)) as (V | undefined)[]) : []),
    set: async (key, value, ttlMs) => {
      await keyv.set(key, value, ttlMs);
    },
    delete: (key) => keyv.delete(key),
    entries:
      entries ??
      async function* () {
        if (!keyv.iterator) return;
        for await (const [key, value] of keyv.iterator(undefined)) {
          if (value !== undefined) yield [String(key), value as V];
        }
      },
  };
}

/** Storage answers when a value written can be read back. */
export async function writeAndRead(meta: Store<unknown>): Promise<void> {
  const stamp = Date.now();
  await meta.set('ping', stamp, 60_000);
  if ((await meta.get('ping')) === undefined) throw new Error('storage did not return what was written');
}

/** A single process's open-request index (memory storage). */
export function memoryOpenIndex() {
  const open = new Map<string, number>();
  return {
    add: async (id: string, at: number) => {
      open.set(id, at);
    },
    remove: async (id: string) => {
      open.delete(id);
    },
    list: async (limit: number) =>
      [...open.entries()]
        .sort((a, b) => a[1] - b[1])
        .slice(0, limit)
        .map(([id]) => id),
  };
}
