// Storage: open it, write and read a value.
import { type Config, redactUrl } from '../config.js';
import { createStorage } from '../storage/index.js';
import { type Check, type CheckGroup, failure, pass } from './check.js';
import { errorCodeOf } from './http.js';

async function checkStorage(config: Pick<Config, 'storageUrl'>, timeoutMs: number): Promise<Check> {
  const name = 'Storage';
  const where = redactUrl(config.storageUrl);
  try {
    const storage = await withTimeout(createStorage(config.storageUrl), timeoutMs, 'opening storage');
    try {
      await withTimeout(storage.ping(), timeoutMs, 'writing and reading a value');
      return pass(name, `${storage.backend} at ${storage.location}: reachable and writable`);
    } finally {
      await storage.close().catch(() => {});
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const code = errorCodeOf(error);
    const reason = message.includes(code) ? message : `${code}: ${message}`;
    const fix = config.storageUrl.startsWith('sqlite://')
      ? 'Make the folder of the SQLite file exist and be writable by the bot, or set STORAGE_URL=sqlite://<writable path>.'
      : config.storageUrl.startsWith('redis')
        ? 'Start Redis, check host, port and password in STORAGE_URL, and that this machine can reach it.'
        : 'Check STORAGE_URL.';
    return failure(name, `${where}: ${reason.split('\n')[0]}`, fix);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export const storageChecks: CheckGroup<'storageUrl'> = {
  name: 'storage',
  parts: ['storageUrl'],
  checks: ['Storage'],
  run: async (config, ctx) => [await checkStorage(config, ctx.timeoutMs)],
};
