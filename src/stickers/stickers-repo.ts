import type { Db } from '../db/database.js';

export type StickerStatus = 'valid' | 'revoked' | 'replaced';

export interface StickerRow {
  id: number;
  serial: string;
  verification_code: string;
  stall_id: number;
  account_id: number;
  payload: string;
  status: StickerStatus;
  status_changed_at: string | null;
  status_reason: string | null;
  print_count: number;
  created_at: string;
}

/** What the public verification page may show: nothing more personal than a masked account. */
export interface VerificationView {
  serial: string;
  status: StickerStatus;
  status_changed_at: string | null;
  status_reason: string | null;
  site_name: string;
  stall_label: string;
  business_name: string;
  bin: string;
  account_number: string;
  holder_name: string;
}

export function createStickersRepo(db: Db) {
  const validForAccount = db.prepare<[number], StickerRow>("SELECT * FROM stickers WHERE account_id = ? AND status = 'valid'");
  const nextSequence = db.prepare<[string], { next: number }>(
    'SELECT coalesce(max(sequence), 0) + 1 AS next FROM stickers WHERE commune_code = ?',
  );
  const insert = db.prepare(
    `INSERT INTO stickers (serial, commune_code, sequence, verification_code, stall_id, account_id, payload, created_at, created_by)
     VALUES (@serial, @communeCode, @sequence, @verificationCode, @stallId, @accountId, @payload, @at, @by)`,
  );
  const byId = db.prepare<[number], StickerRow>('SELECT * FROM stickers WHERE id = ?');
  const countPrint = db.prepare<[number]>('UPDATE stickers SET print_count = print_count + 1 WHERE id = ?');
  const logPrint = db.prepare<[number, string, number | null, string]>(
    'INSERT INTO sticker_prints (sticker_id, printed_at, printed_by, format) VALUES (?, ?, ?, ?)',
  );
  const setStatus = db.prepare(
    `UPDATE stickers SET status = @status, status_changed_at = @at, status_reason = @reason
      WHERE status = 'valid' AND (account_id = @accountId OR (@stallId IS NOT NULL AND stall_id = @stallId AND account_id <> @keepAccountId))`,
  );
  const verification = db.prepare<[string], VerificationView>(
    `SELECT sk.serial, sk.status, sk.status_changed_at, sk.status_reason, si.name AS site_name, st.label AS stall_label,
            st.business_name, a.bin, a.account_number, a.holder_name
       FROM stickers sk JOIN stalls st ON st.id = sk.stall_id JOIN sites si ON si.id = st.site_id
       JOIN stall_accounts a ON a.id = sk.account_id
      WHERE sk.verification_code = ?`,
  );
  const forStall = db.prepare<[number], StickerRow>('SELECT * FROM stickers WHERE stall_id = ? ORDER BY id DESC');

  return {
    findValidForAccount: (accountId: number) => validForAccount.get(accountId),
    nextSequence: (communeCode: string) => nextSequence.get(communeCode)!.next,
    insert(values: { serial: string; communeCode: string; sequence: number; verificationCode: string; stallId: number; accountId: number; payload: string; at: string; by: number | null }): StickerRow {
      return byId.get(Number(insert.run(values).lastInsertRowid))!;
    },
    recordPrint(stickerId: number, at: string, by: number | null, format: string): void {
      countPrint.run(stickerId);
      logPrint.run(stickerId, at, by, format);
    },
    /** The account's valid sticker becomes revoked (account retired) or replaced (the stall has a new primary). */
    revokeForAccount: (accountId: number, status: 'revoked' | 'replaced', reason: string, at: string) =>
      setStatus.run({ status, at, reason, accountId, stallId: null, keepAccountId: 0 }).changes,
    /** Every valid sticker of a stall except the given account's: a sticker for a new primary replaces them. */
    replaceOthersOfStall: (stallId: number, keepAccountId: number, reason: string, at: string) =>
      setStatus.run({ status: 'replaced', at, reason, accountId: 0, stallId, keepAccountId }).changes,
    findForVerification: (code: string) => verification.get(code),
    listForStall: (stallId: number) => forStall.all(stallId),
  };
}

export type StickersRepo = ReturnType<typeof createStickersRepo>;
