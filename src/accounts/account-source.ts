import { ValidationError, type FieldErrors } from '../http/errors.js';
import type { UploadedPhoto } from '../http/multipart.js';
import { TEXT_FIELDS } from '../http/text-fields.js';
import { checkedText, textField, type FormInput } from '../http/validate.js';
import type { PhotoReader } from '../qr-photo/photo-reader.js';
import type { BankDirectory, BankEntry } from '../vietqr/banks.js';
import { decode } from '../vietqr/decode.js';
import { MAX_ACCOUNT_LENGTH } from '../vietqr/encode.js';
import { toBankHolderName } from '../vietqr/holder-name.js';
import { cleanPastedCode } from '../vietqr/pasted.js';
import { decodeFailureWords } from '../vietqr/verdict-words.js';
import type { AccountSource } from './accounts-repo.js';

export type { UploadedPhoto };

/** A bank account as the form gave it: typed (bank + number), pasted QR text, or a photo of the trader's QR. */
export interface ResolvedAccount {
  bin: string;
  bank: BankEntry;
  accountNumber: string;
  service: 'account' | 'card';
  source: AccountSource;
}

/**
 * The pasted code as the CLI reads it too (src/vietqr/pasted.ts): only its ends trimmed. Not `textField`,
 * whose NFC and whitespace collapsing would change characters the code's CRC covers.
 */
function pastedCode(input: FormInput): string {
  const value = input.qr_text;
  return typeof value === 'string' ? cleanPastedCode(value) : '';
}

/** The form carries any of the three ways; a photo wins over pasted text, pasted text over typed fields. */
export function accountSourceOf(input: FormInput, photo: UploadedPhoto | undefined): AccountSource | undefined {
  if (photo && photo.size > 0) return 'photo';
  if (pastedCode(input)) return 'pasted';
  if (textField(input, 'bank_bin') || textField(input, 'account_number')) return 'typed';
  return undefined;
}

function fromTyped(input: FormInput, banks: BankDirectory, errors: FieldErrors): ResolvedAccount | undefined {
  const bin = textField(input, 'bank_bin');
  const bank = bin ? banks.byBin(bin) : undefined;
  if (!bin) errors.bank_bin = 'Chọn ngân hàng.';
  else if (!bank) errors.bank_bin = 'Ngân hàng này không có trong danh mục VietQR.';
  else if (!bank.transferSupported)
    errors.bank_bin = `${bank.shortName} chưa nhận chuyển khoản qua mã VietQR; chọn ngân hàng khác của tiểu thương.`;
  const accountNumber = textField(input, 'account_number').replace(/\s+/g, '');
  const service = input.is_card === 'yes' ? 'card' : 'account';
  if (!accountNumber) errors.account_number = service === 'card' ? 'Nhập số thẻ.' : 'Nhập số tài khoản.';
  else if (!/^\d+$/.test(accountNumber)) {
    // Bank accounts and cards are digits; letters appear only in wallet IDs, which come from a pasted or scanned code.
    errors.account_number = 'Số tài khoản ngân hàng chỉ gồm chữ số. Với ví điện tử, hãy dán hoặc chụp mã QR của ví.';
  } else if (service === 'card' && accountNumber.length !== 16 && accountNumber.length !== 19) {
    errors.account_number = `Số thẻ gồm 16 hoặc 19 chữ số (đang có ${accountNumber.length}).`;
  } else if (accountNumber.length < 6 || accountNumber.length > MAX_ACCOUNT_LENGTH) {
    errors.account_number = `Số tài khoản gồm 6–${MAX_ACCOUNT_LENGTH} chữ số (đang có ${accountNumber.length}).`;
  }
  if (errors.bank_bin || errors.account_number) return undefined;
  return { bin, bank: bank!, accountNumber, service, source: 'typed' };
}

