import { sql } from 'kysely';
import type { DataAccess } from '../db/data-access.js';
import { siteInReach } from '../db/reach-sql.js';
import type { Reach } from '../vocabulary/reach.js';
import type { GoodsCategory } from '../vocabulary/goods-categories.js';
import type { SiteKind } from '../vocabulary/site-kinds.js';
import type { RefusalReason, StallStatus } from '../vocabulary/stall-status.js';

export interface StallExportRow {
  id: number;
  province_code: string;
  province_name: string;
  commune_code: string;
  commune_name: string;
  site_id: number;
  site_kind: SiteKind;
  site_name: string;
  label: string;
  business_name: string;
  goods_category: GoodsCategory;
  status: StallStatus;
  refusal_reason: RefusalReason | null;
  created_at: string;
  status_since: string;
  installed_first_at: string | null;
  updated_at: string;
}

/** The stalls export's one query: every stall of the reach with its units, status and dates, in unit order. */
export function createStallsExportRepo(data: DataAccess) {
  return {
    async rows(reach: Reach, filter: { provinceCode?: string } = {}): Promise<StallExportRow[]> {
      const inReach = siteInReach(reach, { siteId: sql.ref('si.id'), communeCode: sql.ref('si.commune_code') });
      const province = filter.provinceCode ?? null;
      const { rows } = await sql<StallExportRow>`
        SELECT st.id, p.code AS province_code, p.name AS province_name,
               c.code AS commune_code, c.name AS commune_name, si.id AS site_id, si.kind AS site_kind,
               si.name AS site_name, st.label, st.business_name, st.goods_category, st.status, st.refusal_reason,
               st.created_at, st.updated_at,
               (SELECT max(h.changed_at) FROM stall_status_history h WHERE h.stall_id = st.id) AS status_since,
               (SELECT min(h.changed_at) FROM stall_status_history h
                 WHERE h.stall_id = st.id AND h.to_status = 'installed') AS installed_first_at
          FROM stalls st JOIN sites si ON si.id = st.site_id JOIN communes c ON c.code = si.commune_code
          JOIN provinces p ON p.code = c.province_code
         WHERE (${province} IS NULL OR p.code = ${province}) AND ${inReach}
         ORDER BY p.code, c.code, si.id, st.id`.execute(data.db());
      return rows;
    },
  };
}

export type StallsExportRepo = ReturnType<typeof createStallsExportRepo>;
