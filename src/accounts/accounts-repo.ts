import type { RetireReason } from '../vocabulary/retire-reasons.js';
import type { DataAccess } from '../db/data-access.js';
import { inReachFlag } from '../db/reach-sql.js';
import type { Reach } from '../vocabulary/reach.js';

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
  by: number | null;
}

/** Another stall that holds the same account: a fraud signal shown to the volunteer. */
export interface OtherStall {
  stall_id: number;
  label: string;
  business_name: string;
  site_id: number;
  site_name: string;
  /** 1 when the stall lies in the reach asked about: only then may the warning name it. */
  in_reach: number;
}

const ACCOUNT_COLUMNS = [
  'id',
  'stall_id',
  'bin',
  'account_number',
  'service',
  'holder_name',
  'source',
  'is_primary',
  'verified_at',
  'verified_by',
  'verified_name_seen',
  'retired_at',
  'created_at',
] as const;

export function createAccountsRepo(data: DataAccess) {
  const accounts = () => data.db().selectFrom('stall_accounts').select(ACCOUNT_COLUMNS);

  return {
    findById: (id: number): Promise<AccountRow | undefined> => accounts().where('id', '=', id).executeTakeFirst(),

    /** Active accounts first, the primary first among them, then in the order they were added. */
    listForStall: (stallId: number): Promise<AccountRow[]> =>
      accounts()
        .where('stall_id', '=', stallId)
        .orderBy((eb) => eb('retired_at', 'is not', null))
        .orderBy('is_primary', 'desc')
        .orderBy('id')
        .execute(),

    findPrimary: (stallId: number): Promise<AccountRow | undefined> =>
      accounts().where('stall_id', '=', stallId).where('is_primary', '=', 1).executeTakeFirst(),

    /** Other stalls holding the account, anywhere; those in the reach first, each marked whether it is in it. */
    findOtherStallsWithAccount: (
      bin: string,
      accountNumber: string,
      exceptStallId: number,
      reach: Reach,
    ): Promise<OtherStall[]> =>
      data
        .db()
        .selectFrom('stall_accounts as a')
        .innerJoin('stalls as st', 'st.id', 'a.stall_id')
        .innerJoin('sites as si', 'si.id', 'st.site_id')
        .select((eb) => [
          'st.id as stall_id',
          'st.label',
          'st.business_name',
          'si.id as site_id',
          'si.name as site_name',
          inReachFlag(reach, { siteId: eb.ref('si.id'), communeCode: eb.ref('si.commune_code') }).as('in_reach'),
        ])
        .distinct()
        .where('a.bin', '=', bin)
        .where('a.account_number', '=', accountNumber)
        .where('a.retired_at', 'is', null)
        .where('a.stall_id', '<>', exceptStallId)
        .orderBy('in_reach', 'desc')
        .orderBy('st.id')
        .limit(5)
        .execute(),

    async insert(account: NewAccount): Promise<number> {
      const result = await data
        .db()
        .insertInto('stall_accounts')
        .values({
          stall_id: account.stallId,
          bin: account.bin,
          account_number: account.accountNumber,
          service: account.service,
          holder_name: account.holderName,
          source: account.source,
          is_primary: account.isPrimary ? 1 : 0,
          created_at: account.at,
          created_by: account.by,
        })
        .executeTakeFirstOrThrow();
      return Number(result.insertId);
    },

    async markVerified(
      id: number,
      values: { at: string; by: number; nameSeen: string; holderName: string },
    ): Promise<void> {
      await data
        .db()
        .updateTable('stall_accounts')
        .set({
          verified_at: values.at,
          verified_by: values.by,
          verified_name_seen: values.nameSeen,
          holder_name: values.holderName,
        })
        .where('id', '=', id)
        .execute();
    },

    /** Only one primary per stall (a unique partial index): the old one is cleared first, in one transaction. */
    setPrimary(stallId: number, accountId: number): Promise<void> {
      return data.transaction(async () => {
        await data
          .db()
          .updateTable('stall_accounts')
          .set({ is_primary: 0 })
          .where('stall_id', '=', stallId)
          .where('is_primary', '=', 1)
          .execute();
        await data.db().updateTable('stall_accounts').set({ is_primary: 1 }).where('id', '=', accountId).execute();
      });
    },

    /**
     * The banks of a site's active accounts, most used first (the bank picker offers them first): read from
     * site_bank_usage (a row per bank of the site, kept by migration 0027's triggers), not by counting the
     * accounts of every stall of the site.
     */
    bankUsageForSite: (siteId: number, limit: number): Promise<{ bin: string; n: number }[]> =>
      data
        .db()
        .selectFrom('site_bank_usage')
        .select(['bin', 'accounts as n'])
        .where('site_id', '=', siteId)
        .where('accounts', '>', 0)
        .orderBy('accounts', 'desc')
        .orderBy('bin')
        .limit(limit)
        .execute(),

    async retire(id: number, at: string, by: number, reason: RetireReason): Promise<void> {
      await data
        .db()
        .updateTable('stall_accounts')
        .set({ retired_at: at, retired_by: by, is_primary: 0, retired_reason: reason })
        .where('id', '=', id)
        .execute();
    },
  };
}

export type AccountsRepo = ReturnType<typeof createAccountsRepo>;
