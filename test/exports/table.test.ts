import { CHEAP_DEMO_HASHES } from '../helpers/db.js';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runExportCommand } from '../../src/cli/export-command.js';
import { fixedClock } from '../../src/clock.js';
import { openMigratedDatabase } from '../../src/bootstrap.js';
import { testConfig } from '../../src/config.js';
import { sqliteDataAccess } from '../../src/db/data-access.js';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { toCsv, toXlsx, type ExportTable } from '../../src/exports/table.js';
import { tempDir } from '../helpers/temp-dir.js';

const TABLE: ExportTable = {
  sheetName: 'Sạp',
  columns: [{ header: 'Mã xã' }, { header: 'Xã/phường' }, { header: 'Ghi chú' }],
  rows: [
    ['23575', 'Phường Pleiku', 'Sạp "Kim Dung", dãy B'],
    ['23887', 'Xã Chư Prông', '=HYPERLINK("http://x")'],
    ['21655', 'Phường Hoài Nhơn Bắc', null],
  ],
};

describe('CSV export', () => {
  it('starts with a BOM, uses CRLF, quotes commas and quotes, and disarms formulas', () => {
    const csv = toCsv(TABLE);
    expect(csv.startsWith('\uFEFFMã xã,Xã/phường,Ghi chú\r\n')).toBe(true);
    expect(csv).toContain('23575,Phường Pleiku,"Sạp ""Kim Dung"", dãy B"\r\n');
    expect(csv).toContain(`23887,Xã Chư Prông,"'=HYPERLINK(""http://x"")"\r\n`);
    expect(csv.endsWith('21655,Phường Hoài Nhơn Bắc,\r\n')).toBe(true);
  });

  it('when a row saved before the input checks holds ESC, NUL or a bidi override, then they leave as U+FFFD', () => {
    const csv = toCsv({ ...TABLE, rows: [['23575', '\u001b[31mSạp\u0000 1', '\u202eđè']] });
    expect(csv).toContain('23575,\ufffd[31mSạp\ufffd 1,\ufffdđè\r\n');
    for (const hidden of ['\u0000', '\u001b', '\u202e']) expect(csv.includes(hidden)).toBe(false);
  });
});

describe('XLSX export', () => {
  it('is a workbook whose cells hold the Vietnamese text exactly', async () => {
    const dir = tempDir('xlsx');
    const file = path.join(dir, 't.xlsx');
    writeFileSync(file, await toXlsx(TABLE));
    const sheet = execFileSync(
      'python3',
      [
        '-c',
        `import zipfile,sys;z=zipfile.ZipFile(sys.argv[1]);` +
          `print(''.join(z.read(n).decode() for n in z.namelist() if n.endswith('.xml')))`,
        file,
      ],
      { encoding: 'utf8' },
    );
    expect(sheet).toContain('Phường Hoài Nhơn Bắc');
    expect(sheet).toContain('Xã/phường');
  });
});

describe('phoqr export stalls', () => {
  it('writes every stall with codes beside names, and logs the export', async () => {
    const dir = tempDir('export');
    const databasePath = path.join(dir, 'db.sqlite');
    const { db } = openMigratedDatabase(testConfig({ databasePath }));
    const summary = await seedDemo(sqliteDataAccess(db), fixedClock('2026-11-22T03:00:00Z'), CHEAP_DEMO_HASHES);
    db.close();
    const out: string[] = [];
    const io = {
      stdout: (t: string) => out.push(t),
      stderr: (t: string) => out.push(t),
      env: { DATABASE_PATH: databasePath },
    };
    const file = path.join(dir, 'stalls.csv');
    expect(await runExportCommand(['stalls', '--out', file], io, fixedClock('2026-11-22T04:00:00Z'))).toBe(0);
    const lines = readFileSync(file, 'utf8').trim().split('\r\n');
    expect(lines).toHaveLength(summary.stalls + 1);
    expect(lines[0]).toContain('Mã tỉnh,Tỉnh/thành,Mã xã,Xã/phường');
    expect(
      lines.some((line) => line.startsWith('52,Gia Lai,23575,Phường Pleiku,') && line.includes('Chợ Hoa Lư')),
    ).toBe(true);
    const { db: after } = openMigratedDatabase(testConfig({ databasePath }));
    expect(after.prepare('SELECT what, format, scope, row_count FROM export_log').all()).toEqual([
      { what: 'stalls', format: 'csv', scope: 'all', row_count: summary.stalls },
    ]);
    after.close();
  });

  it('refuses a call without --out with exit 2', async () => {
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: (t: string) => out.push(t), env: {} };
    expect(await runExportCommand(['stalls'], io, fixedClock('2026-11-22T04:00:00Z'))).toBe(2);
    expect(out.join('')).toContain('Cách dùng: phoqr export stalls');
  });
});
