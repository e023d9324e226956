// The storage port is the core's (src/seed/ports.ts); this re-export keeps the adapters' imports short.
export type { Coordinator, Lease, OpenIndex, Storage, Store } from '../seed/ports.js';
export { isStorageUnavailable, StorageUnavailableError } from '../seed/ports.js';
