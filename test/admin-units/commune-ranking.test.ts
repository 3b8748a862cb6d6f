import { describe, expect, it } from 'vitest';
import { communeLabel, rankCommunes, withoutTypeWord } from '../../src/admin-units/commune-ranking.js';

const commune = (code: string, name: string, province: string) => ({ code, name, province_code: province });

const TAM_DIEP = commune('14362', 'Phường Tam Điệp', '37');
const TAM_QUANG = commune('16933', 'Xã Tam Quang', '40');
const TAM_QUAN = commune('21637', 'Phường Tam Quan', '52');
const HOAI_NHON_BAC = commune('21655', 'Phường Hoài Nhơn Bắc', '52');
const HOAI_NHON = commune('21664', 'Phường Hoài Nhơn', '52');
const FORMER = [
  // The old row that made "tam quan" find Tam Điệp: "tam" in its current name, "quan" in "Quang Sơn".
  { communeCode: '14362', oldName: 'Xã Quang Sơn' },
  { communeCode: '21655', oldName: 'Phường Tam Quan Bắc' },
  { communeCode: '21655', oldName: 'Xã Hoài Sơn' },
  { communeCode: '21664', oldName: 'Phường Tam Quan Nam' },
  { communeCode: '21637', oldName: 'Phường Tam Quan' },
];
const ALL = [TAM_DIEP, TAM_QUANG, HOAI_NHON_BAC, HOAI_NHON, TAM_QUAN];
const codes = (ranked: { code: string }[]) => ranked.map((c) => c.code);

describe('rankCommunes', () => {
  it('when "tam quan" is typed, then Phường Tam Quan comes first and Tam Điệp not at all', () => {
    const ranked = rankCommunes('tam quan', ALL, FORMER, new Set(), 10);
    expect(codes(ranked)).toEqual(['21637', '16933', '21664', '21655']);
    expect(ranked.map((c) => c.match)).toEqual(['exact', 'prefix', 'former', 'former']);
  });

  it('when the type word is typed too, or accents, then the exact match is the same', () => {
    for (const query of ['Phường Tam Quan', 'phuong tam quan', 'TAM QUÂN', 'tam  quan ']) {
      expect(rankCommunes(query, ALL, FORMER, new Set(), 10)[0]).toMatchObject({ code: '21637', match: 'exact' });
    }
  });

  it('when another type word is typed, then that name is no longer an exact match', () => {
    const ranked = rankCommunes('xa tam quan', ALL, FORMER, new Set(), 10);
    expect(ranked[0]).toMatchObject({ code: '16933', match: 'prefix' });
    expect(ranked.find((c) => c.code === '21637')).toBeUndefined();
  });

  it('when a commune is found by an old name, then it carries that name and its label says "trước đây"', () => {
    const ranked = rankCommunes('tam quan bac', ALL, FORMER, new Set(), 10);
    expect(ranked).toEqual([{ ...HOAI_NHON_BAC, match: 'former', formerName: 'Phường Tam Quan Bắc' }]);
    expect(communeLabel(ranked[0]!)).toBe('Phường Hoài Nhơn Bắc (trước đây: Phường Tam Quan Bắc)');
  });

  it('when a commune matches by its current name and an old one, then it has no old-name label', () => {
    const [first] = rankCommunes('tam quan', ALL, FORMER, new Set(), 10);
    expect(first).not.toHaveProperty('formerName');
    expect(communeLabel(first!)).toBe('Phường Tam Quan');
  });

  it('when the words are spread over two old names, then the commune is not found by them', () => {
    // "tam quan" + "son" are in 21655's two old names, never in one.
    expect(codes(rankCommunes('tam quan son', ALL, FORMER, new Set(), 10))).toEqual([]);
  });

  it('when the user works in a province, then its communes come first inside each kind of match', () => {
    const an = [commune('00001', 'Xã An Bình', '01'), commune('00002', 'Xã An Bình', '52')];
    expect(codes(rankCommunes('an binh', an, [], new Set(), 10))).toEqual(['00001', '00002']);
    expect(codes(rankCommunes('an binh', an, [], new Set(['52']), 10))).toEqual(['00002', '00001']);
    // Own province never lifts a weaker kind of match above an exact one.
    const mixed = [commune('00003', 'Xã Tây An Bình', '52'), commune('00001', 'Xã An Bình', '01')];
    expect(codes(rankCommunes('an binh', mixed, [], new Set(['52']), 10))).toEqual(['00001', '00003']);
  });

  it('when "hoa" or "hoà" is typed, then "Hòa" and "Hoà" names are found alike', () => {
    const names = [commune('01654', 'Xã Hòa An', '04'), commune('09999', 'Phường Hoà Khánh', '48')];
    for (const query of ['hoa', 'hoà', 'hòa', 'HOÀ']) {
      expect(codes(rankCommunes(query, names, [], new Set(), 10))).toEqual(['01654', '09999']);
    }
  });

  it('when words start words of the name, then it ranks above words inside other words', () => {
    const names = [commune('00010', 'Xã Lan Giang', '01'), commune('00011', 'Xã Bình An', '01')];
    expect(codes(rankCommunes('an', names, [], new Set(), 10))).toEqual(['00011', '00010']);
  });

  it('when candidates repeat or the limit is small, then each commune appears once and the limit holds', () => {
    const ranked = rankCommunes('tam quan', [...ALL, ...ALL], FORMER, new Set(), 2);
    expect(codes(ranked)).toEqual(['21637', '16933']);
  });

  it('strips only a leading type word', () => {
    expect(withoutTypeWord('phuong tam quan')).toBe('tam quan');
    expect(withoutTypeWord('dac khu phu quoc')).toBe('phu quoc');
    expect(withoutTypeWord('tam xa')).toBe('tam xa');
  });
});
