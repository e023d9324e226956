// Ports on loopback for the fakes, the bot's HTTP server and child processes.
import { createServer } from 'node:net';

const handedOut = new Set<number>();

/** A port nothing listens on right now, and not handed out before (to tell a process its PUBLIC_URL up front). */
export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        const found = typeof address === 'object' && address ? address.port : 0;
        server.close(() => resolve(found));
      });
    });
    if (!handedOut.has(port)) {
      handedOut.add(port);
      return port;
    }
  }
}
