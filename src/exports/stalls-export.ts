import type { Db } from '../db/database.js';
import { vietnamDate } from '../calendar/calendar.js';
import { GOODS_CATEGORIES, type GoodsCategory } from '../vocabulary/goods-categories.js';
import { REFUSAL_REASON_LABELS, STALL_STATUS_LABELS, type RefusalReason, type StallStatus } from '../vocabulary/stall-status.js';
import { SITE_KIND_LABELS, type SiteKind } from '../vocabulary/site-kinds.js';
import type { ExportTable } from './table.js';

interface StallExportRow {
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

/**
 * Every stall with its site, commune, province, status and dates, codes beside names. Owner names, phones
 * and account numbers are left out: the figures upward do not need them, and the law asks for no more.
 */
export function stallsExportTable(db: Db, filter: { provinceCode?: string } = {}): ExportTable {
  const rows = db
    .prepare<[string | null, string | null], StallExportRow>(
      `SELECT st.id, p.code AS province_code, p.name AS province_name, c.code AS commune_code, c.name AS commune_name,
              si.id AS site_id, si.kind AS site_kind, si.name AS site_name, st.label, st.business_name, st.goods_category,
              st.status, st.refusal_reason, st.created_at, st.updated_at,
              (SELECT max(h.changed_at) FROM stall_status_history h WHERE h.stall_id = st.id) AS status_since,
              (SELECT min(h.changed_at) FROM stall_status_history h WHERE h.stall_id = st.id AND h.to_status = 'installed') AS installed_first_at
         FROM stalls st JOIN sites si ON si.id = st.site_id JOIN communes c ON c.code = si.commune_code
         JOIN provinces p ON p.code = c.province_code
        WHERE (? IS NULL OR p.code = ?)
        ORDER BY p.code, c.code, si.id, st.id`,
    )
    .all(filter.provinceCode ?? null, filter.provinceCode ?? null);
  return {
    sheetName: 'Sạp',
    columns: [
      { header: 'Mã tỉnh', width: 8 }, { header: 'Tỉnh/thành', width: 18 }, { header: 'Mã xã', width: 8 },
      { header: 'Xã/phường', width: 22 }, { header: 'Mã địa điểm', width: 10 }, { header: 'Loại địa điểm', width: 16 },
      { header: 'Địa điểm', width: 28 }, { header: 'Mã sạp', width: 8 }, { header: 'Số sạp', width: 12 },
      { header: 'Tên cơ sở', width: 28 }, { header: 'Nhóm hàng', width: 16 }, { header: 'Mã tình trạng', width: 12 },
      { header: 'Tình trạng', width: 18 }, { header: 'Lý do từ chối', width: 22 }, { header: 'Ngày đăng ký', width: 12 },
      { header: 'Tình trạng từ ngày', width: 12 }, { header: 'Dán mã lần đầu', width: 12 }, { header: 'Cập nhật', width: 12 },
    ],
    rows: rows.map((r) => [
      r.province_code, r.province_name, r.commune_code, r.commune_name, r.site_id, SITE_KIND_LABELS[r.site_kind], r.site_name,
      r.id, r.label, r.business_name, GOODS_CATEGORIES[r.goods_category], r.status, STALL_STATUS_LABELS[r.status],
      r.refusal_reason ? REFUSAL_REASON_LABELS[r.refusal_reason] : '', day(r.created_at), day(r.status_since),
      r.installed_first_at ? day(r.installed_first_at) : '', day(r.updated_at),
    ]),
  };
}

/** The date in Vietnam of an ISO timestamp, as YYYY-MM-DD for spreadsheets. */
function day(iso: string): string {
  return vietnamDate(new Date(iso));
}
