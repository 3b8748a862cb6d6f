import { sql, type Expression, type SqlBool } from 'kysely';
import type { DataAccess } from '../db/data-access.js';
import { inReachFlag, siteInReach } from '../db/reach-sql.js';
import { containsText } from '../db/sql-helpers.js';
import { foldForSearch } from '../text/fold.js';
import type { GoodsCategory } from '../vocabulary/goods-categories.js';
import type { Reach } from '../vocabulary/reach.js';
import type { RefusalReason, StallStatus } from '../vocabulary/stall-status.js';

export interface StallRow {
  id: number;
  site_id: number;
  label: string;
  business_name: string;
  owner_name: string;
  phone: string | null;
  goods_category: GoodsCategory;
  status: StallStatus;
  refusal_reason: RefusalReason | null;
  consent_at: string | null;
  /** Set once the stall's personal data was erased (src/data-rights/). */
  erased_at: string | null;
  created_at: string;
  updated_at: string;
}

export interface StallHistoryRow {
  id: number;
  from_status: StallStatus | null;
  to_status: StallStatus;
  changed_at: string;
  changed_by_name: string | null;
  reason: string | null;
  note: string;
}

export interface StallValues {
  label: string;
  businessName: string;
  ownerName: string;
  phone: string | null;
  goodsCategory: GoodsCategory;
  /** The trader agreed to this submit's personal data being stored; recorded with time and volunteer. */
  consentGiven: boolean;
}

export interface StatusChange {
  stallId: number;
  from: StallStatus | null;
  to: StallStatus;
  refusalReason: RefusalReason | null;
  note: string;
  at: string;
  by: number | null;
}

/** Another stall with the same phone: a fraud signal shown to the volunteer. */
export interface StallWithPhone {
  stall_id: number;
  label: string;
  business_name: string;
  site_id: number;
  site_name: string;
  /** 1 when the stall lies in the reach asked about: only then may the warning name it. */
  in_reach: number;
}

/** What a status move needs to know of a stall's accounts: the funnel cannot be skipped by hand. */
export interface AccountFacts {
  hasActiveAccount: boolean;
  /** The primary account when its holder name was checked, else null. */
  verifiedPrimaryId: number | null;
}

/** `by` null: written by the command line (an import without --as). */
type StallWrite = StallValues & { searchFolded: string; at: string; by: number | null };

const STALL_COLUMNS = [
  'id',
  'site_id',
  'label',
  'business_name',
  'owner_name',
  'phone',
  'goods_category',
  'status',
  'refusal_reason',
  'consent_at',
  'erased_at',
  'created_at',
  'updated_at',
] as const;

/** The stall's site lies in the reach: its commune read by a subquery, so the stall query needs no join. */
function stallSiteInReach(reach: Reach, siteId: Expression<number>): Expression<SqlBool> {
  return siteInReach(reach, {
    siteId,
    communeCode: sql<string>`(SELECT commune_code FROM sites WHERE sites.id = ${siteId})`,
  });
}

