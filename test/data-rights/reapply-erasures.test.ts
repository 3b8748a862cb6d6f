import { copyFileSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/actor.js';
import { openRegistry } from '../../src/bootstrap.js';
import { runReapplyErasuresCommand } from '../../src/cli/reapply-erasures-command.js';
import { fixedClock } from '../../src/clock.js';
import { testConfig } from '../../src/config.js';
import { tempDir } from '../helpers/temp-dir.js';

const NOW = '2026-11-22T03:00:00.000Z';
const OWNER = 'Nguyễn Thị Khôi Phục';
const PHONE = '0905777888';
const NUMBER = '1012345000777';
const HOLDER = 'NGUYEN THI KHOI PHUC';
const NOTE = 'Hẹn chị Phục chiều thứ bảy';

/** A database file with two stalls holding personal data, an admin, and the journal beside it. */
async function registryOnDisk() {
  const dir = tempDir('reapply');
  const databasePath = path.join(dir, 'db.sqlite');
  const journal = path.join(dir, 'erasures.jsonl');
  const config = testConfig({ databasePath, erasureJournalPath: journal });
  const clock = fixedClock(NOW);
  const registry = openRegistry(config, clock);
  const { db, services } = registry;
  const adminId = await services.users.createUser({
    username: 'quantri',
    role: 'admin',
    password: 'mat-khau-thu-nghiem',
    displayName: 'Quản trị',
    reach: [],
  });
  const run = (sql: string, ...params: unknown[]) => Number(db.prepare(sql).run(...params).lastInsertRowid);
  const site = run(
    `INSERT INTO sites (kind, name, name_folded, commune_code, created_at, updated_at)
     VALUES ('market', 'Chợ thử', 'cho thu', '23575', ?, ?)`,
    NOW,
    NOW,
  );
  const stalls = [1, 2].map((n) => {
    const stall = run(
      `INSERT INTO stalls (site_id, label, owner_name, phone, goods_category, status, search_folded, created_at,
                           updated_at, consent_at, consent_by)
       VALUES (?, ?, ?, ?, 'tap_hoa', 'has_account', ?, ?, ?, ?, ?)`,
      site,
      `Sạp ${n}`,
      `${OWNER} ${n}`,
      `${PHONE.slice(0, -1)}${n}`,
      `sap ${n}`,
      NOW,
      NOW,
      '2026-11-01T02:00:00.000Z',
      adminId,
    );
    run(
      `INSERT INTO stall_status_history (stall_id, from_status, to_status, changed_at, note)
       VALUES (?, NULL, 'has_account', ?, ?)`,
      stall,
      NOW,
      `${NOTE} ${n}`,
    );
    run(
      `INSERT INTO stall_accounts (stall_id, bin, account_number, service, holder_name, source, is_primary, created_at)
       VALUES (?, '970436', ?, 'account', ?, 'typed', 1, ?)`,
      stall,
      `${NUMBER}${n}`,
      `${HOLDER} ${n}`,
      NOW,
    );
    return stall;
  });
  const admin: Actor = { id: adminId, role: 'admin', reach: (await services.users.findWithReach(adminId))!.reach };
  return { ...registry, config, clock, databasePath, journal, dir, stalls, admin };
}

function capture(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), env }, out, err };
}

describe('phoqr reapply-erasures', () => {
  it('when a backup from before an erasure is restored, then the command erases again what it lacks', async () => {
    const { db, services, databasePath, journal, dir, stalls, admin, clock } = await registryOnDisk();
    const backup = path.join(dir, 'backup.sqlite');
    db.exec(`VACUUM INTO '${backup}'`);
    // After the backup: stall 1 erased, stall 2's consent withdrawn.
    await services.dataRights.erase(admin, stalls[0]!, { rights_reason: 'trader_request', confirm: 'yes' });
    await services.dataRights.withdrawConsent(admin, stalls[1]!, { rights_reason: 'other', confirm: 'yes' });
    expect(
      readFileSync(journal, 'utf8')
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line)),
    ).toEqual([
      { kind: 'erase', stallId: stalls[0], at: NOW, reason: 'trader_request' },
      { kind: 'withdraw', stallId: stalls[1], at: NOW, reason: 'other' },
    ]);
    // The journal holds no personal value.
    expect(readFileSync(journal, 'utf8')).not.toMatch(/Phục|PHUC|0905|101234/);
    db.close();
    copyFileSync(backup, databasePath);

    const env = { DATABASE_PATH: databasePath, PHOQR_ERASURE_JOURNAL: journal };
    const first = capture(env);
    expect(await runReapplyErasuresCommand(['--as', 'quantri'], first.io, clock)).toBe(0);
    expect(first.out.join('')).toBe(
      'Sổ có 2 lần rút lại đồng ý hoặc xóa dữ liệu: 2 vừa áp dụng lại, 0 đã có sẵn, ' +
        '0 sạp không có trong cơ sở dữ liệu.\n',
    );
    const second = capture(env);
    expect(await runReapplyErasuresCommand(['--as', 'quantri'], second.io, clock)).toBe(0);
    expect(second.out.join('')).toContain('0 vừa áp dụng lại, 2 đã có sẵn');

    const restored = openRegistry(testConfig({ databasePath }), clock).db;
    const cells = (sql: string) => restored.prepare(sql).raw().all().flat();
    expect(cells('SELECT owner_name, phone, consent_at, erased_at FROM stalls ORDER BY id')).toEqual([
      '',
      null,
      null,
      NOW,
      '',
      null,
      null,
      null,
    ]);
    expect(cells('SELECT holder_name, account_number FROM stall_accounts ORDER BY id')).toEqual([
      'ĐÃ XÓA',
      'xoa:1',
      `${HOLDER} 2`,
      `${NUMBER}2`,
    ]);
    // Its first note and the one the erasure wrote on moving it back to surveyed: both blanked.
    expect(cells('SELECT note FROM stall_status_history WHERE stall_id = 1')).toEqual(['', '']);
    restored.close();
  });

  it('when the user is not an administrator or the journal is unreadable, then it stops with exit 2', async () => {
    const { db, databasePath, journal, dir, clock } = await registryOnDisk();
    db.close();
    const env = { DATABASE_PATH: databasePath, PHOQR_ERASURE_JOURNAL: journal };
    const missing = capture(env);
    expect(await runReapplyErasuresCommand(['--as', 'quantri'], missing.io, clock)).toBe(2);
    expect(missing.err.join('')).toContain('Không đọc được sổ xóa dữ liệu');
    const bad = path.join(dir, 'bad.jsonl');
    copyFileSync(databasePath, bad);
    const unreadable = capture(env);
    expect(await runReapplyErasuresCommand(['--as', 'quantri', '--journal', bad], unreadable.io, clock)).toBe(2);
    expect(unreadable.err.join('')).toContain('dòng 1');
    const usage = capture(env);
    expect(await runReapplyErasuresCommand([], usage.io, clock)).toBe(2);
    expect(usage.err.join('')).toContain('Cách dùng');
  });
});
