import { describe, expect, it } from 'vitest';
import { loadBankDirectory } from '../../src/banks/bank-directory-file.js';
import { crc16, crcHex, decode, encode } from '../../src/vietqr/index.js';
import type { DecodeResult, ProblemCode } from '../../src/vietqr/index.js';

/** A TLV object written by hand, so tests can build payloads the encoder would refuse to make. */
function t(id: string, value: string): string {
  return id + String(value.length).padStart(2, '0') + value;
}

/** `body` + "6304" + its correct CRC: only the rule under test is broken. */
function withCrc(body: string): string {
  const covered = body + '6304';
  return covered + crcHex(crc16(covered));
}

const BENEFICIARY = t('00', '970436') + t('01', '0011001234567');
const MERCHANT_ACCOUNT = t('00', 'A000000727') + t('01', BENEFICIARY) + t('02', 'QRIBFTTA');
const F00 = t('00', '01');
const F01 = t('01', '12');
const F38 = t('38', MERCHANT_ACCOUNT);
const F53 = t('53', '704');
const F54 = t('54', '50000');
const F58 = t('58', 'VN');
const F62 = t('62', t('08', 'thanh toan don hang'));

function codes(result: DecodeResult): ProblemCode[] {
  return result.problems.map((problem) => problem.code);
}

describe('decode', () => {
  it('accepts a hand-built code equal to what the encoder makes', () => {
    const payload = withCrc(F00 + F01 + F38 + F53 + F54 + F58 + F62);
    expect(payload).toBe(
      encode({
        bin: '970436',
        account: '0011001234567',
        initiation: 'dynamic',
        amount: 50000,
        purpose: 'thanh toan don hang',
      }),
    );
    expect(decode(payload).valid).toBe(true);
  });

  it('accepts tags in any order between 00 and 63, at the root and inside templates', () => {
    const shuffled38 = t(
      '38',
      t('02', 'QRIBFTTA') + t('01', t('01', '0011001234567') + t('00', '970436')) + t('00', 'A000000727'),
    );
    const result = decode(withCrc(F00 + F62 + F58 + F54 + F53 + shuffled38 + F01));
    expect(result.problems).toEqual([]);
    expect(result.fields).toMatchObject({
      bin: '970436',
      account: '0011001234567',
      amount: '50000',
      purpose: 'thanh toan don hang',
    });
  });

  it('compares the CRC case-insensitively', () => {
    const payload = withCrc(F00 + F01 + F38 + F53 + F58);
    const lower = payload.slice(0, -4) + payload.slice(-4).toLowerCase();
    expect(/[a-f]/.test(lower.slice(-4)) || lower === payload).toBe(true);
    expect(decode(lower).valid).toBe(true);
  });

  it('finds the bank from the directory when one is given', () => {
    const payload = withCrc(F00 + F01 + F38 + F53 + F58);
    expect(decode(payload, { directory: loadBankDirectory() }).fields.bank?.shortName).toBe('Vietcombank');
    expect(decode(payload).fields.bank).toBeNull();
  });

  it('accepts "50000." (NAPAS §5.2.6 lists it as valid) and keeps it as written', () => {
    const result = decode(withCrc(F00 + F01 + F38 + F53 + t('54', '50000.') + F58));
    expect(result.valid).toBe(true);
    expect(result.fields.amount).toBe('50000.');
  });

  it('keeps unknown root tags and other 62 sub-fields raw', () => {
    const result = decode(
      withCrc(
        F00 +
          F01 +
          F38 +
          t('52', '5812') +
          F53 +
          F58 +
          t('62', t('03', 'SAP 12') + t('08', 'x') + t('50', 'opaque')) +
          t('64', t('00', 'vi')) +
          t('80', '046'),
      ),
    );
    expect(result.valid).toBe(true);
    expect(result.fields.unknown).toEqual({ '52': '5812', '64': '0002vi', '80': '046' });
    expect(result.fields.additional).toEqual({ '03': 'SAP 12', '50': 'opaque' });
  });

  it('accepts a static code without amount and a dynamic code without amount (static/dynamic is advisory)', () => {
    expect(decode(withCrc(F00 + t('01', '11') + F38 + F53 + F58)).fields.initiation).toBe('static');
    expect(decode(withCrc(F00 + t('01', '12') + F38 + F53 + F58)).valid).toBe(true);
    expect(decode(withCrc(F00 + t('01', '11') + F38 + F53 + F54 + F58)).valid).toBe(true);
  });
});

