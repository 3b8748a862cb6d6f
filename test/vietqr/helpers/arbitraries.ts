import fc from 'fast-check';
import type { VietQrFields, VietQrInput } from '../../../src/vietqr/index.js';

/** Printable ASCII (EMV "ANS"), the only text the encoder accepts. */
const printable = fc.integer({ min: 0x20, max: 0x7e }).map((code) => String.fromCharCode(code));

export const asciiText = (maxLength: number) => fc.string({ unit: printable, minLength: 1, maxLength });

const digits = (minLength: number, maxLength: number) =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

const alphanumeric = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz');

/** An amount as a caller may pass it: a number or a canonical digit string, 1 to 13 digits. */
const amount = fc.oneof(
  fc.bigInt({ min: 1n, max: 9_999_999_999_999n }).map(Number),
  fc.tuple(fc.constantFrom(...'123456789'), digits(0, 12)).map(([first, rest]) => first + rest),
);

/** Every valid encoder input, all optional fields included. */
export const validInput: fc.Arbitrary<VietQrInput> = fc
  .record(
    {
      bin: digits(6, 6),
      service: fc.constantFrom('account' as const, 'card' as const),
      accountDigits: digits(1, 19),
      accountAlnum: fc.string({ unit: alphanumeric, minLength: 1, maxLength: 19 }),
      initiation: fc.constantFrom('static' as const, 'dynamic' as const),
      amount,
      purpose: asciiText(25),
      billNumber: asciiText(25),
      referenceLabel: asciiText(25),
      merchantName: asciiText(25),
      merchantCity: asciiText(15),
    },
    { requiredKeys: ['bin', 'service', 'accountDigits', 'accountAlnum', 'initiation'] },
  )
  .map(({ accountDigits, accountAlnum, amount: maybeAmount, ...rest }): VietQrInput => {
    const input: VietQrInput = { ...rest, account: rest.service === 'card' ? accountDigits : accountAlnum };
    // A static code carries no amount (the encoder refuses one), so amounts only ride on dynamic codes.
    if (maybeAmount !== undefined && rest.initiation === 'dynamic') input.amount = maybeAmount;
    return input;
  });

/** What `decode` must return for a payload encoded from `input`. */
export function fieldsOf(input: VietQrInput): Omit<VietQrFields, 'bank' | 'unknown'> {
  return {
    initiation: input.initiation ?? 'static',
    bin: input.bin,
    account: input.account,
    service: input.service ?? 'account',
    amount: input.amount === undefined ? null : String(input.amount),
    purpose: input.purpose ?? null,
    billNumber: input.billNumber ?? null,
    referenceLabel: input.referenceLabel ?? null,
    merchantName: input.merchantName ?? null,
    merchantCity: input.merchantCity ?? null,
    additional: {},
    tipOrFee: null,
  };
}
