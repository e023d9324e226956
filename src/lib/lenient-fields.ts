// zod readers for the fields of an upstream's body that we only pass along: absent, null or of the wrong type, they
// read as undefined rather than failing the whole body. Whether an empty string counts as absent is the upstream's
// to say (the proxy writes "" for fields it has not filled; useapi does not).
import { z } from 'zod';

export interface Emptiness {
  /** "" reads as undefined too. */
  emptyIsAbsent: boolean;
}

const absent = (v: string | null | undefined, { emptyIsAbsent }: Emptiness): v is null | undefined | '' =>
  v === null || v === undefined || (emptyIsAbsent && v === '');

export const optionalNumber = z
  .number()
  .nullish()
  .transform((v) => v ?? undefined)
  .catch(undefined);

export const lenientString = (emptiness: Emptiness) =>
  z
    .string()
    .nullish()
    .transform((v) => (absent(v, emptiness) ? undefined : v))
    .catch(undefined);

/** Ids are strings (Discord snowflakes exceed 2^53), but a number is read rather than failing on an id nobody reads. */
export const lenientId = (emptiness: Emptiness) =>
  z
    .union([z.string(), z.number()])
    .nullish()
    .transform((v) => (typeof v === 'number' ? String(v) : absent(v, emptiness) ? undefined : v))
    .catch(undefined);
