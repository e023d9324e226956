// A seam narrowed at run time, not only in its type: a new object with just the named members of another, functions
// bound to it. A handler given `only(index, ['byJobid'])` cannot reach the rest of the index, even through a cast.
// Small enough to own: lodash's `pick` copies members but does not bind methods.

export function only<T extends object, K extends keyof T>(whole: T, keys: readonly K[]): Pick<T, K> {
  const narrowed = {} as Pick<T, K>;
  for (const key of keys) {
    const member = whole[key];
    narrowed[key] = (typeof member === 'function' ? member.bind(whole) : member) as T[K];
  }
  return narrowed;
}
