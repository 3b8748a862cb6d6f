import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/browser/**'],
    environment: 'node',
    pool: 'forks',
    // Test files share a worker's module cache instead of importing express, pdfkit, Kysely… afresh for each
    // of the ~45 files (about a fifth of a run on 2 cores), and the helpers' migrated and demo templates are
    // built once per worker. Safe because no module of ours keeps mutable state (caches of immutable data,
    // snapshots keyed by connection) and no test mocks modules or stubs globals: one that needs vi.mock or
    // vi.stubGlobal must restore it, or set `isolate: true` for its file's project.
    isolate: false,
    // Tests assert behaviour, not speed: a loaded 2-core CI machine must not turn a slow test into a failure.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
