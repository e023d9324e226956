import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Most files wait on sockets, child processes and timers, not the CPU: two at a time on a 2-core machine halves
    // the run (vitest's default here is one fewer than the cores, i.e. one).
    maxWorkers: 2,
    reporters: ['default'],
  },
});
