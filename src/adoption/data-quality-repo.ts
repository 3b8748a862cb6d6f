/**
 * The SQL of the data-quality checks, as prepared statements. Unlike the status history and the visits
 * (append-only, held in memory by the snapshot), accounts and stickers are mutable rows — a name check,
 * a retirement, a withdrawal changes them in place — so the checks read them fresh each time.
 */
import type { Db } from '../db/database.js';

export interface DuplicateAccountRow {
  id: number;
  bin: string;
  account_number: string;
  stall_id: number;
  created_at: string;
  retired_at: string | null;
}

export function createDataQualityRepo(db: Db) {
  const statements = {
    // An account counts as verified by the cutoff when its name check is before it and it was
    // not retired before it.
    stallsWithVerifiedAccount: db
      .prepare<{ cutoff: string }, number>(
        `SELECT stall_id FROM stall_accounts WHERE verified_at < @cutoff AND (retired_at IS NULL OR retired_at >= @cutoff)`,
      )
      .pluck(),
    verifiedAmong: db
      .prepare<{ ids: string; cutoff: string }, number>(
        `SELECT a.stall_id FROM json_each(@ids) j JOIN stall_accounts a ON a.stall_id = j.value
          WHERE a.verified_at < @cutoff AND (a.retired_at IS NULL OR a.retired_at >= @cutoff)`,
      )
      .pluck(),
    // Numbers held more than once: found once on the covering (bin, account_number) index, then kept up
    // to date from the accounts added since (see shared-accounts.ts); the few accounts holding them are
    // read and judged as of the date in code.
    maxAccountId: db.prepare<[], number | null>('SELECT max(id) FROM stall_accounts').pluck(),
    sharedNumbers: db
      .prepare<[], [string, string]>('SELECT bin, account_number FROM stall_accounts GROUP BY bin, account_number HAVING count(*) >= 2')
      .raw(),
    numbersAfter: db.prepare<[number], [string, string]>('SELECT bin, account_number FROM stall_accounts WHERE id > ?').raw(),
    holdersOfNumber: db.prepare<[string, string], number>('SELECT count(*) FROM stall_accounts WHERE bin = ? AND account_number = ?').pluck(),
    accountsWithNumbers: db.prepare<[string], DuplicateAccountRow>(
      `SELECT a.id, a.bin, a.account_number, a.stall_id, a.created_at, a.retired_at
         FROM json_each(?) j
         JOIN stall_accounts a ON a.bin = json_extract(j.value, '$[0]') AND a.account_number = json_extract(j.value, '$[1]')
        ORDER BY a.bin, a.account_number, a.stall_id, a.id`,
    ),
    withdrawnStickers: db
      .prepare<{ cutoff: string }, [number, string]>(
        `SELECT stall_id, status FROM stickers
          WHERE status IN ('revoked', 'replaced') AND coalesce(status_changed_at, created_at) < @cutoff`,
      )
      .raw(),
    stallLabels: db.prepare<[string], { id: number; label: string }>(
      'SELECT s.id, s.label FROM json_each(?) j JOIN stalls s ON s.id = j.value',
    ),
  };

  return {
    /** Runs fn in one read transaction, so the reads it makes see one state of the database. */
    reading: <T>(fn: () => T): T => db.transaction(fn).deferred(),
    stallsWithVerifiedAccount: (cutoff: string) => statements.stallsWithVerifiedAccount.all({ cutoff }),
    verifiedAmong: (ids: readonly number[], cutoff: string) => statements.verifiedAmong.all({ ids: JSON.stringify(ids), cutoff }),
    maxAccountId: () => statements.maxAccountId.get() ?? 0,
    sharedNumbers: () => statements.sharedNumbers.all(),
    numbersAfter: (id: number) => statements.numbersAfter.all(id),
    holdersOfNumber: (bin: string, number: string) => statements.holdersOfNumber.get(bin, number)!,
    /** Every account holding one of the (BIN, number) pairs, by number, stall and id. */
    accountsWithNumbers: (pairs: readonly (readonly [string, string])[]) => statements.accountsWithNumbers.all(JSON.stringify(pairs)),
    withdrawnStickers: (cutoff: string) => statements.withdrawnStickers.all({ cutoff }),
    stallLabels: (ids: readonly number[]) => statements.stallLabels.all(JSON.stringify(ids)),
  };
}

export type DataQualityRepo = ReturnType<typeof createDataQualityRepo>;
