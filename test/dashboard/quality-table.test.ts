import { CHEAP_DEMO_HASHES } from '../helpers/db.js';
import { describe, expect, it } from 'vitest';
import { adoptionOn } from '../adoption/adoption-on.js';
import type { DataQuality, ScopeInfo } from '../../src/adoption/adoption-types.js';
import { qualityTable } from '../../src/dashboard/quality-table.js';
import { seedDemo } from '../../src/demo/demo-seed.js';
import { toCsv } from '../../src/exports/table.js';
import { createTestContext } from '../helpers/app.js';
import { WHOLE_COUNTRY } from '../../src/vocabulary/reach.js';

const SCOPE: ScopeInfo = {
  kind: 'province',
  key: '52',
  name: 'Gia Lai',
  province: { code: '52', name: 'Gia Lai' },
  commune: null,
  limited: false,
  parents: [],
};
const HEADERS = [
  'Mã loại kiểm tra',
  'Kiểm tra',
  'Số lượng',
  'Nhóm',
  'Mã sạp',
  'Sạp',
  'Mã địa điểm',
  'Địa điểm',
  'Mã tình trạng',
  'Tình trạng',
  'Lần liên hệ cuối',
  'Mã ngân hàng (BIN)',
  'Ngân hàng',
  'Tài khoản (đã che)',
  'Trong phạm vi',
  'Tính đến',
];
const hoaLu = { siteId: 1, siteName: 'Chợ Hoa Lư' };

const QUALITY: DataQuality = {
  scope: SCOPE,
  asOf: '2026-11-22',
  listLimit: 100,
  unverifiedAccounts: { count: 0, stalls: [] },
  staleFollowUps: {
    days: 60,
    count: 2,
    stalls: [
      { stallId: 62, label: 'số 70', ...hoaLu, status: 'installed', lastContact: '2026-09-07' },
      { stallId: 63, label: 'số 71', ...hoaLu, status: 'installed', lastContact: '2026-09-10' },
    ],
  },
  duplicateAccounts: {
    count: 1,
    groups: [
      {
        bin: '970405',
        maskedAccount: '•••• 0370',
        accountIds: [249, 456],
        outsideReach: 0,
        stalls: [
          {
            stallId: 262,
            label: 'Ki-ốt B4',
            siteId: 2,
            siteName: 'Trung tâm thương mại xã Chư Prông',
            status: 'installed',
            inScope: true,
          },
          { stallId: 900, label: 'số 3', siteId: 9, siteName: 'Chợ Đầm', status: 'has_account', inScope: false },
        ],
      },
    ],
  },
  stickers: { revoked: 3, replaced: 0 },
  pendingPayeeChanges: {
    count: 1,
    stalls: [
      {
        stallId: 64,
        label: 'số 72',
        ...hoaLu,
        status: 'installed',
        kind: 'set_primary',
        requestedAt: '2026-11-21T02:00:00.000Z',
      },
    ],
  },
};

describe('qualityTable', () => {
  it('lists one row per listed stall under its check, codes beside names, the sticker counts, the requests', () => {
    const table = qualityTable(QUALITY, (bin) => (bin === '970405' ? 'Agribank' : undefined));
    expect(table.columns.map((c) => c.header)).toEqual(HEADERS);
    expect(table.rows).toEqual([
      [
        'unverified-account',
        'Tài khoản chưa kiểm tra tên',
        0,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        '2026-11-22',
      ],
      [
        'stale-follow-up',
        'Chưa thăm lại 60 ngày',
        2,
        null,
        62,
        'số 70',
        1,
        'Chợ Hoa Lư',
        'installed',
        'Đã dán mã QR',
        '2026-09-07',
        null,
        null,
        null,
        'có',
        '2026-11-22',
      ],
      [
        'stale-follow-up',
        'Chưa thăm lại 60 ngày',
        2,
        null,
        63,
        'số 71',
        1,
        'Chợ Hoa Lư',
        'installed',
        'Đã dán mã QR',
        '2026-09-10',
        null,
        null,
        null,
        'có',
        '2026-11-22',
      ],
      [
        'duplicate-account',
        'Tài khoản trùng trên nhiều sạp',
        1,
        1,
        262,
        'Ki-ốt B4',
        2,
        'Trung tâm thương mại xã Chư Prông',
        'installed',
        'Đã dán mã QR',
        null,
        '970405',
        'Agribank',
        '•••• 0370',
        'có',
        '2026-11-22',
      ],
      [
        'duplicate-account',
        'Tài khoản trùng trên nhiều sạp',
        1,
        1,
        900,
        'số 3',
        9,
        'Chợ Đầm',
        'has_account',
        'Có tài khoản',
        null,
        '970405',
        'Agribank',
        '•••• 0370',
        'không',
        '2026-11-22',
      ],
      [
        'sticker-revoked',
        'Mã QR đã thu hồi',
        3,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        '2026-11-22',
      ],
      [
        'sticker-replaced',
        'Mã QR đã thay',
        0,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        '2026-11-22',
      ],
      [
        'pending-payee-change',
        'Yêu cầu đổi tài khoản nhận tiền đang chờ duyệt',
        1,
        null,
        64,
        'số 72',
        1,
        'Chợ Hoa Lư',
        'installed',
        'Đã dán mã QR',
        null,
        null,
        null,
        null,
        'có',
        '2026-11-22',
      ],
    ]);
    expect(toCsv(table).startsWith(`\uFEFF${HEADERS.join(',')}\r\n`)).toBe(true);
  });

  it(
    'for the demo province: one row per listed item (a count row for an empty check), ' +
      'two sticker rows, no full account number',
    async () => {
      const context = createTestContext();
      await seedDemo(context.data, context.clock, CHEAP_DEMO_HASHES);
      const quality = await adoptionOn(context.db).dataQuality(
        WHOLE_COUNTRY,
        { kind: 'province', code: '52' },
        '2026-11-22',
      );
      expect(quality.staleFollowUps.count + quality.duplicateAccounts.count).toBeGreaterThan(0);
      const table = qualityTable(quality);
      const rowsOf = (code: string) => table.rows.filter((row) => row[0] === code);
      expect(rowsOf('unverified-account')).toHaveLength(Math.max(1, quality.unverifiedAccounts.stalls.length));
      expect(rowsOf('stale-follow-up').map((row) => row[4])).toEqual(
        quality.staleFollowUps.stalls.map((s) => s.stallId),
      );
      expect(rowsOf('duplicate-account').map((row) => row[4])).toEqual(
        quality.duplicateAccounts.groups.flatMap((g) => g.stalls.map((s) => s.stallId)),
      );
      expect(new Set(rowsOf('duplicate-account').map((row) => row[3])).size).toBe(
        quality.duplicateAccounts.groups.length,
      );
      expect(rowsOf('sticker-revoked').map((row) => row[2])).toEqual([quality.stickers.revoked]);
      expect(rowsOf('sticker-replaced').map((row) => row[2])).toEqual([quality.stickers.replaced]);
      expect(rowsOf('pending-payee-change').map((row) => row[2])).toEqual([0]);
      const csv = toCsv(table);
      const accountIds = quality.duplicateAccounts.groups.flatMap((g) => g.accountIds);
      expect(accountIds.length).toBeGreaterThan(0);
      for (const id of accountIds) {
        const { account_number: number } = context.db
          .prepare('SELECT account_number FROM stall_accounts WHERE id = ?')
          .get(id) as { account_number: string };
        expect(csv).not.toContain(number);
        expect(csv).toContain(`•••• ${number.slice(-4)}`);
      }
    },
  );
});
