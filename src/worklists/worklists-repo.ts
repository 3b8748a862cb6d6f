/**
 * The SQL of the work lists: the stalls waiting for someone in a set of sites — a volunteer's assigned sites
 * or a reach — one query per kind of work, counted in SQL. The reach is applied in SQL (siteInReach), so a
 * stall outside it is never read. Follow-ups due come from the adoption engine (worklists-service.ts); only
 * their stalls' names are read here.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { DataAccess } from '../db/data-access.js';
import { siteInReach } from '../db/reach-sql.js';
import type { Reach } from '../vocabulary/reach.js';

/** The kinds of work, in the order the lists show them. */
export const WORK_GROUPS = ['follow_up', 'name_check', 'sticker', 'payee_change', 'report'] as const;
export type WorkGroup = (typeof WORK_GROUPS)[number];
/** The groups counted and listed in SQL. */
export type SqlWorkGroup = Exclude<WorkGroup, 'follow_up'>;

/** Which sites a list covers: those of the reach, and of them only the user's assigned ones when given. */
export interface WorkScope {
  readonly reach: Reach;
  /** Only the sites this user is assigned to. */
  readonly assignedTo?: number;
  /** Payee-change requests: only the ones this user asked for. */
  readonly requestedBy?: number;
}

export interface WorkItem {
  stall_id: number;
  label: string;
  business_name: string;
  site_id: number;
  site_name: string;
  /** The date the item waits since: last contact, request or report; null when there is none to show. */
  since: string | null;
  /** The payee change's kind or the report's problem; null for the other groups. */
  detail: string | null;
}

/** A stall as a work item names it. */
export interface WorkStall {
  stall_id: number;
  label: string;
  business_name: string;
  site_id: number;
  site_name: string;
}

export function createWorklistsRepo(data: DataAccess) {
  const run = async <R>(query: RawBuilder<R>): Promise<R[]> => (await query.execute(data.db())).rows;

  function sitesWhere(scope: WorkScope): RawBuilder<SqlBool> {
    const inReach = siteInReach(scope.reach, {
      siteId: sql.ref<number>('si.id'),
      communeCode: sql.ref<string>('si.commune_code'),
    });
    if (scope.assignedTo === undefined) return sql<SqlBool>`${inReach}`;
    return sql<SqlBool>`${inReach}
      AND si.id IN (SELECT site_id FROM site_assignments WHERE user_id = ${scope.assignedTo})`;
  }

  /** Each group as one SELECT of WorkItem columns. */
  function groupQuery(group: SqlWorkGroup, scope: WorkScope): RawBuilder<WorkItem> {
    const where = sitesWhere(scope);
    const stallCols = sql`s.id AS stall_id, s.label, s.business_name, si.id AS site_id, si.name AS site_name`;
    const workable = sql`s.status NOT IN ('refused', 'closed')`;
    switch (group) {
      case 'name_check':
        return sql<WorkItem>`
          SELECT ${stallCols},
                 (SELECT min(a.created_at) FROM stall_accounts a
                   WHERE a.stall_id = s.id AND a.retired_at IS NULL) AS since,
                 NULL AS detail
            FROM stalls s JOIN sites si ON si.id = s.site_id
           WHERE ${workable} AND ${where}
             AND EXISTS (SELECT 1 FROM stall_accounts a WHERE a.stall_id = s.id AND a.retired_at IS NULL)
             AND NOT EXISTS (SELECT 1 FROM stall_accounts a
                              WHERE a.stall_id = s.id AND a.retired_at IS NULL AND a.verified_at IS NOT NULL)`;
      case 'sticker':
        return sql<WorkItem>`
          SELECT ${stallCols},
                 (SELECT max(a.verified_at) FROM stall_accounts a
                   WHERE a.stall_id = s.id AND a.is_primary = 1 AND a.retired_at IS NULL) AS since,
                 NULL AS detail
            FROM stalls s JOIN sites si ON si.id = s.site_id
           WHERE ${workable} AND ${where}
             AND EXISTS (SELECT 1 FROM stall_accounts a WHERE a.stall_id = s.id AND a.is_primary = 1
                            AND a.retired_at IS NULL AND a.verified_at IS NOT NULL)
             AND NOT EXISTS (SELECT 1 FROM stickers k
                              WHERE k.stall_id = s.id AND k.status = 'valid' AND k.print_count > 0)`;
      case 'payee_change':
        return sql<WorkItem>`
          SELECT ${stallCols}, p.requested_at AS since, p.kind AS detail
            FROM payee_changes p JOIN stalls s ON s.id = p.stall_id JOIN sites si ON si.id = s.site_id
           WHERE p.status = 'pending' AND ${where}
             ${scope.requestedBy === undefined ? sql`` : sql`AND p.requested_by = ${scope.requestedBy}`}`;
      case 'report':
        return sql<WorkItem>`
          SELECT ${stallCols}, r.received_at AS since, r.problem AS detail
            FROM sticker_reports r JOIN stickers k ON k.id = r.sticker_id
            JOIN stalls s ON s.id = k.stall_id JOIN sites si ON si.id = s.site_id
           WHERE r.status = 'open' AND ${where}`;
    }
  }

  /** Oldest first for what waits on a date; by site and label for the rest. */
  const ORDER: Record<SqlWorkGroup, RawBuilder<unknown>> = {
    name_check: sql`site_name, site_id, label, stall_id`,
    sticker: sql`site_name, site_id, label, stall_id`,
    payee_change: sql`since, stall_id`,
    report: sql`since, stall_id`,
  };

  return {
    /** One page of a group's items. */
    list: (group: SqlWorkGroup, scope: WorkScope, limit: number, offset = 0): Promise<WorkItem[]> =>
      run(sql<WorkItem>`SELECT * FROM (${groupQuery(group, scope)})
                         ORDER BY ${ORDER[group]} LIMIT ${limit} OFFSET ${offset}`),

    /** The groups' counts, in one query. */
    async counts(scope: WorkScope, groups: readonly SqlWorkGroup[]): Promise<Record<SqlWorkGroup, number>> {
      const counts: Record<SqlWorkGroup, number> = { name_check: 0, sticker: 0, payee_change: 0, report: 0 };
      if (groups.length === 0) return counts;
      const columns = groups.map(
        (group) => sql`(SELECT count(*) FROM (${groupQuery(group, scope)})) AS ${sql.ref(group)}`,
      );
      const [row] = await run(sql<Record<SqlWorkGroup, number>>`SELECT ${sql.join(columns)}`);
      for (const group of groups) counts[group] = Number(row?.[group] ?? 0);
      return counts;
    },

    /** The stalls of these ids with their sites, in no particular order. */
    async stalls(ids: readonly number[]): Promise<WorkStall[]> {
      if (ids.length === 0) return [];
      return data
        .db()
        .selectFrom('stalls as s')
        .innerJoin('sites as si', 'si.id', 's.site_id')
        .select(['s.id as stall_id', 's.label', 's.business_name', 'si.id as site_id', 'si.name as site_name'])
        .where('s.id', 'in', [...ids])
        .execute();
    },
  };
}

export type WorklistsRepo = ReturnType<typeof createWorklistsRepo>;
