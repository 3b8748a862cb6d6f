import type { SiteAreaRow } from '../adoption/adoption-types.js';
import { targetsLabel, type SiteBehind, type SitesBehind } from '../adoption/sites-behind.js';
import type { ReportBehind } from '../reports/adoption-report-layout.js';
import type { ExportTable } from '../exports/table.js';
import { SITE_KIND_LABELS } from '../vocabulary/site-kinds.js';

export { targetsLabel };

/**
 * The province column is shown only when the scope's sites lie in more than one province (a national
 * leader, a campaign across provinces); a province's leader knows which province they are in.
 */
export function spansProvinces(sites: readonly SiteAreaRow[]): boolean {
  const first = sites[0]?.province.code;
  return sites.some((site) => site.province.code !== first);
}

/** The sites-behind table as an export: every row, codes beside names, the same order as the page. */
export function sitesBehindTable(rows: readonly SiteBehind[], asOf: string): ExportTable {
  return {
    sheetName: 'Điểm chưa đạt',
    columns: [
      { header: 'TT', width: 6 },
      { header: 'Mã địa điểm', width: 10 },
      { header: 'Địa điểm', width: 32 },
      { header: 'Loại', width: 14 },
      { header: 'Mã xã', width: 8 },
      { header: 'Xã, phường', width: 24 },
      { header: 'Mã tỉnh', width: 8 },
      { header: 'Tỉnh, thành phố', width: 18 },
      { header: 'Sạp đang kinh doanh', width: 14 },
      { header: 'Sạp nhận QR', width: 12 },
      { header: 'Tỷ lệ (%)', width: 10 },
      { header: 'Chỉ tiêu (%)', width: 10 },
      { header: 'Chênh lệch (điểm %)', width: 14 },
      { header: 'Cần thêm (sạp)', width: 12 },
      { header: 'Hạn', width: 12 },
      { header: 'Tính đến', width: 12 },
    ],
    rows: rows.map(({ site, stallsNeeded }, i) => [
      i + 1,
      Number(site.key),
      site.name,
      site.siteKind ? SITE_KIND_LABELS[site.siteKind] : '',
      site.commune.code,
      site.commune.name,
      site.province.code,
      site.province.name,
      site.coverage.census,
      site.coverage.installed,
      site.coverage.percent,
      site.target.percent,
      site.target.gapPp,
      stallsNeeded,
      site.target.deadline ?? '',
      asOf,
    ]),
  };
}

/** Rows of the behind list the meeting report can hold (first page); the rest are "và N điểm khác". */
export const REPORT_BEHIND_ROWS = 12;

/** What the report prints of the behind list: plain data for the worker thread, the first rows only. */
export function reportBehind(behind: SitesBehind, showProvince: boolean, listUrl: string): ReportBehind {
  return {
    total: behind.rows.length,
    stallsNeeded: behind.stallsNeeded,
    notSurveyed: behind.notSurveyed,
    targets: targetsLabel(behind.targets),
    showProvince,
    listUrl,
    rows: behind.rows.slice(0, REPORT_BEHIND_ROWS).map(({ site, stallsNeeded }) => ({
      name: site.name,
      commune: site.commune.name,
      province: site.province.name,
      census: site.coverage.census,
      coverage: site.coverage.label,
      targetPercent: site.target.percent ?? site.coverage.targetPercent,
      stallsNeeded,
    })),
  };
}
