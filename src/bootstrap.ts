import { loadBankDirectory } from './banks/bank-directory-file.js';
import type { Clock } from './clock.js';
import { compose } from './compose.js';
import type { Config } from './config.js';
import { sqliteDataAccess } from './db/data-access.js';
import { openDatabase, type Db } from './db/database.js';
import { loadMigrations, migrate } from './db/migrate.js';
import { migrationsDir } from './paths.js';

export interface OpenedDatabase {
  readonly db: Db;
  /** The database had no schema before this start (a new file): the demo programme may be loaded. */
  readonly created: boolean;
  readonly applied: number[];
}

/** Opens the configured database and brings it to the newest schema; refuses one newer than the code. */
export function openMigratedDatabase(config: Config): OpenedDatabase {
  const db = openDatabase(config.databasePath);
  try {
    const created = (db.pragma('user_version', { simple: true }) as number) === 0;
    const applied = migrate(db, loadMigrations(migrationsDir));
    return { db, created, applied };
  } catch (error) {
    db.close();
    throw error;
  }
}

export type { Clock };

/** The registry as the command line uses it: the migrated database and the services composed on it. */
export function openRegistry(config: Config, clock: Clock) {
  const opened = openMigratedDatabase(config);
  const data = sqliteDataAccess(opened.db);
  const { services } = compose({ data, config, clock, banks: loadBankDirectory() });
  return { ...opened, data, services };
}
