import { sql } from 'kysely';
import type { DataAccess } from '../db/data-access.js';
import { communeInReach } from '../db/reach-sql.js';
import { WHOLE_COUNTRY, type Reach } from '../vocabulary/reach.js';
import { searchWords } from '../text/search-query.js';

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

export function createAdminUnitsRepo(data: DataAccess) {
  // Units a patch retired (merged, split, removed: migrations/0029) keep their codes but are no longer offered.
  const provinces = () =>
    data.db().selectFrom('provinces').select(['code', 'name', 'unit_type']).where('retired_on', 'is', null);
  const communes = () =>
    data
      .db()
      .selectFrom('communes as c')
      .innerJoin('provinces as p', 'p.code', 'c.province_code')
      .select(['c.code', 'c.name', 'c.unit_type', 'c.province_code', 'p.name as province_name'])
      .where('c.retired_on', 'is', null);

  return {
    listProvinces: (): Promise<Province[]> => provinces().orderBy('name_folded').execute(),
    findProvince: (code: string): Promise<Province | undefined> =>
      provinces().where('code', '=', code).executeTakeFirst(),
    findCommune: (code: string): Promise<Commune | undefined> =>
      communes().where('c.code', '=', code).executeTakeFirst(),

    /**
     * Communes whose folded name contains every word of the query (or whose code starts with it),
     * optionally in one province; exact word-start matches rank first. An old (pre-2025) commune name
     * also finds the commune that holds it now.
     */
    /** Every word of the query (or a code prefix), optionally in one province and within a reach, best first. */
    searchCommunes(
      query: string,
      provinceCode: string | undefined,
      limit: number,
      within: Reach = WHOLE_COUNTRY,
    ): Promise<Commune[]> {
      const words = searchWords(query);
      let select = communes();
      if (/^\d{2,5}$/.test(query.trim())) {
        select = select.where('c.code', 'like', `${query.trim()}%`);
      } else {
        for (const word of words) {
          const pattern = likeContains(word);
          select = select.where(sql<boolean>`(c.name_folded LIKE ${pattern} ESCAPE '\\' OR c.code IN (
            SELECT m.new_commune_code FROM commune_mappings m WHERE m.old_name_folded LIKE ${pattern} ESCAPE '\\'))`);
        }
      }
      if (provinceCode) select = select.where('c.province_code', '=', provinceCode);
      if (!within.wholeCountry) {
        select = select.where((eb) =>
          communeInReach(within, { communeCode: eb.ref('c.code'), provinceCode: eb.ref('c.province_code') }),
        );
      }
      const first = words[0] ?? '';
      return select
        .orderBy(sql`(instr(' ' || substr(c.name_folded, instr(c.name_folded, ' ') + 1), ' ' || ${first}) = 1)`, 'desc')
        .orderBy('c.name_folded')
        .orderBy('c.code')
        .limit(limit)
        .execute();
    },
  };
}

export type AdminUnitsRepo = ReturnType<typeof createAdminUnitsRepo>;
