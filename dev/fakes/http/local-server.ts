// A fake upstream's HTTP server on loopback that can refuse connections (an outage at the TCP level) and come back
// on the same port, so the bot's configured URL keeps working once the outage ends.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** 'refuse': connections refused; a status: every request answered with it; 'none': no outage. */
export type OutageMode = 'refuse' | 'none' | { status: number };

export interface LocalServer {
  /** e.g. http://127.0.0.1:12345 */
  readonly origin: string;
  /** true: stops listening and drops open connections; false: listens again on the same port. */
  refuseConnections(refuse: boolean): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalServer(options: {
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** The answer when handle fails before it answered. */
  answerFailure(res: ServerResponse, error: unknown): void;
}): Promise<LocalServer> {
  const server = createServer((req, res) => {
    res.on('error', () => undefined);
    options.handle(req, res).catch((error: unknown) => {
      if (!res.headersSent && !res.destroyed) options.answerFailure(res, error);
      else res.destroy();
    });
  });
  const listen = (port: number) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });

  await listen(0);
  const { port } = server.address() as AddressInfo;
  let listening = true;
  return {
    origin: `http://127.0.0.1:${port}`,
    async refuseConnections(refuse) {
      if (refuse && listening) {
        listening = false;
        await stopListening();
      } else if (!refuse && !listening) {
        await listen(port);
        listening = true;
      }
    },
    async close() {
      if (listening) await stopListening();
    },
  };
}

/** Switches a fake's outage: the status its front answers with, and whether its server refuses connections. */
export async function switchOutage(
  mode: OutageMode,
  parts: { server: LocalServer; setOutageStatus(status: number | undefined): void },
): Promise<void> {
  parts.setOutageStatus(typeof mode === 'object' ? mode.status : undefined);
  await parts.server.refuseConnections(mode === 'refuse');
}
