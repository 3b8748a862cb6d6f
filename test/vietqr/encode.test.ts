import { describe, expect, it } from 'vitest';
import {
  decode,
  encode,
  foldToAscii,
  isPrintableAscii,
  validateVietQrInput,
  VietQrEncodeError,
} from '../../src/vietqr/index.js';
import type { VietQrInput } from '../../src/vietqr/index.js';
import { lengthField, tlv, TlvLengthError } from '../../src/vietqr/tlv.js';

const ACCOUNT = { bin: '970436', account: '0011001234567' } as const;

/** The error `encode` throws for `input`, so a test can look at its field and code. */
function refusal(input: VietQrInput): VietQrEncodeError {
  try {
    encode(input);
  } catch (error) {
    if (error instanceof VietQrEncodeError) return error;
    throw error;
  }
  throw new Error(`encode accepted ${JSON.stringify(input)}`);
}

describe('encode', () => {
  it(
    'when given a BIN and an account, ' + 'then emits the static transfer code bank apps read (as vietnam-qr-pay does)',
    () => {
      expect(encode(ACCOUNT)).toBe(
        '00020101021138570010A00000072701270006970436011300110012345670208QRIBFTTA53037045802VN6304E8DB',
      );
    },
  );

  it('when given an amount and a purpose on a dynamic code, then puts them in 54 and 62/08', () => {
    expect(encode({ ...ACCOUNT, initiation: 'dynamic', amount: 50000, purpose: 'thanh toan don hang' })).toBe(
      '00020101021238570010A00000072701270006970436011300110012345670208QRIBFTTA' +
        '53037045405500005802VN62230819thanh toan don hang63041459',
    );
  });

  it('reproduces the NAPAS §6.1.3 and §6.1.4 examples byte for byte', () => {
    const common = {
      bin: '970403',
      initiation: 'dynamic',
      amount: '180000',
      billNumber: 'NPS6869',
      purpose: 'thanh toan don hang',
    } as const;
    expect(encode({ ...common, account: '0011012345678' })).toBe(
      '00020101021238570010A00000072701270006970403011300110123456780208QRIBFTTA' +
        '530370454061800005802VN62340107NPS68690819thanh toan don hang63042E2E',
    );
    expect(encode({ ...common, account: '9704031101234567', service: 'card' })).toBe(
      '00020101021238600010A00000072701300006970403011697040311012345670208QRIBFTTC' +
        '530370454061800005802VN62340107NPS68690819thanh toan don hang6304A203',
    );
  });

  it('emits tags in canonical order 00 01 38 53 54 58 59 60 62 63 and 62 sub-fields 01 05 08', () => {
    const payload = encode({
      ...ACCOUNT,
      initiation: 'dynamic',
      amount: 1000,
      purpose: 'p',
      billNumber: 'b',
      referenceLabel: 'r',
      merchantName: 'SAP 12',
      merchantCity: 'PLEIKU',
    });
    expect(payload).toBe(
      '00020101021238570010A00000072701270006970436011300110012345670208QRIBFTTA530370454041000' +
        '5802VN5906SAP 126006PLEIKU' +
        '62150101b0501r0801p' +
        '6304' +
        payload.slice(-4),
    );
    expect(decode(payload).valid).toBe(true);
  });

  it('zero-pads a CRC below 0x1000', () => {
    expect(encode({ bin: '970407', account: '19030413601018' })).toBe(
      '00020101021138580010A000000727012800069704070114190304136010180208QRIBFTTA53037045802VN63040283',
    );
  });

  it('treats empty optional text as not given, as a blank form field', () => {
    expect(encode({ ...ACCOUNT, purpose: '', billNumber: '', amount: '' })).toBe(encode(ACCOUNT));
    // JSON bodies and JavaScript callers send null for "none".
    expect(encode({ ...ACCOUNT, purpose: null, merchantName: null, amount: null } as never)).toBe(encode(ACCOUNT));
  });

  it('accepts the largest 13-digit amount and a 19-character alphanumeric account', () => {
    const payload = encode({
      bin: '970454',
      account: '99ZP24009M072482671',
      initiation: 'dynamic',
      amount: 9_999_999_999_999,
    });
    expect(decode(payload).fields).toMatchObject({ account: '99ZP24009M072482671', amount: '9999999999999' });
  });
});

