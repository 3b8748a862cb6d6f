import type { DataAccess } from '../db/data-access.js';
import type { Schema } from '../db/schema.js';
import { foldForSearch } from '../text/fold.js';

/**
 * The demo seed's SQL: the look-ups it needs to place the sites, and bulk inserts of the programme it
 * planned. The seed writes everything inside one `data.transaction`, so these methods join it.
 */

type Row<Table extends keyof Schema, Column extends keyof Schema[Table]> = Schema[Table][Column];

export interface DemoUserRow {
  username: string;
  displayName: string;
  role: Row<'users', 'role'>;
  passwordHash: string;
  createdAt: string;
}

export interface DemoSiteRow {
  kind: Row<'sites', 'kind'>;
  name: string;
  nameFolded: string;
  communeCode: string;
  address: string;
  targetPercent: number;
  launchedOn: string | null;
  note: string;
  /** Created and last updated at, by the same user. */
  at: string;
  by: number;
}

export interface DemoStallRow {
  siteId: number;
  label: string;
  businessName: string;
  ownerName: string;
  phone: string | null;
  goodsCategory: string;
  status: Row<'stalls', 'status'>;
  refusalReason: Row<'stalls', 'refusal_reason'>;
  searchFolded: string;
  createdAt: string;
  createdBy: number;
  updatedAt: string;
  updatedBy: number;
  consentAt: string | null;
  consentBy: number | null;
}

export interface DemoHistoryRow {
  stallId: number;
  fromStatus: Row<'stall_status_history', 'from_status'>;
  toStatus: Row<'stall_status_history', 'to_status'>;
  changedAt: string;
  changedBy: number;
  reason: string | null;
  note: string;
}

export interface DemoAccountRow {
  stallId: number;
  bin: string;
  accountNumber: string;
  service: Row<'stall_accounts', 'service'>;
  holderName: string;
  source: Row<'stall_accounts', 'source'>;
  isPrimary: boolean;
  verifiedAt: string | null;
  verifiedBy: number | null;
  verifiedNameSeen: string | null;
  retiredAt: string | null;
  retiredBy: number | null;
  createdAt: string;
  createdBy: number;
}

export interface DemoVisitRow {
  stallId: number;
  userId: number;
  visitedAt: string;
  action: Row<'visits', 'action'>;
  stickerDisplayed: Row<'visits', 'sticker_displayed'>;
  transferShare: number | null;
  accountId: number | null;
  note: string;
}

/**
 * Rows per INSERT: far below SQLite's 32,766 bound parameters (15 columns × 500), and few statements for
 * the ~2,000 visits.
 */
const CHUNK = 500;

function chunks<T>(rows: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += CHUNK) out.push(rows.slice(i, i + CHUNK));
  return out;
}

/**
 * The ids of rows inserted by one multi-row INSERT, in the order the rows were given. SQLite inserts the
 * VALUES rows in order and gives each new row one more than the largest rowid so far, so the ids ascend in
 * that order; RETURNING itself promises no order, hence the sort.
 */
function idsInOrder(returned: readonly { id: number }[], expected: number): number[] {
  if (returned.length !== expected) throw new Error(`Demo insert returned ${returned.length} ids for ${expected} rows`);
  return returned.map((row) => row.id).sort((a, b) => a - b);
}

/** What a removal of the demo programme deleted. */
export interface DemoRemoval {
  readonly users: number;
  readonly sites: number;
  readonly stalls: number;
}

