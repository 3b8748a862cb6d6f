import { parseArgs } from 'node:util';
import { openMigratedDatabase } from '../bootstrap.js';
import { loadConfig } from '../config.js';
import { backupDatabase, BackupError, restoreDatabase } from '../db/backup.js';
import { migrationsDir } from '../paths.js';
import { EXIT_NEGATIVE, EXIT_OK, EXIT_USAGE, type CliIo } from './cli-io.js';

/**
 * `phoqr backup --out FILE [--force]`: a consistent copy of DATABASE_PATH while the app keeps serving (exit 0;
 * 1 when FILE exists without --force; 2 for bad usage).
 */
export async function runBackupCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({ args, options: { out: { type: 'string' }, force: { type: 'boolean' } } });
  if (!values.out) {
    io.stderr('Cách dùng: phoqr backup --out TỆP.sqlite [--force]\n');
    return EXIT_USAGE;
  }
  const config = loadConfig(io.env);
  const { db } = openMigratedDatabase(config);
  try {
    backupDatabase(db, values.out, { force: values.force });
    io.stdout(`Đã sao lưu ${config.databasePath} vào ${values.out}.\n`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof BackupError) {
      io.stderr(`${error.message}\n`);
      return EXIT_NEGATIVE;
    }
    throw error;
  } finally {
    db.close();
  }
}

/**
 * `phoqr restore FILE` (the app stopped): the backup replaces DATABASE_PATH once it passes integrity_check
 * and is not newer than this code, and is then migrated. Exit 0; 1 when the file is refused; 2 for bad usage.
 */
export async function runRestoreCommand(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  if (positionals.length !== 1) {
    io.stderr('Cách dùng: phoqr restore TỆP.sqlite   (dừng ứng dụng trước)\n');
    return EXIT_USAGE;
  }
  const config = loadConfig(io.env);
  try {
    const { version } = restoreDatabase(positionals[0]!, config.databasePath, migrationsDir);
    const { db, applied } = openMigratedDatabase(config);
    db.close();
    io.stdout(
      `Đã khôi phục ${config.databasePath} từ ${positionals[0]} (phiên bản ${version}` +
        (applied.length > 0 ? `, đã áp dụng thêm migration ${applied.join(', ')}` : '') +
        `). Nếu đã có lần xóa dữ liệu cá nhân sau bản sao lưu này, chạy phoqr reapply-erasures.\n`,
    );
    return EXIT_OK;
  } catch (error) {
    if (error instanceof BackupError) {
      io.stderr(`${error.message}\n`);
      return EXIT_NEGATIVE;
    }
    throw error;
  }
}
