// Records outlive code versions: each one read goes through its schema. One that does not fit reads as absent (the
// caller asks useapi again, or treats the request as gone) and is reported once per key, never thrown.
import type { z } from 'zod';
import type { Store } from '../seed/ports.js';

export interface InvalidRecord {
  store: string;
  key: string;
  issues: string;
}

/** Keys already reported, per process; bounded so a table full of old records cannot grow it for ever. */
const REPORTED_LIMIT = 10_000;

export function parsedStore<V>(
  raw: Store<unknown>,
  schema: z.ZodType<V>,
  name: string,
  onInvalid: (info: InvalidRecord) => void,
): Store<V> {
  const reported = new Set<string>();
  const parse = (key: string, value: unknown): V | undefined => {
    if (value === undefined) return undefined;
    const result = schema.safeParse(value);
    if (result.success) return result.data;
    if (!reported.has(key) && reported.size < REPORTED_LIMIT) {
      reported.add(key);
      onInvalid({
        store: name,
        key,
        issues: result.error.issues.map((i) => i.path.join('.') || '(root)').join(', '),
      });
    }
    return undefined;
  };
  return {
    get: async (key) => parse(key, await raw.get(key)),
    getMany: async (keys) => (await raw.getMany(keys)).map((value, i) => parse(keys[i] ?? '', value)),
    set: (key, value, ttlMs) => raw.set(key, value, ttlMs),
    delete: (key) => raw.delete(key),
    async *entries() {
      for await (const [key, value] of raw.entries()) {
        const parsed = parse(key, value);
        if (parsed !== undefined) yield [key, parsed];
      }
    },
  };
}

/** A view of one store under a key prefix, so several small records can share one table (and one Redis namespace). */
export function prefixedStore(raw: Store<unknown>, prefix: string): Store<unknown> {
  return {
    get: (key) => raw.get(prefix + key),
    getMany: (keys) => raw.getMany(keys.map((k) => prefix + k)),
    set: (key, value, ttlMs) => raw.set(prefix + key, value, ttlMs),
    delete: (key) => raw.delete(prefix + key),
    async *entries() {
      for await (const [key, value] of raw.entries()) {
        if (key.startsWith(prefix)) yield [key.slice(prefix.length), value];
      }
    },
  };
}
