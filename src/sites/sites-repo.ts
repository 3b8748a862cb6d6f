import type { Db } from '../db/database.js';
import { emptyStatusCounts, type StatusCounts } from '../vocabulary/coverage.js';
import type { StallStatus } from '../vocabulary/stall-status.js';
import type { SiteKind } from '../vocabulary/site-kinds.js';

export interface SiteRow {
  id: number;
  kind: SiteKind;
  name: string;
  commune_code: string;
  commune_name: string;
  province_code: string;
  province_name: string;
  address: string;
  target_percent: number;
  launched_on: string | null;
  target_deadline: string | null;
  note: string;
  created_at: string;
  updated_at: string;
}

export interface SiteFilters {
  provinceCode?: string;
  communeCode?: string;
  kind?: SiteKind;
  /** Folded words; a site matches when its folded name or commune name contains each. */
  words?: string[];
}

export interface SiteValues {
  kind: SiteKind;
  name: string;
  communeCode: string;
  address: string;
  targetPercent: number;
  launchedOn: string | null;
  targetDeadline: string | null;
  note: string;
}

const SELECT_SITE = `
  SELECT s.id, s.kind, s.name, s.commune_code, c.name AS commune_name, c.province_code, p.name AS province_name,
         s.address, s.target_percent, s.launched_on, s.target_deadline, s.note, s.created_at, s.updated_at
    FROM sites s
    JOIN communes c ON c.code = s.commune_code
    JOIN provinces p ON p.code = c.province_code`;

export function createSitesRepo(db: Db) {
  const byId = db.prepare<[number], SiteRow>(`${SELECT_SITE} WHERE s.id = ?`);
  const insert = db.prepare(
    `INSERT INTO sites (kind, name, name_folded, commune_code, address, target_percent, launched_on, target_deadline, note,
                        created_at, created_by, updated_at, updated_by)
     VALUES (@kind, @name, @nameFolded, @communeCode, @address, @targetPercent, @launchedOn, @targetDeadline, @note,
             @at, @by, @at, @by)`,
  );
  const update = db.prepare(
    `UPDATE sites SET kind = @kind, name = @name, name_folded = @nameFolded, commune_code = @communeCode,
            address = @address, target_percent = @targetPercent, launched_on = @launchedOn, target_deadline = @targetDeadline,
            note = @note,
            updated_at = @at, updated_by = @by
      WHERE id = @id`,
  );
  const countsForSite = db.prepare<[number], { status: StallStatus; n: number }>(
    'SELECT status, count(*) AS n FROM stalls WHERE site_id = ? GROUP BY status',
  );
  const countsBySite = db.prepare<[], { site_id: number; status: StallStatus; n: number }>(
    'SELECT site_id, status, count(*) AS n FROM stalls GROUP BY site_id, status',
  );

  return {
    findById: (id: number) => byId.get(id),

    list(filters: SiteFilters): SiteRow[] {
      const where: string[] = [];
      const params: string[] = [];
      if (filters.provinceCode) {
        where.push('c.province_code = ?');
        params.push(filters.provinceCode);
      }
      if (filters.communeCode) {
        where.push('s.commune_code = ?');
        params.push(filters.communeCode);
      }
      if (filters.kind) {
        where.push('s.kind = ?');
        params.push(filters.kind);
      }
      for (const word of filters.words ?? []) {
        where.push("(instr(s.name_folded, ?) > 0 OR instr(c.name_folded, ?) > 0)");
        params.push(word, word);
      }
      const sql = `${SELECT_SITE} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY p.name_folded, c.name_folded, s.name_folded`;
      return db.prepare<string[], SiteRow>(sql).all(...params);
    },

    insert(values: SiteValues & { nameFolded: string; at: string; by: number }): number {
      return Number(insert.run(values).lastInsertRowid);
    },

    update(id: number, values: SiteValues & { nameFolded: string; at: string; by: number }): void {
      update.run({ ...values, id });
    },

    statusCounts(siteId: number): StatusCounts {
      const counts = emptyStatusCounts();
      for (const row of countsForSite.all(siteId)) counts[row.status] = row.n;
      return counts;
    },

    /** Status counts of every site in one grouped scan (served by the (site_id, status) index). */
    statusCountsBySite(): Map<number, StatusCounts> {
      const bySite = new Map<number, StatusCounts>();
      for (const row of countsBySite.all()) {
        const counts = bySite.get(row.site_id) ?? emptyStatusCounts();
        counts[row.status] = row.n;
        bySite.set(row.site_id, counts);
      }
      return bySite;
    },
  };
}

export type SitesRepo = ReturnType<typeof createSitesRepo>;
