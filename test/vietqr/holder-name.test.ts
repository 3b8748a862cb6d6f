import { describe, expect, it } from 'vitest';
import { holderNamesMatch, toBankHolderName } from '../../src/vietqr/index.js';

describe('toBankHolderName', () => {
  it.each([
    ['Nguyễn Thị Kim Dung', 'NGUYEN THI KIM DUNG'],
    ['  nguyễn   thị kim  dung ', 'NGUYEN THI KIM DUNG'],
    ['Đặng Văn Đức', 'DANG VAN DUC'],
    ['Trương Thị Hoà', 'TRUONG THI HOA'],
    ['Nguyễn Thị Kim Dung'.normalize('NFD'), 'NGUYEN THI KIM DUNG'],
    ['Lê Ánh Dương', 'LE ANH DUONG'],
  ])('shows %j as bank apps do: %s', (spoken, shown) => {
    expect(toBankHolderName(spoken)).toBe(shown);
  });
});

describe('holderNamesMatch', () => {
  it('matches what the trader said against what the bank app shows', () => {
    expect(holderNamesMatch('Nguyễn Thị Kim Dung', 'NGUYEN THI KIM DUNG')).toBe(true);
  });

  it('ignores tone-mark placement, spacing and punctuation', () => {
    expect(holderNamesMatch('Hòa', 'Hoà')).toBe(true);
    expect(holderNamesMatch('Nguyễn  Văn A.', 'NGUYEN VAN A')).toBe(true);
  });

  it('catches a missing word, a different word or another order', () => {
    expect(holderNamesMatch('Nguyễn Thị Kim Dung', 'NGUYEN THI DUNG')).toBe(false);
    expect(holderNamesMatch('Nguyễn Thị Kim Dung', 'NGUYEN THI KIM DUONG')).toBe(false);
    expect(holderNamesMatch('Nguyễn Thị Kim Dung', 'DUNG NGUYEN THI KIM')).toBe(false);
  });

  it('never matches an empty name', () => {
    expect(holderNamesMatch('', '')).toBe(false);
    expect(holderNamesMatch(' . ', '')).toBe(false);
  });
});
