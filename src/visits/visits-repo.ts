import type { Db } from '../db/database.js';

export type VisitAction =
  | 'onboarded'
  | 'account_added'
  | 'name_checked'
  | 'installed'
  | 'refused'
  | 'follow_up'
  | 'account_retired'
  | 'primary_changed'
  | 'status_changed';

export interface NewVisit {
  stallId: number;
  userId: number;
  at: string;
  action: VisitAction;
  accountId?: number | null;
  stickerDisplayed?: 'yes' | 'no' | 'replaced' | null;
  transferShare?: number | null;
  note?: string;
}

export interface VisitRow {
  id: number;
  visited_at: string;
  action: VisitAction;
  user_name: string | null;
  sticker_displayed: 'yes' | 'no' | 'replaced' | null;
  transfer_share: number | null;
  note: string;
}

export const VISIT_ACTION_LABELS: Record<VisitAction, string> = {
  onboarded: 'Đăng ký sạp',
  account_added: 'Thêm tài khoản',
  name_checked: 'Kiểm tra tên người nhận',
  installed: 'Dán mã tại quầy',
  refused: 'Từ chối',
  follow_up: 'Thăm lại',
  account_retired: 'Ngừng dùng tài khoản',
  primary_changed: 'Đổi tài khoản chính',
  status_changed: 'Đổi tình trạng',
};

export function createVisitsRepo(db: Db) {
  const insert = db.prepare(
    `INSERT INTO visits (stall_id, user_id, visited_at, action, account_id, sticker_displayed, transfer_share, note)
     VALUES (@stallId, @userId, @at, @action, @accountId, @stickerDisplayed, @transferShare, @note)`,
  );
  const forStall = db.prepare<[number], VisitRow>(
    `SELECT v.id, v.visited_at, v.action, u.display_name AS user_name, v.sticker_displayed, v.transfer_share, v.note
       FROM visits v LEFT JOIN users u ON u.id = v.user_id WHERE v.stall_id = ? ORDER BY v.visited_at DESC, v.id DESC`,
  );
  return {
    record(visit: NewVisit): void {
      insert.run({ accountId: null, stickerDisplayed: null, transferShare: null, note: '', ...visit });
    },
    listForStall: (stallId: number) => forStall.all(stallId),
  };
}