export function createDemoRepo(data: DataAccess) {
  return {
    /** Marks the database as holding the demo programme, in the seed's transaction. */
    async markSeeded(at: string): Promise<void> {
      await data.db().insertInto('demo_programme').values({ id: 1, seeded_at: at }).execute();
    },

    /**
     * Deletes the demo programme in the caller's transaction: its users (by username), the sites they
     * created, everything recorded about those sites and their stalls, and what the demo users did elsewhere
     * that has no meaning without them (sessions, exports, log rows). Opens the append-only tables for the
     * length of it (migrations/0021_demo_removal.sql) and closes them again. A real row that refers to a demo
     * user makes a foreign key refuse, and the whole removal rolls back.
     */
    async removeDemo(usernames: readonly string[]): Promise<DemoRemoval> {
      const db = data.db();
      const ids = async (query: { execute(): Promise<{ id: number }[]> }) => (await query.execute()).map((r) => r.id);
      const users = await ids(
        db
          .selectFrom('users')
          .select('id')
          .where('username', 'in', [...usernames]),
      );
      const none = [0];
      const userIds = users.length > 0 ? users : none;
      const siteIds = (await ids(db.selectFrom('sites').select('id').where('created_by', 'in', userIds))).concat(0);
      const stallIds = (await ids(db.selectFrom('stalls').select('id').where('site_id', 'in', siteIds))).concat(0);
      const stickerIds = (await ids(db.selectFrom('stickers').select('id').where('stall_id', 'in', stallIds))).concat(
        0,
      );
      const campaignIds = (
        await ids(db.selectFrom('campaigns').select('id').where('created_by', 'in', userIds))
      ).concat(0);
      const visitIds = (await ids(db.selectFrom('visits').select('id').where('stall_id', 'in', stallIds))).concat(0);
      const historyIds = (
        await ids(db.selectFrom('stall_status_history').select('id').where('stall_id', 'in', stallIds))
      ).concat(0);

      await db.insertInto('demo_removal').values({ id: 1 }).execute();
      await db
        .deleteFrom('payee_changes')
        .where((eb) => eb.or([eb('stall_id', 'in', stallIds), eb('requested_by', 'in', userIds)]))
        .execute();
      await db.deleteFrom('sticker_reports').where('sticker_id', 'in', stickerIds).execute();
      await db.deleteFrom('sticker_prints').where('sticker_id', 'in', stickerIds).execute();
      await db.deleteFrom('stickers').where('id', 'in', stickerIds).execute();
      await db
        .deleteFrom('redactions')
        .where((eb) =>
          eb.or([
            eb.and([eb('table_name', '=', 'visits'), eb('row_id', 'in', visitIds)]),
            eb.and([eb('table_name', '=', 'stall_status_history'), eb('row_id', 'in', historyIds)]),
          ]),
        )
        .execute();
      await db.deleteFrom('visits').where('id', 'in', visitIds).execute();
      await db.deleteFrom('stall_status_history').where('id', 'in', historyIds).execute();
      await db.deleteFrom('stall_consents').where('stall_id', 'in', stallIds).execute();
      await db.deleteFrom('stall_accounts').where('stall_id', 'in', stallIds).execute();
      const stalls = await db.deleteFrom('stalls').where('id', 'in', stallIds).executeTakeFirst();
      await db
        .deleteFrom('campaign_membership_history')
        .where((eb) => eb.or([eb('site_id', 'in', siteIds), eb('campaign_id', 'in', campaignIds)]))
        .execute();
      await db
        .deleteFrom('campaign_sites')
        .where((eb) => eb.or([eb('site_id', 'in', siteIds), eb('campaign_id', 'in', campaignIds)]))
        .execute();
      await db.deleteFrom('campaign_target_history').where('campaign_id', 'in', campaignIds).execute();
      await db.deleteFrom('campaigns').where('id', 'in', campaignIds).execute();
      await db.deleteFrom('site_target_history').where('site_id', 'in', siteIds).execute();
      // Assignments of a demo user or to a demo site (migrations/0023_site_assignments.sql).
      await db
        .deleteFrom('site_assignments')
        .where((eb) =>
          eb.or([eb('site_id', 'in', siteIds), eb('user_id', 'in', userIds), eb('assigned_by', 'in', userIds)]),
        )
        .execute();
      await db
        .deleteFrom('user_reach')
        .where((eb) => eb.or([eb('user_id', 'in', userIds), eb('site_id', 'in', siteIds)]))
        .execute();
      await db
        .deleteFrom('audit_log')
        .where((eb) => eb.or([eb('user_id', 'in', userIds), eb('site_id', 'in', siteIds)]))
        .execute();
      await db.deleteFrom('export_log').where('exported_by', 'in', userIds).execute();
      await db.deleteFrom('idempotency_keys').where('user_id', 'in', userIds).execute();
      await db
        .deleteFrom('import_drafts')
        .where((eb) => eb.or([eb('user_id', 'in', userIds), eb('site_id', 'in', siteIds)]))
        .execute();
      await db.deleteFrom('sessions').where('user_id', 'in', userIds).execute();
      await db
        .deleteFrom('login_locks')
        .where((eb) => eb.or([eb('by_user', 'in', userIds), eb('username', 'in', [...usernames])]))
        .execute();
      const sites = await db.deleteFrom('sites').where('id', 'in', siteIds).executeTakeFirst();
      const removedUsers = await db.deleteFrom('users').where('id', 'in', userIds).executeTakeFirst();
      await db.deleteFrom('demo_programme').execute();
      await db.deleteFrom('demo_removal').execute();
      return {
        users: Number(removedUsers.numDeletedRows),
        sites: Number(sites.numDeletedRows),
        stalls: Number(stalls.numDeletedRows),
      };
    },

    async holdsDemo(): Promise<boolean> {
      const row = await data.db().selectFrom('demo_programme').select('id').executeTakeFirst();
      return row !== undefined;
    },

    async hasAnySite(): Promise<boolean> {
      const row = await data.db().selectFrom('sites').select('id').limit(1).executeTakeFirst();
      return row !== undefined;
    },

    /** The commune with this code, if it lies in the province: zero or one code. */
    async communeCodes(code: string, provinceCode: string): Promise<string[]> {
      const rows = await data
        .db()
        .selectFrom('communes')
        .select('code')
        .where('code', '=', code)
        .where('province_code', '=', provinceCode)
        .execute();
      return rows.map((row) => row.code);
    },

    /** The new communes in the province that took in this old (pre-2025) commune. */
    async communeCodesOfOldCommune(
      old: { oldName: string; oldDistrictName: string; oldProvinceName: string },
      provinceCode: string,
    ): Promise<string[]> {
      const rows = await data
        .db()
        .selectFrom('commune_mappings as m')
        .innerJoin('communes as c', 'c.code', 'm.new_commune_code')
        .select('m.new_commune_code')
        .distinct()
        .where('m.old_name', '=', old.oldName)
        .where('m.old_district_name', '=', old.oldDistrictName)
        .where('m.old_province_name', '=', old.oldProvinceName)
        .where('c.province_code', '=', provinceCode)
        .execute();
      return rows.map((row) => row.new_commune_code);
    },

    /** Inserts the users in the order given and returns their ids in that order. */
    async insertUsers(users: readonly DemoUserRow[]): Promise<number[]> {
      const ids: number[] = [];
      for (const chunk of chunks(users)) {
        const returned = await data
          .db()
          .insertInto('users')
          .values(
            chunk.map((user) => ({
              username: user.username,
              display_name: user.displayName,
              role: user.role,
              password_hash: user.passwordHash,
              active: 1,
              created_at: user.createdAt,
            })),
          )
          .returning('id')
          .execute();
        ids.push(...idsInOrder(returned, chunk.length));
      }
      return ids;
    },

    /** Each user's reach: a province or communes, as the demo's teams work them. */
    async insertReach(rows: readonly { userId: number; provinceCode?: string; communeCode?: string }[]): Promise<void> {
      for (const chunk of chunks(rows)) {
        await data
          .db()
          .insertInto('user_reach')
          .values(
            chunk.map((row) => ({
              user_id: row.userId,
              province_code: row.provinceCode ?? null,
              commune_code: row.communeCode ?? null,
            })),
          )
          .execute();
      }
    },

    /** Inserts the sites in the order given and returns their ids in that order. */
    async insertSites(sites: readonly DemoSiteRow[]): Promise<number[]> {
      const ids: number[] = [];
      for (const chunk of chunks(sites)) {
        const returned = await data
          .db()
          .insertInto('sites')
          .values(
            chunk.map((site) => ({
              kind: site.kind,
              name: site.name,
              name_folded: site.nameFolded,
              commune_code: site.communeCode,
              address: site.address,
              target_percent: site.targetPercent,
              launched_on: site.launchedOn,
              note: site.note,
              created_at: site.at,
              created_by: site.by,
              updated_at: site.at,
              updated_by: site.by,
            })),
          )
          .returning('id')
          .execute();
        ids.push(...idsInOrder(returned, chunk.length));
      }
      return ids;
    },

    /** Inserts the stalls in the order given and returns their ids in that order. */
    async insertStalls(stalls: readonly DemoStallRow[]): Promise<number[]> {
      const ids: number[] = [];
      for (const chunk of chunks(stalls)) {
        const returned = await data
          .db()
          .insertInto('stalls')
          .values(
            chunk.map((stall) => ({
              site_id: stall.siteId,
              label: stall.label,
              label_folded: foldForSearch(stall.label),
              business_name: stall.businessName,
              owner_name: stall.ownerName,
              phone: stall.phone,
              goods_category: stall.goodsCategory,
              status: stall.status,
              refusal_reason: stall.refusalReason,
              search_folded: stall.searchFolded,
              created_at: stall.createdAt,
              created_by: stall.createdBy,
              updated_at: stall.updatedAt,
              updated_by: stall.updatedBy,
              consent_at: stall.consentAt,
              consent_by: stall.consentBy,
            })),
          )
          .returning('id')
          .execute();
        ids.push(...idsInOrder(returned, chunk.length));
      }
      return ids;
    },

    /** Inserts the status history rows in the order given (their ids follow that order). */
    async insertHistory(rows: readonly DemoHistoryRow[]): Promise<void> {
      for (const chunk of chunks(rows)) {
        await data
          .db()
          .insertInto('stall_status_history')
          .values(
            chunk.map((row) => ({
              stall_id: row.stallId,
              from_status: row.fromStatus,
              to_status: row.toStatus,
              changed_at: row.changedAt,
              changed_by: row.changedBy,
              reason: row.reason,
              note: row.note,
            })),
          )
          .execute();
      }
    },

    /** Inserts the bank accounts in the order given and returns their ids in that order. */
    async insertAccounts(accounts: readonly DemoAccountRow[]): Promise<number[]> {
      const ids: number[] = [];
      for (const chunk of chunks(accounts)) {
        const returned = await data
          .db()
          .insertInto('stall_accounts')
          .values(
            chunk.map((account) => ({
              stall_id: account.stallId,
              bin: account.bin,
              account_number: account.accountNumber,
              service: account.service,
              holder_name: account.holderName,
              source: account.source,
              is_primary: account.isPrimary ? 1 : 0,
              verified_at: account.verifiedAt,
              verified_by: account.verifiedBy,
              verified_name_seen: account.verifiedNameSeen,
              retired_at: account.retiredAt,
              retired_by: account.retiredBy,
              created_at: account.createdAt,
              created_by: account.createdBy,
            })),
          )
          .returning('id')
          .execute();
        ids.push(...idsInOrder(returned, chunk.length));
      }
      return ids;
    },

    /** Inserts the visits in the order given (their ids follow that order). */
    async insertVisits(visits: readonly DemoVisitRow[]): Promise<void> {
      for (const chunk of chunks(visits)) {
        await data
          .db()
          .insertInto('visits')
          .values(
            chunk.map((visit) => ({
              stall_id: visit.stallId,
              user_id: visit.userId,
              visited_at: visit.visitedAt,
              action: visit.action,
              sticker_displayed: visit.stickerDisplayed,
              transfer_share: visit.transferShare,
              account_id: visit.accountId,
              note: visit.note,
            })),
          )
          .execute();
      }
    },
  };
}

export type DemoRepo = ReturnType<typeof createDemoRepo>;
