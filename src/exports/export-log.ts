import type { Clock } from '../clock.js';
import type { ExportLogEntry, ExportLogRepo } from './export-log-repo.js';

export type { ExportFormat } from './export-log-repo.js';

/**
 * Records exports of registry data — who took what, in which format, for which scope, how many rows, and
 * when (the clock's now): the personal data law asks for it. Routes and the CLI get this service, not the
 * table.
 */
export function createExportLog(repo: ExportLogRepo, clock: Clock) {
  return {
    record(entry: Omit<ExportLogEntry, 'at'>): Promise<void> {
      return repo.insert({ at: clock.now().toISOString(), ...entry });
    },
  };
}

export type ExportLog = ReturnType<typeof createExportLog>;
