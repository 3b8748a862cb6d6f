import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegistry } from '../../src/bootstrap.js';
import { runImportCommand } from '../../src/cli/import-command.js';
import { fixedClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { tempDir } from '../helpers/temp-dir.js';

const NOW = '2026-11-22T03:00:00Z';
const HEADER = 'Số sạp,Tên chủ hộ,SĐT,Nhóm hàng,Ngân hàng,Số tài khoản,Chủ tài khoản,Ngày đồng ý';
const GOOD = [HEADER, 'Sạp 1,Lê Thị Hoa,0905777888,Rau củ,VCB,0071000999888,LE THI HOA,20/11/2026', 'Sạp 2,,,Thịt,,,,'];

/** A database with a site (id 1) and a volunteer, and files beside it. */
async function registry() {
  const dir = tempDir('import');
  const databasePath = path.join(dir, 'db.sqlite');
  const config = testConfig({ databasePath });
  const clock = fixedClock(NOW);
  const { db, services } = openRegistry(config, clock);
  const adminId = await services.users.createUser({ username: 'quantri', role: 'admin', password: TEST_PASSWORD });
  const admin = { id: adminId, role: 'admin' as const, reach: (await services.users.findWithReach(adminId))!.reach };
  await services.sites.createSite(admin, {
    kind: 'market',
    name: 'Chợ Hoa Lư',
    commune_code: '23575',
    target_percent: '70',
  });
  await services.users.createUser({
    username: 'tnv.b',
    role: 'volunteer',
    password: TEST_PASSWORD,
    reach: [{ kind: 'commune', code: '23887' }],
  });
  db.close();
  const file = (name: string, lines: string[]) => {
    const at = path.join(dir, name);
    writeFileSync(at, lines.join('\n'));
    return at;
  };
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    stdout: (t: string) => out.push(t),
    stderr: (t: string) => err.push(t),
    env: { DATABASE_PATH: databasePath },
  };
  const query = <T>(sqlText: string): T => {
    const opened = openRegistry(config, clock);
    try {
      return opened.db.prepare(sqlText).all() as T;
    } finally {
      opened.db.close();
    }
  };
  const run = (args: string[]) => runImportCommand(args, io, clock);
  return { file, out, err, run, query };
}