/** Reads a VietQR payload and says in words what is wrong with it, on the field it came from. */
function fromPayload(
  payload: string,
  source: 'pasted' | 'photo',
  banks: BankDirectory,
  field: string,
  errors: FieldErrors,
): ResolvedAccount | undefined {
  const result = decode(cleanPastedCode(payload), { directory: banks });
  if (!result.valid) {
    errors[field] = decodeFailureWords(result);
    return undefined;
  }
  const { fields } = result;
  if (fields.tipOrFee) {
    // A valid EMVCo code may ask the payer for a tip or add a fee (55/56/57), but a stall's sticker is
    // static and serves every sale: a fee there is a surcharge the buyer does not see before paying,
    // which the programme must not put on a trader's counter. Such a code is usually a shop-payment
    // setup, not the trader's plain transfer code; refused, with the way out (type the account).
    errors[field] =
      'Mã này có kèm tiền tip hoặc phí thu thêm của người mua (trường 55). Mã dán tại sạp không được thu phí; ' +
      'hãy dùng mã nhận tiền thường của tiểu thương, hoặc chọn ngân hàng và nhập số tài khoản.';
    return undefined;
  }
  if (!fields.bank) {
    errors[field] = `Mã có BIN ${fields.bin}, không thuộc ngân hàng nào trong danh mục VietQR.`;
    return undefined;
  }
  if (fields.initiation !== 'static' || fields.amount) {
    // A sticker serves every sale: a code with a fixed amount would charge each customer that amount.
    errors[field] = 'Đây là mã thanh toán một lần (có số tiền). Hãy dùng mã nhận tiền cố định của tiểu thương.';
    return undefined;
  }
  return { bin: fields.bin, bank: fields.bank, accountNumber: fields.account, service: fields.service, source };
}

const MAX_PHOTO_BYTES = 10 * 1024 * 1024;

/**
 * The account a form gives, or undefined with a message on the field that was wrong. A photo is read by
 * `readPhoto` (off the event loop); typed and pasted accounts are checked at once.
 */
export async function resolveAccount(
  input: FormInput,
  photo: UploadedPhoto | undefined,
  banks: BankDirectory,
  readPhoto: PhotoReader,
  errors: FieldErrors,
): Promise<ResolvedAccount | undefined> {
  const source = accountSourceOf(input, photo);
  if (source === 'typed') return fromTyped(input, banks, errors);
  if (source === 'pasted') return fromPayload(pastedCode(input), 'pasted', banks, 'qr_text', errors);
  if (source === 'photo') {
    if (photo!.size > MAX_PHOTO_BYTES) {
      errors.qr_photo = 'Ảnh lớn hơn 10 MB; hãy chụp lại với độ phân giải thấp hơn.';
      return undefined;
    }
    const read = await readPhoto(photo!.buffer);
    if (!read.ok && read.reason === 'TOO_LARGE') {
      // Refused from its header, before anything was decoded: 422 at once, with what the form found so far.
      throw new ValidationError({ ...errors, qr_photo: read.message }, 'Ảnh quá lớn: chưa lưu gì.', 422);
    }
    if (!read.ok) {
      errors.qr_photo =
        read.reason === 'UNREADABLE_IMAGE'
          ? 'Không đọc được tệp ảnh. Hãy chụp lại (JPEG hoặc PNG).'
          : read.reason === 'NO_QR_FOUND'
            ? 'Không tìm thấy mã QR trong ảnh. Chụp gần hơn, đủ sáng, để cả mã nằm trong khung.'
            : read.message;
      return undefined;
    }
    return fromPayload(read.payload, 'photo', banks, 'qr_photo', errors);
  }
  return undefined;
}

/** The holder name as bank apps show it; refused when empty or longer than banks allow (never cut). */
export function resolveHolderName(input: FormInput, errors: FieldErrors): string {
  const holderName = toBankHolderName(checkedText(input, 'holder_name', TEXT_FIELDS.holderName, errors));
  if (errors.holder_name) return holderName;
  if (!holderName) errors.holder_name = 'Nhập tên chủ tài khoản như ứng dụng ngân hàng hiển thị.';
  else if (!/^[A-Z0-9 .,'-]+$/.test(holderName))
    errors.holder_name = 'Tên chủ tài khoản chỉ gồm chữ cái, chữ số và khoảng trắng.';
  return holderName;
}
