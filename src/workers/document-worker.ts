/**
 * The document pool's worker (see document-pool.ts): renders a meeting report or writes a table as CSV or
 * XLSX from plain data, on a worker thread. Its fonts are parsed once per thread, at its first report.
 */
import { toCsv, toXlsx } from '../exports/table.js';
import { renderAdoptionReport } from '../reports/render-adoption-report.js';
import type { DocumentResult, DocumentTask } from './document-pool.js';

export default async function renderDocument(task: DocumentTask): Promise<DocumentResult> {
  switch (task.kind) {
    case 'adoption-report': {
      const { pdf, layout } = await renderAdoptionReport(task.input, new Date(task.now));
      return { bytes: pdf, title: layout.title, tableShown: layout.table.shown };
    }
    case 'csv':
      return { bytes: Buffer.from(toCsv(task.table), 'utf8') };
    case 'xlsx':
      return { bytes: await toXlsx(task.table) };
  }
}
