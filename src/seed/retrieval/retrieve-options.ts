// What a caller of the seed service hears while it waits, and what it can tell the service. Shared by its parts.
import type { Logger } from 'pino';

export type SeedStatus =
  | { phase: 'queued'; position: number }
  | { phase: 'asking' }
  | { phase: 'waiting'; jobStatus: string; startedAt: number }
  | { phase: 'busy'; retryInMs: number }
  | { phase: 'joined' };

export interface RetrieveOptions {
  /** Who asked: the fair queue serves users in turn. */
  user: string;
  replyRef?: string | undefined;
  onStatus?: ((status: SeedStatus) => void) | undefined;
  /** The seed job already started for this request (after a restart): follow it instead of starting another. */
  seedJobId?: string | undefined;
  /** Told the seed job's id as soon as the upstream gives it, so it can be stored before we wait. */
  onSeedJob?: ((seedJobId: string) => void | Promise<void>) | undefined;
  signal?: AbortSignal | undefined;
  /** The request's logger (bound to its correlation id); the service's own otherwise. A shared flight uses the first. */
  log?: Logger | undefined;
}
