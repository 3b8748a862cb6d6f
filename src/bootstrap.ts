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

/** The database file cannot be used: start-up stops with this message (Vietnamese, for whoever runs the server). */
export class DatabaseOpenError extends Error {}

/** Why a file could not be opened as our database, in words for whoever runs the server. */
function openFailure(file: string, error: unknown): DatabaseOpenError | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  const detail = error instanceof Error ? ` (${error.message})` : '';
  switch (code) {
    case 'SQLITE_CANTOPEN':
      return new DatabaseOpenError(
        `không mở được tệp cơ sở dữ liệu ${file}: đó là một thư mục, hoặc không có quyền đọc và ghi tệp ấy. ` +
          'Kiểm tra DATABASE_PATH.',
      );
    case 'SQLITE_NOTADB':
      return new DatabaseOpenError(
        `tệp ${file} không phải cơ sở dữ liệu của Phố QR (tệp khác, hoặc đã hỏng). ` +
          'Kiểm tra DATABASE_PATH, hoặc khôi phục từ bản sao lưu.',
      );
    case 'SQLITE_CORRUPT':
      return new DatabaseOpenError(`cơ sở dữ liệu ${file} bị hỏng${detail}. Hãy khôi phục từ bản sao lưu.`);
    case 'SQLITE_READONLY':
    case 'SQLITE_PERM':
    case 'EACCES':
    case 'EPERM':
      return new DatabaseOpenError(`không có quyền ghi cơ sở dữ liệu ${file} hoặc thư mục của nó${detail}.`);
    case 'ENOTDIR':
    case 'EEXIST':
      return new DatabaseOpenError(
        `không tạo được thư mục cho ${file}: một phần của đường dẫn là tệp, không phải thư mục.`,
      );
    default:
      return typeof code === 'string' && code.startsWith('SQLITE_')
        ? new DatabaseOpenError(`không dùng được cơ sở dữ liệu ${file}${detail}.`)
        : undefined;
  }
}

/**
 * Opens the configured database and brings it to the newest schema; refuses one newer than the code. A file
 * that cannot be our database (a directory, random bytes, no permission) throws DatabaseOpenError.
 */
export function openMigratedDatabase(config: Config): OpenedDatabase {
  let db: Db;
  try {
    db = openDatabase(config.databasePath);
    // Reads the schema: a file that is not a database says so here rather than in the middle of a migration.
    db.prepare('SELECT count(*) FROM sqlite_master').pluck().get();
  } catch (error) {
    throw openFailure(config.databasePath, error) ?? error;
  }
  try {
    const created = (db.pragma('user_version', { simple: true }) as number) === 0;
    const applied = migrate(db, loadMigrations(migrationsDir));
    return { db, created, applied };
  } catch (error) {
    db.close();
    throw openFailure(config.databasePath, error) ?? error;
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
