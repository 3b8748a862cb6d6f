/** The VietQR codec: pure functions over strings and plain data (no express, no database, no file system). */
export { encode, validateVietQrInput, VietQrEncodeError, NAPAS_GUID } from './encode.js';
export type { EncodeErrorCode, EncodeField } from './encode.js';
export { decode } from './decode.js';
export { cleanPastedCode } from './pasted.js';
export { decodeFailureWords } from './verdict-words.js';
export { recognise, describeLooksLike, embeddedPayloads, EXTRACTED_FROM_LINK_NOTE } from './recognise.js';
export type { LooksLike, Recognised } from './recognise.js';
export type { DecodeOptions } from './decode.js';
export { crc16, crcHex } from './crc16.js';
export { foldToAscii, isPrintableAscii, firstNonPrintableAscii } from './ascii.js';
export { createBankDirectory, parseBankEntries, BankDirectoryError } from './banks.js';
export type { BankDirectory, BankEntry } from './banks.js';
export { toBankHolderName, holderNamesMatch } from './holder-name.js';
export { PROBLEM_CODES } from './types.js';
export type {
  DecodeResult,
  Initiation,
  Problem,
  ProblemCode,
  TipOrFee,
  TransferService,
  Verdict,
  VietQrFields,
  VietQrInput,
} from './types.js';
export { qrMatrix, isDark, QUIET_ZONE } from './qr-matrix.js';
export type { QrMatrix, QrMatrixOptions, ErrorCorrection } from './qr-matrix.js';
export { qrRuns } from './qr-runs.js';
export type { QrRun } from './qr-runs.js';
export { qrSvg } from './qr-svg.js';
export type { QrSvgOptions } from './qr-svg.js';
