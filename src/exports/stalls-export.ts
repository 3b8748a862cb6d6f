import { vietnamDate } from '../calendar/calendar.js';
import { GOODS_CATEGORIES } from '../vocabulary/goods-categories.js';
import type { Reach } from '../vocabulary/reach.js';
import { REFUSAL_REASON_LABELS, STALL_STATUS_LABELS } from '../vocabulary/stall-status.js';
import { SITE_KIND_LABELS } from '../vocabulary/site-kinds.js';
import { TERMS } from '../vocabulary/terms.js';
import type { StallExportRow, StallsExportRepo } from './stalls-export-repo.js';
import type { ExportTable } from './table.js';

/**
 * Every stall of a reach with its site, commune, province, status and dates, codes beside names. Owner
 * names, phones and account numbers are left out: the figures upward do not need them, and the law asks for
 * no more. The reach is the exporter's; the CLI (`phoqr export stalls`) runs as the system, WHOLE_COUNTRY.
 */
export function createStallsExport(repo: StallsExportRepo) {
  return {
    async table(reach: Reach, filter: { provinceCode?: string } = {}): Promise<ExportTable> {
      return stallsExportTable(await repo.rows(reach, filter));
    },
  };
}

export type StallsExport = ReturnType<typeof createStallsExport>;

/** The export table of the rows (Vietnamese headers and labels beside the codes). */
export function stallsExportTable(rows: readonly StallExportRow[]): ExportTable {
  return {
    sheetName: 'Sạp',
    columns: [
      { header: 'Mã tỉnh', width: 8 },
      { header: 'Tỉnh/thành', width: 18 },
      { header: 'Mã xã', width: 8 },
      { header: 'Xã/phường', width: 22 },
      { header: 'Mã địa điểm', width: 10 },
      { header: 'Loại địa điểm', width: 16 },
      { header: 'Địa điểm', width: 28 },
      { header: 'Mã sạp', width: 8 },
      { header: TERMS.stallLabel, width: 12 },
      { header: 'Tên cơ sở', width: 28 },
      { header: 'Nhóm hàng', width: 16 },
      { header: 'Mã tình trạng', width: 12 },
      { header: 'Tình trạng', width: 18 },
      { header: 'Lý do từ chối', width: 22 },
      { header: 'Ngày đăng ký', width: 12 },
      { header: 'Tình trạng từ ngày', width: 12 },
      { header: 'Dán mã lần đầu', width: 12 },
      { header: 'Cập nhật', width: 12 },
    ],
    rows: rows.map((r) => [
      r.province_code,
      r.province_name,
      r.commune_code,
      r.commune_name,
      r.site_id,
      SITE_KIND_LABELS[r.site_kind],
      r.site_name,
      r.id,
      r.label,
      r.business_name,
      GOODS_CATEGORIES[r.goods_category],
      r.status,
      STALL_STATUS_LABELS[r.status],
      r.refusal_reason ? REFUSAL_REASON_LABELS[r.refusal_reason] : '',
      day(r.created_at),
      day(r.status_since),
      r.installed_first_at ? day(r.installed_first_at) : '',
      day(r.updated_at),
    ]),
  };
}

/** The date in Vietnam of an ISO timestamp, as YYYY-MM-DD for spreadsheets. */
function day(iso: string): string {
  return vietnamDate(new Date(iso));
}
