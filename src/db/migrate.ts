import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Db } from './database.js';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export class MigrationError extends Error {}

const MIGRATION_FILE = /^(\d{4})_([a-z0-9_]+)\.sql$/;

/** Reads `NNNN_name.sql` files in order and checks the numbers run 1, 2, 3… with no gap or repeat. */
export function loadMigrations(dir: string): Migration[] {
  const migrations = readdirSync(dir)
    .filter((file) => file.endsWith('.sql'))
    .map((file) => {
      const match = MIGRATION_FILE.exec(file);
      if (!match) throw new MigrationError(`Tên tệp migration không hợp lệ: ${file} (cần dạng 0001_ten.sql)`);
      return { version: Number(match[1]), name: match[2]!, sql: readFileSync(path.join(dir, file), 'utf8') };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new MigrationError(`Migration ${migration.version} không liền mạch: mong đợi số ${index + 1}`);
    }
  });
  return migrations;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the database up to the newest migration. Each migration and its user_version bump run in one
 * transaction, so a failure leaves the database at the previous version, never half-migrated. A
 * database newer than the code is refused: old code writing to a newer schema corrupts data quietly.
 */
export function migrate(db: Db, migrations: readonly Migration[], target = migrations.length): number[] {
  const current = schemaVersion(db);
  const latest = migrations.length;
  if (current > latest) {
    throw new MigrationError(
      `Cơ sở dữ liệu ở phiên bản ${current}, mới hơn mã nguồn (phiên bản ${latest}). ` +
        `Hãy cập nhật Phố QR trước khi chạy.`,
    );
  }
  const applied: number[] = [];
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      db.pragma(`user_version = ${migration.version}`);
    })();
    applied.push(migration.version);
  }
  return applied;
}
