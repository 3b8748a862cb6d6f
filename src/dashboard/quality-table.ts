import type { DataQuality, StallRef } from '../adoption/adoption-types.js';
import type { ExportTable } from '../exports/table.js';
import { STALL_STATUS_LABELS } from '../vocabulary/stall-status.js';

/** Stable codes of the data-quality checks, written beside their names in the export. */
export const QUALITY_CHECKS = {
  unverifiedAccount: 'unverified-account',
  staleFollowUp: 'stale-follow-up',
  duplicateAccount: 'duplicate-account',
  stickerRevoked: 'sticker-revoked',
  stickerReplaced: 'sticker-replaced',
  pendingPayeeChange: 'pending-payee-change',
} as const;

type Cell = string | number | null;

const COLUMNS = [
  // The check's code, named apart from the sticker's verification code ("Mã xác minh"): one name per thing.
  { header: 'Mã loại kiểm tra', width: 20 },
  { header: 'Kiểm tra', width: 30 },
  { header: 'Số lượng', width: 10 },
  { header: 'Nhóm', width: 7 },
  { header: 'Mã sạp', width: 8 },
  { header: 'Sạp', width: 16 },
  { header: 'Mã địa điểm', width: 10 },
  { header: 'Địa điểm', width: 30 },
  { header: 'Mã tình trạng', width: 12 },
  { header: 'Tình trạng', width: 18 },
  { header: 'Lần liên hệ cuối', width: 14 },
  { header: 'Mã ngân hàng (BIN)', width: 12 },
  { header: 'Ngân hàng', width: 14 },
  { header: 'Tài khoản (đã che)', width: 14 },
  { header: 'Trong phạm vi', width: 10 },
  { header: 'Tính đến', width: 12 },
] as const;

/**
 * The dashboard's data-quality checks as an export: one row per listed item — a stall without a
 * name-checked account, a stall not visited again for `days` days, each stall of a duplicate-account
 * group (numbered in "Nhóm"; the group's stalls outside the exporter's reach as one row that counts them)
 * — then one count row each for revoked and replaced stickers, then each stall with a payee-change request
 * waiting for a second person. A check with
 * nothing listed still gets one row with its count (0), so every check shows in the file. "Số lượng" is
 * the check's full count (stalls, groups or stickers): more than its rows when the list was cut at
 * `listLimit`. Accounts appear only masked, as DataQuality gives them; `bankName` names a BIN if it can.
 */
export function qualityTable(
  quality: DataQuality,
  bankName: (bin: string) => string | undefined = () => undefined,
): ExportTable {
  const rows: Cell[][] = [];
  const row = (
    code: string,
    name: string,
    count: number,
    cells: Partial<Record<(typeof COLUMNS)[number]['header'], Cell>> = {},
  ) => {
    const values: Record<string, Cell> = {
      'Mã loại kiểm tra': code,
      'Kiểm tra': name,
      'Số lượng': count,
      'Tính đến': quality.asOf,
      ...cells,
    };
    rows.push(COLUMNS.map((column) => values[column.header] ?? null));
  };
  const stall = (ref: StallRef) => ({
    'Mã sạp': ref.stallId,
    Sạp: ref.label,
    'Mã địa điểm': ref.siteId || null,
    'Địa điểm': ref.siteName,
    'Mã tình trạng': ref.status,
    'Tình trạng': ref.status ? STALL_STATUS_LABELS[ref.status] : null,
  });

  const unverified = quality.unverifiedAccounts;
  const unverifiedName = 'Tài khoản chưa kiểm tra tên';
  for (const ref of unverified.stalls)
    row(QUALITY_CHECKS.unverifiedAccount, unverifiedName, unverified.count, { ...stall(ref), 'Trong phạm vi': 'có' });
  if (unverified.stalls.length === 0) row(QUALITY_CHECKS.unverifiedAccount, unverifiedName, unverified.count);

  const stale = quality.staleFollowUps;
  const staleName = `Chưa thăm lại ${stale.days} ngày`;
  for (const ref of stale.stalls)
    row(QUALITY_CHECKS.staleFollowUp, staleName, stale.count, {
      ...stall(ref),
      'Lần liên hệ cuối': ref.lastContact,
      'Trong phạm vi': 'có',
    });
  if (stale.stalls.length === 0) row(QUALITY_CHECKS.staleFollowUp, staleName, stale.count);

  const duplicates = quality.duplicateAccounts;
  const duplicateName = 'Tài khoản trùng trên nhiều sạp';
  duplicates.groups.forEach((group, index) => {
    const account = {
      Nhóm: index + 1,
      'Mã ngân hàng (BIN)': group.bin,
      'Ngân hàng': bankName(group.bin) ?? null,
      'Tài khoản (đã che)': group.maskedAccount,
    };
    for (const ref of group.stalls)
      row(QUALITY_CHECKS.duplicateAccount, duplicateName, duplicates.count, {
        ...stall(ref),
        ...account,
        'Trong phạm vi': ref.inScope ? 'có' : 'không',
      });
    // Stalls outside the exporter's reach are counted in one row, never named.
    if (group.outsideReach > 0)
      row(QUALITY_CHECKS.duplicateAccount, duplicateName, duplicates.count, {
        ...account,
        Sạp: `${group.outsideReach} sạp ngoài phạm vi làm việc của bạn`,
        'Trong phạm vi': 'không',
      });
  });
  if (duplicates.groups.length === 0) row(QUALITY_CHECKS.duplicateAccount, duplicateName, duplicates.count);

  row(QUALITY_CHECKS.stickerRevoked, 'Mã QR đã thu hồi', quality.stickers.revoked);
  row(QUALITY_CHECKS.stickerReplaced, 'Mã QR đã thay', quality.stickers.replaced);

  const pending = quality.pendingPayeeChanges;
  const pendingName = 'Yêu cầu đổi tài khoản nhận tiền đang chờ duyệt';
  for (const ref of pending.stalls)
    row(QUALITY_CHECKS.pendingPayeeChange, pendingName, pending.count, { ...stall(ref), 'Trong phạm vi': 'có' });
  if (pending.stalls.length === 0) row(QUALITY_CHECKS.pendingPayeeChange, pendingName, pending.count);
  return { sheetName: 'Chất lượng dữ liệu', columns: COLUMNS, rows };
}
