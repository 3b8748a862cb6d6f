/**
 * One name per thing: the words pages, stickers, PDFs, exports and the CLI use for the programme's things.
 * A buyer reads the sticker, a volunteer the stall page, a leader the export: when the same code is called two
 * names in two places, people ask whether it is two codes. Pure; views get these as `terms` (view-locals).
 * test/vocabulary/terms.test.ts scans views/ and src/ for the synonyms these replaced, so they stay gone.
 */
import { STICKER_FIELD_NAMES } from '../sticker-pdf/sticker-content.js';

export const TERMS = {
  /** The sticker's short code a buyer types or scans at /v to check it (stickers.verification_code). */
  verificationCode: STICKER_FIELD_NAMES.verificationCode,
  /** The sticker's serial, province-commune-sequence (stickers.serial); reads both as a field and printed. */
  stickerSerial: STICKER_FIELD_NAMES.serial,
  /** The VietQR payload's own checksum (field 63): a different thing, so a different name. */
  crc: 'Mã CRC (kiểm lỗi)',
  /** The role; lower case inside sentences, never abbreviated. */
  volunteer: 'tình nguyện viên',
  /** stalls.label: what the site calls the stall ("Sạp 12", "Ki-ốt A3", "số 45"). */
  stallLabel: 'Số sạp',
  /** stalls.owner_name. */
  ownerName: 'Họ tên chủ sạp',
  /** stall_accounts.holder_name: the name the bank app shows when paying. */
  holderName: 'Tên chủ tài khoản',
  /** stalls.phone, users.phone. */
  phone: 'Số điện thoại',
} as const;

export type StickerStatus = 'valid' | 'revoked' | 'replaced';

/** A sticker's status, as the public verify page says it and every page and badge repeats it. */
export const STICKER_STATUS_LABELS: Record<StickerStatus, string> = {
  valid: 'Mã hợp lệ',
  revoked: 'Mã đã thu hồi',
  replaced: 'Mã đã được thay',
};
