import { describe, expect, it } from 'vitest';
import { formatDecimal, formatSigned } from '../../src/text/numbers.js';

describe('numbers as Vietnamese readers write them', () => {
  it('writes a decimal comma and a sign on changes', () => {
    expect(formatDecimal(71.3)).toBe('71,3');
    expect(formatDecimal(70)).toBe('70');
    expect(formatSigned(3)).toBe('+3');
    expect(formatSigned(-1.5)).toBe('-1,5');
    expect(formatSigned(0)).toBe('0');
  });
});
