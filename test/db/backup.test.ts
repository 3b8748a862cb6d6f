import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../../src/db/backup.js';
import { openDatabase } from '../../src/db/database.js';
import { loadMigrations, migrate, schemaVersion } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/paths.js';

const tempDir = () => mkdtempSync(path.join(tmpdir(), 'phoqr-backup-'));

/**
 * Another connection that commits one row after another into `file`, as the app serves writes, and reports
 * each id once its transaction has committed (acknowledged); it stops when told.
 */
function startWriter(file: string) {
  const worker = new Worker(
    `const { parentPort, workerData } = require('node:worker_threads');
     const Database = require(workerData.module);
     const db = new Database(workerData.file);
     db.pragma('busy_timeout = 5000');
     const insert = db.prepare('INSERT INTO writes (at) VALUES (?)');
     let running = true;
     parentPort.on('message', () => { running = false; });
     (function loop() {
       if (!running) { db.close(); parentPort.postMessage({ done: true }); return; }
       const id = Number(insert.run(Date.now()).lastInsertRowid);
       parentPort.postMessage({ acknowledged: id });
       setImmediate(loop);
     })();`,
    { eval: true, workerData: { file, module: require.resolve('better-sqlite3') } },
  );
  let acknowledged = 0;
  worker.on('message', (message: { acknowledged?: number }) => {
    if (message.acknowledged) acknowledged = message.acknowledged;
  });
  return {
    acknowledged: () => acknowledged,
    async until(count: number) {
      while (acknowledged < count) await new Promise((resume) => setTimeout(resume, 5));
    },
    stop: () =>
      new Promise<void>((resolve) => {
        worker.on('message', (message: { done?: boolean }) => message.done && resolve());
        worker.postMessage('stop');
      }),
  };
}

describe('phoqr backup', () => {
  it('when rows are written all along, then the backup holds every write acknowledged before it began', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'live.sqlite');
    const db = openDatabase(file);
    db.exec('CREATE TABLE writes (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)');
    const writer = startWriter(file);
    await writer.until(200);

    const acknowledgedBefore = writer.acknowledged();
    backupDatabase(db, path.join(dir, 'backup.sqlite'));
    await writer.until(acknowledgedBefore + 200);
    await writer.stop();
    db.close();

    const backup = new Database(path.join(dir, 'backup.sqlite'), { readonly: true });
    expect(backup.pragma('integrity_check', { simple: true })).toBe('ok');
    const ids = backup.prepare('SELECT id FROM writes ORDER BY id').pluck().all() as number[];
    expect(ids.length).toBeGreaterThanOrEqual(acknowledgedBefore);
    expect(ids.slice(0, acknowledgedBefore)).toEqual(Array.from({ length: acknowledgedBefore }, (_, i) => i + 1));
    backup.close();
  });

  it('when the target exists, then it is refused unless forced', () => {
    const dir = tempDir();
    const db = openDatabase(path.join(dir, 'live.sqlite'));
    writeFileSync(path.join(dir, 'taken.sqlite'), 'giữ nguyên');
    expect(() => backupDatabase(db, path.join(dir, 'taken.sqlite'))).toThrow('đã có; thêm --force để ghi đè');
    backupDatabase(db, path.join(dir, 'taken.sqlite'), { force: true });
    db.close();
  });
});

describe('phoqr restore', () => {
  const migrations = loadMigrations(migrationsDir);

  it('when the backup is older than the code, then it replaces the database and can be migrated', () => {
    const dir = tempDir();
    const old = openDatabase(path.join(dir, 'old.sqlite'));
    migrate(old, migrations, migrations.length - 2);
    old.close();
    const target = path.join(dir, 'registry.sqlite');
    expect(restoreDatabase(path.join(dir, 'old.sqlite'), target, migrationsDir)).toEqual({
      version: migrations.length - 2,
      latest: migrations.length,
    });
    const restored = openDatabase(target);
    expect(migrate(restored, migrations)).toHaveLength(2);
    expect(schemaVersion(restored)).toBe(migrations.length);
    restored.close();
  });

  it('when the file is not a database, or newer than the code, then nothing is replaced and it says why', () => {
    const dir = tempDir();
    const target = path.join(dir, 'registry.sqlite');
    writeFileSync(target, 'cơ sở dữ liệu đang dùng');
    writeFileSync(path.join(dir, 'junk.sqlite'), Buffer.alloc(4096, 7));
    expect(() => restoreDatabase(path.join(dir, 'junk.sqlite'), target, migrationsDir)).toThrow(
      /không phải cơ sở dữ liệu Phố QR/,
    );
    const newer = openDatabase(path.join(dir, 'newer.sqlite'));
    newer.pragma(`user_version = ${migrations.length + 1}`);
    newer.close();
    expect(() => restoreDatabase(path.join(dir, 'newer.sqlite'), target, migrationsDir)).toThrow(
      /mới hơn phần mềm này/,
    );
    expect(() => restoreDatabase(path.join(dir, 'missing.sqlite'), target, migrationsDir)).toThrow('Không có tệp');
  });
});
