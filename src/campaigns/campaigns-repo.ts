import { sql } from 'kysely';
import type { DataAccess } from '../db/data-access.js';

export interface CampaignRow {
  id: number;
  name: string;
  target_percent: number;
  starts_on: string;
  deadline: string;
  site_count: number;
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

  return {
    list: async (): Promise<CampaignRow[]> => {
      const { rows } = await sql<CampaignRow>`
        SELECT c.id, c.name, c.target_percent, c.starts_on, c.deadline, count(cs.site_id) AS site_count
          FROM campaigns c LEFT JOIN campaign_sites cs ON cs.campaign_id = c.id
         GROUP BY c.id ORDER BY c.deadline DESC, c.id DESC`.execute(data.db());
      return rows;
    },
    findById: async (id: number): Promise<CampaignRow | undefined> => {
      const { rows } = await sql<CampaignRow>`
        SELECT c.id, c.name, c.target_percent, c.starts_on, c.deadline,
               (SELECT count(*) FROM campaign_sites WHERE campaign_id = c.id) AS site_count
          FROM campaigns c WHERE c.id = ${id}`.execute(data.db());
      return rows[0];
    },
    async siteIds(campaignId: number): Promise<number[]> {
      const rows = await data
        .db()
        .selectFrom('campaign_sites')
        .select('site_id')
        .where('campaign_id', '=', campaignId)
        .execute();
      return rows.map((row) => row.site_id);
    },
    /** Whether a site with this id exists: a campaign may only name real sites. */
    async siteExists(siteId: number): Promise<boolean> {
      const row = await data.db().selectFrom('sites').select('id').where('id', '=', siteId).executeTakeFirst();
      return row !== undefined;
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
