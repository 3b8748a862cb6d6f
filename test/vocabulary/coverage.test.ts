import { describe, expect, it } from 'vitest';
import { coverage, emptyStatusCounts, type StatusCounts } from '../../src/vocabulary/coverage.js';

function counts(partial: Partial<StatusCounts>): StatusCounts {
  return { ...emptyStatusCounts(), ...partial };
}

describe('coverage', () => {
  it.each([
    // installed, other statuses, target → label, achieved
    [{ installed: 84, surveyed: 28 }, 70, '84/112 (75 %)', true],
    [{ installed: 7, surveyed: 3 }, 70, '7/10 (70 %)', true],
    [{ installed: 69, surveyed: 30, has_account: 1 }, 70, '69/100 (69 %)', false],
    // 69.6 %: rounded down, so the label never shows the target while the site is not đạt.
    [{ installed: 696, surveyed: 304 }, 70, '696/1000 (69 %)', false],
    [{ installed: 2, surveyed: 1 }, 66, '2/3 (66 %)', true],
    [{ installed: 5, closed: 20 }, 70, '5/5 (100 %)', true],
    [{ refused: 4, qr_verified: 1 }, 70, '0/5 (0 %)', false],
  ] as const)('%o at target %i → %s', (partial, target, label, achieved) => {
    const result = coverage(counts(partial), target);
    expect(result.label).toBe(label);
    expect(result.achieved).toBe(achieved);
  });

  it('when every stall is closed, then the census is empty: "chưa có sạp", not achieved, no division', () => {
    const result = coverage(counts({ closed: 3 }), 70);
    expect(result).toMatchObject({ census: 0, ratio: null, percent: null, achieved: false, label: 'chưa có sạp' });
  });

  it('closed stalls leave the census but refused ones stay in it', () => {
    expect(coverage(counts({ installed: 1, refused: 1, closed: 5 }), 50)).toMatchObject({
      census: 2,
      percent: 50,
      achieved: true,
    });
  });
});
