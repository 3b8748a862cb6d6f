import { describe, expect, it } from 'vitest';
import { crc16, crcHex } from '../../src/vietqr/crc16.js';
import {
  cleanPastedCode,
  decode,
  decodeFailureWords,
  embeddedPayloads,
  encode,
  recognise,
} from '../../src/vietqr/index.js';
import type { DecodeResult, LooksLike, ProblemCode } from '../../src/vietqr/index.js';

const t = (id: string, value: string) => id + String(value.length).padStart(2, '0') + value;
const withCrc = (body: string) => body + '6304' + crcHex(crc16(body + '6304'));
const codes = (result: DecodeResult): ProblemCode[] => result.problems.map((p) => p.code);

const F00 = t('00', '01');
const STATIC = t('01', '11');
const F38 = t(
  '38',
  t('00', 'A000000727') + t('01', t('00', '970436') + t('01', '0011001234567')) + t('02', 'QRIBFTTA'),
);
const F53 = t('53', '704');
const F58 = t('58', 'VN');
const VALID = encode({ bin: '970436', account: '0011001234567' });

describe('decode names what a text that is not an EMV code looks like', () => {
  it.each<[string, string, LooksLike, string]>([
    [
      'a MoMo web link',
      'https://me.momo.vn/qr3Xy7pTbD',
      'momo',
      'Đây là liên kết MoMo, không phải mã VietQR chuyển khoản',
    ],
    ['a MoMo transfer page', 'https://nhantien.momo.vn/0912345678', 'momo', 'liên kết MoMo'],
    ['a MoMo deep link', 'momo://app?action=payWithApp&isScanQR=true', 'momo', 'liên kết MoMo'],
    ['a ZaloPay link', 'https://zalopay.vn/s/abc123', 'zalopay', 'Đây là liên kết ZaloPay'],
    ['a ZaloPay deep link', 'zalopay://pay?order=1', 'zalopay', 'liên kết ZaloPay'],
    ['a Wi-Fi code', 'WIFI:S:Quan Ca Phe;T:WPA;P:12345678;;', 'wifi', 'Đây là mã Wi-Fi, không phải mã VietQR'],
    ['a phone number', '0912 345 678', 'phone', 'Đây là số điện thoại, không phải mã VietQR'],
    ['an international phone number', '+84 912.345.678', 'phone', 'số điện thoại'],
    ['a tel: link', 'tel:+84912345678', 'phone', 'số điện thoại'],
    ['a bare account number', '0011001234567', 'account_number', 'có thể là số tài khoản'],
    ['a web address', 'https://cho-hoa-lu.vn/gioi-thieu', 'web', 'Đây là một địa chỉ web (trang cho-hoa-lu.vn)'],
    ['a bare web address', 'www.example.com/pay', 'web', 'trang www.example.com'],
    ['a Facebook page', 'https://www.facebook.com/chohoalu', 'social', 'mạng xã hội (trang www.facebook.com)'],
    ['a Zalo link', 'https://zalo.me/0912345678', 'social', 'mạng xã hội'],
    [
      'an img.vietqr.io image link',
      'https://img.vietqr.io/image/970436-0011001234567-compact.png',
      'vietqr_image',
      'ảnh mã QR',
    ],
    ['an email address', 'chohoalu@example.vn', 'email', 'địa chỉ email'],
    ['a mailto link', 'mailto:chohoalu@example.vn', 'email', 'địa chỉ email'],
    ['an SMS code', 'SMSTO:0912345678:xin chao', 'sms', 'tin nhắn SMS'],
    ['a vCard', 'BEGIN:VCARD\nVERSION:3.0\nFN:Nguyen Van A\nEND:VCARD', 'contact', 'danh thiếp'],
    ['a MECARD', 'MECARD:N:Nguyen,A;TEL:0912345678;;', 'contact', 'danh thiếp'],
    ['another app link', 'viettelpay://pay?x=1', 'app_link', 'liên kết mở ứng dụng (viettelpay://…)'],
    ['plain text', 'Sạp 12 chị Dung', 'text', 'mã VietQR bắt đầu bằng 000201…'],
  ])('when given %s, then not_vietqr with NOT_EMV and the words for it', (_what, text, kind, words) => {
    const result = decode(text);
    expect(result).toMatchObject({ valid: false, verdict: 'not_vietqr', fields: {} });
    expect(result.problems).toEqual([expect.objectContaining({ code: 'NOT_EMV', lookslike: kind })]);
    expect(result.problems[0]?.message).toContain(words);
    expect(decodeFailureWords(result)).not.toContain('không hợp lệ');
  });

  it('when an EMV code holds a reverse domain with a slash or an "@", then it is still read as a code', () => {
    const pix = withCrc(
      F00 + t('26', t('00', 'br.gov.bcb.pix') + t('25', 'pix.example.com/qr/v2/abc')) + t('53', '986') + t('58', 'BR'),
    );
    expect(recognise(pix)).toBeNull();
    expect(decode(pix)).toMatchObject({ verdict: 'not_vietqr', problems: [{ code: 'NOT_VIETQR' }] });
    const withAt = withCrc(F00 + t('26', t('00', 'qr-online.uz') + t('01', 'a@b.uz')) + t('53', '860') + t('58', 'UZ'));
    expect(recognise(withAt)).toBeNull();
  });

  it('when the text starts like an EMV code, then the decoder reads it and says what is damaged', () => {
    expect(recognise(VALID)).toBeNull();
    expect(codes(decode(VALID.slice(0, -3)))).toContain('CRC_MISSING');
  });
});

