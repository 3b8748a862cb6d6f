import type { DataAccess } from '../db/data-access.js';

export type ExportFormat = 'csv' | 'xlsx' | 'pdf' | 'json';

export interface ExportLogEntry {
  readonly at: string;
  readonly by: number | null;
  readonly what: string;
  readonly format: ExportFormat;
  readonly scope: string;
  readonly rowCount: number;
}

/** The export log table: one row per export of registry data, never changed afterwards. */
export function createExportLogRepo(data: DataAccess) {
  return {
    async insert(entry: ExportLogEntry): Promise<void> {
      await data
        .db()
        .insertInto('export_log')
        .values({
          exported_at: entry.at,
          exported_by: entry.by,
          what: entry.what,
          format: entry.format,
          scope: entry.scope,
          row_count: entry.rowCount,
        })
        .execute();
    },
  };
}

export type ExportLogRepo = ReturnType<typeof createExportLogRepo>;
