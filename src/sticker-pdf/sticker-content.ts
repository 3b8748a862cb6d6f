import type { TextSlotName } from './sticker-layout.js';

/** Everything printed on one sticker, as plain data: the caller (database, serials, /v/CODE) fills it in. */
export interface StickerData {
  /** The static VietQR payload (EMVCo string) the payment QR encodes. */
  readonly payload: string;
  /** e.g. "BIDV". */
  readonly bankShortName: string;
  /** e.g. "Ngân hàng TMCP Đầu tư và Phát triển Việt Nam". */
  readonly bankName: string;
  /** Digits as the bank gives them; printed grouped in fours. */
  readonly accountNumber: string;
  /** As bank apps show it: UPPERCASE without diacritics ("NGUYEN THI KIM DUNG"); printed as given. */
  readonly holderName: string;
  /** e.g. "Sạp 12 – Dãy B". */
  readonly stallLabel: string;
  readonly businessName: string;
  readonly siteName: string;
  /** e.g. "52-23575-000123". */
  readonly serial: string;
  /** e.g. "7KQ2M9": typed on the public verification page when the small QR cannot be scanned. */
  readonly verificationCode: string;
  /** e.g. "https://phoqr.example/v/7KQ2M9": what the small QR encodes. */
  readonly verificationUrl: string;
  /** The programme's help line, e.g. "Hỗ trợ: Đoàn phường Pleiku 0269 3824 567". */
  readonly helpLine: string;
}

export class StickerDataError extends Error {
  constructor(
    readonly field: keyof StickerData,
    message: string,
  ) {
    super(message);
    this.name = 'StickerDataError';
  }
}

export const STICKER_TITLE = 'QUÉT MÃ ĐỂ THANH TOÁN';
/**
 * The names of the two codes printed on the sticker. Pages, exports and the CLI use the same words through
 * src/vocabulary/terms.ts (which takes them from here: the sticker is where a buyer first reads them).
 */
export const STICKER_FIELD_NAMES = { serial: 'Số tem', verificationCode: 'Mã xác minh' } as const;

/** The serial as printed: "Số tem: 52-23575-000123" (field name, colon, value, like the verification code). */
export function printedSerial(serial: string): string {
  return `${STICKER_FIELD_NAMES.serial}: ${serial}`;
}

/** The verification code as printed: "Mã xác minh: 7KQ2M9AB". */
export function printedVerificationCode(code: string): string {
  return `${STICKER_FIELD_NAMES.verificationCode}: ${code}`;
}
export const HOLDER_CHECK = 'Kiểm tra đúng tên người nhận trước khi chuyển tiền';
/** Text only: the programme may not print bank or NAPAS logos. */
export const PAYMENT_NETWORK = 'VietQR · NAPAS 247';

/** "0011001234567" → "0011 0012 3456 7": groups of four from the left, as people read them aloud. */
export function groupAccountNumber(account: string): string {
  const compact = account.replace(/\s+/g, '');
  return compact.match(/.{1,4}/g)?.join(' ') ?? '';
}

/**
 * NFC and single spaces: decomposed input (NFD from some keyboards) would print the same
 * but extract and search differently.
 */
function clean(text: string): string {
  return text.normalize('NFC').replace(/\s+/g, ' ').trim();
}

/** The two QR texts must be present: a sticker without a code to scan is no sticker. */
export function assertPrintable(data: StickerData): void {
  if (clean(data.payload) === '') throw new StickerDataError('payload', 'Thiếu nội dung mã VietQR của tem.');
  if (clean(data.verificationUrl) === '')
    throw new StickerDataError('verificationUrl', 'Thiếu đường dẫn xác minh của tem.');
}

/** The words printed in each text slot of the layout. */
export function stickerTexts(data: StickerData): Record<TextSlotName, string> {
  return {
    title: STICKER_TITLE,
    holderName: clean(data.holderName),
    holderCheck: HOLDER_CHECK,
    bankShortName: clean(data.bankShortName),
    bankName: clean(data.bankName),
    account: groupAccountNumber(clean(data.accountNumber)),
    stallLabel: clean(data.stallLabel),
    businessName: clean(data.businessName),
    siteName: clean(data.siteName),
    serial: printedSerial(clean(data.serial)),
    verificationCode: printedVerificationCode(clean(data.verificationCode)),
    brand: PAYMENT_NETWORK,
    helpLine: clean(data.helpLine),
  };
}
