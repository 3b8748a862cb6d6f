/**
 * The SQL of the adoption engine, as prepared statements: what the in-memory timelines
 * (adoption-snapshot.ts) are built from — reference tables read whole, the status history and the visits
 * read whole once, then only the rows added since (by id) — and the few lookups the answers need (user
 * names, a site's stall labels). The data-quality checks have their own (data-quality-repo.ts).
 *
 * Statuses and refusal reasons come back as small integers (their index in STALL_STATUSES and
 * REFUSAL_REASONS) and timestamps as epoch milliseconds (unixepoch(…, 'subsec')), so millions of rows cross
 * into JavaScript without a string each. Timestamps are ISO-8601 UTC text (migration 0001), so text order
 * is time order and `x < cutoff` on the text is the same as on the instant.
 */
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.js';
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
 * (≈ 0.7 µs) is most of the time of reading millions of them.
 */
export const HISTORY_PACKED = `stall_id * 64 + ${STATUS_CODE('to_status')} * 8 + ${REASON_CODE('reason')}`;
/** A visit packed: stall_id · 64 + onboarded · 32 + follow_up · 16 + sticker code · 4. */
export const VISIT_PACKED = `stall_id * 64 + (action = 'onboarded') * 32 + (action = 'follow_up') * 16 + (${STICKER_CODE}) * 4`;
/** Rows per chunk when reading whole tables. */
export const CHUNK_IDS = 50_000;

/** [id, code, name] */
export type ProvinceTuple = [string, string];
/** [code, province_code, name] */
export type CommuneTuple = [string, string, string];
/** [id, kind, name, commune_code, target_percent, target_deadline, launched_on, created_at] */
export type SiteTuple = [number, SiteKind, string, string, number, string | null, string | null, string];
/** [id, name, target_percent, starts_on, deadline] */
export type CampaignTuple = [number, string, number, string, string];
/** Aligned JSON arrays of one chunk: ids, packed rows, epoch ms (null when unreadable). */
export type HistoryChunk = [string, string, string];
/** Aligned JSON arrays of one chunk: ids, packed visits, epoch ms, user ids, transfer shares. */
export type VisitChunk = [string, string, string, string, string];
/** [id, packed, epoch ms] */
export type HistoryTuple = [number, number, number | null];
/** [id, epoch ms, sticker code, transfer share] */
export type FollowUpTuple = [number, number | null, number, number | null];

/** The tables the reference data comes from: a change to any of them means reloading it. */
const REFERENCE_TABLES = ['provinces', 'communes', 'sites', 'campaigns', 'campaign_sites'] as const;
const WATCH_TRIGGERS = REFERENCE_TABLES.length * 3;

/**
 * Counts this connection's changes to the reference tables with TEMP triggers (connection-local: nothing
 * is written to the database file, no migration), so the in-memory reference is reloaded only when it may
 * have changed. Returns false when they cannot be created; then the caller reloads every time.
 */
function installReferenceWatch(db: Db): boolean {
  try {
    db.exec(`CREATE TEMP TABLE IF NOT EXISTS adoption_reference_changes (n INTEGER NOT NULL);
             INSERT INTO adoption_reference_changes (n) SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM adoption_reference_changes);`);
    for (const table of REFERENCE_TABLES) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        db.exec(`CREATE TEMP TRIGGER IF NOT EXISTS adoption_watch_${table}_${event.toLowerCase()} AFTER ${event} ON main.${table}
                 BEGIN UPDATE adoption_reference_changes SET n = n + 1; END`);
      }
    }
    // Whatever happened while the watch was missing is unknown: a new stamp forces one reload.
    db.exec('UPDATE adoption_reference_changes SET n = n + 1');
    return true;
  } catch {
    return false;
  }
}

