import { sql } from 'kysely';
import type { DataAccess } from '../db/data-access.js';

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

/** A stall with a name-checked primary account, with what its sticker prints. */
export interface PrintableRow {
  stall_id: number;
  label: string;
  business_name: string;
  status: string;
  account_id: number;
  bin: string;
  account_number: string;
  service: 'account' | 'card';
  holder_name: string;
  verified_at: string | null;
}

/** Where a sticker belongs: its site's name and the commune that numbers its serial. */
export interface SitePlace {
  id: number;
  name: string;
  commune_code: string;
  province_code: string;
}

/** A sticker whose status was just changed. */
export interface StatusChanged {
  id: number;
  serial: string;
  stall_id: number;
}

export interface NewSticker {
  serial: string;
  communeCode: string;
  sequence: number;
  verificationCode: string;
  stallId: number;
  accountId: number;
  payload: string;
  at: string;
  by: number | null;
}

const STICKER_COLUMNS = [
  'id',
  'serial',
  'verification_code',
  'stall_id',
  'account_id',
  'payload',
  'status',
  'status_changed_at',
  'status_reason',
  'print_count',
  'created_at',
] as const;

export function createStickersRepo(data: DataAccess) {
  const stickers = () => data.db().selectFrom('stickers').select(STICKER_COLUMNS);

  /** Stalls joined to their primary account; the stickers feature reads them here rather than through two services. */
  function printable() {
    return data
      .db()
      .selectFrom('stalls as st')
      .innerJoin('stall_accounts as a', (join) => join.onRef('a.stall_id', '=', 'st.id').on('a.is_primary', '=', 1))
      .select([
        'st.id as stall_id',
        'st.label',
        'st.business_name',
        'st.status',
        'a.id as account_id',
        'a.bin',
        'a.account_number',
        'a.service',
        'a.holder_name',
        'a.verified_at',
      ]);
  }

  /** Sets the status of the valid stickers `where` picks; returns which ones changed, for the audit trail. */
  async function setStatus(
    where: { accountId: number } | { stallId: number; keepAccountId: number },
    status: 'revoked' | 'replaced',
    reason: string,
    at: string,
  ): Promise<StatusChanged[]> {
    let picked = data.db().selectFrom('stickers').select(['id', 'serial', 'stall_id']).where('status', '=', 'valid');
    picked =
      'accountId' in where
        ? picked.where('account_id', '=', where.accountId)
        : picked.where('stall_id', '=', where.stallId).where('account_id', '<>', where.keepAccountId);
    const changed = await picked.orderBy('id').execute();
    if (changed.length === 0) return [];
    await data
      .db()
      .updateTable('stickers')
      .set({ status, status_changed_at: at, status_reason: reason })
      .where(
        'id',
        'in',
        changed.map((sticker) => sticker.id),
      )
      .execute();
    return changed;
  }

  return {
    findById: (id: number) => stickers().where('id', '=', id).executeTakeFirst() as Promise<StickerRow | undefined>,

    findValidForAccount: (accountId: number) =>
      stickers().where('account_id', '=', accountId).where('status', '=', 'valid').executeTakeFirst() as Promise<
        StickerRow | undefined
      >,

    async nextSequence(communeCode: string): Promise<number> {
      const row = await data
        .db()
        .selectFrom('stickers')
        .select((eb) => eb.fn.coalesce(eb.fn.max('sequence'), eb.lit(0)).as('last'))
        .where('commune_code', '=', communeCode)
        .executeTakeFirstOrThrow();
      return Number(row.last) + 1;
    },

    async insert(values: NewSticker): Promise<StickerRow> {
      const result = await data
        .db()
        .insertInto('stickers')
        .values({
          serial: values.serial,
          commune_code: values.communeCode,
          sequence: values.sequence,
          verification_code: values.verificationCode,
          stall_id: values.stallId,
          account_id: values.accountId,
          payload: values.payload,
          created_at: values.at,
          created_by: values.by,
        })
        .executeTakeFirstOrThrow();
      return (await stickers().where('id', '=', Number(result.insertId)).executeTakeFirstOrThrow()) as StickerRow;
    },

    async recordPrint(stickerId: number, at: string, by: number | null, format: string): Promise<void> {
      await data
        .db()
        .updateTable('stickers')
        .set((eb) => ({ print_count: eb('print_count', '+', 1) }))
        .where('id', '=', stickerId)
        .execute();
      await data
        .db()
        .insertInto('sticker_prints')
        .values({ sticker_id: stickerId, printed_at: at, printed_by: by, format: format as 'a6' })
        .execute();
    },

    /** The account's valid sticker becomes revoked (account retired) or replaced (the stall has a new primary). */
    revokeForAccount: (accountId: number, status: 'revoked' | 'replaced', reason: string, at: string) =>
      setStatus({ accountId }, status, reason, at),
    /** Every valid sticker of a stall except the given account's: a sticker for a new primary replaces them. */
    replaceOthersOfStall: (stallId: number, keepAccountId: number, reason: string, at: string) =>
      setStatus({ stallId, keepAccountId }, 'replaced', reason, at),

    findForVerification: (code: string): Promise<VerificationView | undefined> =>
      data
        .db()
        .selectFrom('stickers as sk')
        .innerJoin('stalls as st', 'st.id', 'sk.stall_id')
        .innerJoin('sites as si', 'si.id', 'st.site_id')
        .innerJoin('stall_accounts as a', 'a.id', 'sk.account_id')
        .select([
          'sk.serial',
          'sk.status',
          'sk.status_changed_at',
          'sk.status_reason',
          'si.name as site_name',
          'st.label as stall_label',
          'st.business_name',
          'a.bin',
          'a.account_number',
          // A trader who withdrew consent (or whose data was erased) is no longer named on the public page;
          // the verdict (revoked) is what the customer needs. Only stalls with consent get accounts at all.
          sql<string>`CASE WHEN st.consent_at IS NULL THEN '—' ELSE a.holder_name END`.as('holder_name'),
        ])
        .where('sk.verification_code', '=', code)
        .executeTakeFirst() as Promise<VerificationView | undefined>,

    listForStall: (stallId: number) =>
      stickers().where('stall_id', '=', stallId).orderBy('id', 'desc').execute() as Promise<StickerRow[]>,

    /** The stall's primary account with what its sticker prints, name-checked or not. */
    printableForStall: (stallId: number): Promise<PrintableRow | undefined> =>
      printable().where('st.id', '=', stallId).executeTakeFirst(),

    /** A site's stalls with a name-checked primary account, except closed ones, in stall order. */
    printableForSite: (siteId: number): Promise<PrintableRow[]> =>
      printable()
        .where('st.site_id', '=', siteId)
        .where('st.status', '<>', 'closed')
        .where('a.verified_at', 'is not', null)
        .orderBy('st.id')
        .execute(),

    findSitePlace: (siteId: number): Promise<SitePlace | undefined> =>
      data
        .db()
        .selectFrom('sites as s')
        .innerJoin('communes as c', 'c.code', 's.commune_code')
        .select(['s.id', 's.name', 's.commune_code', 'c.province_code'])
        .where('s.id', '=', siteId)
        .executeTakeFirst(),

    siteOfStall: async (stallId: number): Promise<number | undefined> =>
      (await data.db().selectFrom('stalls').select('site_id').where('id', '=', stallId).executeTakeFirst())?.site_id,
  };
}

export type StickersRepo = ReturnType<typeof createStickersRepo>;
