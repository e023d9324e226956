// The health report on stubs: ready only with the gateway READY, storage answering in time, and not stopping.
import { Status } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createHealth, type HealthDeps } from '../../src/http/health.js';

function deps(overrides: Partial<HealthDeps> = {}): HealthDeps {
  return {
    client: { ws: { status: Status.Ready, ping: 42 } },
    storage: { ping: async () => {}, backend: 'memory' },
    requests: { active: () => 3 },
    seeds: { stats: () => ({ waiting: 1, running: 2, inflight: 2 }) },
    stopping: () => false,
    ...overrides,
  };
}

describe('createHealth', () => {
  it('is ok with the gateway ready and storage answering, and reports the work in hand', async () => {
    expect(await createHealth(deps())()).toMatchObject({
      ok: true,
      discord: 'ready',
      gatewayPingMs: 42,
      storage: 'ok',
      storageBackend: 'memory',
      requestsInFlight: 3,
      waiting: 1,
      running: 2,
    });
  });

  it('names the gateway state when it is not ready', async () => {
    const report = await createHealth(deps({ client: { ws: { status: Status.Reconnecting, ping: -1 } } }))();
    expect(report).toMatchObject({ ok: false, discord: 'reconnecting' });
  });

  it('says timeout when storage does not answer in time, and error when it fails', async () => {
    const hung = createHealth(
      deps({ storage: { ping: () => new Promise(() => {}), backend: 'redis' }, storageTimeoutMs: 20 }),
    );
    expect(await hung()).toMatchObject({ ok: false, storage: 'timeout' });
    const failing = createHealth(
      deps({ storage: { ping: async () => Promise.reject(new Error('x')), backend: 'redis' } }),
    );
    expect(await failing()).toMatchObject({ ok: false, storage: 'error' });
  });

  it('is not ok while stopping, and says so', async () => {
    expect(await createHealth(deps({ stopping: () => true }))()).toMatchObject({ ok: false, stopping: true });
    expect(await createHealth(deps())()).not.toHaveProperty('stopping');
  });
});
