/**
 * The SQL of the adoption engine: what the in-memory timelines (adoption-snapshot.ts) are built from —
 * reference tables read whole, the status history and the visits read whole once, then only the rows added
 * since (by id) — and the few lookups the answers need (user names, a site's stall labels). The data-quality
 * checks have their own (data-quality-repo.ts). Every method returns a Promise (DataAccess); simple reads
 * use Kysely's builder, the packed bulk reads its `sql` tag.
 *
 * Statuses and refusal reasons come back as small integers (their index in STALL_STATUSES and
 * REFUSAL_REASONS) and timestamps as epoch milliseconds (unixepoch(…, 'subsec')), so millions of rows cross
 * into JavaScript without a string each. Timestamps are ISO-8601 UTC text (migration 0001), so text order
 * is time order and `x < cutoff` on the text is the same as on the instant.
 */
import { sql, type RawBuilder } from 'kysely';
import type { DataAccess } from '../db/data-access.js';
import type { SiteKind } from '../vocabulary/site-kinds.js';
import { REFUSAL_REASONS, STALL_STATUSES } from '../vocabulary/stall-status.js';

/** Code of a refusal reason that is missing or not one of REFUSAL_REASONS. */
export const NO_REASON = 7;

const STATUS_CODE = (column: string) =>
  `CASE ${column} ${STALL_STATUSES.map((status, i) => `WHEN '${status}' THEN ${i}`).join(' ')} END`;
const REASON_CODE = (column: string) =>
  `CASE ${column} ${REFUSAL_REASONS.map((reason, i) => `WHEN '${reason}' THEN ${i}`).join(' ')} ELSE ${NO_REASON} END`;
const STICKER_CODE = `CASE sticker_displayed WHEN 'yes' THEN 0 WHEN 'no' THEN 1 ELSE 2 END`;
/** Milliseconds since the epoch; round() because the seconds come back as a float (…600.123 ≈ …600.12299). */
const EPOCH_MS = (column: string) => `CAST(round(unixepoch(${column}, 'subsec') * 1000) AS INTEGER)`;

/**
 * A history row packed in one integer: stall_id · 64 + status · 8 + reason (status and reason as codes).
 * Rows leave SQLite as JSON arrays, thousands per result row, because the driver's cost per result row
 * (≈ 0.7 µs, more through an async row stream) is most of the time of reading millions of them.
 */
export const HISTORY_PACKED = `stall_id * 64 + ${STATUS_CODE('to_status')} * 8 + ${REASON_CODE('reason')}`;
/** A visit packed: stall_id · 64 + onboarded · 32 + follow_up · 16 + sticker code · 4. */
export const VISIT_PACKED =
  `stall_id * 64 + (action = 'onboarded') * 32 + ` + `(action = 'follow_up') * 16 + (${STICKER_CODE}) * 4`;
/** Rows per chunk when reading whole tables. */
export const CHUNK_IDS = 50_000;

const historyPacked = sql.raw(HISTORY_PACKED);
const visitPacked = sql.raw(VISIT_PACKED);
const stickerCode = sql.raw(STICKER_CODE);
const changedAtMs = sql.raw(EPOCH_MS('changed_at'));
const nameCheckColumns = sql.raw(
  `json_group_array(stall_id) AS stalls, json_group_array(${EPOCH_MS('verified_at')}) AS verified, ` +
    `json_group_array(CASE WHEN retired_at IS NULL THEN -1 ELSE ${EPOCH_MS('retired_at')} END) AS retired`,
);
const visitedAtMs = sql.raw(EPOCH_MS('visited_at'));

export interface SiteRow {
  id: number;
  kind: SiteKind;
  name: string;
  commune_code: string;
  target_percent: number;
  target_deadline: string | null;
  launched_on: string | null;
  created_at: string;
}
/** Aligned JSON arrays of one chunk: stall ids, their site ids. */
export interface StallSiteChunk {
  ids: string;
  siteIds: string;
}
/** Aligned JSON arrays of one chunk: ids, packed rows, epoch ms (null when unreadable). */
export interface HistoryChunk {
  ids: string;
  packed: string;
  ms: string;
}
/**
 * Aligned JSON arrays of name-checked accounts: stall ids, epoch ms of the name check (null when
 * unreadable) and of the retirement (-1 when not retired, null when unreadable).
 */