describe('decode takes a VietQR out of a link only when it proves itself', () => {
  it.each([
    ['a qr= parameter, percent-encoded', `https://example.vn/pay?qr=${encodeURIComponent(VALID)}`],
    ['a data= parameter, raw', `https://api.qrserver.com/v1/create-qr-code/?size=250x250&data=${VALID}`],
    ['a path segment', `https://pay.example.vn/qr/${VALID}`],
    ['a deep link', `bankapp://transfer?code=${VALID}&source=zalo`],
    ['a fragment', `https://example.vn/#${VALID}`],
  ])('when %s carries a valid code, then it is decoded with extractedFrom url', (_what, link) => {
    const result = decode(link);
    expect(result).toMatchObject({ valid: true, verdict: 'vietqr', extractedFrom: 'url', payload: VALID });
    expect(result.fields).toMatchObject({ bin: '970436', account: '0011001234567' });
  });

  it('when the memo was encoded with "+" for spaces, then the spaces come back and the CRC checks', () => {
    const memo = encode({ bin: '970436', account: '0011001234567', purpose: 'tien hang' });
    const result = decode(`https://example.vn/pay?qr=${memo.replace(/ /g, '+')}`);
    expect(result).toMatchObject({ verdict: 'vietqr', extractedFrom: 'url', fields: { purpose: 'tien hang' } });
  });

  it('when the code in the link has a wrong CRC, then nothing is guessed: it is a web address', () => {
    const damaged = VALID.slice(0, -4) + (VALID.endsWith('0000') ? '1111' : '0000');
    const result = decode(`https://example.vn/pay?qr=${damaged}`);
    expect(result.extractedFrom).toBeUndefined();
    expect(result.problems).toEqual([expect.objectContaining({ code: 'NOT_EMV', lookslike: 'web' })]);
  });

  it('when the link carries a sound code with a VietQR fault, then that fault is reported, with the note', () => {
    const zero = withCrc(F00 + STATIC + F38 + F53 + t('54', '0') + F58);
    const result = decode(`https://example.vn/?qr=${zero}`);
    expect(result).toMatchObject({ verdict: 'invalid', extractedFrom: 'url' });
    expect(codes(result)).toEqual(['AMOUNT_INVALID']);
    expect(decodeFailureWords(result)).toMatch(/^Đã lấy mã VietQR từ trong liên kết\. Mã QR này không hợp lệ/);
  });

  it('when a link is full of "000201" and "6304" look-alikes, then the search stays bounded', () => {
    const hostile = 'https://x.vn/?q=' + '0002016304ABCD'.repeat(700);
    expect(embeddedPayloads(hostile).length).toBeLessThanOrEqual(24);
    expect(decode(hostile).verdict).toBe('not_vietqr');
  });
});

