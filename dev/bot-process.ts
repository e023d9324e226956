// The bot as its own process (`node --import tsx src/main.ts`, what `npm start` runs minus the build), for tests
// and the benchmark that need several processes or a real kill. Its JSON log lines are kept for searching.
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface BotProcess {
  name: string;
  child: ChildProcess;
  pid: number;
  /** Parsed JSON log lines (and raw text of lines that are not JSON, under `msg`). */
  logs: Record<string, unknown>[];
  /** Resolves on the 'ready' log line (gateway READY, open requests resumed). */
  ready: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Stop it (SIGTERM: graceful; SIGKILL: a crash) and wait until it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
}

export interface SpawnOptions {
  /** Run this entry instead of src/main.ts (relative to the repository root). */
  entry?: string;
  /** node arguments before the entry; default ['--import', 'tsx']. */
  nodeArgs?: string[];
  readyTimeoutMs?: number;
  /** Working directory (default the repository root), e.g. a production install in a temporary folder. */
  cwd?: string;
}

export { freePort } from './fakes/net.js';

export function spawnBot(name: string, env: Record<string, string>, options: SpawnOptions = {}): BotProcess {
  const child = spawn(
    process.execPath,
    [...(options.nodeArgs ?? ['--import', 'tsx']), options.entry ?? 'src/main.ts'],
    {
      cwd: options.cwd ?? ROOT,
      // Only what the test gives, so a developer's own .env or shell variables cannot leak in.
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: Record<string, unknown>[] = [];
  let onReady: () => void = () => {};
  let onFail: (error: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  ready.catch(() => {});
  const timer = setTimeout(
    () => onFail(new Error(`${name} was not ready within ${options.readyTimeoutMs ?? 20_000} ms`)),
    options.readyTimeoutMs ?? 20_000,
  );
  let buffer = '';
  const take = (chunk: Buffer) => {
    buffer += String(chunk);
    const lines = buffer.split('\n');
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.trim()) continue;
      let entry: Record<string, unknown>;
      try {
        entry = JSON.parse(line) as Record<string, unknown>;
      } catch {
        entry = { msg: line };
      }
      logs.push(entry);
      if (entry.msg === 'ready') {
        clearTimeout(timer);
        onReady();
      }
    }
  };
  child.stdout?.on('data', take);
  child.stderr?.on('data', take);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      onFail(new Error(`${name} exited (${code ?? signal}) before it was ready: ${lastLines(logs)}`));
      resolve({ code, signal });
    });
  });
  return {
    name,
    child,
    pid: child.pid ?? -1,
    logs,
    ready,
    exited,
    async kill(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
  };
}

const lastLines = (logs: Record<string, unknown>[]) =>
  logs
    .slice(-5)
    .map((l) => String(l.msg))
    .join(' | ');
