import { openDatabase, type Db } from '../../src/db/database.js';
import { loadMigrations, migrate } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/paths.js';

const migrations = loadMigrations(migrationsDir);

/** A fresh in-memory database built by the real migration runner: one per test, never shared. */
export function createTestDb(): Db {
  const db = openDatabase(':memory:');
  migrate(db, migrations);
  return db;
}