describe('decode keeps VietQR-only rules for VietQR codes', () => {
  it('when a foreign code has a decimal amount and its own currency, then it is not_vietqr with nothing else', () => {
    const promptpay = withCrc(
      F00 +
        t('01', '12') +
        t('29', t('00', 'A000000677010111') + t('01', '0066800000001')) +
        t('53', '764') +
        t('54', '12.50') +
        t('58', 'TH'),
    );
    const result = decode(promptpay);
    expect(result.verdict).toBe('not_vietqr');
    expect(codes(result)).toEqual(['NOT_VIETQR']);
    expect(result.problems[0]?.message).toBe(
      'Đây là mã QR thanh toán của hệ thống khác (PromptPay (Thái Lan)), không phải mã VietQR chuyển khoản.',
    );
  });

  it('when a foreign code breaks an EMVCo rule, then it is invalid, and the VietQR rules still stay out', () => {
    const bad = withCrc(F00 + t('26', t('00', 'BR.GOV.BCB.PIX') + t('01', 'x')) + t('53', '98') + t('54', '1,50'));
    const result = decode(bad);
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toEqual(['CURRENCY_INVALID', 'AMOUNT_INVALID', 'NOT_VIETQR']);
    expect(result.problems.map((p) => p.message).join(' ')).not.toContain('704');
  });

  it.each([
    ['QRPUSH', 'NAPAS QRPUSH'],
    ['QRCASH', 'NAPAS QRCASH'],
  ])('when a NAPAS code is for %s, then it is not_vietqr (not a transfer), not invalid', (service, name) => {
    const code = withCrc(
      F00 +
        STATIC +
        t('38', t('00', 'A000000727') + t('01', t('00', '970436') + t('01', 'MERCHANT01')) + t('02', service)) +
        F53 +
        F58,
    );
    const result = decode(code);
    expect(result.verdict).toBe('not_vietqr');
    expect(codes(result)).toEqual(['NOT_VIETQR']);
    expect(result.problems[0]?.message).toContain(name);
  });

  it('when a code has no merchant account at all, then it is invalid (nobody to pay), not another scheme', () => {
    const result = decode(withCrc(F00 + STATIC + F53 + F58 + t('59', 'NGUYEN VAN A')));
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toEqual(['BENEFICIARY_MISSING']);
  });

  it('when a VietQR has a decimal amount, then it is still refused (VND has no minor unit)', () => {
    expect(codes(decode(withCrc(F00 + STATIC + F38 + F53 + t('54', '12.50') + F58)))).toEqual(['AMOUNT_INVALID']);
  });
});

describe('decode checks 55/56/57 as EMVCo says', () => {
  const code = (tags: string) => withCrc(F00 + STATIC + F38 + F53 + tags + F58);
  it.each([
    ['55 = 01 (prompt for a tip)', t('55', '01'), { kind: 'tip_prompt', value: null }],
    ['55 = 02 with a fixed fee', t('55', '02') + t('56', '2000'), { kind: 'fixed_fee', value: '2000' }],
    ['55 = 03 with a percentage', t('55', '03') + t('57', '1.5'), { kind: 'percentage_fee', value: '1.5' }],
    ['55 = 03 with 99.99', t('55', '03') + t('57', '99.99'), { kind: 'percentage_fee', value: '99.99' }],
  ])('when %s, then the code is valid and says so in tipOrFee', (_what, tags, tipOrFee) => {
    const result = decode(code(tags));
    expect(result.problems).toEqual([]);
    expect(result.fields.tipOrFee).toEqual(tipOrFee);
    expect(result.fields.unknown).toEqual({});
  });

  it.each<[string, string, ProblemCode[]]>([
    ['55 = 04', t('55', '04'), ['TIP_INDICATOR_INVALID']],
    ['55 = 02 without 56', t('55', '02'), ['CONVENIENCE_FEE_MISMATCH']],
    ['55 = 02 with 57 too', t('55', '02') + t('56', '2000') + t('57', '1'), ['CONVENIENCE_FEE_MISMATCH']],
    ['55 = 03 without 57', t('55', '03'), ['CONVENIENCE_FEE_MISMATCH']],
    ['55 = 03 with 56 too', t('55', '03') + t('56', '2000') + t('57', '1'), ['CONVENIENCE_FEE_MISMATCH']],
    ['55 = 01 with 56', t('55', '01') + t('56', '2000'), ['CONVENIENCE_FEE_MISMATCH']],
    ['56 without 55', t('56', '2000'), ['CONVENIENCE_FEE_MISMATCH']],
    ['57 without 55', t('57', '1.5'), ['CONVENIENCE_FEE_MISMATCH']],
    ['a fixed fee of 0', t('55', '02') + t('56', '0'), ['CONVENIENCE_FEE_INVALID']],
    ['a fixed fee with đồng decimals', t('55', '02') + t('56', '2000.5'), ['CONVENIENCE_FEE_INVALID']],
    ['a percentage of 100', t('55', '03') + t('57', '100'), ['CONVENIENCE_FEE_INVALID']],
    ['a percentage of 00.00', t('55', '03') + t('57', '00.00'), ['CONVENIENCE_FEE_INVALID']],
    ['a percentage with %', t('55', '03') + t('57', '1.5%'), ['CONVENIENCE_FEE_INVALID']],
  ])('when %s, then it is invalid with %s', (_what, tags, expected) => {
    const result = decode(code(tags));
    expect(result.verdict).toBe('invalid');
    expect(codes(result)).toEqual(expected);
    for (const problem of result.problems) expect(problem.message).toMatch(/\b5[567]\b/);
  });
});

