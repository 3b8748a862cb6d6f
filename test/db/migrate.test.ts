import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/database.js';
import { loadMigrations, migrate, MigrationError, schemaVersion } from '../../src/db/migrate.js';
import { migrationsDir } from '../../src/paths.js';
import { tempDir } from '../helpers/temp-dir.js';

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

  it('when migrating to 2, then to 3, then the 2026 province changes apply to the loaded units', () => {
    const db = openDatabase(':memory:');
    migrate(db, migrations, 2);
    expect(db.prepare("SELECT unit_type FROM provinces WHERE code = '75'").get()).toEqual({ unit_type: 'tinh' });
    migrate(db, migrations, 3);
    expect(db.prepare("SELECT name, unit_type FROM provinces WHERE code = '75'").get()).toEqual({
      name: 'Thành phố Đồng Nai',
      unit_type: 'thanh_pho',
    });
  });

  it('when migrating to 3, adding a stall, then to 4, then the stall survives with no consent recorded yet', () => {
    const db = openDatabase(':memory:');
    migrate(db, migrations, 3);
    db.exec(
      `INSERT INTO sites (kind, name, name_folded, commune_code, created_at, updated_at)
             VALUES ('market', 'Chợ Hoa Lư', 'cho hoa lu', '23575', '2026-01-01T00:00:00.000Z', ` +
        `'2026-01-01T00:00:00.000Z');
             INSERT INTO stalls (site_id, label, goods_category, status, search_folded, created_at, updated_at)
             VALUES (1, 'Sạp 1', 'tap_hoa', 'installed', 'sap 1', '2026-01-01T00:00:00.000Z', ` +
        `'2026-01-01T00:00:00.000Z');`,
    );
    migrate(db, migrations, 4);
    expect(db.prepare('SELECT label, status, consent_at FROM stalls').get()).toEqual({
      label: 'Sạp 1',
      status: 'installed',
      consent_at: null,
    });
  });

  it('when migrating to 10, then existing admins and leaders reach the whole country and the others nothing', () => {
    const db = openDatabase(':memory:');
    migrate(db, migrations, 9);
    const insert = db.prepare(
      `INSERT INTO users (username, display_name, role, password_hash, created_at)
            VALUES (?, ?, ?, 'scrypt$x', '2026-01-01T00:00:00.000Z')`,
    );
    for (const role of ['admin', 'leader', 'team_lead', 'volunteer', 'viewer']) insert.run(role, role, role);
    migrate(db, migrations, 10);
    expect(db.prepare('SELECT role, whole_country FROM users ORDER BY id').all()).toEqual([
      { role: 'admin', whole_country: 1 },
      { role: 'leader', whole_country: 1 },
      { role: 'team_lead', whole_country: 0 },
      { role: 'volunteer', whole_country: 0 },
      { role: 'viewer', whole_country: 0 },
    ]);
    expect(db.prepare('SELECT count(*) FROM user_reach').pluck().get()).toBe(0);
    expect(() =>
      db.prepare("INSERT INTO user_reach (user_id, province_code, commune_code) VALUES (3, '52', '23575')").run(),
    ).toThrow(/CHECK constraint/);
  });

  it('when migration files skip a number, then loading them fails with a clear message', () => {
    const dir = tempDir('migrations');
    writeFileSync(path.join(dir, '0001_a.sql'), 'SELECT 1;');
    writeFileSync(path.join(dir, '0003_c.sql'), 'SELECT 1;');
    expect(() => loadMigrations(dir)).toThrow(/không liền mạch/);
  });

  it('when the database is a file, then it opens in WAL mode with foreign keys on', () => {
    const dir = tempDir('db');
    const db = openDatabase(path.join(dir, 'sub', 'x.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});
