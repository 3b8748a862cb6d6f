import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  C_DISPLAYED,
  C_EXISTS,
  C_FOLLOWED,
  C_REASON,
  C_STALE,
  K,
  SHARE_VALUES,
  SeriesStore,
  VisitTotals,
  type ContributionRules,
  type StallRows,
} from '../../src/adoption/site-series.js';

const RULES: ContributionRules = {
  installed: 3,
  refused: 4,
  closed: 5,
  reasonCount: 5,
  reasonOther: 4,
  stickerYes: 0,
  staleDays: 10,
};

interface StallSpec {
  site: number;
  /** [day, status, reason] sorted by day. */
  history: [number, number, number][];
  /** [day, sticker, share or −1] sorted by day. */
  followUps: [number, number, number][];
}

const stallArbitrary: fc.Arbitrary<StallSpec> = fc.record({
  site: fc.integer({ min: 1, max: 3 }),
  history: fc
    .array(fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 7 })), {
      maxLength: 6,
    })
    .map((rows) => rows.sort((a, b) => a[0] - b[0])),
  followUps: fc
    .array(
      fc.tuple(
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 0, max: 2 }),
        fc.oneof(fc.constant(-1), fc.integer({ min: 0, max: 100 })),
      ),
      { maxLength: 8 },
    )
    .map((rows) => rows.sort((a, b) => a[0] - b[0])),
});

function rowsOf(stall: StallSpec): StallRows {
  return {
    hDay: Int32Array.from(stall.history, (r) => r[0]),
    hA: Uint8Array.from(stall.history, (r) => r[1]),
    hB: Int16Array.from(stall.history, (r) => r[2]),
    hs: 0,
    he: stall.history.length,
    fDay: Int32Array.from(stall.followUps, (r) => r[0]),
    fA: Uint8Array.from(stall.followUps, (r) => r[1]),
    fB: Int16Array.from(stall.followUps, (r) => r[2]),
    fs: 0,
    fe: stall.followUps.length,
  };
}

/** What one stall counts as of the end of `day`, straight from the definitions (the oracle). */
function naiveState(stall: StallSpec, day: number): { counts: number[]; share: number } {
  const counts = new Array<number>(K).fill(0);
  const rows = stall.history.filter((r) => r[0] <= day);
  if (rows.length === 0) return { counts, share: -1 };
  const last = rows[rows.length - 1]!;
  const status = last[1];
  counts[C_EXISTS] = 1;
  counts[status] = 1;
  if (status === RULES.refused) counts[C_REASON + (last[2] < 5 ? last[2] : 4)] = 1;
  const follows = stall.followUps.filter((f) => f[0] <= day);
  if (status === RULES.installed) {
    if (follows.length > 0) counts[C_FOLLOWED] = 1;
    if (follows.length > 0 && follows[follows.length - 1]![1] === RULES.stickerYes) counts[C_DISPLAYED] = 1;
    let first = rows.length - 1;
    while (first > 0 && rows[first - 1]![1] === RULES.installed) first--;
    const contact = Math.max(rows[first]![0], follows.length > 0 ? follows[follows.length - 1]![0] : -1);
    if (day - contact >= RULES.staleDays) counts[C_STALE] = 1;
  }
  const shares = follows.filter((f) => f[2] >= 0);
  const share = status !== RULES.closed && shares.length > 0 ? shares[shares.length - 1]![2] : -1;
  return { counts, share };
}

function expectAgrees(store: SeriesStore, stalls: readonly StallSpec[], days: readonly number[]): void {
  for (const site of [1, 2, 3]) {
    const series = store.of(site);
    for (const day of days) {
      const expected = new Array<number>(K).fill(0);
      const histogram = new Int32Array(SHARE_VALUES);
      for (const stall of stalls.filter((s) => s.site === site)) {
        const state = naiveState(stall, day);
        state.counts.forEach((v, c) => (expected[c]! += v));
        if (state.share >= 0) histogram[state.share]!++;
      }
      const row = series.rowAt(day);
      const actual = Array.from({ length: K }, (_, c) => (row < 0 ? 0 : series.cum[row * K + c]!));
      expect({ site, day, counts: actual }).toEqual({ site, day, counts: expected });
      const shares = new Int32Array(SHARE_VALUES);
      series.sharesInto(day, shares);
      expect({ site, day, shares: [...shares] }).toEqual({ site, day, shares: [...histogram] });
    }
  }
}