export function createAdoptionRepo(db: Db) {
  const statements = {
    totalChanges: db.prepare<[], number>('SELECT total_changes()').pluck(),
    provinces: db.prepare<[], ProvinceTuple>('SELECT code, name FROM provinces ORDER BY code').raw(),
    communes: db.prepare<[], CommuneTuple>('SELECT code, province_code, name FROM communes ORDER BY code').raw(),
    sites: db
      .prepare<[], SiteTuple>(
        `SELECT id, kind, name, commune_code, target_percent, target_deadline, launched_on, created_at FROM sites ORDER BY id`,
      )
      .raw(),
    campaignSites: db.prepare<[], [number, number]>('SELECT site_id, campaign_id FROM campaign_sites').raw(),
    campaigns: db.prepare<[], CampaignTuple>('SELECT id, name, target_percent, starts_on, deadline FROM campaigns ORDER BY id').raw(),
    userNames: db.prepare<[string], [number, string]>(
      'SELECT u.id, u.display_name FROM json_each(?) j JOIN users u ON u.id = j.value',
    ).raw(),

    maxStallId: db.prepare<[], number | null>('SELECT max(id) FROM stalls').pluck(),
    maxHistoryId: db.prepare<[], number | null>('SELECT max(id) FROM stall_status_history').pluck(),
    maxVisitId: db.prepare<[], number | null>('SELECT max(id) FROM visits').pluck(),
    stallSitesAfter: db.prepare<[number], [number, number]>('SELECT id, site_id FROM stalls WHERE id > ? ORDER BY id').raw(),
    stallSiteChunk: db
      .prepare<[number, number], [string, string]>('SELECT json_group_array(id), json_group_array(site_id) FROM stalls WHERE id > ? AND id <= ?')
      .raw(),
    stallSite: db.prepare<[number], number>('SELECT site_id FROM stalls WHERE id = ?').pluck(),

    // Without ORDER BY inside the aggregates: they are stepped together, row by row, so the arrays stay
    // aligned; the ids come along so that ties in time are still broken by id.
    historyChunk: db
      .prepare<[number, number], HistoryChunk>(
        `SELECT json_group_array(id), json_group_array(${HISTORY_PACKED}), json_group_array(${EPOCH_MS('changed_at')})
           FROM stall_status_history WHERE id > ? AND id <= ?`,
      )
      .raw(),
    historyOfStall: db
      .prepare<[number], HistoryTuple>(`SELECT id, ${HISTORY_PACKED}, ${EPOCH_MS('changed_at')} FROM stall_status_history WHERE stall_id = ?`)
      .raw(),
    // No DISTINCT: with it SQLite scans the whole (stall_id, changed_at) index instead of the id range.
    stallsWithHistoryAfter: db
      .prepare<[number], number>('SELECT stall_id FROM stall_status_history WHERE id > ? ORDER BY id')
      .pluck(),
    visitChunk: db
      .prepare<[number, number], VisitChunk>(
        `SELECT json_group_array(id), json_group_array(${VISIT_PACKED}), json_group_array(${EPOCH_MS('visited_at')}),
                json_group_array(user_id), json_group_array(transfer_share)
           FROM visits WHERE id > ? AND id <= ?`,
      )
      .raw(),
    followUpsOfStall: db
      .prepare<[number], FollowUpTuple>(
        `SELECT id, ${EPOCH_MS('visited_at')}, ${STICKER_CODE}, transfer_share
           FROM visits WHERE stall_id = ? AND action = 'follow_up'`,
      )
      .raw(),

    stallsOfSite: db.prepare<[number], { id: number; label: string }>('SELECT id, label FROM stalls WHERE site_id = ?'),
  };

  let watchStamp: Statement<[], string> | null = null;

  return {
    /**
     * A stamp that moves whenever this connection changed a reference table (or the watch had to be set
     * up again); null when no watch can be kept, so the reference must be reloaded on every refresh.
     */
    referenceStamp(): string | null {
      const read = () => {
        watchStamp ??= db.prepare<[], string>(
          `SELECT (SELECT n FROM temp.adoption_reference_changes) || ':' ||
                  (SELECT count(*) FROM temp.sqlite_master WHERE type = 'trigger' AND name LIKE 'adoption_watch_%')`,
        ).pluck();
        return watchStamp.get() ?? null;
      };
      try {
        const stamp = read();
        if (stamp !== null && stamp.endsWith(`:${WATCH_TRIGGERS}`)) return stamp;
      } catch {
        // No watch table yet (or it was rolled back with a transaction): set it up below.
      }
      watchStamp = null;
      if (!installReferenceWatch(db)) return null;
      return read();
    },
    /** Changes committed by other connections: PRAGMA data_version moves. */
    dataVersion: () => db.pragma('data_version', { simple: true }) as number,
    /** Rows changed by this connection so far (total_changes() never goes down). */
    totalChanges: () => statements.totalChanges.get()!,
    inTransaction: () => db.inTransaction,
    /** Runs fn in one read transaction, so the reads it makes see one state of the database. */
    reading: <T>(fn: () => T): T => db.transaction(fn).deferred(),

    provinces: () => statements.provinces.all(),
    communes: () => statements.communes.all(),
    sites: () => statements.sites.all(),
    campaignSites: () => statements.campaignSites.all(),
    campaigns: () => statements.campaigns.all(),
    userNames: (ids: readonly number[]) => new Map(statements.userNames.all(JSON.stringify(ids))),

    maxStallId: () => statements.maxStallId.get() ?? 0,
    maxHistoryId: () => statements.maxHistoryId.get() ?? 0,
    maxVisitId: () => statements.maxVisitId.get() ?? 0,
    stallSitesAfter: (id: number) => statements.stallSitesAfter.all(id),
    /** [ids, site ids] of the stalls with ids in (after, upTo], as aligned JSON arrays. */
    stallSiteChunk: (after: number, upTo: number) => statements.stallSiteChunk.get(after, upTo)!,
    stallSite: (id: number) => statements.stallSite.get(id),

    historyChunk: (after: number, upTo: number) => statements.historyChunk.get(after, upTo)!,
    historyOfStall: (stallId: number) => statements.historyOfStall.all(stallId),
    stallsWithHistoryAfter: (id: number) => [...new Set(statements.stallsWithHistoryAfter.all(id))],
    visitChunk: (after: number, upTo: number) => statements.visitChunk.get(after, upTo)!,
    followUpsOfStall: (stallId: number) => statements.followUpsOfStall.all(stallId),

    stallsOfSite: (siteId: number) => statements.stallsOfSite.all(siteId),
  };
}

export type AdoptionRepo = ReturnType<typeof createAdoptionRepo>;
