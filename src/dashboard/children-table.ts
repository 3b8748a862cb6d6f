import type { AdoptionChildren } from '../adoption/adoption-types.js';
import type { ExportTable } from '../exports/table.js';
import { SITE_KIND_LABELS } from '../vocabulary/site-kinds.js';
import { STALL_STATUS_LABELS } from '../vocabulary/stall-status.js';

const LEVEL_NAMES = { provinces: 'Tỉnh', communes: 'Xã', sites: 'Địa điểm', stalls: 'Sạp' } as const;

/** The dashboard's child table as an export: Vietnamese headers, codes beside names, one row per child. */
export function childrenTable(children: AdoptionChildren): ExportTable {
  if (children.level === 'stalls') {
    return {
      sheetName: 'Sạp',
      columns: [
        { header: 'Mã sạp', width: 8 },
        { header: 'Số sạp', width: 14 },
        { header: 'Mã tình trạng', width: 12 },
        { header: 'Tình trạng', width: 18 },
        { header: 'Từ ngày', width: 12 },
        { header: 'Tính đến', width: 12 },
      ],
      rows: children.rows.map((r) => [r.id, r.label, r.status, STALL_STATUS_LABELS[r.status], r.since, children.asOf]),
    };
  }
  return {
    sheetName: LEVEL_NAMES[children.level],
    columns: [
      { header: 'Mã', width: 8 },
      { header: LEVEL_NAMES[children.level], width: 28 },
      { header: 'Loại', width: 14 },
      { header: 'Sạp nhận QR', width: 12 },
      { header: 'Sạp đang kinh doanh', width: 14 },
      { header: 'Tỷ lệ (%)', width: 10 },
      { header: 'Chỉ tiêu (%)', width: 10 },
      { header: 'Chênh lệch (điểm %)', width: 14 },
      { header: 'Đạt', width: 8 },
      { header: 'Địa điểm đạt', width: 12 },
      { header: 'Tổng địa điểm', width: 12 },
      { header: 'Tính đến', width: 12 },
    ],
    rows: children.rows.map((r) => [
      r.key,
      r.name,
      r.siteKind ? SITE_KIND_LABELS[r.siteKind] : '',
      r.coverage.installed,
      r.coverage.census,
      r.coverage.percent,
      r.target.percent,
      r.target.gapPp,
      r.target.achieved ? 'đạt' : 'chưa đạt',
      r.sites.achieved,
      r.sites.total,
      children.asOf,
    ]),
  };
}
