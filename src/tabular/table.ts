import { parse } from 'csv-parse/sync';
import { readSheet } from 'read-excel-file/node';

/**
 * An uploaded spreadsheet (a list of users, a market board's list of stalls) as a table of text cells, from
 * the bytes of a CSV or XLSX file, with csv-parse and read-excel-file. CPU-heavy on a large or crafted file
 * (an XLSX is a zip of XML), so the app runs it in a worker thread (table-reader.ts, table-worker.ts); it is
 * kept apart so that it can also be called directly.
 */

export interface TableRequest {
  readonly bytes: Uint8Array;
  /** Records beyond this many (the header included) are not read: the answer says the file is too long. */
  readonly maxRecords: number;
  /** The XLSX sheet to read, by name; the first one when absent. */
  readonly sheet?: string;
  /**
   * A CSV that is not valid UTF-8 is read as Windows-1258 (what Excel saves as "CSV" on a Vietnamese Windows)
   * instead of being refused.
   */
  readonly windows1258?: boolean;
}

export type TableResult =
  | {
      readonly ok: true;
      readonly format: 'csv' | 'xlsx';
      /** For a CSV: the encoding it was read in. */
      readonly encoding?: 'utf-8' | 'windows-1258';
      readonly rows: string[][];
      /**
       * The [row, column] (from 0) of every XLSX cell that held a number rather than text: a number the
       * spreadsheet made of a long code (an account number in scientific notation, a lost leading zero).
       */
      readonly numericCells: (readonly [number, number])[];
    }
  | { readonly ok: false; readonly problem: string };

/** A cell longer than this is cut: no field of a user or a stall comes near it, and the checks then say so. */
const MAX_CELL_CHARACTERS = 1000;
/** An XLSX unpacks to its XML: a board's list is well under a megabyte of it; a zip bomb is refused unread. */
export const MAX_UNPACKED_XLSX_BYTES = 32 * 1024 * 1024;

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
  return String(value).slice(0, MAX_CELL_CHARACTERS).normalize('NFC');
}

/** A CSV's field separator: whichever of , ; or tab its header has most of (Excel saves ; in some locales). */
function csvDelimiter(text: string): string {
  const header = text.slice(0, text.search(/\r?\n|$/));
  const counts = [',', ';', '\t'].map((delimiter) => ({ delimiter, count: header.split(delimiter).length - 1 }));
  return counts.reduce((best, candidate) => (candidate.count > best.count ? candidate : best)).delimiter;
}

/**
 * The CSV's text: valid UTF-8 is UTF-8 (a legacy file of Vietnamese text is almost never valid UTF-8 by
 * chance), anything else Windows-1258 when allowed. Windows-1258 writes tones as combining marks after the
 * letter, so the text is NFC-normalised to the precomposed letters everything else stores.
 */
function decodeCsv(bytes: Uint8Array, windows1258: boolean): { text: string; encoding: 'utf-8' | 'windows-1258' } {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch (error) {
    if (!windows1258) throw error;
    return { text: new TextDecoder('windows-1258').decode(bytes).normalize('NFC'), encoding: 'windows-1258' };
  }
}

function readCsv(bytes: Uint8Array, maxRecords: number, windows1258: boolean): TableResult {
  let decoded;
  try {
    decoded = decodeCsv(bytes, windows1258);
  } catch {
    return {
      ok: false,
      problem: 'Tệp CSV không ở mã UTF-8. Trong Excel hãy chọn Lưu thành → “CSV UTF-8 (Comma delimited)”.',
    };
  }
  const { text, encoding } = decoded;
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
    return { ok: true, format: 'csv', encoding, rows: rows.map((row) => row.map(cellText)), numericCells: [] };
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    return {
      ok: false,
      problem: `Không đọc được tệp CSV${line ? ` (dòng ${line})` : ''}: kiểm tra dấu ngoặc kép và dấu phân cách.`,
    };
  }
}

/**
 * The sum of the uncompressed sizes in a zip's central directory, or undefined when there is none to read
 * (then the XLSX reader refuses the file itself). Read before unzipping anything.
 */
export function unpackedZipSize(bytes: Uint8Array): number | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record is in the last 22 + 65,535 bytes (its comment is at most that long).
  const lowest = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let at = bytes.length - 22; at >= lowest; at--) {
    if (view.getUint32(at, true) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) return undefined;
  const entries = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  let total = 0;
  for (let index = 0; index < entries; index++) {
    if (at + 46 > bytes.length || view.getUint32(at, true) !== 0x02014b50) return undefined;
    const size = view.getUint32(at + 24, true);
    // 0xffffffff: the size is in a zip64 field; count it as too large rather than read zip64 here.
    total += size === 0xffffffff ? Number.MAX_SAFE_INTEGER : size;
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
  }
  return total;
}

async function readXlsx(bytes: Uint8Array, maxRecords: number, sheet: string | undefined): Promise<TableResult> {
  const unpacked = unpackedZipSize(bytes);
  if (unpacked !== undefined && unpacked > MAX_UNPACKED_XLSX_BYTES) {
    const megabytes = MAX_UNPACKED_XLSX_BYTES / 1024 / 1024;
    return { ok: false, problem: `Tệp XLSX giải nén ra hơn ${megabytes} MB: hãy chia thành nhiều tệp nhỏ hơn.` };
  }
  let rows;
  try {
    const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    rows = sheet === undefined ? await readSheet(input) : await readSheet(input, sheet);
  } catch (error) {
    if ((error as Error).name === 'SheetNotFoundError') {
      return { ok: false, problem: `Tệp XLSX không có trang tính “${sheet}”.` };
    }
    return { ok: false, problem: 'Không đọc được tệp XLSX: tệp hỏng hoặc không phải bảng tính Excel.' };
  }
  if (rows.length > maxRecords) return tooLong(maxRecords);
  const numericCells: [number, number][] = [];
  rows.forEach((row, rowIndex) =>
    row.forEach((value, column) => {
      if (typeof value === 'number') numericCells.push([rowIndex, column]);
    }),
  );
  return { ok: true, format: 'xlsx', rows: rows.map((row) => row.map(cellText)), numericCells };
}

/** The table in the file: an XLSX (a zip) by its first bytes, a CSV otherwise. */
export async function readTable({ bytes, maxRecords, sheet, windows1258 }: TableRequest): Promise<TableResult> {
  if (bytes.length === 0) return { ok: false, problem: 'Tệp rỗng.' };
  if (startsWith(bytes, ZIP)) return readXlsx(bytes, maxRecords, sheet);
  if (startsWith(bytes, OLE)) {
    return { ok: false, problem: 'Tệp .xls kiểu cũ: hãy mở bằng Excel và lưu lại dưới dạng .xlsx hoặc CSV UTF-8.' };
  }
  return readCsv(bytes, maxRecords, windows1258 ?? false);
}
