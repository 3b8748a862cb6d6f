import { sql } from 'kysely';
import type { DataAccess } from '../db/data-access.js';
import { siteInReach } from '../db/reach-sql.js';
import { containsText } from '../db/sql-helpers.js';
import { emptyStatusCounts, type StatusCounts } from '../vocabulary/coverage.js';
import type { Reach } from '../vocabulary/reach.js';
import type { SiteKind } from '../vocabulary/site-kinds.js';

export interface SiteRow {
  id: number;
  kind: SiteKind;
  name: string;
  commune_code: string;
  commune_name: string;
  province_code: string;
  province_name: string;
  address: string;
  target_percent: number;
  launched_on: string | null;
  target_deadline: string | null;
  note: string;
  created_at: string;
  updated_at: string;
}

export interface SiteFilters {
  provinceCode?: string;
  communeCode?: string;
  kind?: SiteKind;
  /** Folded words; a site matches when its folded name or commune name contains each. */
  words?: string[];
  /** Only these sites (e.g. the ones a volunteer worked on lately). */
  ids?: readonly number[];
}

export interface SiteValues {
  kind: SiteKind;
  name: string;
  communeCode: string;
  address: string;
  targetPercent: number;
  launchedOn: string | null;
  targetDeadline: string | null;
  note: string;
}

/** `by` null: the command line (phoqr import sites without --as). */
type SiteWrite = SiteValues & { nameFolded: string; at: string; by: number | null };

function siteColumns(values: SiteWrite) {
  return {
    kind: values.kind,
    name: values.name,
    name_folded: values.nameFolded,
    commune_code: values.communeCode,
    address: values.address,
    target_percent: values.targetPercent,
    launched_on: values.launchedOn,
    target_deadline: values.targetDeadline,
    note: values.note,
    updated_at: values.at,
    updated_by: values.by,
  };
}

