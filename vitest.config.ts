import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**'],
    environment: 'node',
    pool: 'forks',
    // Tests assert behaviour, not speed: a loaded 2-core CI machine must not turn a slow test into a failure.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
