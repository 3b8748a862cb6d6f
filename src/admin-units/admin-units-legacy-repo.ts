/**
 * TRANSITIONAL, to delete with the sites conversion (issue 10): the synchronous better-sqlite3 reads that
 * sites-service and sites-routes still build from `db` until they take the admin-units service
 * (`createAdminUnitsService`: the same results, async). Nothing new may import this file.
 */
import type { Db } from '../db/database.js';
import { foldForSearch } from '../text/fold.js';
import type { Commune, Province } from './admin-units-repo.js';

export type { Commune, Province } from './admin-units-repo.js';

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
