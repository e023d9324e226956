// GET /healthz: ready only when the gateway is READY, storage answers within 2 s and the process is not stopping.
import { Status } from 'discord.js';
import type { Storage } from '../seed/ports.js';
import type { RequestProcessor } from '../seed/requests/processor.js';
import type { SeedService } from '../seed/retrieval/seed-service.js';
import type { HealthReport } from './server.js';

export interface HealthDeps {
  client: { ws: { status: Status; ping: number } };
  storage: Pick<Storage, 'ping' | 'backend'>;
  requests: Pick<RequestProcessor, 'active'>;
  seeds: Pick<SeedService, 'stats'>;
  stopping(): boolean;
  storageTimeoutMs?: number;
}

export function createHealth(deps: HealthDeps): () => Promise<HealthReport> {
  const timeoutMs = deps.storageTimeoutMs ?? 2_000;
  return async () => {
    const { status, ping } = deps.client.ws;
    const discord = status === Status.Ready ? 'ready' : (Status[status] ?? 'unknown').toLowerCase();
    const storage = await Promise.race([
      deps.storage.ping().then(() => 'ok'),
      new Promise<string>((r) => setTimeout(() => r('timeout'), timeoutMs).unref()),
    ]).catch(() => 'error');
    const stopping = deps.stopping();
    return {
      ok: !stopping && discord === 'ready' && storage === 'ok',
      ...(stopping ? { stopping: true } : {}),
      discord,
      gatewayPingMs: ping,
      storage,
      storageBackend: deps.storage.backend,
      requestsInFlight: deps.requests.active(),
      ...deps.seeds.stats(),
      uptimeSeconds: Math.round(process.uptime()),
    };
  };
}
