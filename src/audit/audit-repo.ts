import { sql } from 'kysely';
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
  /** Leave out these actions (a stall's change history leaves out the views of it). */
  readonly exceptActions?: readonly string[];
  /** The acting user's login name (any case). */
  readonly username?: string;
  /** One stall's rows: the stall's own, and those of its accounts, stickers and customers' reports. */
  readonly stallId?: number;
  /** ISO times, from inclusive, to exclusive. */
  readonly from?: string;
  readonly to?: string;
  /** Rows tied to a site in this reach only; rows tied to no site need the whole country. */
  readonly reach: Reach;
  readonly limit: number;
  readonly offset?: number;
}

/** A row with the names a person reads: who acted and where. */
export interface AuditEntryRow extends AuditRow {
  user_name: string | null;
  username: string | null;
  site_name: string | null;
}

export function createAuditRepo(data: DataAccess) {
  /** The rows the filters select (without limit and order), users and sites joined for their names. */
  function filtered(filters: Omit<AuditFilters, 'limit' | 'offset'>) {
    let query = data
      .db()
      .selectFrom('audit_log as l')
      .leftJoin('users as u', 'u.id', 'l.user_id')
      .leftJoin('sites as s', 's.id', 'l.site_id');
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
    if (filters.username) query = query.where(sql`lower(u.username)`, '=', filters.username.toLowerCase());
    if (filters.entity) query = query.where('l.entity', '=', filters.entity);
    if (filters.entityId !== undefined) query = query.where('l.entity_id', '=', filters.entityId);
    if (filters.action) query = query.where('l.action', '=', filters.action);
    if (filters.exceptActions?.length) query = query.where('l.action', 'not in', filters.exceptActions);
    if (filters.from) query = query.where('l.at', '>=', filters.from);
    if (filters.to) query = query.where('l.at', '<', filters.to);
    const stallId = filters.stallId;
    if (stallId !== undefined) {
      query = query.where((eb) =>
        eb.or([
          eb.and([eb('l.entity', '=', 'stall'), eb('l.entity_id', '=', stallId)]),
          eb.and([
            eb('l.entity', '=', 'account'),
            eb('l.entity_id', 'in', eb.selectFrom('stall_accounts').select('id').where('stall_id', '=', stallId)),
          ]),
          eb.and([
            eb('l.entity', '=', 'sticker'),
            eb('l.entity_id', 'in', eb.selectFrom('stickers').select('id').where('stall_id', '=', stallId)),
          ]),
          eb.and([
            eb('l.entity', '=', 'sticker_report'),
            eb(
              'l.entity_id',
              'in',
              eb
                .selectFrom('sticker_reports as r')
                .innerJoin('stickers as sk', 'sk.id', 'r.sticker_id')
                .select('r.id')
                .where('sk.stall_id', '=', stallId),
            ),
          ]),
          eb.and([
            eb('l.entity', '=', 'payee_change'),
            eb('l.entity_id', 'in', eb.selectFrom('payee_changes').select('id').where('stall_id', '=', stallId)),
          ]),
        ]),
      );
    }
    return query;
  }

  return {
    /** Newest first, with who acted and where. */
    listEntries(filters: AuditFilters): Promise<AuditEntryRow[]> {
      return filtered(filters)
        .selectAll('l')
        .select(['u.display_name as user_name', 'u.username as username', 's.name as site_name'])
        .orderBy('l.id', 'desc')
        .limit(filters.limit)
        .offset(filters.offset ?? 0)
        .execute();
    },

    async count(filters: Omit<AuditFilters, 'limit' | 'offset'>): Promise<number> {
      const row = await filtered(filters)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },

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
