import { testConfig } from '../../src/config.js';
import { openDatabase, type Db } from '../../src/db/database.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/paths.js';

let migratedTemplate: Buffer | undefined;

/**
 * The schema at the newest migration, built once per test process (vitest.config.ts shares a worker's
 * modules between its test files; with isolation, once per file) by the real migration runner and kept
 * serialized: migrating costs ~70 ms, most of it inserting the ~14,000 administrative-unit rows, and opening
 * a copy of the image under a millisecond.
 */
function migratedImage(): Buffer {
  if (!migratedTemplate) {
    const template = openDatabase(':memory:');
    migrate(template, loadMigrations(migrationsDir));
    migratedTemplate = template.serialize();
    template.close();
  }
  return migratedTemplate;
}

/**
 * A fresh in-memory database at the newest migration: one per test, never shared. It is a copy of the
 * template, opened by `openDatabase` like every connection, so it has the same pragmas and SQL functions.
 */
export function createTestDb(): Db {
  return openDatabase(migratedImage());
}

/** The demo seeded with testConfig()'s cheap password hashes: its 16 users would otherwise cost a second each seed. */
export const CHEAP_DEMO_HASHES = { passwordHashCost: testConfig().passwordHashCost } as const;
