import type { Db } from '../db/database.js';

export type ExportFormat = 'csv' | 'xlsx' | 'pdf' | 'json';

/** Records an export of registry data: the personal data law asks who took what and when. */
export function logExport(
  db: Db,
  entry: { at: string; by: number | null; what: string; format: ExportFormat; scope: string; rowCount: number },
): void {
  db.prepare(
    'INSERT INTO export_log (exported_at, exported_by, what, format, scope, row_count) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(entry.at, entry.by, entry.what, entry.format, entry.scope, entry.rowCount);
}