describe('encode refuses what it cannot encode, naming the field', () => {
  const cases: Array<[string, VietQrInput, keyof VietQrInput, VietQrEncodeError['code']]> = [
    ['a missing BIN', { bin: '', account: '123456' }, 'bin', 'REQUIRED'],
    ['a 5-digit BIN', { bin: '97043', account: '123456' }, 'bin', 'INVALID_FORMAT'],
    ['a 7-digit BIN', { bin: '9704361', account: '123456' }, 'bin', 'INVALID_FORMAT'],
    ['a BIN with a letter', { bin: '97043A', account: '123456' }, 'bin', 'INVALID_FORMAT'],
    ['a missing account', { bin: '970436', account: '' }, 'account', 'REQUIRED'],
    ['a 20-character account', { bin: '970436', account: '00110012345678901234' }, 'account', 'TOO_LONG'],
    ['an account with a space', { bin: '970436', account: '0011 001234567' }, 'account', 'INVALID_FORMAT'],
    ['an account with a dash', { bin: '970436', account: '0011-001234567' }, 'account', 'INVALID_FORMAT'],
    ['an account with a Vietnamese letter', { bin: '970436', account: 'Đ0011001234567' }, 'account', 'INVALID_FORMAT'],
    [
      'a card number with a letter',
      { bin: '970436', account: '970436A614952035', service: 'card' },
      'account',
      'INVALID_FORMAT',
    ],
    ['amount 0', { ...ACCOUNT, initiation: 'dynamic', amount: 0 }, 'amount', 'INVALID_AMOUNT'],
    ['amount "0"', { ...ACCOUNT, initiation: 'dynamic', amount: '0' }, 'amount', 'INVALID_AMOUNT'],
    ['a negative amount', { ...ACCOUNT, initiation: 'dynamic', amount: -5000 }, 'amount', 'INVALID_AMOUNT'],
    ['a decimal amount', { ...ACCOUNT, initiation: 'dynamic', amount: 50000.5 }, 'amount', 'INVALID_AMOUNT'],
    ['a decimal amount string', { ...ACCOUNT, initiation: 'dynamic', amount: '50000.50' }, 'amount', 'INVALID_AMOUNT'],
    ['a trailing-dot amount', { ...ACCOUNT, initiation: 'dynamic', amount: '50000.' }, 'amount', 'INVALID_AMOUNT'],
    [
      'an amount with thousands dots',
      { ...ACCOUNT, initiation: 'dynamic', amount: '50.000' },
      'amount',
      'INVALID_AMOUNT',
    ],
    ['an amount with spaces', { ...ACCOUNT, initiation: 'dynamic', amount: '50 000' }, 'amount', 'INVALID_AMOUNT'],
    [
      'an amount with a leading zero',
      { ...ACCOUNT, initiation: 'dynamic', amount: '050000' },
      'amount',
      'INVALID_AMOUNT',
    ],
    ['NaN', { ...ACCOUNT, initiation: 'dynamic', amount: Number.NaN }, 'amount', 'INVALID_AMOUNT'],
    ['a 14-digit amount', { ...ACCOUNT, initiation: 'dynamic', amount: '10000000000000' }, 'amount', 'TOO_LONG'],
    [
      'a 14-digit amount number',
      { ...ACCOUNT, initiation: 'dynamic', amount: 10_000_000_000_000 },
      'amount',
      'TOO_LONG',
    ],
    ['an amount on a static code', { ...ACCOUNT, amount: 50000 }, 'amount', 'AMOUNT_NEEDS_DYNAMIC'],
    ['a purpose of 26 characters', { ...ACCOUNT, purpose: 'x'.repeat(26) }, 'purpose', 'TOO_LONG'],
    ['a purpose of 120 characters', { ...ACCOUNT, purpose: 'x'.repeat(120) }, 'purpose', 'TOO_LONG'],
    ['a purpose with diacritics', { ...ACCOUNT, purpose: 'thanh toán' }, 'purpose', 'NON_ASCII'],
    ['a purpose with a newline', { ...ACCOUNT, purpose: 'a\nb' }, 'purpose', 'NON_ASCII'],
    ['a purpose with an emoji', { ...ACCOUNT, purpose: 'cam on 😀' }, 'purpose', 'NON_ASCII'],
    ['a bill number of 26 characters', { ...ACCOUNT, billNumber: '1'.repeat(26) }, 'billNumber', 'TOO_LONG'],
    ['a reference label with Đ', { ...ACCOUNT, referenceLabel: 'Đ1' }, 'referenceLabel', 'NON_ASCII'],
    ['a merchant name of 26 characters', { ...ACCOUNT, merchantName: 'N'.repeat(26) }, 'merchantName', 'TOO_LONG'],
    ['a merchant city of 16 characters', { ...ACCOUNT, merchantCity: 'C'.repeat(16) }, 'merchantCity', 'TOO_LONG'],
    ['a city with diacritics', { ...ACCOUNT, merchantCity: 'Hà Nội' }, 'merchantCity', 'NON_ASCII'],
    ['an unknown service', { ...ACCOUNT, service: 'wallet' as never }, 'service', 'INVALID_OPTION'],
    ['an unknown initiation', { ...ACCOUNT, initiation: 'once' as never }, 'initiation', 'INVALID_OPTION'],
  ];

  it.each(cases)('refuses %s', (_name, input, field, code) => {
    const error = refusal(input);
    expect(error).toMatchObject({ field, code, name: 'VietQrEncodeError' });
    expect(error.message.normalize('NFC')).toBe(error.message);
    expect(error.message.length).toBeGreaterThan(10);
  });

  it('never truncates: a 26-character purpose is refused, not cut to 25', () => {
    expect(() => encode({ ...ACCOUNT, purpose: 'thanh toan don hang so 123' })).toThrow(VietQrEncodeError);
  });

  it('suggests the folded text when a field has diacritics, without applying it', () => {
    expect(refusal({ ...ACCOUNT, purpose: 'Tiền hàng chợ Đầm' }).message).toContain('“Tien hang cho Dam”');
  });

  it('lists every problem at once for a form', () => {
    const errors = validateVietQrInput({ bin: '123', account: '00 11', amount: '50.000', purpose: 'á' });
    expect(errors.map((error) => error.field)).toEqual(['bin', 'account', 'amount', 'purpose']);
    expect(validateVietQrInput(ACCOUNT)).toEqual([]);
  });

  it('refuses input that is not an object instead of crashing', () => {
    expect(() => encode(null as never)).toThrow(VietQrEncodeError);
    expect(validateVietQrInput(undefined as never)).toHaveLength(1);
  });
});

describe('TLV lengths', () => {
  it('writes 1–99 as two digits and refuses 0 and 100+, never wrapping 120 to "20"', () => {
    expect(lengthField('62', 1)).toBe('01');
    expect(lengthField('62', 99)).toBe('99');
    expect(() => lengthField('62', 0)).toThrow(TlvLengthError);
    expect(() => tlv('62', 'x'.repeat(100))).toThrow(TlvLengthError);
    expect(() => tlv('62', 'x'.repeat(120))).toThrow(/120/);
  });
});

describe('foldToAscii', () => {
  it('removes diacritics and maps Đ/đ, whatever the normalisation of the input', () => {
    expect(foldToAscii('thanh toán đơn hàng')).toBe('thanh toan don hang');
    expect(foldToAscii('ĐẶNG VĂN ĐỨC')).toBe('DANG VAN DUC');
    expect(foldToAscii('Hoà'.normalize('NFD'))).toBe('Hoa');
    expect(foldToAscii('ủng hộ lũ lụt')).toBe('ung ho lu lut');
  });

  it('leaves characters without a Vietnamese base letter for the encoder to refuse', () => {
    expect(isPrintableAscii(foldToAscii('giá 5€'))).toBe(false);
  });
});