export function createStallsRepo(data: DataAccess) {
  const stalls = () => data.db().selectFrom('stalls').select(STALL_COLUMNS);

  async function insertHistory(change: StatusChange): Promise<void> {
    await data
      .db()
      .insertInto('stall_status_history')
      .values({
        stall_id: change.stallId,
        from_status: change.from,
        to_status: change.to,
        changed_at: change.at,
        changed_by: change.by,
        reason: change.refusalReason,
        note: change.note,
      })
      .execute();
  }

  return {
    /** The stall when it exists and its site lies in the reach. */
    findById: (id: number, reach: Reach) =>
      stalls()
        .where('id', '=', id)
        .where((eb) => stallSiteInReach(reach, eb.ref('stalls.site_id')))
        .executeTakeFirst() as Promise<StallRow | undefined>,

    /**
     * Another stall of the site with the same label once folded (case, diacritics, invisible characters):
     * the stored `label_folded`, written by this repository with every label, through the (site_id,
     * label_folded) index, so the check reads the few stalls of that label, not every stall of the site.
     */
    findOtherWithLabel: (siteId: number, label: string, exceptId = 0) =>
      stalls()
        .where('site_id', '=', siteId)
        .where('label_folded', '=', foldForSearch(label))
        .where('id', '<>', exceptId)
        .orderBy('id')
        .limit(1)
        .executeTakeFirst() as Promise<StallRow | undefined>,

    /** Other stalls with the phone, anywhere; those in the reach first, each marked whether it is in it. */
    findOthersWithPhone: (phone: string, exceptId: number, reach: Reach): Promise<StallWithPhone[]> =>
      data
        .db()
        .selectFrom('stalls as st')
        .innerJoin('sites as si', 'si.id', 'st.site_id')
        .select((eb) => [
          'st.id as stall_id',
          'st.label',
          'st.business_name',
          'si.id as site_id',
          'si.name as site_name',
          inReachFlag(reach, { siteId: eb.ref('si.id'), communeCode: eb.ref('si.commune_code') }).as('in_reach'),
        ])
        .where('st.phone', '=', phone)
        .where('st.id', '<>', exceptId)
        .orderBy('in_reach', 'desc')
        .orderBy('st.id')
        .limit(5)
        .execute(),

    history: (stallId: number): Promise<StallHistoryRow[]> =>
      data
        .db()
        .selectFrom('stall_status_history as h')
        .leftJoin('users as u', 'u.id', 'h.changed_by')
        .select([
          'h.id',
          'h.from_status',
          'h.to_status',
          'h.changed_at',
          'u.display_name as changed_by_name',
          'h.reason',
          'h.note',
        ])
        .where('h.stall_id', '=', stallId)
        .orderBy('h.changed_at', 'desc')
        .orderBy('h.id', 'desc')
        .execute(),

    listForSite(siteId: number, filters: { status?: StallStatus; words?: string[] }): Promise<StallRow[]> {
      let query = stalls().where('site_id', '=', siteId);
      if (filters.status) query = query.where('status', '=', filters.status);
      for (const word of filters.words ?? []) query = query.where((eb) => containsText(eb.ref('search_folded'), word));
      return query.orderBy('id').execute() as Promise<StallRow[]>;
    },

    /**
     * The label and business name of each stall `listForSite` would give, in no order: what a page of the
     * site's list is sorted and cut from before its full rows are read (`findManyOfSite`).
     */
    listKeysForSite(
      siteId: number,
      filters: { status?: StallStatus; words?: string[] },
    ): Promise<{ id: number; label: string; business_name: string }[]> {
      let query = data.db().selectFrom('stalls').select(['id', 'label', 'business_name']).where('site_id', '=', siteId);
      if (filters.status) query = query.where('status', '=', filters.status);
      for (const word of filters.words ?? []) query = query.where((eb) => containsText(eb.ref('search_folded'), word));
      return query.execute();
    },

    /** The full rows of these stalls of the site (one page of its list), in no order. */
    async findManyOfSite(siteId: number, ids: readonly number[]): Promise<StallRow[]> {
      if (ids.length === 0) return [];
      return (await stalls()
        .where('site_id', '=', siteId)
        .where('id', 'in', [...ids])
        .execute()) as StallRow[];
    },

    async accountFacts(stallId: number): Promise<AccountFacts> {
      const row = await data
        .db()
        .selectFrom('stall_accounts')
        .select((eb) => [
          eb.fn.count<number>('id').filterWhere('retired_at', 'is', null).as('active'),
          eb.fn
            .max<number | null>('id')
            .filterWhere('is_primary', '=', 1)
            .filterWhere('verified_at', 'is not', null)
            .as('verifiedPrimaryId'),
        ])
        .where('stall_id', '=', stallId)
        .executeTakeFirstOrThrow();
      return { hasActiveAccount: row.active > 0, verifiedPrimaryId: row.verifiedPrimaryId };
    },

    /** A new stall enters the census as `surveyed`, with its first history row, in one transaction. */
    insert(siteId: number, values: StallWrite): Promise<number> {
      return data.transaction(async () => {
        const consent = values.consentGiven;
        const result = await data
          .db()
          .insertInto('stalls')
          .values({
            site_id: siteId,
            label: values.label,
            label_folded: foldForSearch(values.label),
            business_name: values.businessName,
            owner_name: values.ownerName,
            phone: values.phone,
            goods_category: values.goodsCategory,
            status: 'surveyed',
            search_folded: values.searchFolded,
            consent_at: consent ? values.at : null,
            consent_by: consent ? values.by : null,
            created_at: values.at,
            created_by: values.by,
            updated_at: values.at,
            updated_by: values.by,
          })
          .executeTakeFirstOrThrow();
        const id = Number(result.insertId);
        await insertHistory({
          stallId: id,
          from: null,
          to: 'surveyed',
          at: values.at,
          by: values.by,
          refusalReason: null,
          note: '',
        });
        return id;
      });
    },

    // Consent, once given, is kept with its first time; a later edit does not move it.
    async update(id: number, values: StallWrite): Promise<void> {
      const consent = values.consentGiven ? 1 : 0;
      await data
        .db()
        .updateTable('stalls')
        .set({
          label: values.label,
          label_folded: foldForSearch(values.label),
          business_name: values.businessName,
          owner_name: values.ownerName,
          phone: values.phone,
          goods_category: values.goodsCategory,
          search_folded: values.searchFolded,
          updated_at: values.at,
          updated_by: values.by,
          consent_at: sql`CASE WHEN consent_at IS NULL AND ${consent} THEN ${values.at} ELSE consent_at END`,
          consent_by: sql`CASE WHEN consent_at IS NULL AND ${consent} THEN ${values.by} ELSE consent_by END`,
        })
        .where('id', '=', id)
        .execute();
    },

    /** The trader's consent to store personal data, kept with its first time and volunteer. */
    async recordConsent(stallId: number, at: string, by: number): Promise<void> {
      await data
        .db()
        .updateTable('stalls')
        .set({ consent_at: at, consent_by: by })
        .where('id', '=', stallId)
        .where('consent_at', 'is', null)
        .execute();
    },

    /** The status and its history row change together or not at all. */
    changeStatus(change: StatusChange): Promise<void> {
      return data.transaction(async () => {
        await data
          .db()
          .updateTable('stalls')
          .set({
            status: change.to,
            refusal_reason: change.refusalReason,
            updated_at: change.at,
            updated_by: change.by,
          })
          .where('id', '=', change.stallId)
          .execute();
        await insertHistory(change);
      });
    },
  };
}

export type StallsRepo = ReturnType<typeof createStallsRepo>;
