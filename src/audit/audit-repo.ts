import type { DataAccess } from '../db/data-access.js';
import { siteInReach } from '../db/reach-sql.js';
import type { Reach } from '../vocabulary/reach.js';

export interface AuditRow {
  id: number;
  at: string;
  user_id: number | null;
  action: string;
  entity: string;
  entity_id: number | null;
  site_id: number | null;
  commune_code: string | null;
  changes: string;
  address: string;
}

export type NewAuditRow = Omit<AuditRow, 'id'>;

export interface AuditFilters {
  readonly userId?: number;
  readonly entity?: string;
  readonly entityId?: number;
  readonly action?: string;
  /** ISO times, from inclusive, to exclusive. */
  readonly from?: string;
  readonly to?: string;
  /** Rows tied to a site in this reach only; rows tied to no site need the whole country. */
  readonly reach: Reach;
  readonly limit: number;
  readonly offset?: number;
}

export function createAuditRepo(data: DataAccess) {
  return {
    /** One row, in the caller's transaction (the service sees to it that there is one). */
    async insert(row: NewAuditRow): Promise<void> {
      await data.db().insertInto('audit_log').values(row).execute();
    },

    /** Newest first. */
    list(filters: AuditFilters): Promise<AuditRow[]> {
      let query = data.db().selectFrom('audit_log as l').selectAll('l');
      if (!filters.reach.wholeCountry) {
        query = query.where((eb) =>
          eb.and([
            eb('l.site_id', 'is not', null),
            siteInReach(filters.reach, {
              siteId: eb.ref('l.site_id').$castTo<number>(),
              communeCode: eb.ref('l.commune_code').$castTo<string>(),
            }),
          ]),
        );
      }
      if (filters.userId !== undefined) query = query.where('l.user_id', '=', filters.userId);
      if (filters.entity) query = query.where('l.entity', '=', filters.entity);
      if (filters.entityId !== undefined) query = query.where('l.entity_id', '=', filters.entityId);
      if (filters.action) query = query.where('l.action', '=', filters.action);
      if (filters.from) query = query.where('l.at', '>=', filters.from);
      if (filters.to) query = query.where('l.at', '<', filters.to);
      return query
        .orderBy('l.id', 'desc')
        .limit(filters.limit)
        .offset(filters.offset ?? 0)
        .execute();
    },
  };
}

export type AuditRepo = ReturnType<typeof createAuditRepo>;
