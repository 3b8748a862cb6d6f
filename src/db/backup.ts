import { copyFileSync, existsSync, rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import type { Db } from './database.js';
import { loadMigrations, schemaVersion } from './migrate.js';

/**
 * Backups of the SQLite registry. Copying the file while the app runs loses what is still in the WAL (six
 * acknowledged stalls in a test); `VACUUM INTO` writes a consistent copy of one read transaction instead,
 * while the app goes on writing, and the copy is a plain database file (no WAL beside it).
 */
export class BackupError extends Error {}

/** A consistent copy of the open database `db` into `target`; refuses to overwrite unless `force`. */
export function backupDatabase(db: Db, target: string, options: { force?: boolean } = {}): void {
  if (existsSync(target)) {
    if (!options.force) throw new BackupError(`Tệp ${target} đã có; thêm --force để ghi đè.`);
    rmSync(target);
  }
  db.prepare('VACUUM INTO ?').run(target);
}

/** What restoring found in the backup: its schema version against the code's. */
export interface RestoreCheck {
  readonly version: number;
  readonly latest: number;
}

/**
 * Checks a backup before it replaces the database (the app stopped): it must be a SQLite database that
 * passes `integrity_check` and is not newer than this code's migrations. Then copies it over `databasePath`
 * (its WAL and SHM files removed); the caller migrates it if it is older.
 */
export function restoreDatabase(source: string, databasePath: string, migrationsDir: string): RestoreCheck {
  if (!existsSync(source)) throw new BackupError(`Không có tệp ${source}.`);
  let version: number;
  let backup: Db | undefined;
  try {
    backup = new Database(source, { readonly: true, fileMustExist: true });
    const integrity = backup.pragma('integrity_check', { simple: true });
    if (integrity !== 'ok') throw new BackupError(`Tệp ${source} hỏng (integrity_check: ${String(integrity)}).`);
    version = schemaVersion(backup);
  } catch (error) {
    if (error instanceof BackupError) throw error;
    throw new BackupError(`Tệp ${source} không phải cơ sở dữ liệu Phố QR: ${(error as Error).message}`);
  } finally {
    backup?.close();
  }
  const latest = loadMigrations(migrationsDir).length;
  if (version > latest) {
    throw new BackupError(
      `Bản sao lưu ở phiên bản ${version}, mới hơn phần mềm này (${latest}): hãy cập nhật phần mềm trước.`,
    );
  }
  for (const suffix of ['-wal', '-shm']) rmSync(databasePath + suffix, { force: true });
  copyFileSync(source, databasePath);
  return { version, latest };
}
