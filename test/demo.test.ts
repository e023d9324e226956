// `npm run demo` as a fresh clone runs it: a child process with no tokens. It doubles as the CI smoke test.
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/** Runs the demo as a fresh clone does: a child process with no tokens. */
const runDemo = (args: string[] = []) =>
  new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    execFile(
      process.execPath,
      ['--import', tsx, join(root, 'scripts/demo.ts'), ...args],
      { cwd: root, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, timeout: 25_000 },
      (error, out, err) =>
        resolve({
          code: error ? Number((error as { code?: number }).code ?? 1) : 0,
          stdout: out,
          stderr: err,
        }),
    );
  });

describe('npm run demo', () => {
  it('plays /seed by task id, Get seed after a notifyHook and a proxy without an account, with --upstream midjourney-proxy', async () => {
    const { code, stdout, stderr } = await runDemo(['--upstream', 'midjourney-proxy']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain('fake midjourney-proxy');
    expect(stdout).toContain('✔ /seed');
    expect(stdout).toContain('▌Seed 1234567890');
    expect(stdout).toContain('it is on its way');
    expect(stdout).toContain('✔ Get seed');
    expect(stdout).toContain('▌Seed 987654321');
    expect(stdout).toContain('has no usable Midjourney account');
    expect(stdout).toContain('▌Seed 4242');
    expect(stdout).toContain('✔ no account, then back');
    expect(stdout).not.toContain('✖');
  });

  it('plays /seed, Get seed and a 596 with its reset through the real bot, then exits 0', async () => {
    // No tokens at all: only what a shell has.
    const { code, stdout, stderr } = await runDemo();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    // The member's /seed: the seed, the prompt, four attached images as one gallery, one upstream job.
    expect(stdout).toContain('✔ /seed');
    expect(stdout).toContain('▌Seed 1234567890');
    expect(stdout).toContain('Prompt: a red fox in fresh snow');
    expect(stdout).toMatch(/images: 4 attached, shown as one 2x2 gallery/);
    expect(stdout).toMatch(/useapi {4}: 1 seed_async/);
    // One correlation id from the interaction to the answer, through the callback.
    expect(stdout).toMatch(
      /correlation id [0-9a-f]{8} .*interaction received → request stored → .*seed callback.*request answered/,
    );
    // The right-click, in the member's language.
    expect(stdout).toContain('✔ Get seed');
    expect(stdout).toContain('▌Seed 987654321');
    expect(stdout).toContain('buttons: [Prompt mit Seed kopieren]');
    // The 596: the member is told the request is kept, moderators get the alert, the reset answers the member.
    expect(stdout).toContain('waiting for a moderator');
    expect(stdout).toContain('is held for moderation');
    expect(stdout).toContain('buttons: [Reset]');
    expect(stdout).toMatch(/reset by @mod-kim/);
    expect(stdout).toContain('▌Seed 4242');
    expect(stdout).toContain('✔ 596 and reset');
    expect(stdout).not.toContain('✖');
    expect(stdout).toMatch(/Demo finished in \d+\.\d s/);
  });
});
