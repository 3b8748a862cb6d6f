import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { loadMigrations, migrate, MigrationError, schemaVersion } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/paths.js';

const migrations = loadMigrations(migrationsDir);

describe('migrate', () => {
  it('when the database is new, then every migration runs and user_version is the newest number', () => {
    const db = openDatabase(':memory:');
    expect(migrate(db, migrations)).toEqual(migrations.map((m) => m.version));
    expect(schemaVersion(db)).toBe(migrations.length);
    expect(db.prepare('SELECT count(*) AS n FROM provinces').get()).toEqual({ n: 34 });
    expect(db.prepare('SELECT count(*) AS n FROM communes').get()).toEqual({ n: 3321 });
    expect(db.prepare('SELECT count(*) AS n FROM commune_mappings').get()).toEqual({ n: 10977 });
  });

  it('when run twice, then the second run applies nothing', () => {
    const db = openDatabase(':memory:');
    migrate(db, migrations);
    expect(migrate(db, migrations)).toEqual([]);
  });

  it('when the database is newer than the code, then it refuses and changes nothing', () => {
    const db = openDatabase(':memory:');
    migrate(db, migrations);
    db.pragma(`user_version = ${migrations.length + 1}`);
    expect(() => migrate(db, migrations)).toThrow(MigrationError);
    expect(schemaVersion(db)).toBe(migrations.length + 1);
  });

  it('when a migration fails half-way, then its changes and its version bump are rolled back', () => {
    const db = openDatabase(':memory:');
    const broken = [
      { version: 1, name: 'ok', sql: 'CREATE TABLE a (x INTEGER);' },
      { version: 2, name: 'broken', sql: 'CREATE TABLE b (x INTEGER); INSERT INTO missing VALUES (1);' },
    ];
    expect(() => migrate(db, broken)).toThrow();
    expect(schemaVersion(db)).toBe(1);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
  });

  it('when migrating to N-1, adding rows, then to N, then the rows survive the data migration', () => {
    const db = openDatabase(':memory:');
    migrate(db, migrations, migrations.length - 1);
    db.prepare("UPDATE provinces SET name = name WHERE code = '75'").run();
    expect(db.prepare("SELECT unit_type FROM provinces WHERE code = '75'").get()).toEqual({ unit_type: 'tinh' });
    migrate(db, migrations);
    expect(db.prepare("SELECT name, unit_type FROM provinces WHERE code = '75'").get()).toEqual({
      name: 'Thành phố Đồng Nai',
      unit_type: 'thanh_pho',
    });
  });

  it('when migration files skip a number, then loading them fails with a clear message', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'phoqr-migrations-'));
    writeFileSync(path.join(dir, '0001_a.sql'), 'SELECT 1;');
    writeFileSync(path.join(dir, '0003_c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/không liền mạch/);
  });

  it('when the database is a file, then it opens in WAL mode with foreign keys on', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'phoqr-db-'));
    const db = openDatabase(path.join(dir, 'sub', 'x.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});
