import { foldForSearch } from '../text/fold.js';
import { TERMS } from '../vocabulary/terms.js';
import { GOODS_CATEGORIES, isGoodsCategory, type GoodsCategory } from '../vocabulary/goods-categories.js';

/**
 * The columns of a market board's list of stalls: what each one means, the header names it is known by
 * (accents, case and punctuation do not matter), and the table's rows as import lines. Pure.
 */

export const STALL_IMPORT_FIELDS = [
  'label',
  'business_name',
  'owner_name',
  'phone',
  'goods_category',
  'bank',
  'account_number',
  'holder_name',
  'consent_date',
] as const;
export type StallImportField = (typeof STALL_IMPORT_FIELDS)[number];

/** The template's header for each field, as the page and the template show it. */
export const STALL_IMPORT_HEADERS: Record<StallImportField, string> = {
  label: TERMS.stallLabel,
  business_name: 'Tên cơ sở',
  owner_name: TERMS.ownerName,
  phone: TERMS.phone,
  goods_category: 'Nhóm hàng',
  bank: 'Ngân hàng',
  account_number: 'Số tài khoản',
  holder_name: TERMS.holderName,
  consent_date: 'Ngày đồng ý',
};

/** Other names a board's file uses, folded (no accents, lower case, punctuation as spaces). */
const ALIASES: Record<StallImportField, readonly string[]> = {
  label: ['so sap', 'sap', 'so kiot', 'kiot', 'ki ot', 'so ki ot', 'so nha', 'ma sap', 'so quay', 'label', 'stall'],
  business_name: ['ten co so', 'ten co so kinh doanh', 'ten cua hang', 'ten quay', 'co so', 'business name'],
  owner_name: ['ten chu ho', 'chu ho', 'ten chu sap', 'chu sap', 'ho ten chu sap', 'ho ten', 'ho va ten', 'owner'],
  phone: ['sdt', 'so dien thoai', 'dien thoai', 'so dt', 'dt', 'phone'],
  goods_category: ['nhom hang', 'mat hang', 'nganh hang', 'loai hang', 'goods category', 'category'],
  bank: ['ngan hang', 'ten ngan hang', 'bank'],
  account_number: ['so tai khoan', 'stk', 'so tk', 'tai khoan', 'account number', 'account'],
  holder_name: ['chu tai khoan', 'ten chu tai khoan', 'ten tai khoan', 'ten chu tk', 'account holder', 'holder'],
  consent_date: ['ngay dong y', 'dong y', 'ngay dong y luu thong tin', 'consent', 'consent date'],
};

export function isStallImportField(value: unknown): value is StallImportField {
  return typeof value === 'string' && (STALL_IMPORT_FIELDS as readonly string[]).includes(value);
}

