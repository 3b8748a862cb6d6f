/**
 * The SQL of site assignments (migrations/0023_site_assignments.sql): who works which site. A row is the
 * assignment as it stands; its history is in the audit trail, written by the service in the same transaction.
 */
import { sql } from 'kysely';
import type { DataAccess } from '../db/data-access.js';
import { siteInReach } from '../db/reach-sql.js';
import type { Reach } from '../vocabulary/reach.js';
import type { Role } from '../vocabulary/roles.js';

/** The roles that may be assigned to a site: the ones who work its stalls there. */
export const ASSIGNABLE_ROLES: readonly Role[] = ['volunteer', 'team_lead'];

export interface AssignedUser {
  site_id: number;
  user_id: number;
  username: string;
  display_name: string;
  role: Role;
  active: number;
  assigned_at: string;
  assigned_by_name: string | null;
}

export interface AssignableUser {
  id: number;
  username: string;
  display_name: string;
  role: Role;
}

export interface AssignedSite {
  id: number;
  name: string;
  commune_name: string;
}

export interface SiteWithAssignees {
  id: number;
  name: string;
  commune_name: string;
  assignees: number;
}

/** A site's place, as a reach and the SQL below match it. */
export interface SitePlace {
  readonly siteId: number;
  readonly communeCode: string;
  readonly provinceCode: string;
}

export function createAssignmentsRepo(data: DataAccess) {
  const db = () => data.db();
  const sitesOfReach = (reach: Reach) =>
    siteInReach(reach, { siteId: sql.ref<number>('si.id'), communeCode: sql.ref<string>('si.commune_code') });

  return {
    async insert(row: { siteId: number; userId: number; by: number; at: string }): Promise<boolean> {
      const result = await db()
        .insertInto('site_assignments')
        .values({ site_id: row.siteId, user_id: row.userId, assigned_by: row.by, assigned_at: row.at })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async remove(siteId: number, userId: number): Promise<boolean> {
      const result = await db()
        .deleteFrom('site_assignments')
        .where('site_id', '=', siteId)
        .where('user_id', '=', userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    /** The users assigned to the given sites, by site then name: one query for a page of sites. */
    assignedTo: (siteIds: readonly number[]): Promise<AssignedUser[]> =>
      siteIds.length === 0
        ? Promise.resolve([])
        : db()
            .selectFrom('site_assignments as a')
            .innerJoin('users as u', 'u.id', 'a.user_id')
            .leftJoin('users as b', 'b.id', 'a.assigned_by')
            .select([
              'a.site_id',
              'a.user_id',
              'u.username',
              'u.display_name',
              'u.role',
              'u.active',
              'a.assigned_at',
              'b.display_name as assigned_by_name',
            ])
            .where('a.site_id', 'in', [...siteIds])
            .orderBy('a.site_id')
            .orderBy('u.display_name')
            .orderBy('u.id')
            .execute(),

    /**
     * Active users of an assignable role whose reach covers the site (the whole country, its province, its
     * commune or the site itself), not yet assigned to it; `userId` narrows it to one user (the check).
     */
    assignable: (place: SitePlace, limit: number, userId?: number): Promise<AssignableUser[]> => {
      let query = db()
        .selectFrom('users as u')
        .select(['u.id', 'u.username', 'u.display_name', 'u.role'])
        .where('u.active', '=', 1)
        .where('u.role', 'in', [...ASSIGNABLE_ROLES])
        .where((eb) =>
          eb.or([
            eb('u.whole_country', '=', 1),
            eb.exists(
              eb
                .selectFrom('user_reach as r')
                .select('r.id')
                .whereRef('r.user_id', '=', 'u.id')
                .where((r) =>
                  r.or([
                    r('r.site_id', '=', place.siteId),
                    r('r.commune_code', '=', place.communeCode),
                    r('r.province_code', '=', place.provinceCode),
                  ]),
                ),
            ),
          ]),
        )
        .where((eb) =>
          eb.not(
            eb.exists(
              eb
                .selectFrom('site_assignments as a')
                .select('a.user_id')
                .whereRef('a.user_id', '=', 'u.id')
                .where('a.site_id', '=', place.siteId),
            ),
          ),
        );
      if (userId !== undefined) query = query.where('u.id', '=', userId);
      return query.orderBy('u.display_name').orderBy('u.id').limit(limit).execute();
    },

    /** The sites a user is assigned to that lie in `reach` (a reach taken away hides them), by name. */
    sitesOf: (userId: number, reach: Reach): Promise<AssignedSite[]> =>
      db()
        .selectFrom('site_assignments as a')
        .innerJoin('sites as si', 'si.id', 'a.site_id')
        .innerJoin('communes as c', 'c.code', 'si.commune_code')
        .select(['si.id', 'si.name', 'c.name as commune_name'])
        .where('a.user_id', '=', userId)
        .where(sitesOfReach(reach))
        .orderBy('si.name')
        .orderBy('si.id')
        .execute(),

    /** Sites of the reach with their number of assigned users, unassigned first, then by name: one page. */
    sitesOfReach: (reach: Reach, options: { limit: number; offset: number; unassignedOnly: boolean }) => {
      let query = db()
        .selectFrom('sites as si')
        .innerJoin('communes as c', 'c.code', 'si.commune_code')
        .select((eb) => [
          'si.id',
          'si.name',
          'c.name as commune_name',
          eb
            .selectFrom('site_assignments as a')
            .select((a) => a.fn.countAll<number>().as('n'))
            .whereRef('a.site_id', '=', 'si.id')
            .as('assignees'),
        ])
        .where(sitesOfReach(reach));
      if (options.unassignedOnly) {
        query = query.where((eb) =>
          eb.not(
            eb.exists(eb.selectFrom('site_assignments as a').select('a.site_id').whereRef('a.site_id', '=', 'si.id')),
          ),
        );
      }
      return query
        .orderBy(sql`assignees > 0`)
        .orderBy('si.name')
        .orderBy('si.id')
        .limit(options.limit)
        .offset(options.offset)
        .execute() as Promise<SiteWithAssignees[]>;
    },

    /** How many sites the reach holds, and how many of them have nobody assigned. */
    async countsOfReach(reach: Reach): Promise<{ sites: number; unassigned: number }> {
      const row = await db()
        .selectFrom('sites as si')
        .select((eb) => [
          eb.fn.countAll<number>().as('sites'),
          sql<number>`coalesce(sum(NOT EXISTS (SELECT 1 FROM site_assignments a WHERE a.site_id = si.id)), 0)`.as(
            'unassigned',
          ),
        ])
        .where(sitesOfReach(reach))
        .executeTakeFirstOrThrow();
      return { sites: Number(row.sites), unassigned: Number(row.unassigned) };
    },
  };
}

export type AssignmentsRepo = ReturnType<typeof createAssignmentsRepo>;