export function createSitesRepo(data: DataAccess) {
  function selectSites() {
    return data
      .db()
      .selectFrom('sites as s')
      .innerJoin('communes as c', 'c.code', 's.commune_code')
      .innerJoin('provinces as p', 'p.code', 'c.province_code')
      .select([
        's.id',
        's.kind',
        's.name',
        's.commune_code',
        'c.name as commune_name',
        'c.province_code',
        'p.name as province_name',
        's.address',
        's.target_percent',
        's.launched_on',
        's.target_deadline',
        's.note',
        's.created_at',
        's.updated_at',
      ]);
  }

  /** The WHERE of a list of sites (s = sites, c = communes joined): the reach, then each filter and word. */
  function filtered(query: ReturnType<typeof selectSites>, reach: Reach, filters: SiteFilters) {
    let q = query.where((eb) => siteInReach(reach, { siteId: eb.ref('s.id'), communeCode: eb.ref('s.commune_code') }));
    if (filters.ids) q = q.where('s.id', 'in', filters.ids.length > 0 ? [...filters.ids] : [0]);
    if (filters.provinceCode) q = q.where('c.province_code', '=', filters.provinceCode);
    if (filters.communeCode) q = q.where('s.commune_code', '=', filters.communeCode);
    if (filters.kind) q = q.where('s.kind', '=', filters.kind);
    for (const word of filters.words ?? []) {
      q = q.where((eb) =>
        eb.or([containsText(eb.ref('s.name_folded'), word), containsText(eb.ref('c.name_folded'), word)]),
      );
    }
    return q;
  }

  function ordered(query: ReturnType<typeof selectSites>) {
    return query.orderBy('p.name_folded').orderBy('c.name_folded').orderBy('s.name_folded').orderBy('s.id');
  }

  return {
    findById: (id: number): Promise<SiteRow | undefined> => selectSites().where('s.id', '=', id).executeTakeFirst(),

    /** The sites of the reach that match the filters: the reach is a WHERE clause, never a filter in memory. */
    list(reach: Reach, filters: SiteFilters): Promise<SiteRow[]> {
      return ordered(filtered(selectSites(), reach, filters)).execute();
    },

    /** One page of `list`, in the same order: LIMIT/OFFSET on the same WHERE. */
    listPage(reach: Reach, filters: SiteFilters, page: { limit: number; offset: number }): Promise<SiteRow[]> {
      return ordered(filtered(selectSites(), reach, filters))
        .limit(page.limit)
        .offset(page.offset)
        .execute();
    },

    /** How many sites `list` would give. */
    async count(reach: Reach, filters: SiteFilters): Promise<number> {
      const matching = filtered(selectSites(), reach, filters).clearSelect().select('s.id').as('matching');
      const row = await data
        .db()
        .selectFrom(matching)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return row.n;
    },

    async insert(values: SiteWrite): Promise<number> {
      const result = await data
        .db()
        .insertInto('sites')
        .values({ ...siteColumns(values), created_at: values.at, created_by: values.by })
        .executeTakeFirstOrThrow();
      return Number(result.insertId);
    },

    async update(id: number, values: SiteWrite): Promise<void> {
      await data.db().updateTable('sites').set(siteColumns(values)).where('id', '=', id).execute();
    },

    async statusCounts(siteId: number): Promise<StatusCounts> {
      const rows = await data
        .db()
        .selectFrom('stalls')
        .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
        .where('site_id', '=', siteId)
        .groupBy('status')
        .execute();
      const counts = emptyStatusCounts();
      for (const row of rows) counts[row.status] = row.n;
      return counts;
    },

    /** Status counts of every site of the reach in one grouped scan (served by the (site_id, status) index). */
    /**
     * Stall counts by status of the given sites (a search's matches: read through the (site_id, status)
     * index, a few rows each), or of every site of the reach when `siteIds` is undefined.
     */
    async statusCountsBySite(reach: Reach, siteIds?: readonly number[]): Promise<Map<number, StatusCounts>> {
      let query = data
        .db()
        .selectFrom('stalls as st')
        .innerJoin('sites as s', 's.id', 'st.site_id')
        .select((eb) => ['st.site_id', 'st.status', eb.fn.countAll<number>().as('n')])
        .where((eb) => siteInReach(reach, { siteId: eb.ref('s.id'), communeCode: eb.ref('s.commune_code') }));
      if (siteIds) {
        if (siteIds.length === 0) return new Map();
        query = query.where('st.site_id', 'in', [...siteIds]);
      }
      const rows = await query.groupBy(['st.site_id', 'st.status']).execute();
      const bySite = new Map<number, StatusCounts>();
      for (const row of rows) {
        const counts = bySite.get(row.site_id) ?? emptyStatusCounts();
        counts[row.status] = row.n;
        bySite.set(row.site_id, counts);
      }
      return bySite;
    },

    /**
     * A site with no target history yet (inserted outside the services, e.g. by a seed) gets its current
     * target and deadline as its starting row, from its launch or registration day, whichever is earlier,
     * and at the latest the day before the change (migrations/0018_target_history.sql): called before a
     * change, so the change does not reach back.
     */
    async startTargetHistory(siteId: number, changeDay: string): Promise<void> {
      // No later than the day before the change: the values it replaces held until then.
      await sql`
        INSERT INTO site_target_history (site_id, effective_on, target_percent, target_deadline, changed_at,
                                         changed_by)
        SELECT id, min(coalesce(launched_on, date(created_at, '+7 hours')), date(created_at, '+7 hours'),
                       date(${changeDay}, '-1 day')),
               target_percent, target_deadline, created_at, created_by
          FROM sites
         WHERE id = ${siteId} AND NOT EXISTS (SELECT 1 FROM site_target_history WHERE site_id = ${siteId})`.execute(
        data.db(),
      );
    },

    /** The site's target and deadline in force from `effectiveOn` on (append-only). */
    async appendTargetHistory(siteId: number, values: TargetHistoryWrite): Promise<void> {
      await data
        .db()
        .insertInto('site_target_history')
        .values({
          site_id: siteId,
          effective_on: values.effectiveOn,
          target_percent: values.targetPercent,
          target_deadline: values.targetDeadline,
          changed_at: values.at,
          changed_by: values.by,
        })
        .execute();
    },
  };
}

/** One row of a site's target history. */
export interface TargetHistoryWrite {
  effectiveOn: string;
  targetPercent: number;
  targetDeadline: string | null;
  at: string;
  by: number | null;
}

export type SitesRepo = ReturnType<typeof createSitesRepo>;
