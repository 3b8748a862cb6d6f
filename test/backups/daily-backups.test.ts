import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { dailyBackupName, dailyBackupsNewestFirst, dailyBackupsToRemove } from '../../src/backups/backup-files.js';
import { scheduleDailyBackups, takeDailyBackup } from '../../src/backups/daily-backups.js';
import { fixedClock } from '../../src/clock.js';
import { ConfigError, DEFAULT_BACKUP_KEEP, loadConfig } from '../../src/config.js';
import { tempDir } from '../helpers/temp-dir.js';

/** A database file in WAL mode, as the server keeps it, with one table the test writes to. */
function registryFile(dir: string): { file: string; db: Database.Database } {
  const file = path.join(dir, 'phoqr.sqlite');
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE writes (id INTEGER PRIMARY KEY, note TEXT NOT NULL)');
  return { file, db };
}

function rowsIn(file: string): number {
  const copy = new Database(file, { readonly: true });
  try {
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    return (copy.prepare('SELECT count(*) AS n FROM writes').get() as { n: number }).n;
  } finally {
    copy.close();
  }
}

describe('daily backup file names', () => {
  it('when files of several days and other files are in the folder, then only ours count, newest first', () => {
    const names = ['phoqr-2026-11-30.sqlite', 'notes.txt', 'phoqr-2026-12-01.sqlite', 'phoqr-2026-11-29.sqlite'];
    expect(dailyBackupsNewestFirst(names)).toEqual([
      'phoqr-2026-12-01.sqlite',
      'phoqr-2026-11-30.sqlite',
      'phoqr-2026-11-29.sqlite',
    ]);
    expect(dailyBackupsToRemove([...names, 'phoqr-2026-12-01.sqlite.partial'], 2)).toEqual(['phoqr-2026-11-29.sqlite']);
    expect(dailyBackupName('2026-12-01')).toBe('phoqr-2026-12-01.sqlite');
  });
});

describe('takeDailyBackup', () => {
  it(
    'when run on three days with BACKUP_KEEP 2, then one readable file per Vietnam day is written, ' +
      'a second run the same day writes nothing, and the oldest is removed',
    async () => {
      const dir = tempDir('daily-backups');
      const backups = path.join(dir, 'backups');
      const { file, db } = registryFile(dir);
      const clock = fixedClock('2026-11-29T10:00:00Z');
      const options = { databasePath: file, dir: backups, keep: 2, clock };
      db.prepare("INSERT INTO writes (note) VALUES ('a')").run();
      expect(await takeDailyBackup(options)).toMatchObject({ written: true, removed: [] });
      db.prepare("INSERT INTO writes (note) VALUES ('b')").run();
      expect(await takeDailyBackup(options)).toMatchObject({ written: false });
      clock.set('2026-11-30T10:00:00Z');
      await takeDailyBackup(options);
      writeFileSync(path.join(backups, 'README.txt'), 'not a backup');
      // 23:30 on 30/11 in UTC is already 1 December in Vietnam (UTC+7).
      clock.set('2026-11-30T23:30:00Z');
      const third = await takeDailyBackup(options);
      expect(third).toMatchObject({ written: true, removed: ['phoqr-2026-11-29.sqlite'] });
      expect(readdirSync(backups).sort()).toEqual(['README.txt', 'phoqr-2026-11-30.sqlite', 'phoqr-2026-12-01.sqlite']);
      expect(rowsIn(path.join(backups, 'phoqr-2026-12-01.sqlite'))).toBe(2);
      db.close();
    },
  );

  it('when the app keeps writing during the backup, then every write committed before it is in it', async () => {
    const dir = tempDir('daily-backups-busy');
    const { file, db } = registryFile(dir);
    const insert = db.prepare('INSERT INTO writes (note) VALUES (?)');
    for (let i = 0; i < 2000; i++) insert.run(`before ${i}`);
    const backup = takeDailyBackup({
      databasePath: file,
      dir: path.join(dir, 'b'),
      keep: 3,
      clock: fixedClock('2026-12-01T03:00:00Z'),
    });
    let finished = false;
    void backup.finally(() => (finished = true));
    let during = 0;
    while (!finished) {
      insert.run(`during ${during++}`);
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { file: copy } = await backup;
    const rows = rowsIn(copy);
    expect(rows).toBeGreaterThanOrEqual(2000);
    expect(rows).toBeLessThanOrEqual(2000 + during);
    db.close();
  });

  it('when the copy fails, then no file that looks like a backup is left and the schedule logs it', async () => {
    const dir = tempDir('daily-backups-fail');
    const backups = path.join(dir, 'b');
    const errors: string[] = [];
    const schedule = scheduleDailyBackups(
      {
        databasePath: path.join(dir, 'missing.sqlite'),
        dir: backups,
        keep: 3,
        clock: fixedClock('2026-12-01T03:00:00Z'),
      },
      { info: () => {}, error: (message) => errors.push(message) },
    );
    await schedule.current();
    schedule.stop();
    expect(errors).toEqual([`Chưa sao lưu được vào ${backups}; sẽ thử lại sau.`]);
    expect(readdirSync(backups)).toEqual([]);
    expect(existsSync(path.join(backups, 'phoqr-2026-12-01.sqlite'))).toBe(false);
  });
});

describe('BACKUP_DIR and BACKUP_KEEP', () => {
  it('when BACKUP_DIR is unset, then there are no daily backups; when set, it keeps 14 unless told', () => {
    expect(loadConfig({}).dailyBackups).toBeNull();
    expect(loadConfig({ BACKUP_DIR: '/srv/phoqr-backups' }).dailyBackups).toEqual({
      dir: '/srv/phoqr-backups',
      keep: DEFAULT_BACKUP_KEEP,
    });
    expect(loadConfig({ BACKUP_DIR: '/srv/b', BACKUP_KEEP: '30' }).dailyBackups?.keep).toBe(30);
  });

  it('when BACKUP_KEEP is not a whole number from 1 to 30, then start-up stops saying so', () => {
    expect(() => loadConfig({ BACKUP_DIR: '/srv/b', BACKUP_KEEP: '0' })).toThrow(ConfigError);
    // Kept longer than 30 days, a backup would hold erased personal data past what the programme promises.
    expect(() => loadConfig({ BACKUP_DIR: '/srv/b', BACKUP_KEEP: '31' })).toThrow(/BACKUP_KEEP phải trong khoảng 1–30/);
    expect(() => loadConfig({ BACKUP_DIR: '/srv/b', BACKUP_KEEP: 'bảy' })).toThrow(/BACKUP_KEEP phải là số nguyên/);
  });
});
