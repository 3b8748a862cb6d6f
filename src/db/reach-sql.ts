import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Reach } from '../vocabulary/reach.js';

/**
 * A reach as a WHERE condition on a site: its id and its commune code are the columns given. A province is
 * matched through the communes table, so the query needs no join for it. The whole country is `TRUE`; an
 * empty reach is `FALSE` (a user without a reach sees nothing).
 */
export function siteInReach(
  reach: Reach,
  columns: { siteId: Expression<number>; communeCode: Expression<string> },
): Expression<SqlBool> {
  if (reach.wholeCountry) return sql<SqlBool>`1 = 1`;
  const parts: Expression<SqlBool>[] = [];
  if (reach.sites.length > 0) parts.push(sql<SqlBool>`${columns.siteId} IN (${sql.join(reach.sites)})`);
  if (reach.communes.length > 0) {
    parts.push(sql<SqlBool>`${columns.communeCode} IN (${sql.join(reach.communes)})`);
  }
  if (reach.provinces.length > 0) {
    parts.push(
      sql<SqlBool>`${columns.communeCode} IN (SELECT code FROM communes WHERE province_code IN (${sql.join(
        reach.provinces,
      )}))`,
    );
  }
  if (parts.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}

/**
 * 1 when the site is in the reach, else 0, as a column: for warnings that name a record inside the reach and
 * only count one outside it ("đã đăng ký cho một sạp ngoài phạm vi bạn phụ trách").
 */
export function inReachFlag(
  reach: Reach,
  columns: { siteId: Expression<number>; communeCode: Expression<string> },
): RawBuilder<number> {
  return sql<number>`CASE WHEN ${siteInReach(reach, columns)} THEN 1 ELSE 0 END`;
}

/**
 * A reach as a WHERE condition on a commune it covers whole (its province or the commune itself): what the
 * commune picker offers, since only a whole commune can be given a site or granted to a volunteer.
 */
export function communeInReach(
  reach: Reach,
  columns: { communeCode: Expression<string>; provinceCode: Expression<string> },
): Expression<SqlBool> {
  if (reach.wholeCountry) return sql<SqlBool>`1 = 1`;
  const parts: Expression<SqlBool>[] = [];
  if (reach.communes.length > 0) parts.push(sql<SqlBool>`${columns.communeCode} IN (${sql.join(reach.communes)})`);
  if (reach.provinces.length > 0) {
    parts.push(sql<SqlBool>`${columns.provinceCode} IN (${sql.join(reach.provinces)})`);
  }
  if (parts.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(parts, sql` OR `)})`;
}
