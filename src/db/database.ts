import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { foldForSearch } from '../text/fold.js';

/** The raw SQLite connection: for the migration runner, the data-access layer and tests that read what was saved. */
export type SqliteConnection = Database.Database;
/** @deprecated while the repositories move to DataAccess; use SqliteConnection. */
export type Db = SqliteConnection;

/**
 * Opens the SQLite file, ':memory:', or an in-memory copy of a serialized database (a test template), with
 * the pragmas and SQL functions every connection needs, set once here.
 */
export function openDatabase(file: string | Buffer): SqliteConnection {
  const onDisk = typeof file === 'string' && file !== ':memory:';
  if (onDisk) mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  if (onDisk) db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // FULL: a commit is on disk before the volunteer is told "saved". In WAL, NORMAL survives a killed process
  // (the soak's SIGKILL) but may lose the last commits to a power cut. FULL costs about 0.2 ms more per
  // commit on our machines (`npm run bench:commit`), little beside a request's own milliseconds.
  db.pragma('synchronous = FULL');
  db.function('fold', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? foldForSearch(value) : null,
  );
  return db;
}
