import { foldForSearch } from '../text/fold.js';
import type { NewUserLine } from '../users/users-service.js';
import { createTableReader } from '../tabular/table-reader.js';

/**
 * A list of new users from a CSV or XLSX file: the columns it must have (in English or Vietnamese), the
 * limits it is read within, and the preview's payload carried to the confirmation.
 */

/** A campaign's list is a few hundred people; a megabyte is thousands of lines. */
export const USER_LIST_MAX_BYTES = 1024 * 1024;
export const USER_LIST_MAX_LINES = 1000;
const MEGABYTES = USER_LIST_MAX_BYTES / 1024 / 1024;
export const USER_LIST_TOO_LARGE = `Tệp lớn hơn ${MEGABYTES} MB: hãy chia danh sách thành nhiều tệp nhỏ hơn.`;

type Column = 'username' | 'displayName' | 'phone' | 'reach';

/** Header names, folded (no accents, lower case, punctuation as spaces), of each column. */
const HEADERS: Record<Column, readonly string[]> = {
  username: ['username', 'user', 'login', 'ten dang nhap', 'tai khoan', 'ten tai khoan'],
  displayName: ['name', 'full name', 'display name', 'ho ten', 'ho va ten', 'ten', 'ten tinh nguyen vien'],
  phone: ['phone', 'phone number', 'mobile', 'so dien thoai', 'dien thoai', 'sdt', 'so dt', 'dt'],
  reach: ['reach', 'pham vi', 'dia ban', 'xa phuong', 'xa', 'phuong'],
};
const PASSWORD_HEADERS = ['password', 'mat khau'];

export const USER_LIST_COLUMNS_HELP =
  'Dòng đầu là tiêu đề: Tên đăng nhập (username), Họ tên (name), Số điện thoại (phone, không bắt buộc), ' +
  'Phạm vi (reach: commune:23575, nhiều đơn vị cách nhau bằng dấu ;, hoặc tên xã/phường).';

function headerKey(text: string): string {
  return foldForSearch(text.replace(/[_\-./()*:]+/g, ' '));
}

export type UserListRead =
  | { readonly lines: NewUserLine[]; readonly notes: string[]; readonly problem?: undefined }
  | { readonly problem: string };

/**
 * The lines of the table under its header row, each with its line number in the file. Columns are found by
 * their header, in any order; a password column is ignored (every new user gets a one-time password), other
 * unknown ones too, and both are noted; blank lines are skipped.
 */
export function linesFromTable(rows: readonly (readonly string[])[]): UserListRead {
  const headerIndex = rows.findIndex((row) => row.some((cell) => cell.trim() !== ''));
  if (headerIndex < 0) return { problem: 'Tệp không có dòng nào.' };
  const header = rows[headerIndex]!.map(headerKey);
  const columns = new Map<Column, number>();
  const notes: string[] = [];
  const unknown: string[] = [];
  header.forEach((key, index) => {
    const column = (Object.keys(HEADERS) as Column[]).find((name) => HEADERS[name].includes(key));
    if (column && !columns.has(column)) columns.set(column, index);
    else if (PASSWORD_HEADERS.includes(key)) {
      notes.push('Cột mật khẩu được bỏ qua: mỗi người được cấp một mật khẩu dùng một lần, in ở bước cuối.');
    } else if (key) unknown.push(rows[headerIndex]![index]!.trim());
  });
  const missing = [
    ...(columns.has('username') ? [] : ['Tên đăng nhập']),
    ...(columns.has('displayName') ? [] : ['Họ tên']),
  ];
  if (missing.length > 0) {
    return { problem: `Thiếu cột ${missing.join(', ')} ở dòng tiêu đề. ${USER_LIST_COLUMNS_HELP}` };
  }
  if (unknown.length > 0) notes.push(`Các cột không dùng đến: ${unknown.join(', ')}.`);
  if (!columns.has('reach')) notes.push('Tệp không có cột Phạm vi: mọi dòng lấy phạm vi chung đã chọn.');

  const cell = (row: readonly string[], column: Column) => {
    const index = columns.get(column);
    return index === undefined ? '' : (row[index] ?? '').trim();
  };
  const lines: NewUserLine[] = [];
  rows.forEach((row, index) => {
    if (index <= headerIndex || row.every((value) => value.trim() === '')) return;
    lines.push({
      line: index + 1,
      username: cell(row, 'username'),
      displayName: cell(row, 'displayName'),
      phone: cell(row, 'phone'),
      reach: cell(row, 'reach'),
    });
  });
  if (lines.length === 0) return { problem: 'Tệp chỉ có dòng tiêu đề, chưa có người nào.' };
  if (lines.length > USER_LIST_MAX_LINES) {
    return { problem: `Danh sách dài quá: tối đa ${USER_LIST_MAX_LINES} người mỗi lần.` };
  }
  return { lines, notes: [...new Set(notes)] };
}

/** Reads uploaded lists in a worker thread, within the limits above (src/tabular/table-reader.ts). */
export function createUserListReader() {
  const readTable = createTableReader({
    maxBytes: USER_LIST_MAX_BYTES,
    maxLines: USER_LIST_MAX_LINES,
    tooLarge: USER_LIST_TOO_LARGE,
  });
  return async function readUserList(bytes: Uint8Array): Promise<UserListRead> {
    const table = await readTable(bytes);
    return table.ok ? linesFromTable(table.rows) : { problem: table.problem };
  };
}

export type UserListReader = ReturnType<typeof createUserListReader>;

/** What the preview carries to the confirmation, in a hidden field: checked again there, as if uploaded anew. */
export interface UserListPayload {
  readonly role: string;
  readonly defaultReach: string;
  readonly lines: readonly NewUserLine[];
}

const MAX_PAYLOAD_TEXT = 1000;

export function encodeUserList(payload: UserListPayload): string {
  return JSON.stringify(payload);
}

const isShortText = (value: unknown): value is string => typeof value === 'string' && value.length <= MAX_PAYLOAD_TEXT;

/**
 * The payload back from the confirmation form, or undefined when it is not one (edited, cut, or forged): only
 * its shape is trusted here, the users service checks every line again before creating anyone.
 */
export function decodeUserList(text: unknown): UserListPayload | undefined {
  if (typeof text !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  const payload = value as Partial<Record<keyof UserListPayload, unknown>> | null;
  if (!payload || typeof payload !== 'object' || !isShortText(payload.role) || !isShortText(payload.defaultReach)) {
    return undefined;
  }
  const lines = payload.lines;
  if (!Array.isArray(lines) || lines.length === 0 || lines.length > USER_LIST_MAX_LINES) return undefined;
  const valid = lines.every((line: unknown) => {
    const item = line as Partial<Record<keyof NewUserLine, unknown>> | null;
    return (
      !!item &&
      typeof item === 'object' &&
      Number.isSafeInteger(item.line) &&
      (item.line as number) > 0 &&
      isShortText(item.username) &&
      isShortText(item.displayName) &&
      isShortText(item.phone) &&
      isShortText(item.reach)
    );
  });
  if (!valid) return undefined;
  return {
    role: payload.role,
    defaultReach: payload.defaultReach,
    lines: (lines as NewUserLine[]).map(({ line, username, displayName, phone, reach }) => ({
      line,
      username,
      displayName,
      phone,
      reach,
    })),
  };
}
