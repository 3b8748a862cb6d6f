import { parse } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';

/**
 * A list of users as a table of text cells, from the bytes of a CSV or XLSX file, with csv-parse and
 * read-excel-file. CPU-heavy on a large or crafted file (an XLSX is a zip of XML), so the app runs it in a
 * worker thread (user-list-worker.ts); it is kept apart so that it can also be called directly.
 */

export interface TableRequest {
  readonly bytes: Uint8Array;
  /** Records beyond this many (the header included) are not read: the answer says the file is too long. */
  readonly maxRecords: number;
}

export type TableResult =
  | { readonly ok: true; readonly format: 'csv' | 'xlsx'; readonly rows: string[][] }
  | { readonly ok: false; readonly problem: string };

/** A cell longer than this is cut: no field of a user comes near it, and the checks then say what is wrong. */
const MAX_CELL_CHARACTERS = 1000;

const ZIP = [0x50, 0x4b, 0x03, 0x04];
/** The old binary Excel format (.xls): an OLE compound file. */
const OLE = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(bytes: Uint8Array, magic: readonly number[]): boolean {
  return magic.every((byte, index) => bytes[index] === byte);
}

function tooLong(maxRecords: number): TableResult {
  return { ok: false, problem: `Danh sách dài quá: tối đa ${maxRecords - 1} dòng mỗi lần (chưa kể dòng tiêu đề).` };
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value).slice(0, MAX_CELL_CHARACTERS);
}

/** A CSV's field separator: whichever of , ; or tab its header has most of (Excel saves ; in some locales). */
function csvDelimiter(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((delimiter) => ({ delimiter, count: header.split(delimiter).length - 1 }));
  return counts.reduce((best, candidate) => (candidate.count > best.count ? candidate : best)).delimiter;
}

function readCsv(bytes: Uint8Array, maxRecords: number): TableResult {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return {
      ok: false,
      problem: 'Tệp CSV không ở mã UTF-8. Trong Excel hãy chọn Lưu thành → “CSV UTF-8 (Comma delimited)”.',
    };
  }
  try {
    const rows = parse(text, {
      bom: true,
      delimiter: csvDelimiter(text.replace(/^\uFEFF/, '')),
      relax_column_count: true,
      relax_quotes: true,
      trim: true,
      max_record_size: 64 * 1024,
      to: maxRecords + 1,
    });
    if (rows.length > maxRecords) return tooLong(maxRecords);
    return { ok: true, format: 'csv', rows: rows.map((row) => row.map(cellText)) };
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return {
      ok: false,
      problem: `Không đọc được tệp CSV${line ? ` (dòng ${line})` : ''}: kiểm tra dấu ngoặc kép và dấu phân cách.`,
    };
  }
}

async function readXlsx(bytes: Uint8Array, maxRecords: number): Promise<TableResult> {
  let rows;
  try {
    rows = await readSheet(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
  } catch {
    return { ok: false, problem: 'Không đọc được tệp XLSX: tệp hỏng hoặc không phải bảng tính Excel.' };
  }
  if (rows.length > maxRecords) return tooLong(maxRecords);
  return { ok: true, format: 'xlsx', rows: rows.map((row) => row.map(cellText)) };
}

/** The table in the file: an XLSX (a zip) by its first bytes, a UTF-8 CSV otherwise. */
export async function readTable({ bytes, maxRecords }: TableRequest): Promise<TableResult> {
  if (bytes.length === 0) return { ok: false, problem: 'Tệp rỗng.' };
  if (startsWith(bytes, ZIP)) return readXlsx(bytes, maxRecords);
  if (startsWith(bytes, OLE)) {
    return { ok: false, problem: 'Tệp .xls kiểu cũ: hãy mở bằng Excel và lưu lại dưới dạng .xlsx hoặc CSV UTF-8.' };
  }
  return readCsv(bytes, maxRecords);
}
