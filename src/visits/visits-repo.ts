import type { Db } from '../db/database.js';
import type { VisitAction } from '../vocabulary/visit-actions.js';

export type { VisitAction };

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
