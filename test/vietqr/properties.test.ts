import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadBankDirectory } from '../../src/banks/bank-directory-file.js';
import { decode, encode } from '../../src/vietqr/index.js';
import { fieldsOf, validInput } from './helpers/arbitraries.js';

const directory = loadBankDirectory();

/** A string shaped like EMV TLV but with random IDs, lengths (sometimes wrong) and values. */
const tlvLike = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 99 }), fc.string({ maxLength: 30 }), fc.integer({ min: -3, max: 3 })), {
    maxLength: 12,
  })
  .map((objects) =>
    objects
      .map(
        ([id, value, skew]) =>
          String(id).padStart(2, '0') + String(Math.max(0, Math.min(99, value.length + skew))).padStart(2, '0') + value,
      )
      .join(''),
  );

/** A valid payload with one edit: a character replaced, inserted or deleted, or two swapped. */
const mutatedPayload = fc
  .tuple(
    validInput,
    fc.nat(),
    fc.nat(),
    fc.constantFrom('replace', 'insert', 'delete', 'swap'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  )
  .map(([input, a, b, edit, char]) => {
    const payload = encode(input);
    const i = a % payload.length;
    const j = b % payload.length;
    switch (edit) {
      case 'replace':
        return payload.slice(0, i) + char + payload.slice(i + 1);
      case 'insert':
        return payload.slice(0, i) + char + payload.slice(i);
      case 'delete':
        return payload.slice(0, i) + payload.slice(i + 1);
      default: {
        const chars = [...payload];
        [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
        return chars.join('');
      }
    }
  });

describe('properties', () => {
  it('decode(encode(x)) returns x for every valid input', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const result = decode(encode(input), { directory });
        expect(result.problems).toEqual([]);
        expect(result.fields).toMatchObject(fieldsOf(input));
        expect(result.fields.unknown).toEqual({});
        expect(result.fields.bank ?? null).toBe(directory.byBin(input.bin) ?? null);
      }),
      { numRuns: 1000 },
    );
  });

  it('the encoder emits only printable ASCII, with every length field matching its value', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const payload = encode(input);
        expect(payload).toMatch(/^[\x20-\x7e]+$/);
        expect(payload.slice(-8, -4)).toBe('6304');
        expect(payload.slice(-4)).toMatch(/^[0-9A-F]{4}$/);
      }),
      { numRuns: 300 },
    );
  });

  it('decode never throws on arbitrary strings, and never calls them valid', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.string({ maxLength: 300 }), tlvLike),
        (text) => {
          expect(() => decode(text)).not.toThrow();
          const result = decode(text);
          expect(result.valid).toBe(false);
          expect(result.problems.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('decode never throws on mutated payloads', () => {
    fc.assert(
      fc.property(mutatedPayload, (text) => {
        expect(() => decode(text, { directory })).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it('any single-character change is caught, except the case of a CRC hex letter', () => {
    fc.assert(
      fc.property(
        validInput,
        fc.nat(),
        fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
        (input, at, char) => {
          const payload = encode(input);
          const i = at % payload.length;
          const original = payload[i] as string;
          fc.pre(char !== original);
          const caseOnlyInCrc = i >= payload.length - 4 && char.toUpperCase() === original.toUpperCase();
          const mutated = payload.slice(0, i) + char + payload.slice(i + 1);
          expect(decode(mutated).valid).toBe(caseOnlyInCrc);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
