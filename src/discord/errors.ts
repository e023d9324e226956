import type { MessageKey, Params } from '../i18n/index.js';

/** A refusal or mistake that is safe to show: it names a message key that says what to do next. */
export class UserFacingError extends Error {
  override readonly name = 'UserFacingError';
  constructor(
    readonly key: MessageKey,
    readonly params: Params = {},
  ) {
    super(key);
  }
}

export const isUserFacingError = (e: unknown): e is UserFacingError => e instanceof UserFacingError;
