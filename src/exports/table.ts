import writeXlsxFile from 'write-excel-file/node';
import { showHidden } from '../text/visible-text.js';

/** A table to export: Vietnamese headers for people, the same rows for CSV and XLSX. */
export interface ExportTable {
  readonly sheetName: string;
  readonly columns: readonly { readonly header: string; readonly width?: number }[];
  readonly rows: readonly (readonly (string | number | null)[])[];
}

/** Excel opens UTF-8 CSV as Windows-1258 unless it starts with a byte-order mark. */
const BOM = '\uFEFF';

/** Old rows' hidden characters leave visibly (see showHidden). */
function visible<T extends string | number | null>(value: T): T | string {
  return typeof value === 'string' ? showHidden(value) : value;
}

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(visible(value));
  // Quote what would break the row, and what Excel would run as a formula (CSV injection).
  const guarded = /^[=+\-@\t\r]/.test(text) && typeof value === 'string' ? `'${text}` : text;
  return /[",\r\n]/.test(guarded) || guarded !== text ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** RFC 4180 CSV with a BOM and CRLF line ends: what Excel and LibreOffice read correctly in Vietnamese. */
export function toCsv(table: ExportTable): string {
  const lines = [table.columns.map((c) => csvCell(c.header)), ...table.rows.map((row) => row.map(csvCell))];
  return BOM + lines.map((cells) => cells.join(',')).join('\r\n') + '\r\n';
}

export async function toXlsx(table: ExportTable): Promise<Buffer> {
  const header = table.columns.map((c) => ({ value: c.header, fontWeight: 'bold' as const }));
  const rows = table.rows.map((row) => row.map((value) => (value === null ? null : { value: visible(value) })));
  return writeXlsxFile([header, ...rows], {
    sheet: table.sheetName.slice(0, 31),
    columns: table.columns.map((c) => ({ width: c.width ?? 16 })),
    stickyRowsCount: 1,
  }).toBuffer();
}
