import { crc16, crcHex } from './crc16.js';
import { foldToAscii } from './ascii.js';
import { lengthField, tlv } from './tlv.js';
import type { TransferService, VietQrInput } from './types.js';

/**
 * VietQR encoder (NAPAS v1.0 §5): canonical tag order 00 01 38 53 54 58 59 60 62 63, CRC-16/CCITT-FALSE
 * over everything up to and including "6304", uppercase hex. It validates every field and refuses what it
 * cannot encode faithfully — it never truncates, wraps a length or folds text behind the caller's back.
 */

export type EncodeErrorCode =
  | 'REQUIRED'
  | 'NON_ASCII'
  | 'TOO_LONG'
  | 'INVALID_FORMAT'
  | 'INVALID_AMOUNT'
  | 'AMOUNT_NEEDS_DYNAMIC'
  | 'INVALID_OPTION';

export type EncodeField = keyof VietQrInput;

/** Why a field cannot go into a code. `field` names the input property, for a message next to it. */
export class VietQrEncodeError extends Error {
  override readonly name = 'VietQrEncodeError';
  constructor(
    readonly field: EncodeField,
    readonly code: EncodeErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const NAPAS_GUID = 'A000000727';
export const MAX_ACCOUNT_LENGTH = 19;
export const MAX_AMOUNT_DIGITS = 13;
export const MAX_ADDITIONAL_LENGTH = 25;
export const MAX_MERCHANT_NAME_LENGTH = 25;
export const MAX_MERCHANT_CITY_LENGTH = 15;

/** Vietnamese labels, as the form shows them, for messages that name the field. */
const FIELD_LABELS: Readonly<Record<EncodeField, string>> = {
  bin: 'Mã BIN ngân hàng',
  account: 'Số tài khoản',
  service: 'Loại chuyển khoản',
  initiation: 'Loại mã',
  amount: 'Số tiền',
  purpose: 'Nội dung chuyển khoản',
  billNumber: 'Số hoá đơn',
  referenceLabel: 'Mã tham chiếu',
  merchantName: 'Tên đơn vị',
  merchantCity: 'Thành phố',
};

const TEXT_LIMITS = {
  purpose: MAX_ADDITIONAL_LENGTH,
  billNumber: MAX_ADDITIONAL_LENGTH,
  referenceLabel: MAX_ADDITIONAL_LENGTH,
  merchantName: MAX_MERCHANT_NAME_LENGTH,
  merchantCity: MAX_MERCHANT_CITY_LENGTH,
} as const;

type TextField = keyof typeof TEXT_LIMITS;

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isAlphanumeric(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** Empty optional text is "not given": forms send "" for a blank input. */
function given(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function checkBin(bin: unknown): VietQrEncodeError | null {
  if (!given(bin))
    return new VietQrEncodeError('bin', 'REQUIRED', 'Chưa có mã BIN ngân hàng (6 chữ số, ví dụ 970436).');
  const ok = typeof bin === 'string' && bin.length === 6 && isAllDigits(bin);
  if (ok) return null;
  return new VietQrEncodeError(
    'bin',
    'INVALID_FORMAT',
    `Mã BIN ngân hàng phải gồm đúng 6 chữ số; đã nhập “${String(bin)}”.`,
  );
}

function isAllDigits(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isDigit(text.charCodeAt(i))) return false;
  return text.length > 0;
}

function checkAccount(account: unknown, service: TransferService): VietQrEncodeError | null {
  const label = service === 'card' ? 'Số thẻ' : 'Số tài khoản';
  if (!given(account)) return new VietQrEncodeError('account', 'REQUIRED', `Chưa có ${label.toLowerCase()}.`);
  if (typeof account !== 'string')
    return new VietQrEncodeError('account', 'INVALID_FORMAT', `${label} phải là chuỗi ký tự.`);
  if (account.length > MAX_ACCOUNT_LENGTH) {
    return new VietQrEncodeError(
      'account',
      'TOO_LONG',
      `${label} dài ${account.length} ký tự; VietQR cho phép tối đa ${MAX_ACCOUNT_LENGTH}.`,
    );
  }
  for (let i = 0; i < account.length; i++) {
    const c = account.charCodeAt(i);
    if (service === 'card' ? !isDigit(c) : !isAlphanumeric(c)) {
      const allowed = service === 'card' ? 'chữ số' : 'chữ cái không dấu và chữ số';
      return new VietQrEncodeError(
        'account',
        'INVALID_FORMAT',
        `${label} chỉ được gồm ${allowed}, không có dấu cách hay ký tự khác; ` +
          `ký tự “${account.charAt(i)}” ở vị trí ${i + 1} không hợp lệ.`,
      );
    }
  }
  return null;
}

/** Why `amount` cannot be a VND amount on this code, or null. VND has no minor unit: positive integers only. */
function checkAmount(amount: unknown, initiation: unknown): VietQrEncodeError | null {
  if (!given(amount)) return null;
  const why = amountProblem(amount);
  if (why !== null) {
    return new VietQrEncodeError(
      'amount',
      why.tooLong ? 'TOO_LONG' : 'INVALID_AMOUNT',
      `Số tiền ${why.text}: phải là số nguyên dương (đồng), viết liền không dấu phân cách, ` +
        `tối đa ${MAX_AMOUNT_DIGITS} chữ số.`,
    );
  }
  if (initiation !== 'dynamic') {
    return new VietQrEncodeError(
      'amount',
      'AMOUNT_NEEDS_DYNAMIC',
      'Mã tĩnh (dán tại quầy, dùng cho nhiều lần trả) không được ghi sẵn số tiền; số tiền chỉ dùng cho mã động.',
    );
  }
  return null;
}

function amountProblem(amount: unknown): { text: string; tooLong?: true } | null {
  if (typeof amount === 'number') {
    if (!Number.isInteger(amount)) return { text: `“${amount}” không phải số nguyên` };
    if (amount <= 0) return { text: amount === 0 ? 'bằng 0' : `“${amount}” không dương` };
    if (amount > 9_999_999_999_999) return { text: `${amount} vượt quá ${MAX_AMOUNT_DIGITS} chữ số`, tooLong: true };
    return null;
  }
  if (typeof amount !== 'string') return { text: 'không đọc được' };
  if (!isAllDigits(amount)) return { text: `“${amount}” có ký tự không phải chữ số` };
  if (amount.charCodeAt(0) === 48) return { text: /^0+$/.test(amount) ? 'bằng 0' : `“${amount}” bắt đầu bằng số 0` };
  if (amount.length > MAX_AMOUNT_DIGITS) return { text: `“${amount}” dài ${amount.length} chữ số`, tooLong: true };
  return null;
}

/** Why an optional text field cannot go into the code, or null (also when it is not given). */
function checkText(field: TextField, value: unknown): VietQrEncodeError | null {
  if (!given(value)) return null;
  const label = FIELD_LABELS[field];
  if (typeof value !== 'string') return new VietQrEncodeError(field, 'INVALID_FORMAT', `${label} phải là chuỗi ký tự.`);
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      const folded = foldToAscii(value);
      const hint = folded !== value ? ` Gợi ý viết không dấu: “${folded}”.` : '';
      return new VietQrEncodeError(
        field,
        'NON_ASCII',
        `${label} có ký tự “${value.charAt(i)}” không được phép trong mã VietQR ` +
          `(chỉ chữ không dấu, chữ số và dấu câu thông thường).${hint}`,
      );
    }
  }
  const max = TEXT_LIMITS[field];
  if (value.length > max) {
    return new VietQrEncodeError(
      field,
      'TOO_LONG',
      `${label} dài ${value.length} ký tự; tối đa ${max}. Hãy rút gọn (mã không tự cắt bớt).`,
    );
  }
  return null;
}

function checkService(service: unknown): VietQrEncodeError | null {
  if (service === undefined || service === 'account' || service === 'card') return null;
  return new VietQrEncodeError(
    'service',
    'INVALID_OPTION',
    `Loại chuyển khoản phải là 'account' hoặc 'card'; nhận “${String(service)}”.`,
  );
}

function checkInitiation(initiation: unknown): VietQrEncodeError | null {
  if (initiation === undefined || initiation === 'static' || initiation === 'dynamic') return null;
  return new VietQrEncodeError(
    'initiation',
    'INVALID_OPTION',
    `Loại mã phải là 'static' hoặc 'dynamic'; nhận “${String(initiation)}”.`,
  );
}

/**
 * The checks, in the order fields appear on the form. One list serves both `encode` (stops at the first
 * error, allocating nothing when there is none) and `validateVietQrInput` (collects them all).
 */
const CHECKS: ReadonlyArray<(input: VietQrInput) => VietQrEncodeError | null> = [
  (input) => checkBin(input.bin),
  (input) => checkService(input.service),
  // An invalid service is reported above; the account is then checked as an account number.
  (input) => checkAccount(input.account, input.service === 'card' ? 'card' : 'account'),
  (input) => checkInitiation(input.initiation),
  (input) => checkAmount(input.amount, input.initiation),
  (input) => checkText('purpose', input.purpose),
  (input) => checkText('billNumber', input.billNumber),
  (input) => checkText('referenceLabel', input.referenceLabel),
  (input) => checkText('merchantName', input.merchantName),
  (input) => checkText('merchantCity', input.merchantCity),
];

const NO_INPUT = () => new VietQrEncodeError('bin', 'REQUIRED', 'Thiếu thông tin để tạo mã.');

/** Every reason the input cannot be encoded, in form order; empty when `encode` would succeed. */
export function validateVietQrInput(input: VietQrInput): VietQrEncodeError[] {
  if (input === null || typeof input !== 'object') return [NO_INPUT()];
  const errors: VietQrEncodeError[] = [];
  for (const check of CHECKS) {
    const error = check(input);
    if (error) errors.push(error);
  }
  return errors;
}

/** The payload for `input`, or throws the first `VietQrEncodeError` (its `field` names the culprit). */
export function encode(input: VietQrInput): string {
  if (input === null || typeof input !== 'object') throw NO_INPUT();
  for (let i = 0; i < CHECKS.length; i++) {
    const error = (CHECKS[i] as (input: VietQrInput) => VietQrEncodeError | null)(input);
    if (error) throw error;
  }
  return build(input);
}

/** Tag 54 as written: a checked amount's digits. */
function amountText(amount: number | string | undefined): string | null {
  if (!given(amount)) return null;
  return typeof amount === 'number' ? String(amount) : (amount as string);
}

/** Optional text as a TLV object, or '' when not given. */
function optional(id: string, value: string | undefined): string {
  return given(value) ? tlv(id, value as string) : '';
}

/** The payload of a checked input. */
function build(input: VietQrInput): string {
  const { bin, account } = input;
  const amount = amountText(input.amount);
  // 38/01 = 00 06 BIN + 01 LL account; 38 = 00 10 GUID + 01 LL (38/01) + 02 08 service.
  const beneficiaryLength = 10 + 4 + account.length;
  const templateLength = 14 + 4 + beneficiaryLength + 12;
  let payload =
    (input.initiation === 'dynamic' ? '000201010212' : '000201010211') +
    '38' +
    lengthField('38', templateLength) +
    '0010' +
    NAPAS_GUID +
    '01' +
    lengthField('38/01', beneficiaryLength) +
    '0006' +
    bin +
    '01' +
    lengthField('38/01/01', account.length) +
    account +
    (input.service === 'card' ? '0208QRIBFTTC' : '0208QRIBFTTA') +
    '5303704';
  if (amount !== null) payload += tlv('54', amount);
  payload += '5802VN' + optional('59', input.merchantName) + optional('60', input.merchantCity);
  const additional =
    optional('01', input.billNumber) + optional('05', input.referenceLabel) + optional('08', input.purpose);
  if (additional.length > 0) payload += tlv('62', additional);
  payload += '6304';
  return payload + crcHex(crc16(payload));
}