describe('decode reports every problem, each with a stable code and a Vietnamese message', () => {
  const cases: Array<[string, string, ProblemCode[]]> = [
    ['a wrong CRC', F00 + F01 + F38 + F53 + F58 + '63041234', ['CRC_MISMATCH']],
    ['a CRC that is not hex', F00 + F01 + F38 + F53 + F58 + '6304XYZW', ['CRC_INVALID_FORMAT']],
    ['no CRC', F00 + F01 + F38 + F53 + F58, ['CRC_MISSING']],
    ['a truncated code', withCrc(F00 + F01 + F38 + F53 + F58).slice(0, -10), ['CRC_MISSING']],
    ['00 not first', withCrc(F01 + F00 + F38 + F53 + F58), ['FORMAT_INDICATOR_NOT_FIRST']],
    ['no 00', withCrc(F01 + F38 + F53 + F58), ['FORMAT_INDICATOR_NOT_FIRST']],
    ['63 not last', F00 + F01 + F38 + '6304ABCD' + F53 + F58, ['CRC_NOT_LAST', 'CRC_MISSING']],
    [
      'a root length running past the end',
      withCrc(F00 + F01 + F38 + F53 + F58) + '5405123',
      ['CRC_MISSING', 'LENGTH_OVERRUN'],
    ],
    ['a non-digit length', withCrc(F00 + F01 + F38 + '53x3704' + F58), ['TLV_HEADER_INVALID']],
    ['3 stray characters at the end', withCrc(F00 + F01 + F38 + F53 + F58) + 'ABC', ['CRC_MISSING', 'TRAILING_DATA']],
    [
      'a 38 whose parts overrun it',
      withCrc(F00 + F01 + t('38', t('00', 'A000000727') + '0150' + BENEFICIARY + t('02', 'QRIBFTTA')) + F53 + F58),
      ['LENGTH_OVERRUN'],
    ],
    [
      'a 38/01 whose parts do not add up',
      withCrc(
        F00 +
          F01 +
          t('38', t('00', 'A000000727') + t('01', t('00', '970436') + '0112' + '0011001234567') + t('02', 'QRIBFTTA')) +
          F53 +
          F58,
      ),
      ['TRAILING_DATA'],
    ],
    ['a 62 whose parts overrun it', withCrc(F00 + F01 + F38 + F53 + F58 + t('62', '0830abc')), ['LENGTH_OVERRUN']],
    ['a zero-length 62/08', withCrc(F00 + F01 + F38 + F53 + F58 + t('62', '0800' + t('01', 'x'))), ['ZERO_LENGTH']],
    ['a zero-length root tag', withCrc(F00 + F01 + F38 + F53 + F58 + '5900'), ['ZERO_LENGTH']],
    [
      'a duplicate tag in 38/01',
      withCrc(
        F00 +
          F01 +
          t('38', t('00', 'A000000727') + t('01', BENEFICIARY + t('00', '970418')) + t('02', 'QRIBFTTA')) +
          F53 +
          F58,
      ),
      ['DUPLICATE_TAG'],
    ],
    [
      'a duplicate 62 sub-field',
      withCrc(F00 + F01 + F38 + F53 + F58 + t('62', t('08', 'a') + t('08', 'b'))),
      ['DUPLICATE_TAG'],
    ],
    ['format indicator 02', withCrc(t('00', '02') + F01 + F38 + F53 + F58), ['FORMAT_INDICATOR_INVALID']],
    ['no initiation', withCrc(F00 + F38 + F53 + F58), ['INITIATION_MISSING']],
    ['initiation 13', withCrc(F00 + t('01', '13') + F38 + F53 + F58), ['INITIATION_INVALID']],
    ['no currency', withCrc(F00 + F01 + F38 + F58), ['CURRENCY_MISSING']],
    ['currency 840', withCrc(F00 + F01 + F38 + t('53', '840') + F58), ['CURRENCY_INVALID']],
    ['no country', withCrc(F00 + F01 + F38 + F53), ['COUNTRY_MISSING']],
    ['country TH', withCrc(F00 + F01 + F38 + F53 + t('58', 'TH')), ['COUNTRY_INVALID']],
    ['amount 0', withCrc(F00 + F01 + F38 + F53 + t('54', '0') + F58), ['AMOUNT_INVALID']],
    ['amount 000', withCrc(F00 + F01 + F38 + F53 + t('54', '000') + F58), ['AMOUNT_INVALID']],
    ['amount with decimals', withCrc(F00 + F01 + F38 + F53 + t('54', '50000.50') + F58), ['AMOUNT_INVALID']],
    ['amount with a separator', withCrc(F00 + F01 + F38 + F53 + t('54', '50 000') + F58), ['AMOUNT_INVALID']],
    ['amount of 14 digits', withCrc(F00 + F01 + F38 + F53 + t('54', '12345678901234') + F58), ['AMOUNT_INVALID']],
    ['a 3-letter MCC', withCrc(F00 + F01 + F38 + t('52', 'ABC') + F53 + F58), ['MCC_INVALID']],
    [
      'a 26-character merchant name',
      withCrc(F00 + F01 + F38 + F53 + F58 + t('59', 'N'.repeat(26))),
      ['FIELD_TOO_LONG'],
    ],
    [
      'a 26-character bill number',
      withCrc(F00 + F01 + F38 + F53 + F58 + t('62', t('01', '1'.repeat(26)))),
      ['FIELD_TOO_LONG'],
    ],
    [
      '62/09 with a repeated letter',
      withCrc(F00 + F01 + F38 + F53 + F58 + t('62', t('09', 'AA'))),
      ['CONSUMER_DATA_REQUEST_INVALID'],
    ],
    [
      'no GUID in 38',
      withCrc(F00 + F01 + t('38', t('01', BENEFICIARY) + t('02', 'QRIBFTTA')) + F53 + F58),
      ['GUID_MISSING'],
    ],
    [
      'no 38/01',
      withCrc(F00 + F01 + t('38', t('00', 'A000000727') + t('02', 'QRIBFTTA')) + F53 + F58),
      ['BENEFICIARY_MISSING'],
    ],
    [
      'no BIN',
      withCrc(
        F00 +
          F01 +
          t('38', t('00', 'A000000727') + t('01', t('01', '0011001234567')) + t('02', 'QRIBFTTA')) +
          F53 +
          F58,
      ),
      ['BIN_MISSING'],
    ],
    [
      'a 5-digit BIN',
      withCrc(
        F00 +
          F01 +
          t('38', t('00', 'A000000727') + t('01', t('00', '97043') + t('01', '0011')) + t('02', 'QRIBFTTA')) +
          F53 +
          F58,
      ),
      ['BIN_INVALID'],
    ],
    [
      'no account',
      withCrc(
        F00 + F01 + t('38', t('00', 'A000000727') + t('01', t('00', '970436')) + t('02', 'QRIBFTTA')) + F53 + F58,
      ),
      ['ACCOUNT_MISSING'],
    ],
    [
      'an account with a space',
      withCrc(
        F00 +
          F01 +
          t('38', t('00', 'A000000727') + t('01', t('00', '970436') + t('01', '0011 0012')) + t('02', 'QRIBFTTA')) +
          F53 +
          F58,
      ),
      ['ACCOUNT_INVALID'],
    ],
    [
      'a card number with letters',
      withCrc(
        F00 +
          F01 +
          t('38', t('00', 'A000000727') + t('01', t('00', '970436') + t('01', '9704ABC')) + t('02', 'QRIBFTTC')) +
          F53 +
          F58,
      ),
      ['ACCOUNT_INVALID'],
    ],
    [
      'no service code',
      withCrc(F00 + F01 + t('38', t('00', 'A000000727') + t('01', BENEFICIARY)) + F53 + F58),
      ['SERVICE_MISSING'],
    ],
    [
      'an unknown NAPAS service code',
      withCrc(F00 + F01 + t('38', t('00', 'A000000727') + t('01', BENEFICIARY) + t('02', 'QRXYZ')) + F53 + F58),
      ['SERVICE_UNSUPPORTED'],
    ],
    ['a control character', withCrc(F00 + F01 + F38 + F53 + F58 + t('62', t('08', 'a\tb'))), ['CONTROL_CHARACTER']],
    [
      'diacritics counted in characters',
      withCrc(F00 + F01 + F38 + F53 + F58 + t('62', t('08', 'thanh toán'))),
      ['NON_ASCII'],
    ],
    ['an empty string', '', ['EMPTY_INPUT']],
  ];

  it.each(cases)('%s', (_name, payload, expected) => {
    const result = decode(payload);
    expect(result.valid).toBe(false);
    expect(codes(result)).toEqual(expect.arrayContaining(expected));
    for (const problem of result.problems) {
      expect(problem.message.normalize('NFC')).toBe(problem.message);
      expect(problem.message).toMatch(/[àáảãạăâđèéêìíòóôơùúưỳý]/i);
    }
  });

  it('lists several problems together rather than stopping at the first', () => {
    const result = decode(
      withCrc(
        t('01', '13') +
          F00 +
          t('38', t('00', 'A000000727') + t('01', t('00', '97043') + t('01', '0'.repeat(20)))) +
          t('53', '840') +
          t('54', '0') +
          t('58', 'US'),
      ),
    );
    expect(codes(result)).toEqual(
      expect.arrayContaining([
        'FORMAT_INDICATOR_NOT_FIRST',
        'INITIATION_INVALID',
        'CURRENCY_INVALID',
        'COUNTRY_INVALID',
        'AMOUNT_INVALID',
        'SERVICE_MISSING',
        'BIN_INVALID',
        'ACCOUNT_INVALID',
      ]),
    );
  });

  it('names where each problem is', () => {
    const result = decode(
      withCrc(
        F00 +
          F01 +
          t('38', t('00', 'A000000727') + t('01', t('00', '970436') + t('01', '0'.repeat(20))) + t('02', 'QRIBFTTA')) +
          F53 +
          F58,
      ),
    );
    expect(result.problems).toEqual([expect.objectContaining({ code: 'ACCOUNT_INVALID', path: '38/01/01' })]);
  });

  it('neither asks for fields it cannot locate nor calls the code foreign once a length breaks the walk', () => {
    const result = decode(withCrc(F00 + F01 + '38xx' + F53 + F58));
    expect(codes(result)).toEqual(['TLV_HEADER_INVALID']);
    expect(result.verdict).toBe('invalid');
  });
});

