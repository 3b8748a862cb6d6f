import type { DataAccess } from '../db/data-access.js';
import type { VisitAction } from '../vocabulary/visit-actions.js';

export type { VisitAction };

export interface NewVisit {
  stallId: number;
  /** Null: the command line (an import without --as). */
  userId: number | null;
  at: string;
  action: VisitAction;
  accountId?: number | null;
  stickerDisplayed?: 'yes' | 'no' | 'replaced' | null;
  transferShare?: number | null;
  note?: string;
}

export interface VisitRow {
  id: number;
  visited_at: string;
  action: VisitAction;
  user_name: string | null;
  sticker_displayed: 'yes' | 'no' | 'replaced' | null;
  transfer_share: number | null;
  note: string;
}

export interface RecentSite {
  id: number;
  name: string;
  commune_name: string;
  /** Where the site is, so the caller keeps to the actor's reach without another query. */
  commune_code: string;
  province_code: string;
  last_visit: string;
}

export function createVisitsRepo(data: DataAccess) {
  return {
    async insert(visit: NewVisit): Promise<void> {
      await data
        .db()
        .insertInto('visits')
        .values({
          stall_id: visit.stallId,
          user_id: visit.userId,
          visited_at: visit.at,
          action: visit.action,
          account_id: visit.accountId ?? null,
          sticker_displayed: visit.stickerDisplayed ?? null,
          transfer_share: visit.transferShare ?? null,
          note: visit.note ?? '',
        })
        .execute();
    },

    listForStall: (stallId: number): Promise<VisitRow[]> =>
      data
        .db()
        .selectFrom('visits as v')
        .leftJoin('users as u', 'u.id', 'v.user_id')
        .select([
          'v.id',
          'v.visited_at',
          'v.action',
          'u.display_name as user_name',
          'v.sticker_displayed',
          'v.transfer_share',
          'v.note',
        ])
        .where('v.stall_id', '=', stallId)
        .orderBy('v.visited_at', 'desc')
        .orderBy('v.id', 'desc')
        .execute(),

    /**
     * Sites this user worked on lately, most recent first: the first rows of the (user_id, last_visit_at)
     * index of user_recent_sites (one row per site worked on, kept by migration 0027's trigger on visits), so
     * it reads `limit` rows whatever the number of the user's visits.
     */
    recentSites: (userId: number, limit: number): Promise<RecentSite[]> =>
      data
        .db()
        .selectFrom('user_recent_sites as r')
        .innerJoin('sites as si', 'si.id', 'r.site_id')
        .innerJoin('communes as c', 'c.code', 'si.commune_code')
        .select([
          'si.id',
          'si.name',
          'c.name as commune_name',
          'si.commune_code',
          'c.province_code',
          'r.last_visit_at as last_visit',
        ])
        .where('r.user_id', '=', userId)
        .orderBy('r.last_visit_at', 'desc')
        .limit(limit)
        .execute(),
  };
}

export type VisitsRepo = ReturnType<typeof createVisitsRepo>;