export interface NameCheckChunk {
  stalls: string;
  verified: string;
  retired: string;
}
/** Aligned JSON arrays of one chunk: ids, packed visits, epoch ms, user ids, transfer shares. */
export interface VisitChunk {
  ids: string;
  packed: string;
  ms: string;
  users: string;
  shares: string;
}
export interface HistoryRow {
  stall_id: number;
  id: number;
  packed: number;
  ms: number | null;
}
export interface FollowUpRow {
  stall_id: number;
  id: number;
  ms: number | null;
  sticker: number;
  share: number | null;
}

/** JSON text of ids (or pairs), for json_each(): one parameter however many there are. */
const json = (values: readonly unknown[]) => JSON.stringify(values);

export function createAdoptionRepo(data: DataAccess) {
  const run = async <R>(query: RawBuilder<R>): Promise<R[]> => (await query.execute(data.db())).rows;
  const first = async <R>(query: RawBuilder<R>): Promise<R> => (await run(query))[0]!;
  /** The highest id of a table the snapshot reads by id (0 when empty). */
  const maxId = async (
    table: 'stalls' | 'stall_status_history' | 'visits' | 'stall_accounts' | 'stall_account_changes',
  ) =>
    (
      await data
        .db()
        .selectFrom(table)
        .select((eb) => eb.fn.max<number | null>('id').as('max'))
        .executeTakeFirst()
    )?.max ?? 0;

  return {
    /**
     * A stamp that moves with every committed change to a table the reference comes from (units, sites,
     * campaigns, targets, memberships: triggers in migrations/0025_reference_version.sql), whichever
     * connection or process made it; null without the counter, so the reference is reloaded every time.
     */
    async referenceStamp(): Promise<string | null> {
      const row = await data.db().selectFrom('reference_version').select('n').executeTakeFirst();
      return row ? String(row.n) : null;
    },
    /** Changes committed by other connections: PRAGMA data_version moves. */
    dataVersion: async () => (await first(sql<{ data_version: number }>`PRAGMA data_version`)).data_version,
    /** Rows changed by this connection so far (total_changes() never goes down). */
    totalChanges: async () => (await first(sql<{ n: number }>`SELECT total_changes() AS n`)).n,
    /** True when called inside a DataAccess transaction (whose reads may yet be rolled back). */
    inTransaction: () => data.inTransaction(),
    /**
     * Runs work in one read transaction (or the caller's), so the reads it makes see one state of the
     * database — without the write lock, so other processes' writes go on meanwhile.
     */
    reading: <T>(work: () => Promise<T>): Promise<T> => data.reading(work),

    // Retired units (migrations/0029: merged, split or removed by an admin-unit patch) hold no site.
    provinces: () =>
      data
        .db()
        .selectFrom('provinces')
        .select(['code', 'name'])
        .where('retired_on', 'is', null)
        .orderBy('code')
        .execute(),
    communes: () =>
      data
        .db()
        .selectFrom('communes')
        .select(['code', 'province_code', 'name'])
        .where('retired_on', 'is', null)
        .orderBy('code')
        .execute(),
    sites: (): Promise<SiteRow[]> =>
      data
        .db()
        .selectFrom('sites')
        .select(['id', 'kind', 'name', 'commune_code', 'target_percent', 'target_deadline', 'launched_on'])
        .select('created_at')
        .orderBy('id')
        .execute(),
    campaignSites: () => data.db().selectFrom('campaign_sites').select(['site_id', 'campaign_id']).execute(),
    campaigns: () =>
      data
        .db()
        .selectFrom('campaigns')
        .select(['id', 'name', 'target_percent', 'starts_on', 'deadline'])
        .orderBy('id')
        .execute(),
    /** Targets in time (migrations/0018_target_history.sql), each by entity, then day, then id. */
    siteTargetHistory: () =>
      data
        .db()
        .selectFrom('site_target_history')
        .select(['site_id', 'effective_on', 'target_percent', 'target_deadline'])
        .orderBy('site_id')
        .orderBy('effective_on')
        .orderBy('id')
        .execute(),
    campaignTargetHistory: () =>
      data
        .db()
        .selectFrom('campaign_target_history')
        .select(['campaign_id', 'effective_on', 'target_percent', 'starts_on', 'deadline'])
        .orderBy('campaign_id')
        .orderBy('effective_on')
        .orderBy('id')
        .execute(),
    membershipHistory: () =>
      data
        .db()
        .selectFrom('campaign_membership_history')
        .select(['site_id', 'campaign_id', 'effective_on'])
        .orderBy('site_id')
        .orderBy('effective_on')
        .orderBy('id')
        .execute(),
    /** Display names by user id (json_each: one parameter for however many volunteers a scope has). */
    async userNames(ids: readonly number[]): Promise<Map<number, string>> {
      const rows = await run(sql<{ id: number; display_name: string }>`
        SELECT u.id, u.display_name FROM json_each(${json(ids)}) j JOIN users u ON u.id = j.value`);
      return new Map(rows.map((row) => [row.id, row.display_name]));
    },

    maxStallId: () => maxId('stalls'),
    maxHistoryId: () => maxId('stall_status_history'),
    maxVisitId: () => maxId('visits'),
    maxAccountId: () => maxId('stall_accounts'),
    /** The last entry of the account change log (migrations/0028_account_changes.sql). */
    maxAccountChangeId: () => maxId('stall_account_changes'),
    /** The stalls whose accounts changed in log entries (after, upTo], as a JSON array (with repeats). */
    accountChangesBetween: async (after: number, upTo: number): Promise<number[]> =>
      JSON.parse(
        (
          await first(sql<{ stalls: string }>`
            SELECT json_group_array(stall_id) AS stalls FROM stall_account_changes
             WHERE id > ${after} AND id <= ${upTo}`)
        ).stalls,
      ) as number[],
    /** Name-checked accounts with ids in (after, upTo]. */
    nameCheckChunk: (after: number, upTo: number) =>
      first(sql<NameCheckChunk>`
        SELECT ${nameCheckColumns} FROM stall_accounts
         WHERE id > ${after} AND id <= ${upTo} AND verified_at IS NOT NULL`),
    /** Name-checked accounts of the given stalls. */
    nameChecksOfStalls: (ids: readonly number[]) =>
      first(sql<NameCheckChunk>`
        SELECT ${nameCheckColumns} FROM stall_accounts
         WHERE stall_id IN (SELECT value FROM json_each(${json(ids)})) AND verified_at IS NOT NULL`),
    stallSitesAfter: (id: number) =>
      data.db().selectFrom('stalls').select(['id', 'site_id']).where('id', '>', id).orderBy('id').execute(),
    /** The stalls with ids in (after, upTo], as aligned JSON arrays. */
    stallSiteChunk: (after: number, upTo: number) =>
      first(sql<StallSiteChunk>`
        SELECT json_group_array(id) AS ids, json_group_array(site_id) AS siteIds
          FROM stalls WHERE id > ${after} AND id <= ${upTo}`),
    /** The site of each of the stalls that still exist. */
    async stallSites(ids: readonly number[]): Promise<Map<number, number>> {
      const rows = await run(sql<{ id: number; site_id: number }>`
        SELECT s.id, s.site_id FROM json_each(${json(ids)}) j JOIN stalls s ON s.id = j.value`);
      return new Map(rows.map((row) => [row.id, row.site_id]));
    },

    // Without ORDER BY inside the aggregates: they are stepped together, row by row, so the arrays stay
    // aligned; the ids come along so that ties in time are still broken by id.
    historyChunk: (after: number, upTo: number) =>
      first(sql<HistoryChunk>`
        SELECT json_group_array(id) AS ids, json_group_array(${historyPacked}) AS packed,
               json_group_array(${changedAtMs}) AS ms
          FROM stall_status_history WHERE id > ${after} AND id <= ${upTo}`),
    /** Every history row of the given stalls (on the (stall_id, changed_at) index), in no particular order. */
    historyOfStalls: (ids: readonly number[]) =>
      run(sql<HistoryRow>`
        SELECT h.stall_id, h.id, ${historyPacked} AS packed, ${changedAtMs} AS ms
          FROM json_each(${json(ids)}) j JOIN stall_status_history h ON h.stall_id = j.value`),
    visitChunk: (after: number, upTo: number) =>
      first(sql<VisitChunk>`
        SELECT json_group_array(id) AS ids, json_group_array(${visitPacked}) AS packed,
               json_group_array(${visitedAtMs}) AS ms, json_group_array(user_id) AS users,
               json_group_array(transfer_share) AS shares
          FROM visits WHERE id > ${after} AND id <= ${upTo}`),
    /** Every follow-up visit of the given stalls, in no particular order. */
    followUpsOfStalls: (ids: readonly number[]) =>
      run(sql<FollowUpRow>`
        SELECT v.stall_id, v.id, ${visitedAtMs} AS ms, ${stickerCode} AS sticker,
               v.transfer_share AS share
          FROM json_each(${json(ids)}) j JOIN visits v ON v.stall_id = j.value
         WHERE v.action = 'follow_up'`),

    stallsOfSite: (siteId: number) =>
      data.db().selectFrom('stalls').select(['id', 'label']).where('site_id', '=', siteId).execute(),
  };
}

export type AdoptionRepo = ReturnType<typeof createAdoptionRepo>;