describe('phoqr import stalls', () => {
  it('when run without --commit, then it prints each row by outcome and row number, writing nothing', async () => {
    const { file, out, run, query } = await registry();
    const csv = file('ds.csv', [...GOOD, 'Sạp 3,,09abc,Rau củ,,,,20/11/2026']);
    expect(await run(['stalls', '--site', '1', csv])).toBe(1);
    const text = out.join('');
    expect(text).toContain('ds.csv → Chợ Hoa Lư (địa điểm 1): 3 dòng.');
    expect(text).toMatch(/Sạp mới \(2\):\n {2}dòng 2 Sạp 1\n {2}dòng 3 Sạp 2/);
    expect(text).toMatch(/Lỗi \(1\):\n {2}dòng 4 Sạp 3: Số điện thoại: Số điện thoại gồm 10 chữ số/);
    expect(text).toContain('Chưa ghi gì (xem trước). Thêm --commit để ghi 2 dòng; 1 dòng sẽ bị bỏ qua.');
    expect(query<unknown[]>('SELECT id FROM stalls')).toEqual([]);
    expect(query<unknown[]>("SELECT id FROM audit_log WHERE action = 'site.import_stalls'")).toEqual([]);
  });

  it('when every row is good and --commit is given, then all are written, exit 0, by the command line', async () => {
    const { file, out, run, query } = await registry();
    expect(await run(['stalls', '--site', '1', file('ds.csv', GOOD), '--commit'])).toBe(0);
    expect(out.join('')).toContain('Đã ghi 2 dòng; bỏ qua 0 dòng.');
    expect(query('SELECT label, owner_name, status, created_by FROM stalls ORDER BY id')).toEqual([
      { label: 'Sạp 1', owner_name: 'Lê Thị Hoa', status: 'has_account', created_by: null },
      { label: 'Sạp 2', owner_name: '', status: 'surveyed', created_by: null },
    ]);
    expect(query("SELECT user_id, entity_id FROM audit_log WHERE action = 'site.import_stalls'")).toEqual([
      { user_id: null, entity_id: 1 },
    ]);
    // The same file again: nothing to write, nothing skipped.
    expect(await run(['stalls', '--site', '1', file('ds.csv', GOOD), '--commit'])).toBe(0);
    expect(query<unknown[]>('SELECT id FROM stalls')).toHaveLength(2);
  });

  it('when some rows are wrong and --commit is given, then the good rows are written and the exit is 1', async () => {
    const { file, run, query } = await registry();
    const csv = file('ds.csv', [...GOOD, 'Sạp 2,,,Thịt,,,,']);
    expect(await run(['stalls', '--site', '1', csv, '--commit', '--as', 'quantri'])).toBe(1);
    expect(query<{ n: number }[]>('SELECT count(*) AS n FROM stalls')).toEqual([{ n: 2 }]);
    const byAdmin = query<{ n: number }[]>(
      'SELECT count(*) AS n FROM audit_log a JOIN users u ON u.id = a.user_id ' +
        "WHERE u.username = 'quantri' AND a.action = 'site.import_stalls'",
    );
    expect(byAdmin).toEqual([{ n: 1 }]);
  });

  it('when the usage, the file, the user or the site is wrong, then it exits 2 and writes nothing', async () => {
    const { file, err, run, query } = await registry();
    const good = file('ds.csv', GOOD);
    expect(await run(['stalls', good])).toBe(2);
    expect(await run(['stalls', '--site', '1', path.join(path.dirname(good), 'missing.csv')])).toBe(2);
    expect(await run(['stalls', '--site', '1', file('empty.csv', [''])])).toBe(2);
    expect(await run(['stalls', '--site', '1', file('nolabel.csv', ['Tên chủ hộ', 'Lan'])])).toBe(2);
    expect(await run(['stalls', '--site', '1', good, '--as', 'không.có'])).toBe(2);
    expect(await run(['stalls', '--site', '99', good])).toBe(2);
    // A volunteer of another commune: the site is not found for them.
    expect(await run(['stalls', '--site', '1', good, '--commit', '--as', 'tnv.b'])).toBe(2);
    expect(err.join('')).toContain('Không tìm thấy địa điểm');
    expect(err.join('')).toContain('Thiếu cột Số sạp');
    expect(query<unknown[]>('SELECT id FROM stalls')).toEqual([]);
  });
});

describe('phoqr import sites', () => {
  it("when a commune's list of sites is imported, then new sites are added, the others reported", async () => {
    const { file, out, run, query } = await registry();
    const csv = file('cho.csv', [
      'Tên địa điểm,Loại,Chỉ tiêu %,Địa chỉ,Ngày ra mắt',
      'Chợ Hoa Lư,Chợ,70,,',
      'Tuyến phố Hùng Vương,tuyến phố,80%,Đường Hùng Vương,01/12/2026',
      'Chợ Đêm Pleiku,chợ,150,,',
      'tuyen pho hung vuong,Phố,,,',
    ]);
    expect(await run(['sites', '--commune', '23575', csv])).toBe(1);
    expect(out.join('')).toMatch(/Địa điểm mới \(1\):\n {2}dòng 3 Tuyến phố Hùng Vương/);
    expect(out.join('')).toMatch(/Lỗi \(1\):\n {2}dòng 4 Chợ Đêm Pleiku: Chỉ tiêu là số nguyên từ 1 đến 100/);
    expect(query<unknown[]>('SELECT id FROM sites')).toHaveLength(1);
    expect(await run(['sites', '--commune', '23575', csv, '--commit'])).toBe(1);
    expect(query('SELECT name, kind, target_percent, launched_on, created_by FROM sites ORDER BY id')).toEqual([
      { name: 'Chợ Hoa Lư', kind: 'market', target_percent: 70, launched_on: null, created_by: expect.any(Number) },
      { name: 'Tuyến phố Hùng Vương', kind: 'street', target_percent: 80, launched_on: '2026-12-01', created_by: null },
    ]);
    expect(query("SELECT user_id, entity, entity_id FROM audit_log WHERE action = 'site.import_sites'")).toEqual([
      { user_id: null, entity: 'commune', entity_id: 23575 },
    ]);
    expect(await run(['sites', '--commune', '235', csv])).toBe(2);
  });
});
