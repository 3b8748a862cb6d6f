import fc from 'fast-check';
import { QRPay } from 'vietnam-qr-pay';
import { describe, expect, it } from 'vitest';
import { encode } from '../../src/vietqr/index.js';
import type { VietQrInput } from '../../src/vietqr/index.js';
import { validInput } from './helpers/arbitraries.js';

/**
 * Cross-check against an independent implementation, the npm package `vietnam-qr-pay` (a dev dependency,
 * used only here and in the benchmark): what we emit must read the same in someone else's decoder.
 */
describe('vietnam-qr-pay reads every payload we emit identically', () => {
  it('decodes all our fields to the same values', () => {
    fc.assert(
      fc.property(validInput, (input) => {
        const theirs = new QRPay(encode(input));
        expect(theirs.isValid).toBe(true);
        expect(theirs.provider.guid).toBe('A000000727');
        expect(theirs.initMethod).toBe(input.initiation === 'dynamic' ? '12' : '11');
        expect(theirs.consumer.bankBin).toBe(input.bin);
        expect(theirs.consumer.bankNumber).toBe(input.account);
        expect(theirs.provider.service).toBe(input.service === 'card' ? 'QRIBFTTC' : 'QRIBFTTA');
        expect(theirs.currency).toBe('704');
        expect(theirs.nation).toBe('VN');
        expect(theirs.amount).toBe(input.amount === undefined ? undefined : String(input.amount));
        expect(theirs.additionalData.purpose).toBe(input.purpose);
        expect(theirs.additionalData.billNumber).toBe(input.billNumber);
        expect(theirs.additionalData.reference).toBe(input.referenceLabel);
        expect(theirs.merchant.name).toBe(input.merchantName);
        expect(theirs.city).toBe(input.merchantCity);
      }),
      { numRuns: 1000 },
    );
  });

  it('builds the very same string for the fields both libraries support', () => {
    fc.assert(
      fc.property(validInput, (input: VietQrInput) => {
        const core: VietQrInput = {
          bin: input.bin,
          account: input.account,
          service: input.service ?? 'account',
          initiation: input.initiation ?? 'static',
          ...(input.amount !== undefined && { amount: String(input.amount) }),
          ...(input.purpose !== undefined && { purpose: input.purpose }),
        };
        const theirs = QRPay.initVietQR({
          bankBin: core.bin,
          bankNumber: core.account,
          service: (core.service === 'card' ? 'QRIBFTTC' : 'QRIBFTTA') as never,
          initMethod: core.initiation === 'dynamic' ? '12' : '11',
          ...(core.amount !== undefined && { amount: String(core.amount) }),
          ...(core.purpose !== undefined && { purpose: core.purpose }),
        }).build();
        expect(encode(core)).toBe(theirs);
      }),
      { numRuns: 1000 },
    );
  });
});
