import { describe, expect, it } from 'vitest';
import { loadBankDirectory } from '../../src/banks/bank-directory-file.js';
import { BankDirectoryError, createBankDirectory, parseBankEntries } from '../../src/vietqr/index.js';
import type { BankEntry } from '../../src/vietqr/index.js';

const directory = loadBankDirectory();
const shortNames = (banks: BankEntry[]) => banks.map((bank) => bank.shortName);

describe('bank directory file', () => {
  // That assets/banks.json equals ../shared/reference/banks.json is checked in test/reference/reference-copies.test.ts.
  it('is read once and reused', () => {
    expect(loadBankDirectory()).toBe(directory);
    expect(directory.banks).toHaveLength(66);
  });
});

describe('look-up', () => {
  it('by BIN, including identifiers outside 9704xx', () => {
    expect(directory.byBin('970436')?.shortName).toBe('Vietcombank');
    expect(directory.byBin('971025')?.shortName).toBe('MoMo');
    expect(directory.byBin('970468')).toBeUndefined();
  });

  it('by code or alias, ignoring case, spaces and accents', () => {
    expect(directory.byCode('vcb')?.bin).toBe('970436');
    expect(directory.byCode('ICB')?.bin).toBe('970415');
    expect(directory.byCode('ctg')?.bin).toBe('970415');
    expect(directory.byCode('mb bank')?.bin).toBe('970422');
    expect(directory.byCode('nope')).toBeUndefined();
  });

  it('keeps BVB for BaoVietBank, as vietqr.io does, and BVBank for Viet Capital', () => {
    expect(directory.byCode('BVB')?.bin).toBe('970438');
    expect(directory.byCode('BVBank')?.bin).toBe('970454');
  });

  it('by short or full name, accent- and case-insensitive', () => {
    expect(directory.byName('vietcombank')?.bin).toBe('970436');
    expect(directory.byName('ngan hang tmcp ngoai thuong viet nam')?.bin).toBe('970436');
    expect(directory.byName('NGÂN HÀNG TMCP ĐẦU TƯ VÀ PHÁT TRIỂN VIỆT NAM')?.bin).toBe('970418');
    expect(directory.byName('Ngân hàng')).toBeUndefined();
  });
});

describe('search for the bank picker', () => {
  it('"ngoai thuong" finds Vietcombank first', () => {
    expect(directory.search('ngoai thuong')[0]?.shortName).toBe('Vietcombank');
  });

  it('"bidv" finds BIDV first', () => {
    expect(directory.search('bidv')[0]?.shortName).toBe('BIDV');
  });

  it('"đầu tư" and "dau tu" find the same banks', () => {
    expect(directory.search('Đầu Tư')).toEqual(directory.search('dau tu'));
    expect(shortNames(directory.search('dau tu'))).toContain('BIDV');
  });

  it('ranks an exact code before a prefix before a mere mention', () => {
    const results = shortNames(directory.search('mb', 20));
    expect(results[0]).toBe('MBBank');
    expect(results.indexOf('MBV')).toBeGreaterThan(0);
    const viet = shortNames(directory.search('viet', 30));
    // Short names starting "Viet" come before banks whose full name merely says "Việt Nam".
    expect(viet.slice(0, 4).every((name) => name.toLowerCase().startsWith('viet'))).toBe(true);
    expect(viet).toContain('BIDV');
  });

  it('finds a bank by its BIN', () => {
    expect(directory.search('970418')[0]?.shortName).toBe('BIDV');
  });

  it('respects the limit and returns nothing for a blank query', () => {
    expect(directory.search('ngan hang', 5)).toHaveLength(5);
    expect(directory.search('   ')).toEqual([]);
    expect(directory.search('zzzz')).toEqual([]);
  });
});

describe('building a directory', () => {
  const vcb = {
    bin: '970436',
    code: 'VCB',
    shortName: 'Vietcombank',
    name: 'Ngân hàng TMCP Ngoại Thương Việt Nam',
    transferSupported: true,
    inSbvBinList: true,
  };

  it('refuses a BIN listed twice', () => {
    expect(() => createBankDirectory(parseBankEntries([vcb, vcb]))).toThrow(BankDirectoryError);
  });

  it.each([
    ['not an array', { banks: [] }],
    ['a 5-digit BIN', [{ ...vcb, bin: '97043' }]],
    ['a missing name', [{ ...vcb, name: undefined }]],
    ['aliases that are not strings', [{ ...vcb, aliases: [1] }]],
    ['a missing flag', [{ ...vcb, transferSupported: undefined }]],
  ])('refuses %s', (_name, json) => {
    expect(() => parseBankEntries(json)).toThrow(BankDirectoryError);
  });

  it('returns frozen entries with names in NFC', () => {
    const [entry] = parseBankEntries([{ ...vcb, name: vcb.name.normalize('NFD') }]);
    expect(entry?.name).toBe(vcb.name.normalize('NFC'));
    expect(Object.isFrozen(entry)).toBe(true);
  });
});
