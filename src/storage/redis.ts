import type { StorageOptions } from './index.js';
import type { Storage } from './port.js';

export async function createRedisStorage(_url: string, _options: StorageOptions): Promise<Storage> {
  throw new Error('Redis storage is not available yet');
}
