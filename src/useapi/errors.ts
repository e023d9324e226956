// useapi's failures are the core's UpstreamError (src/seed/errors.ts): http-client.ts maps every documented useapi
// outcome onto the core's kinds. These names are the adapter's own view of them.
import {
  isUpstreamError,
  UpstreamError,
  type UpstreamErrorDetails,
  type UpstreamErrorKind,
} from '../seed/errors.js';

/** The kinds useapi answers can have (the core has a few more, for other upstreams). */
export type UseapiErrorKind = Exclude<
  UpstreamErrorKind,
  'account_unavailable' | 'seed_pending' | 'seed_failed'
>;
export type UseapiErrorDetails = Omit<UpstreamErrorDetails, 'source'>;
export { UpstreamError as UseapiError };
export const isUseapiError = isUpstreamError;
