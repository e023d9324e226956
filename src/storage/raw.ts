// What each backend gives assemble() (index.ts): its own tables, open index and coordinator, before deadlines, typed
// errors and schemas are put around them. Its own file so the backends and index.ts do not import each other.
import type { Coordinator, OpenIndex, Storage, Store } from '../seed/ports.js';

export type TableName = 'seeds' | 'jobs' | 'requests' | 'holds' | 'audit' | 'meta' | 'errors' | 'volatile';

export interface RawStorage {
  backend: Storage['backend'];
  location: string;
  store(name: TableName): Store<unknown>;
  openRequests: OpenIndex;
  heldChannels: OpenIndex;
  coordinator: Coordinator;
  close(): Promise<void>;
}
