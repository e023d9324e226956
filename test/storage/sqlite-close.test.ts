// Closing SQLite storage right after opening it (a start that fails at once) reports no error of its own: the purge
// that starts in the background is waited for or cancelled, never run on a closed handle (SQLITE_MISUSE).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { createStorage } from '../../src/storage/index.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

it('closes at once after opening without a storage error, and leaves the file private', async () => {
  const errors: unknown[] = [];
  for (let i = 0; i < 5; i++) {
    const dir = mkdtempSync(join(tmpdir(), 'seed-bot-close-'));
    dirs.push(dir);
    const storage = await createStorage(`sqlite://${join(dir, 'data', 'bot.sqlite')}`, {
      onError: (error) => errors.push(error),
      exclusive: true,
    });
    await storage.close();
    expect(statSync(join(dir, 'data', 'bot.sqlite')).mode & 0o777).toBe(0o600);
  }
  // Anything the background purge would have done on a closed handle surfaces within a tick or two.
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(errors.map(String)).toEqual([]);
});
