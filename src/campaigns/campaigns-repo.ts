import { sql } from 'kysely';
import type { DataAccess } from '../db/data-access.js';
import { siteInReach } from '../db/reach-sql.js';
import { containsText } from '../db/sql-helpers.js';
import type { Reach } from '../vocabulary/reach.js';

export interface CampaignRow {
  id: number;
  name: string;
  target_percent: number;
  starts_on: string;
  deadline: string;
  /** Every site of the campaign. */
  site_count: number;
  /** Those in the reach asked about. */
  sites_in_reach: number;
}

/** A site as the campaign form's picker shows it. */
export interface SiteChoice {
  id: number;
  name: string;
  commune_name: string;
}

export interface CampaignValues {
  name: string;
  targetPercent: number;
  startsOn: string;
  deadline: string;
  siteIds: number[];
}

/** When a history row takes effect (a Vietnam day), and who wrote it when. */
export interface HistoryStamp {
  effectiveOn: string;
  at: string;
  by: number | null;
}

export function createCampaignsRepo(data: DataAccess) {
  /** A site is in one campaign at a time: joining this one takes it out of its previous one. */
  async function assignSites(campaignId: number, siteIds: number[]): Promise<void> {
    const db = data.db();
    await db.deleteFrom('campaign_sites').where('campaign_id', '=', campaignId).execute();
    for (const siteId of siteIds) {
      await db.deleteFrom('campaign_sites').where('site_id', '=', siteId).execute();
      await db.insertInto('campaign_sites').values({ campaign_id: campaignId, site_id: siteId }).execute();
    }
  }

  const inReach = (reach: Reach) =>
    siteInReach(reach, { siteId: sql.ref('s.id'), communeCode: sql.ref('s.commune_code') });

  return {
    /** Every campaign with its site counts, in all and in the reach; newest deadline first. */
    list: async (reach: Reach): Promise<CampaignRow[]> => {
      const { rows } = await sql<CampaignRow>`
        SELECT c.id, c.name, c.target_percent, c.starts_on, c.deadline, count(s.id) AS site_count,
               coalesce(sum(CASE WHEN ${inReach(reach)} THEN 1 ELSE 0 END), 0) AS sites_in_reach
          FROM campaigns c LEFT JOIN campaign_sites cs ON cs.campaign_id = c.id LEFT JOIN sites s ON s.id = cs.site_id
         GROUP BY c.id ORDER BY c.deadline DESC, c.id DESC`.execute(data.db());
      return rows;
    },
    findById: async (id: number, reach: Reach): Promise<CampaignRow | undefined> => {
      const { rows } = await sql<CampaignRow>`
        SELECT c.id, c.name, c.target_percent, c.starts_on, c.deadline, count(s.id) AS site_count,
               coalesce(sum(CASE WHEN ${inReach(reach)} THEN 1 ELSE 0 END), 0) AS sites_in_reach
          FROM campaigns c LEFT JOIN campaign_sites cs ON cs.campaign_id = c.id LEFT JOIN sites s ON s.id = cs.site_id
         WHERE c.id = ${id} GROUP BY c.id`.execute(data.db());
      return rows[0];
    },
    /** The campaign's sites in the reach, by id. */
    async siteIdsInReach(campaignId: number, reach: Reach): Promise<number[]> {
      const rows = await data
        .db()
        .selectFrom('campaign_sites as cs')
        .innerJoin('sites as s', 's.id', 'cs.site_id')
        .select('s.id')
        .where('cs.campaign_id', '=', campaignId)
        .where(inReach(reach))
        .orderBy('s.id')
        .execute();
      return rows.map((row) => row.id);
    },
    /**
     * The other campaigns that hold one of these sites, each with all its site ids (whatever the reach): the
     * campaigns a save will take sites out of.
     */
    async otherCampaignsHolding(siteIds: readonly number[], exceptId: number): Promise<Map<number, number[]>> {
      const held = new Map<number, number[]>();
      if (siteIds.length === 0) return held;
      const rows = await data
        .db()
        .selectFrom('campaign_sites as cs')
        .select(['cs.campaign_id', 'cs.site_id'])
        .where('cs.campaign_id', '<>', exceptId)
        .where(
          'cs.campaign_id',
          'in',
          data
            .db()
            .selectFrom('campaign_sites')
            .select('campaign_id')
            .where('site_id', 'in', [...siteIds]),
        )
        .orderBy('cs.campaign_id')
        .orderBy('cs.site_id')
        .execute();
      for (const row of rows) held.set(row.campaign_id, [...(held.get(row.campaign_id) ?? []), row.site_id]);
      return held;
    },
    /** Which of these ids are sites in the reach: a campaign may only name real sites the user reaches. */
    async sitesInReach(ids: readonly number[], reach: Reach): Promise<Set<number>> {
      if (ids.length === 0) return new Set();
      const rows = await data
        .db()
        .selectFrom('sites as s')
        .select('s.id')
        .where('s.id', 'in', [...ids])
        .where(inReach(reach))
        .execute();
      return new Set(rows.map((row) => row.id));
    },
    /** The sites of the reach for the campaign form, by province, commune and name. */
    sitesToChoose: (reach: Reach): Promise<SiteChoice[]> =>
      data
        .db()
        .selectFrom('sites as s')
        .innerJoin('communes as c', 'c.code', 's.commune_code')
        .innerJoin('provinces as p', 'p.code', 'c.province_code')
        .select(['s.id', 's.name', 'c.name as commune_name'])
        .where(inReach(reach))
        .orderBy('p.name_folded')
        .orderBy('c.name_folded')
        .orderBy('s.name_folded')
        .orderBy('s.id')
        .execute(),
    /**
     * The picker's sites of the reach whose folded name or commune name holds every word, in the order of
     * `sitesToChoose`, at most `limit`, leaving out `except` (the sites already ticked); and how many match.
     */
    async findSiteChoices(
      reach: Reach,
      filter: { words: readonly string[]; except: readonly number[]; limit: number },
    ): Promise<{ sites: SiteChoice[]; total: number }> {
      let query = data
        .db()
        .selectFrom('sites as s')
        .innerJoin('communes as c', 'c.code', 's.commune_code')
        .innerJoin('provinces as p', 'p.code', 'c.province_code')
        .where(inReach(reach));
      for (const word of filter.words) {
        query = query.where((eb) =>
          eb.or([containsText(eb.ref('s.name_folded'), word), containsText(eb.ref('c.name_folded'), word)]),
        );
      }
      if (filter.except.length > 0) query = query.where('s.id', 'not in', [...filter.except]);
      const sites = await query
        .select(['s.id', 's.name', 'c.name as commune_name'])
        .orderBy('p.name_folded')
        .orderBy('c.name_folded')
        .orderBy('s.name_folded')
        .orderBy('s.id')
        .limit(filter.limit)
        .execute();
      const { total } = await query.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
      return { sites, total };
    },
    /** These sites, those of them in the reach, in the order of `sitesToChoose`. */
    siteChoicesByIds: async (reach: Reach, ids: readonly number[]): Promise<SiteChoice[]> =>
      ids.length === 0
        ? []
        : data
            .db()
            .selectFrom('sites as s')
            .innerJoin('communes as c', 'c.code', 's.commune_code')
            .innerJoin('provinces as p', 'p.code', 'c.province_code')
            .select(['s.id', 's.name', 'c.name as commune_name'])
            .where(inReach(reach))
            .where('s.id', 'in', [...ids])
            .orderBy('p.name_folded')
            .orderBy('c.name_folded')
            .orderBy('s.name_folded')
            .orderBy('s.id')
            .execute(),
    /** The campaign each of these sites is in now (absent: none), from campaign_sites. */
    async membershipOf(siteIds: readonly number[]): Promise<Map<number, number>> {
      if (siteIds.length === 0) return new Map();
      const rows = await data
        .db()
        .selectFrom('campaign_sites')
        .select(['site_id', 'campaign_id'])
        .where('site_id', 'in', [...siteIds])
        .execute();
      return new Map(rows.map((row) => [row.site_id, row.campaign_id]));
    },
    /** Every site of the campaign now, whatever the reach. */
    async allSiteIds(campaignId: number): Promise<number[]> {
      const rows = await data
        .db()
        .selectFrom('campaign_sites')
        .select('site_id')
        .where('campaign_id', '=', campaignId)
        .orderBy('site_id')
        .execute();
      return rows.map((row) => row.site_id);
    },
    /**
     * Sites with no membership history yet (a new site, or one inserted outside the services) get their
     * current membership as a starting row from their launch or registration day, whichever is earlier,
     * and at the latest the day before the change (migrations/0018_target_history.sql): called before a
     * change, so the change does not reach back. (A site's membership history starts here, at its first
     * join: until then campaign_sites, empty for it, holds on every day.)
     */
    async startMembershipHistory(siteIds: readonly number[], changeDay: string): Promise<void> {
      if (siteIds.length === 0) return;
      await sql`
        INSERT INTO campaign_membership_history (site_id, campaign_id, effective_on, changed_at, changed_by)
        SELECT s.id, cs.campaign_id,
               min(coalesce(s.launched_on, date(s.created_at, '+7 hours')), date(s.created_at, '+7 hours'),
                   date(${changeDay}, '-1 day')),
               s.created_at, s.created_by
          FROM json_each(${JSON.stringify(siteIds)}) j
          JOIN sites s ON s.id = j.value
          LEFT JOIN campaign_sites cs ON cs.site_id = s.id
         WHERE NOT EXISTS (SELECT 1 FROM campaign_membership_history h WHERE h.site_id = s.id)
         ORDER BY s.id`.execute(data.db());
    },
    /** The site is in `campaignId` (null: none) from `effectiveOn` on (append-only). */
    async appendMembership(siteId: number, campaignId: number | null, change: HistoryStamp): Promise<void> {
      await data
        .db()
        .insertInto('campaign_membership_history')
        .values({
          site_id: siteId,
          campaign_id: campaignId,
          effective_on: change.effectiveOn,
          changed_at: change.at,
          changed_by: change.by,
        })
        .execute();
    },
    /** A campaign with no target history yet gets its current values as its starting row (as above). */
    async startTargetHistory(campaignId: number, changeDay: string): Promise<void> {
      await sql`
        INSERT INTO campaign_target_history (campaign_id, effective_on, target_percent, starts_on, deadline,
                                             changed_at, changed_by)
        SELECT id, min(starts_on, date(created_at, '+7 hours'), date(${changeDay}, '-1 day')), target_percent,
               starts_on, deadline, created_at, created_by
          FROM campaigns
         WHERE id = ${campaignId}
           AND NOT EXISTS (SELECT 1 FROM campaign_target_history WHERE campaign_id = ${campaignId})`.execute(data.db());
    },
    /** The campaign's target, start and deadline in force from `effectiveOn` on (append-only). */
    async appendTargetHistory(campaignId: number, values: CampaignValues, change: HistoryStamp): Promise<void> {
      await data
        .db()
        .insertInto('campaign_target_history')
        .values({
          campaign_id: campaignId,
          effective_on: change.effectiveOn,
          target_percent: values.targetPercent,
          starts_on: values.startsOn,
          deadline: values.deadline,
          changed_at: change.at,
          changed_by: change.by,
        })
        .execute();
    },
    /** The campaign and its sites in one transaction. */
    insert(values: CampaignValues, createdAt: string, createdBy: number): Promise<number> {
      return data.transaction(async () => {
        const result = await data
          .db()
          .insertInto('campaigns')
          .values({
            name: values.name,
            target_percent: values.targetPercent,
            starts_on: values.startsOn,
            deadline: values.deadline,
            created_at: createdAt,
            created_by: createdBy,
          })
          .executeTakeFirstOrThrow();
        const id = Number(result.insertId);
        await assignSites(id, values.siteIds);
        return id;
      });
    },
    /** The campaign's fields and its sites in one transaction. */
    update(id: number, values: CampaignValues): Promise<void> {
      return data.transaction(async () => {
        await data
          .db()
          .updateTable('campaigns')
          .set({
            name: values.name,
            target_percent: values.targetPercent,
            starts_on: values.startsOn,
            deadline: values.deadline,
          })
          .where('id', '=', id)
          .execute();
        await assignSites(id, values.siteIds);
      });
    },
  };
}

export type CampaignsRepo = ReturnType<typeof createCampaignsRepo>;
