import { describeLooksLike, type Recognised } from './recognise.js';
import type { Problem } from './types.js';

/**
 * The decoder's findings, one constructor per kind: stable codes for programs and tests, Vietnamese
 * messages (NFC) for the volunteer who scanned the code. Positions in messages count from 1, as people do.
 */

/** Human names of the template levels and tags that messages mention. */
const WHERE: Readonly<Record<string, string>> = {
  root: 'mã',
  '38': 'trường 38 (thông tin người thụ hưởng)',
  '38/01': 'trường 38/01 (ngân hàng và tài khoản)',
  '62': 'trường 62 (thông tin bổ sung)',
};

const where = (path: string) => WHERE[path] ?? `trường ${path}`;

/** Quotes a value in messages, shortened so a 99-character field does not flood the screen. */
function quote(value: string): string {
  return `“${value.length > 30 ? value.slice(0, 27) + '…' : value}”`;
}

export const problems = {
  notAString: (): Problem => ({ code: 'NOT_A_STRING', message: 'Dữ liệu đưa vào không phải là chuỗi ký tự.' }),
  emptyInput: (): Problem => ({ code: 'EMPTY_INPUT', message: 'Mã QR trống.' }),
  nonAscii: (count: number, char: string, index: number): Problem => ({
    code: 'NON_ASCII',
    message:
      `Mã có ${count} ký tự ngoài bảng ASCII (đầu tiên là “${char}” ở vị trí ${index + 1}); ` +
      `VietQR chỉ cho phép chữ không dấu.`,
  }),
  controlCharacter: (count: number, index: number): Problem => ({
    code: 'CONTROL_CHARACTER',
    message: `Mã có ${count} ký tự điều khiển hoặc xuống dòng (đầu tiên ở vị trí ${index + 1}).`,
  }),
  crcMissing: (): Problem => ({
    code: 'CRC_MISSING',
    message:
      'Không có mã CRC (kiểm lỗi) ở cuối (phải kết thúc bằng “6304” và 4 ký tự); mã có thể bị cắt hoặc thừa ký tự.',
    path: '63',
  }),
  crcInvalidFormat: (value: string): Problem => ({
    code: 'CRC_INVALID_FORMAT',
    message: `Mã CRC (kiểm lỗi) ${quote(value)} không phải 4 chữ số hệ mười sáu.`,
    path: '63',
  }),
  crcMismatch: (written: string, computed: string): Problem => ({
    code: 'CRC_MISMATCH',
    message: `Mã CRC (kiểm lỗi) sai: mã ghi ${written}, tính ra ${computed}. Mã đã bị chép sai hoặc bị sửa.`,
    path: '63',
  }),
  crcNotLast: (): Problem => ({
    code: 'CRC_NOT_LAST',
    message: 'Mã CRC (kiểm lỗi, trường 63) phải là trường cuối cùng của mã.',
    path: '63',
  }),
  tlvHeaderInvalid: (path: string, header: string, index: number): Problem => ({
    code: 'TLV_HEADER_INVALID',
    message:
      `Mã trường hoặc độ dài không hợp lệ ${quote(header)} ở vị trí ${index + 1} trong ${where(path)}: ` +
      `các độ dài không khớp.`,
    path,
  }),
  lengthOverrun: (path: string, id: string, declared: number, available: number): Problem => ({
    code: 'LENGTH_OVERRUN',
    message: `Trường ${id} trong ${where(path)} khai báo dài ${declared} ký tự nhưng chỉ còn ${available}.`,
    path: path === 'root' ? id : `${path}/${id}`,
  }),
  trailingData: (path: string, count: number): Problem => ({
    code: 'TRAILING_DATA',
    message: `Còn thừa ${count} ký tự không thuộc trường nào ở cuối ${where(path)}.`,
    path,
  }),
  zeroLength: (path: string): Problem => ({
    code: 'ZERO_LENGTH',
    message: `Trường ${path} có độ dài 00; độ dài hợp lệ từ 01 đến 99.`,
    path,
  }),
  duplicateTag: (path: string): Problem => ({
    code: 'DUPLICATE_TAG',
    message: `Trường ${path} xuất hiện hơn một lần.`,
    path,
  }),
  formatIndicatorNotFirst: (): Problem => ({
    code: 'FORMAT_INDICATOR_NOT_FIRST',
    message: 'Mã phải bắt đầu bằng trường 00 (phiên bản dữ liệu, “000201”).',
    path: '00',
  }),
  formatIndicatorInvalid: (value: string): Problem => ({
    code: 'FORMAT_INDICATOR_INVALID',
    message: `Phiên bản dữ liệu (trường 00) phải là “01”; mã ghi ${quote(value)}.`,
    path: '00',
  }),
  initiationMissing: (): Problem => ({
    code: 'INITIATION_MISSING',
    message: 'Thiếu phương thức khởi tạo (trường 01: 11 là mã tĩnh, 12 là mã động).',
    path: '01',
  }),
  initiationInvalid: (value: string): Problem => ({
    code: 'INITIATION_INVALID',
    message: `Phương thức khởi tạo (trường 01) phải là 11 (mã tĩnh) hoặc 12 (mã động); mã ghi ${quote(value)}.`,
    path: '01',
  }),
  currencyMissing: (): Problem => ({
    code: 'CURRENCY_MISSING',
    message: 'Thiếu loại tiền (trường 53, phải là 704 – VND).',
    path: '53',
  }),
  currencyInvalid: (value: string, vietQr = true): Problem => ({
    code: 'CURRENCY_INVALID',
    message: vietQr
      ? `Loại tiền (trường 53) phải là 704 (VND); mã ghi ${quote(value)}.`
      : `Loại tiền (trường 53) phải là mã số ISO 4217 gồm 3 chữ số; mã ghi ${quote(value)}.`,
    path: '53',
  }),
  countryMissing: (): Problem => ({
    code: 'COUNTRY_MISSING',
    message: 'Thiếu mã quốc gia (trường 58, phải là VN).',
    path: '58',
  }),
  countryInvalid: (value: string, vietQr = true): Problem => ({
    code: 'COUNTRY_INVALID',
    message: vietQr
      ? `Mã quốc gia (trường 58) phải là VN; mã ghi ${quote(value)}.`
      : `Mã quốc gia (trường 58) phải gồm 2 chữ cái (ISO 3166); mã ghi ${quote(value)}.`,
    path: '58',
  }),
  amountInvalid: (value: string, why: string): Problem => ({
    code: 'AMOUNT_INVALID',
    message: `Số tiền (trường 54) ${quote(value)} không hợp lệ: ${why}.`,
    path: '54',
  }),
  mccInvalid: (value: string): Problem => ({
    code: 'MCC_INVALID',
    message: `Mã ngành hàng (trường 52) phải gồm 4 chữ số; mã ghi ${quote(value)}.`,
    path: '52',
  }),
  fieldTooLong: (path: string, label: string, length: number, max: number): Problem => ({
    code: 'FIELD_TOO_LONG',
    message: `${label} (trường ${path}) dài ${length} ký tự; tối đa ${max}.`,
    path,
  }),
  consumerDataRequestInvalid: (value: string): Problem => ({
    code: 'CONSUMER_DATA_REQUEST_INVALID',
    message:
      `Yêu cầu thông tin người trả (trường 62/09) chỉ gồm các chữ A, M, E, mỗi chữ một lần; ` +
      `mã ghi ${quote(value)}.`,
    path: '62/09',
  }),
  notVietQr: (scheme: string | null): Problem => ({
    code: 'NOT_VIETQR',
    message: scheme
      ? `Đây là mã QR thanh toán của hệ thống khác (${scheme}), không phải mã VietQR chuyển khoản.`
      : 'Đây là mã QR thanh toán của hệ thống khác (chuẩn EMV, không có định danh NAPAS A000000727 ở ' +
        'trường 38), không phải mã VietQR chuyển khoản.',
    path: '38',
  }),
  guidMissing: (): Problem => ({
    code: 'GUID_MISSING',
    message: 'Trường 38 thiếu định danh NAPAS (38/00 phải là A000000727).',
    path: '38/00',
  }),
  merchantAccountMissing: (): Problem => ({
    code: 'BENEFICIARY_MISSING',
    message:
      'Mã không có thông tin tài khoản nhận tiền: không có trường 38 của NAPAS (hay bất kỳ trường 02–51 nào ' +
      'của hệ thống thanh toán khác).',
    path: '38',
  }),
  beneficiaryMissing: (): Problem => ({
    code: 'BENEFICIARY_MISSING',
    message: 'Thiếu thông tin người thụ hưởng (trường 38/01: mã ngân hàng và số tài khoản).',
    path: '38/01',
  }),
  binMissing: (): Problem => ({
    code: 'BIN_MISSING',
    message: 'Thiếu mã BIN ngân hàng (trường 38/01/00).',
    path: '38/01/00',
  }),
  binInvalid: (value: string): Problem => ({
    code: 'BIN_INVALID',
    message: `Mã BIN ngân hàng (trường 38/01/00) phải gồm đúng 6 chữ số; mã ghi ${quote(value)}.`,
    path: '38/01/00',
  }),
  accountMissing: (): Problem => ({
    code: 'ACCOUNT_MISSING',
    message: 'Thiếu số tài khoản hoặc số thẻ (trường 38/01/01).',
    path: '38/01/01',
  }),
  accountInvalid: (value: string, why: string): Problem => ({
    code: 'ACCOUNT_INVALID',
    message: `Số tài khoản/số thẻ (trường 38/01/01) ${quote(value)} không hợp lệ: ${why}.`,
    path: '38/01/01',
  }),
  unexpectedTag: (path: string, hint: string): Problem => ({
    code: 'UNEXPECTED_TAG',
    message: `Trường ${path} không được phép ở đây${hint}.`,
    path,
  }),
  serviceMissing: (): Problem => ({
    code: 'SERVICE_MISSING',
    message:
      'Thiếu mã dịch vụ (trường 38/02): mã chuyển khoản phải ghi QRIBFTTA (đến tài khoản) hoặc QRIBFTTC (đến thẻ).',
    path: '38/02',
  }),
  serviceUnsupported: (value: string): Problem => ({
    code: 'SERVICE_UNSUPPORTED',
    message: `Mã dịch vụ ${quote(value)} không phải chuyển khoản (chỉ nhận QRIBFTTA hoặc QRIBFTTC).`,
    path: '38/02',
  }),
  notEmv: (found: Recognised): Problem => ({
    code: 'NOT_EMV',
    message: describeLooksLike(found),
    lookslike: found.kind,
  }),
  tipIndicatorInvalid: (value: string): Problem => ({
    code: 'TIP_INDICATOR_INVALID',
    message:
      `Chỉ báo tiền tip/phí (trường 55) phải là 01 (người trả nhập tiền tip), 02 (phí cố định) ` +
      `hoặc 03 (phí theo phần trăm); mã ghi ${quote(value)}.`,
    path: '55',
  }),
  convenienceFeeInvalid: (path: '56' | '57', value: string, why: string): Problem => ({
    code: 'CONVENIENCE_FEE_INVALID',
    message: `${path === '56' ? 'Phí cố định (trường 56)' : 'Phí phần trăm (trường 57)'} ${quote(value)} sai: ${why}.`,
    path,
  }),
  convenienceFeeMismatch: (path: '55' | '56' | '57', why: string): Problem => ({
    code: 'CONVENIENCE_FEE_MISMATCH',
    message: `Trường tiền tip/phí 55, 56, 57 không khớp nhau: ${why}.`,
    path,
  }),
  languageTemplateInvalid: (path: string, why: string): Problem => ({
    code: 'LANGUAGE_TEMPLATE_INVALID',
    message: `Thông tin bằng ngôn ngữ khác (trường ${path}) không hợp lệ: ${why}.`,
    path,
  }),
};
