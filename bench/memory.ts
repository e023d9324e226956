// Memory per member: the bot as its own process (the fakes stay in the benchmark's process), its heap after a full
// garbage collection, read through the V8 inspector (the bot is started with --inspect on loopback; nothing in the bot
// knows it is measured), after a first set of different members and after many more asked for stored seeds. What
// every member leaves behind for good is the difference divided by the members added.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { WebSocket } from 'ws';
import { freePort, spawnBot } from '../dev/bot-process.js';
import { startFakeDiscord } from '../dev/fakes/fake-discord.js';
import { startFakeUseapi } from '../dev/fakes/fake-useapi.js';
import { ACCOUNT_CHANNEL, baseEnv, CHANNEL, GUILD, isSeedReply } from '../dev/fixtures.js';
import { checkBuild, childArgs, discordSeed, fill, runsAs, type Sizes, storedJobid } from './scenarios.js';
import { type Row, round } from './stats.js';

/** A minimal Chrome DevTools Protocol session on the bot's inspector. */
async function inspector(port: number) {
  const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as {
    webSocketDebuggerUrl: string;
  }[];
  const url = targets[0]?.webSocketDebuggerUrl;
  if (!url) throw new Error('the bot has no inspector target');
  const ws = new WebSocket(url, { perMessageDeflate: false });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let next = 0;
  const pending = new Map<number, (result: unknown) => void>();
  const chunks: string[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse(String(data)) as {
      id?: number;
      result?: unknown;
      method?: string;
      params?: { chunk?: string };
    };
    if (message.method === 'HeapProfiler.addHeapSnapshotChunk') chunks.push(message.params?.chunk ?? '');
    if (message.id !== undefined) pending.get(message.id)?.(message.result);
  });
  const send = (method: string, params: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve) => {
      const id = ++next;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  return {
    /** Bytes of live heap after full collections (two: the first may leave objects with finalizers). */
    async heapAfterGc(): Promise<number> {
      await send('HeapProfiler.collectGarbage');
      await send('HeapProfiler.collectGarbage');
      const usage = (await send('Runtime.getHeapUsage')) as { usedSize: number };
      return usage.usedSize;
    },
    /** A heap snapshot of the bot, for reading its top retainers in Chrome DevTools (Memory tab). */
    async snapshot(file: string): Promise<void> {
      chunks.length = 0;
      await send('HeapProfiler.takeHeapSnapshot', { reportProgress: false });
      writeFileSync(file, chunks.join(''));
    },
    close: () => ws.close(),
  };
}

export interface MemorySizes {
  first: number;
  total: number;
  /** Members asking at once. */
  batch: number;
  /**
   * Wait before each reading: longer than what the bot keeps only for a while (a REST rate-limit handler per
   * interaction token, swept after a minute idle), so the reading is what members leave behind for good.
   */
  settleMs: number;
}

export const MEMORY_FULL: MemorySizes = { first: 100, total: 10_000, batch: 100, settleMs: 125_000 };
export const MEMORY_SMOKE: MemorySizes = {
  first: 50,
  total: 500,
  batch: 50,
  settleMs: Number(process.env.BENCH_MEMORY_SETTLE_MS ?? 0),
};

const STORED = 50;
const TARGET_BYTES = 1024;

/** Rows M1–M3. `BENCH_HEAP_SNAPSHOT=<prefix>` also writes the bot's heap snapshots after each step. */
export async function memoryFigures(sizes: Sizes, m: MemorySizes): Promise<Row[]> {
  checkBuild(sizes);
  // Small images: the figure is about what a member leaves behind, not about images in flight.
  const useapi = await startFakeUseapi({ imageBytes: 1024 });
  useapi.addAccount({ channel: ACCOUNT_CHANNEL });
  const discord = await startFakeDiscord();
  discord.addGuild({ id: GUILD, channels: [{ id: CHANNEL }] });
  const dir = mkdtempSync(join(tmpdir(), 'seed-bot-bench-memory-'));
  const storageUrl = `sqlite://${join(dir, 'bot.sqlite')}`;
  await fill(
    storageUrl,
    Array.from({ length: STORED }, (_, i) => i),
    0,
    useapi.origin,
  );
  const port = await freePort();
  const args = childArgs(sizes);
  const bot = spawnBot(
    'bench-memory-per-member',
    { ...baseEnv(useapi, discord, dir), STORAGE_URL: storageUrl, LOG_LEVEL: 'info' },
    {
      entry: args.entry,
      nodeArgs: [...(args.nodeArgs ?? ['--import', 'tsx']), `--inspect=127.0.0.1:${port}`],
    },
  );
  const snapshots = process.env.BENCH_HEAP_SNAPSHOT;
  try {
    await bot.ready;
    const v8 = await inspector(port);
    let asked = 0;
    const askUpTo = async (members: number) => {
      while (asked < members) {
        const from = asked;
        const count = Math.min(m.batch, members - from);
        asked += count;
        const handles = Array.from({ length: count }, (_, k) =>
          discordSeed(discord, storedJobid((from + k) % STORED), 5_000_000 + from + k),
        );
        await Promise.all(handles.map((h) => h.waitForEdit(isSeedReply, 60_000)));
      }
    };
    await askUpTo(m.first);
    await sleep(m.settleMs);
    const first = await v8.heapAfterGc();
    if (snapshots) await v8.snapshot(`${snapshots}-${m.first}.heapsnapshot`);
    await askUpTo(m.total);
    await sleep(m.settleMs);
    const total = await v8.heapAfterGc();
    if (snapshots) await v8.snapshot(`${snapshots}-${m.total}.heapsnapshot`);
    v8.close();
    const perMember = (total - first) / (m.total - m.first);
    const how = `${runsAs(sizes)}, heap after a forced full GC`;
    return [
      {
        id: 'M1',
        figure: `bot heap after ${m.first.toLocaleString('en')} different members asked for stored seeds (${how})`,
        unit: 'MB',
        value: round(first / 1024 ** 2, 2),
      },
      {
        id: 'M2',
        figure: `… after ${m.total.toLocaleString('en')} different members`,
        unit: 'MB',
        value: round(total / 1024 ** 2, 2),
      },
      {
        id: 'M3',
        figure: `memory per member: (M2 − M1) / ${(m.total - m.first).toLocaleString('en')} members`,
        unit: 'B',
        value: Math.round(perMember),
        target: '< 1 KiB',
        ok: perMember < TARGET_BYTES,
      },
    ];
  } finally {
    await bot.kill('SIGKILL');
    await discord.close();
    await useapi.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
