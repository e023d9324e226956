// Failures the core itself decides (upstream failures stay UseapiError). Each kind has a localized message.

import { isUseapiError, RETRYABLE_KINDS } from '../useapi/errors.js';
import { isStorageUnavailable } from './ports.js';

export type SeedErrorKind =
  /** The account channel is waiting for a moderator (596); the request is kept and runs after the reset. */
  | 'held'
  /** The seed job ended failed / moderated / cancelled. */
  | 'job_failed'
  | 'job_moderated'
  | 'job_cancelled'
  /** Following the job took longer than the deadline. */
  | 'deadline'
  /** The bot is shutting down; the request is stored and resumes on the next start. */
  | 'shutting_down';

export class SeedError extends Error {
  override readonly name = 'SeedError';
  constructor(
    readonly kind: SeedErrorKind,
    message: string,
    readonly details: {
      channel?: string | undefined;
      moderationText?: string;
    } = {},
  ) {
    super(message);
  }
}

export const isSeedError = (e: unknown): e is SeedError => e instanceof SeedError;

/**
 * The one table of what waiting can fix: a request that meets one of these stays open and is asked again with
 * capped backoff until its deadline. Everything else (400, 401, 402, 404, video, the deadline itself) ends it.
 */
export function isTransient(error: unknown): boolean {
  if (isStorageUnavailable(error)) return true;
  return isUseapiError(error) && RETRYABLE_KINDS.has(error.kind);
}
