import { describe, expect, it } from 'vitest';
import type { SiteAreaRow } from '../../src/adoption/adoption-types.js';
import { sitesBehind, stallsNeeded, targetsByArea, targetsLabel, targetsSet } from '../../src/adoption/sites-behind.js';
import { coverage, emptyStatusCounts } from '../../src/vocabulary/coverage.js';
import { spansProvinces } from '../../src/dashboard/sites-behind-table.js';

/** A site row as the engine builds it, from its counts and target. */
function site(
  id: number,
  name: string,
  installed: number,
  census: number,
  target = 70,
  where: { commune?: string; province?: string } = {},
): SiteAreaRow {
  const counts = { ...emptyStatusCounts(), installed, surveyed: census - installed };
  const cov = coverage(counts, target);
  const gap = census === 0 ? null : Math.floor(((installed * 100) / census - target) * 10) / 10;
  const commune = where.commune ?? '23575';
  const province = where.province ?? '52';
  return {
    kind: 'site',
    key: String(id),
    name,
    siteKind: 'market',
    communeCode: commune,
    provinceCode: province,
    counts,
    coverage: cov,
    target: {
      percent: target,
      source: 'site',
      achieved: cov.achieved,
      gapPp: gap,
      gapClass: census === 0 ? 'empty' : cov.achieved ? 'achieved' : 'behind',
      deadline: null,
      campaign: null,
    },
    sites: { total: 1, achieved: cov.achieved ? 1 : 0, empty: census === 0 ? 1 : 0 },
    communes: null,
    commune: { code: commune, name: `Xã ${commune}` },
    province: { code: province, name: `Tỉnh ${province}` },
  };
}

describe('stallsNeeded', () => {
  it('when a site is short of its target, then it needs the fewest stalls that make it đạt', () => {
    expect(stallsNeeded(15, 33, 70)).toBe(9); // 23.1 → 24
    expect(stallsNeeded(29, 58, 70)).toBe(12); // 40.6 → 41
    expect(stallsNeeded(41, 54, 80)).toBe(3); // 43.2 → 44
    expect(stallsNeeded(6, 10, 70)).toBe(1); // exactly 7
    expect(stallsNeeded(0, 3, 66.7)).toBe(3); // 2.001 → 3
  });

  it('when a site is at or above its target, or has no stall, then it needs none', () => {
    expect(stallsNeeded(7, 10, 70)).toBe(0);
    expect(stallsNeeded(9, 10, 70)).toBe(0);
    expect(stallsNeeded(0, 0, 70)).toBe(0);
  });

  it('when the stalls needed are added, then coverage() agrees the site is đạt, and not with one fewer', () => {
    for (let census = 1; census <= 60; census++)
      for (const target of [50, 66.5, 70, 75, 80, 100])
        for (let installed = 0; installed <= census; installed++) {
          const n = stallsNeeded(installed, census, target);
          const at = (k: number) => coverage({ ...emptyStatusCounts(), installed: k, surveyed: census - k }, target);
          if (installed + n <= census) expect(at(installed + n).achieved).toBe(true);
          if (n > 0) expect(at(installed + n - 1).achieved).toBe(false);
        }
  });
});

describe('sitesBehind', () => {
  it('when sites are behind, đạt or not surveyed, then only the behind ones are listed, furthest behind first', () => {
    const result = sitesBehind([
      site(1, 'Chợ đạt', 8, 10),
      site(2, 'Chợ số 10', 5, 10),
      site(3, 'Chợ chưa khảo sát', 0, 0),
      site(4, 'Chợ số 2', 5, 10),
      site(5, 'Chợ xa nhất', 1, 20),
      site(6, 'Chợ gần đạt', 13, 20, 70),
    ]);
    expect(result.rows.map((r) => [r.site.name, r.stallsNeeded])).toEqual([
      ['Chợ xa nhất', 13],
      // Same gap and need: by name, numbers in order ("số 2" before "số 10").
      ['Chợ số 2', 2],
      ['Chợ số 10', 2],
      ['Chợ gần đạt', 1],
    ]);
    expect(result).toMatchObject({ notSurveyed: 1, siteCount: 6, stallsNeeded: 18, targets: { min: 70, max: 70 } });
  });

  it('when two sites are as far behind, then the one needing more stalls comes first', () => {
    const result = sitesBehind([site(1, 'A nhỏ', 1, 10), site(2, 'B lớn', 10, 100)]);
    expect(result.rows.map((r) => r.site.name)).toEqual(['B lớn', 'A nhỏ']);
  });

  it('when there is no site, then nothing is behind and no target is set', () => {
    expect(sitesBehind([])).toEqual({ rows: [], notSurveyed: 0, siteCount: 0, stallsNeeded: 0, targets: null });
  });
});

describe('the targets that were set', () => {
  it('when every site has the same target, then one value; when they differ, then the range', () => {
    expect(targetsLabel(targetsSet([site(1, 'a', 1, 2), site(2, 'b', 1, 2)]))).toBe('70 %');
    expect(targetsLabel(targetsSet([site(1, 'a', 1, 2, 80), site(2, 'b', 0, 0, 70)]))).toBe('70–80 %');
    expect(targetsLabel(targetsSet([site(1, 'a', 1, 2, 72.5)]))).toBe('72,5 %');
    expect(targetsLabel(null)).toBe('—');
  });

  it('when sites lie in several communes, then each commune has the range of its own sites', () => {
    const sites = [
      site(1, 'a', 1, 2, 70, { commune: '23575' }),
      site(2, 'b', 1, 2, 80, { commune: '23887' }),
      site(3, 'c', 1, 2, 75, { commune: '23887' }),
    ];
    expect(Object.fromEntries(targetsByArea(sites, 'communes'))).toEqual({
      '23575': { min: 70, max: 70 },
      '23887': { min: 75, max: 80 },
    });
    expect(Object.fromEntries(targetsByArea(sites, 'provinces'))).toEqual({ '52': { min: 70, max: 80 } });
  });

  it('when the sites lie in one province, then no province column; in two, then one', () => {
    expect(spansProvinces([site(1, 'a', 1, 2), site(2, 'b', 1, 2)])).toBe(false);
    expect(spansProvinces([site(1, 'a', 1, 2), site(2, 'b', 1, 2, 70, { province: '01' })])).toBe(true);
    expect(spansProvinces([])).toBe(false);
  });
});
