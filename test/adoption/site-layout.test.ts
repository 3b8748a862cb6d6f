import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SiteLayout } from '../../src/adoption/site-layout.js';

/** The stalls of each site by walking the layout, ids sorted (the walk's order is not part of its contract). */
function walked(layout: SiteLayout, siteCount: number): number[][] {
  return Array.from({ length: siteCount }, (_, site) => {
    const ids: number[] = [];
    layout.forEachStall(site, (id) => ids.push(id));
    return ids.sort((a, b) => a - b);
  });
}

function naive(sites: Map<number, number>, siteCount: number): number[][] {
  return Array.from({ length: siteCount }, (_, site) =>
    [...sites]
      .filter(([, index]) => index === site)
      .map(([id]) => id)
      .sort((a, b) => a - b),
  );
}

describe('the stalls of each site', () => {
  it('when stalls are added and moved after the sort, then each site lists each of its stalls once', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: -1, max: 4 }), { maxLength: 30 }),
        fc.array(fc.tuple(fc.integer({ min: 1, max: 45 }), fc.integer({ min: -1, max: 4 })), { maxLength: 60 }),
        (siteCount, initial, moves) => {
          const clampSite = (index: number) => (index < siteCount ? index : siteCount - 1);
          const now = new Map<number, number>();
          initial.forEach((index, i) => now.set(i + 1, clampSite(index)));
          const layout = new SiteLayout();
          layout.build(initial.length, siteCount, (id) => now.get(id) ?? -1);
          expect(walked(layout, siteCount)).toEqual(naive(now, siteCount));
          for (const [id, index] of moves) {
            now.set(id, clampSite(index));
            layout.place(id, clampSite(index));
            expect(layout.siteOf(id)).toBe(clampSite(index));
          }
          expect(walked(layout, siteCount)).toEqual(naive(now, siteCount));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('when more stalls were placed than the share it walks beside the sort, then place asks for a new sort', () => {
    const layout = new SiteLayout();
    layout.build(0, 1, () => -1);
    let asked = false;
    for (let id = 1; id <= 10_001 && !asked; id++) asked = !layout.place(id, 0);
    expect(asked).toBe(true);
  });
});