describe('decode tells other EMV codes apart', () => {
  it('calls a sound code without tag 38 "not a VietQR", with no other noise', () => {
    const vnpay = withCrc(
      F00 +
        t('01', '11') +
        t('26', t('00', 'A000000775') + t('01', '0108799042')) +
        t('52', '5977') +
        F53 +
        F58 +
        t('59', 'MYPHAMHER'),
    );
    const result = decode(vnpay);
    expect(result).toMatchObject({ valid: false, verdict: 'not_vietqr' });
    expect(codes(result)).toEqual(['NOT_VIETQR']);
    expect(result.problems[0]?.message).toContain('VNPAY-QR');
  });

  it('calls a tag 38 carrying another scheme\'s GUID "not a VietQR"', () => {
    const result = decode(withCrc(F00 + F01 + t('38', t('00', 'A000000775') + t('01', '0108799042')) + F53 + F58));
    expect(result.verdict).toBe('not_vietqr');
  });

  it('does not hold a foreign code to VietQR currency and country rules', () => {
    const foreign = withCrc(
      F00 + F01 + t('29', t('00', 'A000000677010111') + t('01', '0066812345678')) + t('53', '764') + t('58', 'TH'),
    );
    expect(codes(decode(foreign))).toEqual(['NOT_VIETQR']);
  });

  it('calls a damaged foreign code invalid, listing the damage too', () => {
    const damaged = F00 + F01 + t('26', t('00', 'A000000775')) + F53 + F58 + '63040000';
    expect(decode(damaged)).toMatchObject({ verdict: 'invalid' });
    expect(codes(decode(damaged))).toEqual(['CRC_MISMATCH', 'NOT_VIETQR']);
  });
});

describe('decode never throws', () => {
  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an object', { payload: 'x' }],
  ])('on %s', (_name, input) => {
    expect(decode(input as never)).toMatchObject({ valid: false, problems: [{ code: 'NOT_A_STRING' }] });
  });

  it('on a 100,000-character string', () => {
    expect(decode('0'.repeat(100_000)).valid).toBe(false);
  });
});
