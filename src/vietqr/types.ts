import type { BankEntry } from './banks.js';
import type { LooksLike } from './recognise.js';

/** Static (tag 01 = "11"): one code for many payments, the sticker. Dynamic ("12"): one payment. */
export type Initiation = 'static' | 'dynamic';

/** Transfer to an account number (service code QRIBFTTA) or to a card number (QRIBFTTC). */
export type TransferService = 'account' | 'card';

/**
 * What the encoder takes. Text must already be printable ASCII: fold Vietnamese with `foldToAscii` and
 * show the result to the user first; the encoder refuses rather than changing what the payer will see.
 */
export interface VietQrInput {
  /** 6-digit acquirer BIN (38/01/00), e.g. "970436"; not necessarily 9704xx. */
  bin: string;
  /** Account or card number (38/01/01): 1–19 letters or digits; digits only for a card. */
  account: string;
  /** Default 'account'. */
  service?: TransferService;
  /** Default 'static'. An amount is only accepted on a dynamic code: a sticker must not fix a price. */
  initiation?: Initiation;
  /** VND, a positive integer of at most 13 digits: 50000 or "50000"; never "50.000" or "50000.5". */
  amount?: number | string;
  /** Transfer memo (62/08) that bank apps pre-fill; at most 25 characters. */
  purpose?: string;
  /** 62/01, at most 25 characters. */
  billNumber?: string;
  /** 62/05, at most 25 characters (MoMo wallets need MOMOW2W… here). */
  referenceLabel?: string;
  /** 59, at most 25 characters. Bank apps do not show it for transfers (they look the holder up). */
  merchantName?: string;
  /** 60, at most 15 characters. */
  merchantCity?: string;
}

/** What `decode` returns for a valid VietQR transfer code. Absent values are null, never undefined. */
export interface VietQrFields {
  initiation: Initiation;
  bin: string;
  /** The participant for this BIN in the directory passed to `decode`, or null (unknown BIN, no directory). */
  bank: BankEntry | null;
  account: string;
  service: TransferService;
  /** Tag 54 exactly as written (e.g. "50000", or the legal but odd "50000."); null when the payer types it. */
  amount: string | null;
  /** 62/08. */
  purpose: string | null;
  /** 62/01. */
  billNumber: string | null;
  /** 62/05. */
  referenceLabel: string | null;
  /** 59. */
  merchantName: string | null;
  /** 60. */
  merchantCity: string | null;
  /** Every other 62 sub-field, keyed by its 2-digit ID ("02", "03", "07", "09", "50"…). */
  additional: Record<string, string>;
  /** 55/56/57 (EMVCo tip or convenience fee), or null when the code asks for neither. */
  tipOrFee: TipOrFee | null;
  /** Root tags this decoder does not interpret (52, 61, 64–99, other networks' 02–51), raw, by ID. */
  unknown: Record<string, string>;
}

/**
 * EMVCo MPM 55/56/57: "01" the payer's app prompts for a tip; "02" a fixed convenience fee (56, an
 * amount); "03" a percentage fee (57, "00.01"–"99.99"). `value` is 56 or 57 as written, null for a tip.
 */
export interface TipOrFee {
  kind: 'tip_prompt' | 'fixed_fee' | 'percentage_fee';
  value: string | null;
}

/** One thing wrong with a payload: a stable code for programs, a Vietnamese message for people. */
export interface Problem {
  code: ProblemCode;
  message: string;
  /** Where: "root", a tag ("54"), a template path ("38/01/01", "62/08"). */
  path?: string;
  /** NOT_EMV only: what the text looks like instead (a MoMo link, a Wi-Fi code, a phone number…). */
  lookslike?: LooksLike;
}

/**
 * 'vietqr': a valid VietQR transfer code. 'not_vietqr': a sound EMV payment code of another scheme
 * (VNPAY-QR, a foreign QR, a NAPAS QRPUSH/QRCASH code), or no EMV code at all (a link, a phone number, a
 * Wi-Fi code: problem NOT_EMV); told apart so the UI can say "this is not a bank transfer code" instead
 * of "damaged". 'invalid': damaged or non-conforming.
 */
export type Verdict = 'vietqr' | 'not_vietqr' | 'invalid';

/**
 * Set when the code was taken out of a link (a "qr=" parameter, a path segment), and only then: `payload`
 * is the EMV code that was decoded, so a UI can say "Đã lấy mã VietQR từ trong liên kết." and show it.
 */
export interface Extracted {
  extractedFrom?: 'url';
  payload?: string;
}

export type DecodeResult =
  | ({ valid: true; verdict: 'vietqr'; fields: VietQrFields; problems: [] } & Extracted)
  | ({
      valid: false;
      verdict: 'not_vietqr' | 'invalid';
      fields: Partial<VietQrFields>;
      problems: Problem[];
    } & Extracted);

export const PROBLEM_CODES = [
  'NOT_A_STRING',
  'EMPTY_INPUT',
  'NON_ASCII',
  'CONTROL_CHARACTER',
  'CRC_MISSING',
  'CRC_INVALID_FORMAT',
  'CRC_MISMATCH',
  'CRC_NOT_LAST',
  'TLV_HEADER_INVALID',
  'LENGTH_OVERRUN',
  'TRAILING_DATA',
  'ZERO_LENGTH',
  'DUPLICATE_TAG',
  'FORMAT_INDICATOR_NOT_FIRST',
  'FORMAT_INDICATOR_INVALID',
  'INITIATION_MISSING',
  'INITIATION_INVALID',
  'CURRENCY_MISSING',
  'CURRENCY_INVALID',
  'COUNTRY_MISSING',
  'COUNTRY_INVALID',
  'AMOUNT_INVALID',
  'MCC_INVALID',
  'FIELD_TOO_LONG',
  'CONSUMER_DATA_REQUEST_INVALID',
  'NOT_VIETQR',
  'GUID_MISSING',
  'BENEFICIARY_MISSING',
  'BIN_MISSING',
  'BIN_INVALID',
  'ACCOUNT_MISSING',
  'ACCOUNT_INVALID',
  'UNEXPECTED_TAG',
  'SERVICE_MISSING',
  'SERVICE_UNSUPPORTED',
  // Added with issue 14; the codes above keep their meaning.
  'NOT_EMV',
  'TIP_INDICATOR_INVALID',
  'CONVENIENCE_FEE_INVALID',
  'CONVENIENCE_FEE_MISMATCH',
  'LANGUAGE_TEMPLATE_INVALID',
] as const;

export type ProblemCode = (typeof PROBLEM_CODES)[number];
