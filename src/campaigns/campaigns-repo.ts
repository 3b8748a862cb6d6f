import { sql } from 'kysely';
import type { DataAccess } from '../db/data-access.js';
import { siteInReach } from '../db/reach-sql.js';
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