export function headerKey(text: string): string {
  return foldForSearch(text.replace(/[_\-./()*:#]+/g, ' '));
}

/** The field a header names, or undefined when it is not one we know. */
export function recogniseHeader(header: string): StallImportField | undefined {
  const key = headerKey(header);
  return STALL_IMPORT_FIELDS.find(
    (field) => ALIASES[field].includes(key) || headerKey(STALL_IMPORT_HEADERS[field]) === key,
  );
}

/** What each column of the file is read as: a field, or null (skipped). */
export type ColumnMapping = readonly (StallImportField | null)[];

/** One column of the file's header as the mapping step shows it. */
export interface FileColumn {
  readonly index: number;
  readonly header: string;
  /** Found by its header; undefined: the importer chooses (or skips) it. */
  readonly recognised: StallImportField | undefined;
}

/** One row of the file under its header, by field, with its row number as the spreadsheet shows it. */
export interface ImportLine {
  /** Header = row 1 when it is the first row of the sheet. */
  readonly line: number;
  readonly cells: Partial<Record<StallImportField, string>>;
  /** Fields whose XLSX cell held a number, not text. */
  readonly numeric: readonly StallImportField[];
}

export interface StallTable {
  readonly columns: readonly FileColumn[];
  /** The rows under the header, each cell as text; blank rows already left out. */
  readonly rows: readonly { readonly line: number; readonly cells: readonly string[]; readonly numeric: number[] }[];
}

/** The header row (the first row with any text) and the rows under it; undefined when there is none. */
export function stallTableOf(
  rows: readonly (readonly string[])[],
  numericCells: readonly (readonly [number, number])[],
): StallTable | undefined {
  const headerIndex = rows.findIndex((row) => row.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) return undefined;
  const header = rows[headerIndex]!;
  const columns = header.map((text, index) => ({ index, header: text.trim(), recognised: recogniseHeader(text) }));
  const numeric = new Map<number, number[]>();
  for (const [row, column] of numericCells) numeric.set(row, [...(numeric.get(row) ?? []), column]);
  const body = rows
    .map((cells, index) => ({
      line: index + 1,
      cells: cells.map((cell) => cell.trim()),
      numeric: numeric.get(index) ?? [],
    }))
    .filter((row, index) => index > headerIndex && row.cells.some((cell) => cell !== ''));
  return { columns, rows: body };
}

/** The mapping of the recognised columns, each field taken by its first column only. */
export function defaultMapping(columns: readonly FileColumn[]): (StallImportField | null)[] {
  const taken = new Set<StallImportField>();
  return columns.map((column) => {
    if (!column.recognised || taken.has(column.recognised)) return null;
    taken.add(column.recognised);
    return column.recognised;
  });
}

/** The columns whose header we did not recognise and that hold something: the mapping step asks about them. */
export function unrecognisedColumns(table: StallTable): FileColumn[] {
  return table.columns.filter(
    (column) => !column.recognised && (column.header !== '' || table.rows.some((row) => row.cells[column.index])),
  );
}

/** A problem with the mapping itself (no label column, a field given twice), in words; undefined when fine. */
export function mappingProblem(mapping: ColumnMapping): string | undefined {
  if (!mapping.includes('label')) {
    const label = STALL_IMPORT_HEADERS.label;
    return `Thiếu cột ${label}: chọn cột nào là số sạp, hoặc thêm cột “${label}” vào tệp.`;
  }
  const twice = STALL_IMPORT_FIELDS.find((field) => mapping.filter((value) => value === field).length > 1);
  return twice ? `Cột “${STALL_IMPORT_HEADERS[twice]}” được chọn cho hai cột của tệp: chỉ chọn một.` : undefined;
}

/** The table's rows as import lines under a mapping. */
export function importLines(table: StallTable, mapping: ColumnMapping): ImportLine[] {
  return table.rows.map((row) => {
    const cells: Partial<Record<StallImportField, string>> = {};
    const numeric: StallImportField[] = [];
    mapping.forEach((field, index) => {
      if (!field) return;
      const value = row.cells[index] ?? '';
      if (value !== '') cells[field] = value;
      if (value !== '' && row.numeric.includes(index)) numeric.push(field);
    });
    return { line: row.line, cells, numeric };
  });
}

/** A goods category by its code or its label ("Rau củ", "rau cu", "hải sản" for "Cá, hải sản"). */
export function goodsCategoryOf(text: string): GoodsCategory | undefined {
  if (isGoodsCategory(text)) return text;
  const key = foldForSearch(text);
  const entries = Object.entries(GOODS_CATEGORIES) as [GoodsCategory, string][];
  return (
    entries.find(([, label]) => foldForSearch(label) === key)?.[0] ??
    entries.find(([, label]) => label.split(',').some((part) => foldForSearch(part) === key))?.[0]
  );
}

/**
 * A consent date as people write it (30/11/2026, 30-11-2026, 2026-11-30, or an Excel date cell read as
 * 2026-11-30), as YYYY-MM-DD; undefined when it is not a real date.
 */
export function consentDateOf(text: string): string | undefined {
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(text);
  const local = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(text);
  const [year, month, day] = iso
    ? [iso[1], iso[2], iso[3]].map(Number)
    : local
      ? [local[3], local[2], local[1]].map(Number)
      : [];
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}

/** Text a spreadsheet wrote for a number too long for it: 1.2E+13, 1,2E+13. */
export function looksLikeScientific(text: string): boolean {
  return /^\d+([.,]\d+)?e[+-]?\d+$/i.test(text.replace(/\s+/g, ''));
}
