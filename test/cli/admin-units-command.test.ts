import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAdminUnitPatch } from '../../src/admin-units/admin-unit-patch.js';
import { openRegistry } from '../../src/bootstrap.js';
import { runAdminUnitsCommand } from '../../src/cli/admin-units-command.js';
import { run } from '../../src/cli/phoqr.js';
import { fixedClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { printDelivered, verifiedStall } from '../helpers/stickers.js';
import { TEST_PASSWORD } from '../helpers/app.js';
import { tempDir } from '../helpers/temp-dir.js';

const NOW = '2026-11-22T03:00:00Z';
const BUNDLED = path.join(import.meta.dirname, '../../assets/admin-unit-patches/2026-thanh-pho-dong-nai-bac-ninh.json');
const decided = { resolution: 'Nghị quyết số 9999/NQ-UBTVQH15 (thử nghiệm)', effective_on: '2026-11-21' };

/** A database file with Chợ Hoa Lư (site 1, Phường Pleiku 23575) and one printed sticker, and files beside it. */
async function registry() {
  const dir = tempDir('admin-units');
  const databasePath = path.join(dir, 'db.sqlite');
  const config = testConfig({ databasePath });
  const clock = fixedClock(NOW);
  const { db, services } = openRegistry(config, clock);
  const adminId = await services.users.createUser({ username: 'quantri', role: 'admin', password: TEST_PASSWORD });
  await services.users.createUser({
    username: 'tnv.a',
    role: 'volunteer',
    password: TEST_PASSWORD,
    reach: [{ kind: 'commune', code: '23887' }],
  });
  const admin = { id: adminId, role: 'admin' as const, reach: (await services.users.findWithReach(adminId))!.reach };
  const siteId = await services.sites.createSite(admin, {
    kind: 'market',
    name: 'Chợ Hoa Lư',
    commune_code: '23575',
    target_percent: '70',
  });
  const context = { services } as Parameters<typeof verifiedStall>[0];
  await printDelivered(services.stickers, admin, await verifiedStall(context, admin, siteId, 1));
  db.close();
  const file = (name: string, content: unknown) => {
    const at = path.join(dir, name);
    writeFileSync(at, typeof content === 'string' ? content : JSON.stringify(content));
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
  const runCommand = (args: string[]) => runAdminUnitsCommand(args, io, clock);
  return { dir, file, out, err, run: runCommand, query, io };
}

const RENAME = {
  id: 'doi-ten-pleiku',
  title: 'Đổi tên Phường Pleiku và Chợ Hoa Lư',
  changes: [
    { kind: 'rename_commune', code: '23575', from: 'Phường Pleiku', to: 'Phường Pleiku Mới', ...decided },
    { kind: 'rename_site', site_id: 1, from: 'Chợ Hoa Lư', to: 'Chợ Hoa Lư Pleiku', ...decided },
  ],
};

describe('phoqr admin-units update', () => {
  it('when run without --commit, then it prints the diff and reprint list, exits 0 and writes nothing', async () => {
    const { file, out, run, query, dir } = await registry();
    const csv = path.join(dir, 'in-lai.csv');
    expect(await run(['update', '--from', file('p.json', RENAME), '--reprint-csv', csv])).toBe(0);
    const text = out.join('');
    expect(text).toContain('Bản cập nhật doi-ten-pleiku: Đổi tên Phường Pleiku và Chợ Hoa Lư');
    expect(text).toContain('1. Đổi tên xã 23575: Phường Pleiku → Phường Pleiku Mới');
    expect(text).toContain('2. Đổi tên địa điểm #1: Chợ Hoa Lư → Chợ Hoa Lư Pleiku');
    expect(text).toMatch(
      /Tem cần in lại \(1\):\n {2}52-23575-000001 · Sạp 1 · địa điểm #1: "Chợ Hoa Lư" → "Chợ Hoa Lư Pleiku"/,
    );
    expect(text).toContain('Chưa ghi gì (xem trước). Thêm --commit để áp dụng.');
    expect(query<{ name: string }[]>("SELECT name FROM communes WHERE code = '23575'")).toEqual([
      { name: 'Phường Pleiku' },
    ]);
    expect(query("SELECT id FROM admin_unit_patches WHERE applied_via = 'command'")).toEqual([]);
    // The CSV through the exports' writer: a BOM, CRLF, one row per sticker.
    expect(readFileSync(csv, 'utf8')).toBe(
      '\uFEFFSố tem,Sạp,Mã địa điểm,Dòng in cũ,Dòng in mới\r\n52-23575-000001,Sạp 1,1,Chợ Hoa Lư,Chợ Hoa Lư Pleiku\r\n',
    );
  });

  it('when run with --commit, then it applies and records the patch, and a second run exits 1', async () => {
    const { file, out, err, run, query } = await registry();
    const patch = file('p.json', RENAME);
    expect(await run(['update', '--from', patch, '--commit', '--as', 'quantri'])).toBe(0);
    expect(out.join('')).toContain('Đã áp dụng tất cả trong một lần ghi (có trong nhật ký).');
    expect(query("SELECT name, name_folded FROM communes WHERE code = '23575'")).toEqual([
      { name: 'Phường Pleiku Mới', name_folded: 'phuong pleiku moi' },
    ]);
    expect(query("SELECT old_name FROM commune_mappings WHERE old_code = '23575' AND old_district_name = ''")).toEqual([
      { old_name: 'Phường Pleiku' },
    ]);
    expect(query("SELECT user_id IS NOT NULL AS by_user FROM audit_log WHERE action = 'admin_units.update'")).toEqual([
      { by_user: 1 },
    ]);
    expect(await run(['update', '--from', patch, '--commit'])).toBe(1);
    expect(err.join('')).toContain('Bản cập nhật "doi-ten-pleiku" đã được áp dụng trước đây; không áp dụng lại.');
    expect(err.join('')).toContain('Không ghi gì.');
  });

  it('when the patch is refused, then it exits 1, names the change, and writes nothing', async () => {
    const { file, err, run, query } = await registry();
    const patch = {
      id: 'bo-xa-con-cho',
      title: 'Bỏ xã còn chợ',
      changes: [RENAME.changes[0], { kind: 'remove_commune', code: '23575', from: 'Phường Pleiku Mới', ...decided }],
    };
    expect(await run(['update', '--from', file('p.json', patch), '--commit'])).toBe(1);
    expect(err.join('')).toContain('Thay đổi 2 (bỏ xã): xã 23575 còn 1 địa điểm (#1)');
    expect(query("SELECT name FROM communes WHERE code = '23575'")).toEqual([{ name: 'Phường Pleiku' }]);
    expect(query("SELECT count(*) AS n FROM audit_log WHERE action = 'admin_units.update'")).toEqual([{ n: 0 }]);
  });

  it('when the file is not a valid patch, then it exits 2 listing each problem', async () => {
    const { file, err, run } = await registry();
    expect(await run(['update', '--from', file('p.json', '{"id": 1')])).toBe(2);
    expect(err.join('')).toContain('Tệp không phải JSON hợp lệ');
    err.length = 0;
    const patch = { id: 'thieu', title: 'Thiếu', changes: [{ kind: 'rename_commune', code: '23575', to: 'X' }] };
    expect(await run(['update', '--from', file('q.json', patch)])).toBe(2);
    expect(err.join('')).toContain('Thay đổi 1 (đổi tên xã), trường "resolution": thiếu.');
    expect(err.join('')).toContain('Thay đổi 1 (đổi tên xã), trường "from": thiếu.');
  });

  it('when the usage is wrong or --as names a non-admin, then it exits 2', async () => {
    const { file, run, err } = await registry();
    expect(await run(['update'])).toBe(2);
    expect(await run(['apply', '--from', 'x.json'])).toBe(2);
    expect(await run(['update', '--from', file('p.json', RENAME), '--as', 'tnv.a'])).toBe(2);
    expect(err.join('')).toContain('Chỉ quản trị viên toàn quốc được cập nhật đơn vị hành chính');
  });

  it('when the bundled 2026 patch meets a new database, then it is known as applied (migration 0003)', async () => {
    const { err, query, io } = await registry();
    expect(await run(['admin-units', 'update', '--from', BUNDLED], io)).toBe(1);
    expect(err.join('')).toContain('"2026-thanh-pho-dong-nai-bac-ninh" đã được áp dụng trước đây');
    expect(query("SELECT code, name, unit_type FROM provinces WHERE code IN ('24', '75') ORDER BY code")).toEqual([
      { code: '24', name: 'Thành phố Bắc Ninh', unit_type: 'thanh_pho' },
      { code: '75', name: 'Thành phố Đồng Nai', unit_type: 'thanh_pho' },
    ]);
    expect(query('SELECT province_code, old_name FROM province_former_names ORDER BY province_code')).toEqual([
      { province_code: '24', old_name: 'Bắc Ninh' },
      { province_code: '75', old_name: 'Đồng Nai' },
    ]);
  });

  it('when the bundled 2026 patch meets a database from before it, then it makes both provinces cities', async () => {
    const { query, io, out } = await registry();
    const opened = openRegistry(testConfig({ databasePath: io.env.DATABASE_PATH }), fixedClock(NOW));
    opened.db.exec(`
      DELETE FROM province_former_names; DELETE FROM admin_unit_patches;
      UPDATE provinces SET name = 'Đồng Nai', unit_type = 'tinh', name_folded = 'dong nai' WHERE code = '75';
      UPDATE provinces SET name = 'Bắc Ninh', unit_type = 'tinh', name_folded = 'bac ninh' WHERE code = '24';`);
    opened.db.close();
    const patch = parseAdminUnitPatch(readFileSync(BUNDLED, 'utf8'));
    expect(patch.changes.map((c) => c.kind)).toEqual(['retype_province', 'retype_province']);
    expect(await run(['admin-units', 'update', '--from', BUNDLED, '--commit'], io)).toBe(0);
    expect(out.join('')).toContain('1. Đổi loại tỉnh 75: tỉnh → thành phố (Đồng Nai → Thành phố Đồng Nai)');
    expect(out.join('')).toContain('hiệu lực chưa rõ (xem ghi chú)');
    expect(query("SELECT name, name_folded FROM provinces WHERE code IN ('24', '75') ORDER BY code")).toEqual([
      { name: 'Thành phố Bắc Ninh', name_folded: 'thanh pho bac ninh' },
      { name: 'Thành phố Đồng Nai', name_folded: 'thanh pho dong nai' },
    ]);
  });
});