const DAYS = Array.from({ length: 80 }, (_, day) => day - 2);

describe('per-site running counts', () => {
  it('when built from stalls, then every day of every site agrees with counting the stalls one by one', () => {
    fc.assert(
      fc.property(fc.array(stallArbitrary, { maxLength: 12 }), (stalls) => {
        const store = new SeriesStore(RULES);
        store.rebuild(
          stalls.length,
          (id) => stalls[id - 1]!.site,
          (id) => rowsOf(stalls[id - 1]!),
        );
        expectAgrees(store, stalls, DAYS);
      }),
      { numRuns: 120 },
    );
  });

  it('when stalls change and move site one at a time, then the counts equal a fresh build', () => {
    fc.assert(
      fc.property(
        fc.array(stallArbitrary, { minLength: 1, maxLength: 10 }),
        fc.array(fc.tuple(fc.nat(), stallArbitrary), { maxLength: 12 }),
        (stalls, changes) => {
          const current = stalls.map((s) => ({ ...s }));
          const store = new SeriesStore(RULES);
          store.rebuild(
            current.length,
            (id) => current[id - 1]!.site,
            (id) => rowsOf(current[id - 1]!),
          );
          for (const [at, next] of changes) {
            const i = at % current.length;
            store.apply(current[i]!.site, rowsOf(current[i]!), -1);
            current[i] = next;
            store.apply(next.site, rowsOf(next), 1);
          }
          expectAgrees(store, current, DAYS);
        },
      ),
      { numRuns: 120 },
    );
  });

  it('when a site has hundreds of share reports, then its histogram on any day is the sum of the reports', () => {
    const stalls: StallSpec[] = Array.from({ length: 150 }, (_, i) => ({
      site: 1,
      history: [[i % 7, 3, 0]],
      followUps: [
        [i % 40, 0, (i * 37) % 101],
        [(i % 40) + 5, 1, (i * 11) % 101],
      ],
    }));
    const store = new SeriesStore(RULES);
    store.rebuild(
      stalls.length,
      (id) => stalls[id - 1]!.site,
      (id) => rowsOf(stalls[id - 1]!),
    );
    expectAgrees(store, stalls, [0, 3, 10, 25, 44, 45, 60]);
    // Re-reported shares inserted in the middle of the list move every later checkpoint.
    store.apply(1, rowsOf(stalls[0]!), -1);
    stalls[0] = { site: 1, history: [[0, 3, 0]], followUps: [[1, 0, 100]] };
    store.apply(1, rowsOf(stalls[0]), 1);
    expectAgrees(store, stalls, [0, 1, 2, 10, 25, 44, 45, 60]);
  });
});

describe('per-site running counts of a very large site', () => {
  it('when a site passes 60,000 stalls, then its counts move to 32 bits and stay exact', () => {
    const installed: StallSpec = { site: 1, history: [[3, 3, 0]], followUps: [] };
    const store = new SeriesStore(RULES);
    store.rebuild(
      59_999,
      () => 1,
      () => rowsOf(installed),
    );
    expect(store.of(1).cum).toBeInstanceOf(Uint16Array);
    for (let i = 0; i < 10_000; i++) store.apply(1, rowsOf(installed), 1);
    const series = store.of(1);
    expect(series.cum).toBeInstanceOf(Int32Array);
    expect(series.countAt(3, 3)).toBe(69_999);
    expect(series.countAt(3, C_EXISTS)).toBe(69_999);
    expect(series.countAt(2, C_EXISTS)).toBe(0);
  });
});

describe('visit totals', () => {
  it('when visits are added in any order, then each (day, volunteer) of a window is summed once', () => {
    const totals = new VisitTotals();
    const visits: [number, number, number, number][] = [
      [7, 5, 2, 1],
      [7, 3, 2, 0],
      [7, 5, 1, 0],
      [7, 5, 2, 1],
      [8, 5, 2, 0],
      [7, -1, 2, 1],
      [0, 5, 2, 1],
    ];
    for (const [site, day, user, onboarded] of visits) totals.add(site, day, user, onboarded);
    const seen: number[][] = [];
    totals.forEach(7, 2, 5, (day, user, count, onboarded) => seen.push([day, user, count, onboarded]));
    expect(seen).toEqual([
      [3, 2, 1, 0],
      [5, 1, 1, 0],
      [5, 2, 2, 2],
    ]);
  });
});
