import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * SQL that differs between engines lives here, not in the repositories: today SQLite's, and the
 * PostgreSQL port answers the same calls with its own functions.
 */

/** `haystack` (a folded column) contains `needle` literally: no LIKE wildcards to escape. */
export function containsText(haystack: Expression<string>, needle: string): Expression<SqlBool> {
  return sql<SqlBool>`instr(${haystack}, ${needle}) > 0`;
}