describe('decode allows Unicode in template 64 only', () => {
  const lang = (inner: string) => withCrc(F00 + STATIC + F38 + F53 + F58 + t('64', inner));
  it('when 64 holds a Vietnamese name and city, then the code is valid and the CRC is over UTF-8', () => {
    const payload = lang(t('00', 'vi') + t('01', 'Chợ Hoa Lư sạp 12') + t('02', 'Pleiku'));
    expect(Buffer.byteLength(payload)).toBeGreaterThan(payload.length);
    const result = decode(payload);
    expect(result.problems).toEqual([]);
    expect(result.fields.unknown?.['64']).toContain('Chợ Hoa Lư');
  });

  it('when the 64 name holds an emoji, then its length counts characters, not UTF-16 units', () => {
    // 64 holds 12 characters ("0002vi" + "0102🍜A") but 13 UTF-16 units: the emoji is one character.
    const result = decode(withCrc(F00 + STATIC + F38 + F53 + F58 + '6412' + '0002vi' + '0102🍜A'));
    expect(result.problems).toEqual([]);
  });

  it('when the 64 name is 26 characters, then it is too long (counted in characters)', () => {
    expect(codes(decode(lang(t('00', 'vi') + t('01', 'Đ'.repeat(26)))))).toEqual(['LANGUAGE_TEMPLATE_INVALID']);
  });

  it('when the 64 language is not 2 letters, then it is invalid', () => {
    expect(codes(decode(lang(t('00', 'vie') + t('01', 'Chợ'))))).toEqual(['LANGUAGE_TEMPLATE_INVALID']);
  });

  it('when diacritics appear outside 64, then NON_ASCII is still reported', () => {
    const payload = withCrc(F00 + STATIC + F38 + F53 + F58 + t('59', 'Chợ') + t('64', t('00', 'vi') + t('01', 'Chợ')));
    expect(codes(decode(payload))).toEqual(['NON_ASCII']);
  });

  it('when a control character hides in 64, then it is reported', () => {
    expect(codes(decode(lang(t('00', 'vi') + t('01', 'a\u0007b'))))).toEqual(['CONTROL_CHARACTER']);
  });
});

describe('decode reads long memos (62/08) whole', () => {
  it('when the memo is 32 characters, then the code is valid with the memo whole', () => {
    const memo = 'Thanh toan hoa don so 1234567890';
    expect(memo).toHaveLength(32);
    const result = decode(withCrc(F00 + STATIC + F38 + F53 + F58 + t('62', t('08', memo))));
    expect(result).toMatchObject({ verdict: 'vietqr', fields: { purpose: memo } });
  });

  it('when another 62 sub-field is over 25, then it is still too long', () => {
    expect(codes(decode(withCrc(F00 + STATIC + F38 + F53 + F58 + t('62', t('01', '1'.repeat(26))))))).toEqual([
      'FIELD_TOO_LONG',
    ]);
  });

  it('when asked to encode a 26-character memo, then the encoder still refuses it', () => {
    expect(() => encode({ bin: '970436', account: '0011001234567', purpose: 'x'.repeat(26) })).toThrow();
  });
});

describe('cleanPastedCode', () => {
  it.each([
    ['a trailing newline', `${VALID}\n`],
    ['a trailing CRLF', `${VALID}\r\n`],
    ['spaces around', `  ${VALID} `],
    ['a BOM', `\uFEFF${VALID}`],
    ['an NBSP', `\u00A0${VALID}\u00A0`],
    ['zero-width characters', `\u200B${VALID}\u200C\u200D\u2060`],
  ])('when the code has %s, then only the ends are trimmed', (_what, pasted) => {
    expect(cleanPastedCode(pasted)).toBe(VALID);
    expect(decode(cleanPastedCode(pasted)).valid).toBe(true);
  });

  it('when a zero-width character is inside the code, then it stays and decode reports it', () => {
    const inside = VALID.slice(0, 20) + '\u200B' + VALID.slice(20);
    expect(cleanPastedCode(inside)).toBe(inside);
    expect(codes(decode(inside))).toContain('NON_ASCII');
  });
});
