import { describe, expect, it } from 'vitest';
import { loadBankDirectory } from '../../src/banks/bank-directory-file.js';
import { decode } from '../../src/vietqr/index.js';
import type { ProblemCode, VietQrFields } from '../../src/vietqr/index.js';
import { loadVectors } from './helpers/vectors.js';
import type { Vector } from './helpers/vectors.js';

const vectors = loadVectors();
const directory = loadBankDirectory();

/** The vector's expectation in our vocabulary: initiation/service by meaning, 62/01 and 62/05 by name. */
function expectedFields(expect: Vector['expect']): Partial<VietQrFields> {
  const { '01': billNumber = null, '05': referenceLabel = null, ...others } = expect.additional ?? {};
  return {
    initiation: expect.initiation === '11' ? 'static' : 'dynamic',
    bin: expect.bin as string,
    account: expect.account as string,
    service: expect.service === 'QRIBFTTC' ? 'card' : 'account',
    amount: expect.amount,
    purpose: expect.purpose,
    billNumber,
    referenceLabel,
    additional: others,
  };
}

/**
 * The problem codes each invalid vector must produce (at least these). Where the vector says
 * `lenientAccept: true`, a tolerant decoder could accept it; we reject all of them, on purpose:
 * - c-empty-62, dart-vietqr_gen-empty-unreserved: lengths run 01–99 (EMV, NAPAS §5.1); our encoder never
 *   emits a zero-length object, so accepting one would make decode(x) valid for codes we would not make.

 * - c-purpose-30-chars: accepted since issue 14 (see ACCEPTED_ON_PURPOSE below).
 * - tt1-readme-format-00: payload format "00" is not "01"; one README screenshot is weak evidence.
 * - c-trailing-space: decode reports what it was given; trimming pasted text is the caller's policy (the
 *   trailing space breaks the "6304" + CRC ending, so it is reported, not guessed around).
 * Rejected codes still return the fields that could be read, so a scan can pre-fill a form with a warning.
 */
const EXPECTED_PROBLEMS: Readonly<Record<string, readonly ProblemCode[]>> = {
  'anhjean-readme-nested-service': ['UNEXPECTED_TAG', 'SERVICE_MISSING'],
  'c-account-20-chars': ['ACCOUNT_INVALID'],
  'c-amount-length-wrong': ['TLV_HEADER_INVALID'],
  'c-amount-zero': ['AMOUNT_INVALID'],
  'c-currency-usd': ['CURRENCY_INVALID'],
  'c-duplicate-amount': ['DUPLICATE_TAG'],
  'c-empty-62': ['ZERO_LENGTH'],
  'c-format-02': ['FORMAT_INDICATOR_INVALID'],
  'c-init-13': ['INITIATION_INVALID'],
  'c-no-service-code': ['SERVICE_MISSING'],
  'c-nondigit-length': ['TLV_HEADER_INVALID'],
  'c-purpose-diacritics-bytelen': ['NON_ASCII'],
  'c-trailing-space': ['CRC_MISSING', 'TRAILING_DATA'],
  'dart-vietqr_gen-empty-unreserved': ['ZERO_LENGTH'],
  'tt1-readme-format-00': ['FORMAT_INDICATOR_INVALID'],
  'unicube-readme-bad-purpose-length': ['CRC_MISMATCH'],
  'vqp-test-vnpay-not-vietqr': ['NOT_VIETQR'],
  'vqts-fixture-crc-0000': ['CRC_MISMATCH', 'UNEXPECTED_TAG', 'SERVICE_MISSING'],
};

/**
 * Vectors the shared file calls invalid that decode accepts, deliberately: a 30-character 62/08 memo is
 * over NAPAS's 25 but is what providers emit (32 seen), and bank apps show it; decode reads the memo at
 * any length the TLV allows, while our encoder still refuses more than 25 (decode.ts, UNCAPPED_ADDITIONAL_ID).
 */
const ACCEPTED_ON_PURPOSE: ReadonlySet<string> = new Set(['c-purpose-30-chars']);

const CRC_CODES: readonly ProblemCode[] = ['CRC_MISMATCH', 'CRC_MISSING', 'CRC_INVALID_FORMAT'];

describe('shared VietQR vectors', () => {
  it('holds both valid and invalid vectors', () => {
    expect(vectors.filter((v) => v.expect.valid).length).toBeGreaterThan(10);
    expect(vectors.filter((v) => !v.expect.valid).length).toBeGreaterThan(10);
  });

  describe.each(vectors.filter((v) => v.expect.valid).map((v) => [v.id, v] as const))('valid %s', (_id, vector) => {
    it('decodes to exactly its expected fields, with the bank from the directory', () => {
      const result = decode(vector.payload, { directory });
      expect(result.problems).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.verdict).toBe('vietqr');
      expect(result.fields).toMatchObject(expectedFields(vector.expect));
      expect(result.fields.additional).toEqual(expectedFields(vector.expect).additional);
      expect(result.fields.bank ?? null).toBe(directory.byBin(vector.expect.bin as string) ?? null);
    });
  });

  it('when a long memo is the only fault, then the code is accepted with the memo whole', () => {
    for (const id of ACCEPTED_ON_PURPOSE) {
      const vector = vectors.find((v) => v.id === id) as Vector;
      const result = decode(vector.payload, { directory });
      expect(result.verdict).toBe('vietqr');
      expect(result.fields.purpose).toBe(vector.expect.purpose);
    }
  });

  const rejected = vectors.filter((v) => !v.expect.valid && !ACCEPTED_ON_PURPOSE.has(v.id));
  describe.each(rejected.map((v) => [v.id, v] as const))('invalid %s', (id, vector) => {
    it('is rejected, with the reason the vector gives', () => {
      const result = decode(vector.payload, { directory });
      expect(result.valid).toBe(false);
      const codes = result.problems.map((problem) => problem.code);
      expect(EXPECTED_PROBLEMS[id], `add the expected problem codes for new vector ${id}`).toBeDefined();
      expect(codes).toEqual(expect.arrayContaining([...(EXPECTED_PROBLEMS[id] ?? [])]));
      expect(codes.some((code) => CRC_CODES.includes(code))).toBe(!vector.expect.crcValid);
      for (const problem of result.problems) expect(problem.message).toMatch(/\p{Letter}{2}/u);
    });

    it('still returns the BIN and account a plain TLV walk recovers', () => {
      const result = decode(vector.payload);
      if (vector.expect.bin !== null) expect(result.fields.bin).toBe(vector.expect.bin);
      if (vector.expect.account !== null) expect(result.fields.account).toBe(vector.expect.account);
    });
  });

  it('tells a VNPAY-QR apart from a damaged code', () => {
    const vnpay = vectors.find((v) => v.id === 'vqp-test-vnpay-not-vietqr') as Vector;
    const result = decode(vnpay.payload);
    expect(result.verdict).toBe('not_vietqr');
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]?.message).toContain('VNPAY-QR');
    expect(result.fields.additional).toEqual(vnpay.expect.additional);
  });
});
