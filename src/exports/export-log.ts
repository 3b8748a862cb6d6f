import { auditChanges } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import type { ExportLogEntry, ExportLogRepo } from './export-log-repo.js';

export type { ExportFormat } from './export-log-repo.js';

export interface ExportLogDeps {
  readonly repo: ExportLogRepo;
  readonly clock: Clock;
  readonly audit: AuditService;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
}

/** The audit action of an export, by what was exported: the stalls list, a PDF report, or a figures table. */
export function exportAction(what: string): 'export.stalls' | 'export.report' | 'export.table' {
  if (what === 'stalls') return 'export.stalls';
  return what.startsWith('adoption-report') ? 'export.report' : 'export.table';
}

/**
 * Records exports of registry data — who took what, in which format, for which scope, how many rows, and
 * when (the clock's now): the personal data law asks for it. Routes and the CLI get this service, not the
 * table.
 */
export function createExportLog({ repo, clock, audit, transaction }: ExportLogDeps) {
  return {
    /** The export_log row and its audit row, together or not at all. */
    record(entry: Omit<ExportLogEntry, 'at'>): Promise<void> {
      return transaction(async () => {
        await repo.insert({ at: clock.now().toISOString(), ...entry });
        await audit.record({
          actor: entry.by === null ? null : { id: entry.by },
          action: exportAction(entry.what),
          entity: 'export',
          changes: auditChanges(
            undefined,
            { what: entry.what, format: entry.format, scope: entry.scope, row_count: entry.rowCount },
            { plain: ['what', 'format', 'scope', 'row_count'] },
          ),
        });
      });
    },
  };
}

export type ExportLog = ReturnType<typeof createExportLog>;
