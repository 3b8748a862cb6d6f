import type { Db } from '../db/database.js';
import { foldForSearch } from '../text/fold.js';

export interface Province {
  code: string;
  name: string;
  unit_type: 'tinh' | 'thanh_pho';
}

export interface Commune {
  code: string;
  name: string;
  unit_type: 'xa' | 'phuong' | 'dac_khu';
  province_code: string;
  province_name: string;
}

/** Escapes LIKE wildcards in user text so "50%" searches for a percent sign. */
function likeContains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export function createAdminUnitsRepo(db: Db) {
  const provinces = db.prepare<[], Province>('SELECT code, name, unit_type FROM provinces ORDER BY name_folded');
  const province = db.prepare<[string], Province>('SELECT code, name, unit_type FROM provinces WHERE code = ?');
  const commune = db.prepare<[string], Commune>(
    `SELECT c.code, c.name, c.unit_type, c.province_code, p.name AS province_name
       FROM communes c JOIN provinces p ON p.code = c.province_code WHERE c.code = ?`,
  );

  return {
    listProvinces: () => provinces.all(),
    findProvince: (code: string) => province.get(code),
    findCommune: (code: string) => commune.get(code),

    /**
     * Communes whose folded name contains every word of the query (or whose code starts with it),
     * optionally in one province; exact word-start matches rank first. An old (pre-2025) commune name
     * also finds the commune that holds it now.
     */
    searchCommunes(query: string, provinceCode: string | undefined, limit: number): Commune[] {
      const words = foldForSearch(query).split(' ').filter(Boolean);
      const params: (string | number)[] = [];
      const where: string[] = [];
      if (/^\d{2,5}$/.test(query.trim())) {
        where.push('c.code LIKE ?');
        params.push(`${query.trim()}%`);
      } else {
        for (const word of words) {
          where.push(`(c.name_folded LIKE ? ESCAPE '\\' OR c.code IN (
            SELECT m.new_commune_code FROM commune_mappings m WHERE m.old_name_folded LIKE ? ESCAPE '\\'))`);
          params.push(likeContains(word), likeContains(word));
        }
      }
      if (provinceCode) {
        where.push('c.province_code = ?');
        params.push(provinceCode);
      }
      const first = words[0] ?? '';
      const sql = `SELECT c.code, c.name, c.unit_type, c.province_code, p.name AS province_name
          FROM communes c JOIN provinces p ON p.code = c.province_code
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY (instr(' ' || substr(c.name_folded, instr(c.name_folded, ' ') + 1), ' ' || ?) = 1) DESC,
                  c.name_folded, c.code
         LIMIT ?`;
      return db.prepare<(string | number)[], Commune>(sql).all(...params, first, limit);
    },
  };
}

export type AdminUnitsRepo = ReturnType<typeof createAdminUnitsRepo>;

export const COMMUNE_TYPE_LABELS: Record<Commune['unit_type'], string> = {
  xa: 'Xã',
  phuong: 'Phường',
  dac_khu: 'Đặc khu',
};
