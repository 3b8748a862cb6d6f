import type { Db } from '../db/database.js';

export type AccountSource = 'typed' | 'pasted' | 'photo';

export interface AccountRow {
  id: number;
  stall_id: number;
  bin: string;
  account_number: string;
  service: 'account' | 'card';
  holder_name: string;
  source: AccountSource;
  is_primary: number;
  verified_at: string | null;
  verified_by: number | null;
  verified_name_seen: string | null;
  retired_at: string | null;
  created_at: string;
}

export interface NewAccount {
  stallId: number;
  bin: string;
  accountNumber: string;
  service: 'account' | 'card';
  holderName: string;
  source: AccountSource;
  isPrimary: boolean;
  at: string;
  by: number;
}

/** Another stall that holds the same account or phone: a fraud signal shown to the volunteer. */
export interface OtherStall {
  stall_id: number;
  label: string;
  business_name: string;
  site_id: number;
  site_name: string;
}

export function createAccountsRepo(db: Db) {
  const byId = db.prepare<[number], AccountRow>('SELECT * FROM stall_accounts WHERE id = ?');
  const forStall = db.prepare<[number], AccountRow>(
    'SELECT * FROM stall_accounts WHERE stall_id = ? ORDER BY retired_at IS NOT NULL, is_primary DESC, id',
  );
  const primary = db.prepare<[number], AccountRow>('SELECT * FROM stall_accounts WHERE stall_id = ? AND is_primary = 1');
  const insert = db.prepare(
    `INSERT INTO stall_accounts (stall_id, bin, account_number, service, holder_name, source, is_primary, created_at, created_by)
     VALUES (@stallId, @bin, @accountNumber, @service, @holderName, @source, @isPrimary, @at, @by)`,
  );
  const otherStalls = db.prepare<[string, string, number], OtherStall>(
    `SELECT DISTINCT st.id AS stall_id, st.label, st.business_name, si.id AS site_id, si.name AS site_name
       FROM stall_accounts a JOIN stalls st ON st.id = a.stall_id JOIN sites si ON si.id = st.site_id
      WHERE a.bin = ? AND a.account_number = ? AND a.retired_at IS NULL AND a.stall_id <> ?
      ORDER BY st.id LIMIT 5`,
  );
  const verify = db.prepare(
    `UPDATE stall_accounts SET verified_at = @at, verified_by = @by, verified_name_seen = @nameSeen, holder_name = @holderName
      WHERE id = @id`,
  );
  const clearPrimary = db.prepare<[number]>('UPDATE stall_accounts SET is_primary = 0 WHERE stall_id = ? AND is_primary = 1');
  const makePrimary = db.prepare<[number]>('UPDATE stall_accounts SET is_primary = 1 WHERE id = ?');
  const retire = db.prepare<[string, number, number]>(
    'UPDATE stall_accounts SET retired_at = ?, retired_by = ?, is_primary = 0 WHERE id = ?',
  );

  return {
    findById: (id: number) => byId.get(id),
    listForStall: (stallId: number) => forStall.all(stallId),
    findPrimary: (stallId: number) => primary.get(stallId),
    findOtherStallsWithAccount: (bin: string, accountNumber: string, exceptStallId: number) =>
      otherStalls.all(bin, accountNumber, exceptStallId),
    insert: (account: NewAccount): number =>
      Number(insert.run({ ...account, isPrimary: account.isPrimary ? 1 : 0 }).lastInsertRowid),
    markVerified: (id: number, values: { at: string; by: number; nameSeen: string; holderName: string }) =>
      verify.run({ ...values, id }),
    /** Only one primary per stall (a unique partial index): clear the old one first, in the caller's transaction. */
    setPrimary(stallId: number, accountId: number): void {
      clearPrimary.run(stallId);
      makePrimary.run(accountId);
    },
    retire: (id: number, at: string, by: number) => retire.run(at, by, id),
  };
}

export type AccountsRepo = ReturnType<typeof createAccountsRepo>;

/** "•••• 4567": moved to the shared vocabulary; re-exported until its callers import it from there. */
export { maskAccount } from '../vocabulary/masking.js';
