import { sql, type Expression, type SqlBool } from 'kysely';
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

/** The picker's candidates before ranking: communes (may repeat) and the old names that matched. */
export interface CommuneCandidates {
  /** The query was a code prefix: the communes are in code order and need no ranking. */
  readonly byCode: boolean;
  readonly communes: Commune[];
  readonly formerNames: { communeCode: string; oldName: string }[];
}

/** Escapes LIKE wildcards in user text so "50%" searches for a percent sign. */
function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function likeContains(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** Every folded word occurs somewhere in the column (LIKE with an explicit ESCAPE: standard SQL). */
function allWordsIn(column: Expression<string>, words: readonly string[]): Expression<SqlBool> {
  const parts = words.map((word) => sql<SqlBool>`${column} LIKE ${likeContains(word)} ESCAPE '\\'`);
  return sql<SqlBool>`(${sql.join(parts, sql` AND `)})`;
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

    /** The provinces of these communes: where a user whose reach names communes works. */
    async provincesOfCommunes(codes: readonly string[]): Promise<string[]> {
      if (codes.length === 0) return [];
      const rows = await data
        .db()
        .selectFrom('communes')
        .select('province_code')
        .distinct()
        .where('code', 'in', [...codes])
        .execute();
      return rows.map((row) => row.province_code);
    },

    /**
     * The commune picker's candidates (the service ranks them, src/admin-units/commune-ranking.ts): a code
     * prefix, or every word of the query in the current name or in ONE old name (table commune_mappings, which
     * also holds renames from admin-unit patches), optionally in one province and within a reach.
     *
     * Plain Kysely, no database-specific functions: three queries of at most `bound` rows each (names that start
     * with the query, names that hold every word, old names that hold every word), each with the preferred
     * provinces first, so the best answers are among the candidates however common the words are.
     */
    async communeCandidates(
      query: string,
      provinceCode: string | undefined,
      bound: number,
      within: Reach = WHOLE_COUNTRY,
      preferredProvinces: readonly string[] = [],
    ): Promise<CommuneCandidates> {
      const filters: Expression<SqlBool>[] = [];
      if (provinceCode) filters.push(sql<SqlBool>`c.province_code = ${provinceCode}`);
      if (!within.wholeCountry) {
        filters.push(
          communeInReach(within, { communeCode: sql.ref('c.code'), provinceCode: sql.ref('c.province_code') }),
        );
      }
      const scope = filters.length === 0 ? sql<SqlBool>`1 = 1` : sql<SqlBool>`${sql.join(filters, sql` AND `)}`;
      // The preferred provinces first inside every candidate query: the bound never cuts them off.
      const hasOwn = preferredProvinces.length > 0;
      const own = hasOwn ? [...preferredProvinces] : [''];
      const ownFirst = sql<number>`CASE WHEN c.province_code IN (${sql.join(own)}) THEN 0 ELSE 1 END`;

      const trimmed = query.trim();
      if (/^\d{2,5}$/.test(trimmed)) {
        const rows = await communes()
          .where(scope)
          .where('c.code', 'like', `${trimmed}%`)
          .orderBy('c.code')
          .limit(bound)
          .execute();
        return { byCode: true, communes: rows, formerNames: [] };
      }

      const words = searchWords(query);
      if (words.length === 0) {
        const rows = await communes()
          .where(scope)
          .$if(hasOwn, (q) => q.orderBy(ownFirst))
          .orderBy('c.name_folded')
          .orderBy('c.code')
          .limit(bound)
          .execute();
        return { byCode: false, communes: rows, formerNames: [] };
      }

      const phrase = words.join(' ');
      const starts = ['', 'phuong ', 'xa ', 'dac khu '].map(
        (type) => sql<SqlBool>`c.name_folded LIKE ${`${escapeLike(type + phrase)}%`} ESCAPE '\\'`,
      );
      const byStart = communes()
        .where(scope)
        .where(sql<SqlBool>`(${sql.join(starts, sql` OR `)})`)
        .$if(hasOwn, (q) => q.orderBy(ownFirst))
        .orderBy('c.name_folded')
        .limit(bound)
        .execute();
      const byWords = communes()
        .where(scope)
        .where(allWordsIn(sql.ref('c.name_folded'), words))
        .$if(hasOwn, (q) => q.orderBy(ownFirst))
        .orderBy('c.name_folded')
        .limit(bound)
        .execute();
      const byOldName = communes()
        .innerJoin('commune_mappings as m', 'm.new_commune_code', 'c.code')
        .select('m.old_name')
        .where(scope)
        .where(allWordsIn(sql.ref('m.old_name_folded'), words))
        .$if(hasOwn, (q) => q.orderBy(ownFirst))
        .orderBy('c.name_folded')
        .limit(bound)
        .execute();

      const [started, worded, formerRows] = await Promise.all([byStart, byWords, byOldName]);
      return {
        byCode: false,
        communes: [...started, ...worded, ...formerRows.map(({ old_name: _oldName, ...commune }) => commune)],
        formerNames: formerRows.map((row) => ({ communeCode: row.code, oldName: row.old_name })),
      };
    },
  };
}

export type AdminUnitsRepo = ReturnType<typeof createAdminUnitsRepo>;
