// Redis for tests and the benchmark: the URL they use (TEST_REDIS_URL), whether a Redis answers there, and cleaning up
// the key prefixes a run handed out.
import { createConnection } from 'node:net';
import { createClient } from '@keyv/redis';

export const REDIS_TEST_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379/0';

/** Does something answer PING with PONG at url's host and port? */
export function probeRedis(url: string, timeoutMs = 500): Promise<string | undefined> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = createConnection({ host: hostname, port: Number(port || 6379) });
    const finish = (reason: string | undefined) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(reason);
    };
    const timer = setTimeout(
      () => finish(`no answer from ${hostname}:${port} within ${timeoutMs} ms`),
      timeoutMs,
    );
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) =>
      finish(String(data).startsWith('+PONG') ? undefined : `${hostname}:${port} is not a Redis`),
    );
    socket.once('error', (error) => finish(`${hostname}:${port}: ${error.message}`));
  });
}

/** Remove every key under the given prefixes. */
export async function deleteRedisPrefixes(prefixes: string[]): Promise<void> {
  const client = createClient({ url: REDIS_TEST_URL });
  client.on('error', () => {});
  await client.connect();
  try {
    for (const prefix of prefixes) {
      for await (const keys of client.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) {
        if (keys.length) await client.unlink(keys);
      }
    }
  } finally {
    await client.close();
  }
}
