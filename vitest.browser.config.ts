import { defineConfig } from 'vitest/config';

// Browser tests drive Debian's chromium through playwright-core; one file at a time keeps two cores calm.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.test.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
