import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  GAP_CLASS_THRESHOLDS,
  compareGaps,
  expectedPercent,
  gapClass,
  gapPp,
  median,
  medianOfHistogram,
  reachesTarget,
  round1,
  shareBucket,
  transferShareSummary,
  weightedTarget,
} from '../../src/adoption/adoption-maths.js';
import {
  addDays,
  cutoffAfter,
  dateOfDay,
  dayNumber,
  isIsoDate,
  isoWeekOf,
  vietnamDayOf,
  weeklyDates,
  weeksEndingAt,
} from '../../src/calendar/calendar.js';

describe('calendar days in Vietnam time', () => {
  it.each([
    ['2026-11-22', true],
    ['2024-02-29', true],
    ['2026-02-29', false],
    ['2026-13-01', false],
    ['2026-1-05', false],
    ['22/11/2026', false],
    ['', false],
  ])('isIsoDate(%s) is %s', (value, expected) => {
    expect(isIsoDate(value)).toBe(expected);
  });

  it.each([
    // The day ends at 17:00 UTC: 16:59:59.999Z is still that day, 17:00Z is the next.
    ['2026-11-22T16:59:59.999Z', '2026-11-22'],
    ['2026-11-22T17:00:00.000Z', '2026-11-23'],
    ['2026-11-21T17:00:00.000Z', '2026-11-22'],
    ['2026-11-22T00:00:00.000Z', '2026-11-22'],
    ['2026-12-31T17:30:00.000Z', '2027-01-01'],
  ])('%s falls on %s in Vietnam', (instant, date) => {
    expect(dateOfDay(vietnamDayOf(Date.parse(instant)))).toBe(date);
  });

  it('the cutoff of a date is the first instant of the next Vietnam day', () => {
    expect(cutoffAfter('2026-11-22')).toBe('2026-11-22T17:00:00.000Z');
    expect(cutoffAfter('2026-12-31')).toBe('2026-12-31T17:00:00.000Z');
  });

  it('day numbers and dates round-trip, and addDays crosses months and years', () => {
    expect(dayNumber('1970-01-02')).toBe(1);
    expect(addDays('2026-12-28', 7)).toBe('2027-01-04');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 80_000 }), (day) => {
        expect(dayNumber(dateOfDay(day))).toBe(day);
      }),
    );
  });
});

describe('ISO weeks (Monday to Sunday)', () => {
  it.each([
    ['2026-11-22', '2026-W47', '2026-11-16', '2026-11-22'], // a Sunday
    ['2026-11-23', '2026-W48', '2026-11-23', '2026-11-29'], // a Monday
    ['2021-01-03', '2020-W53', '2020-12-28', '2021-01-03'], // early January in the previous ISO year
    ['2024-12-30', '2025-W01', '2024-12-30', '2025-01-05'], // late December in the next ISO year
    ['2026-01-01', '2026-W01', '2025-12-29', '2026-01-04'],
  ])('%s is in %s (%s … %s)', (date, label, monday, sunday) => {
    expect(isoWeekOf(date)).toEqual({ label, monday, sunday });
  });

  it('the window of N weeks ends with the week of the date, oldest first', () => {
    expect(weeksEndingAt('2026-11-25', 3).map((week) => week.label)).toEqual(['2026-W46', '2026-W47', '2026-W48']);
  });

  it('trend dates are the date and the same weekday each week before, N + 1 of them', () => {
    expect(weeklyDates('2026-11-22', 2)).toEqual(['2026-11-08', '2026-11-15', '2026-11-22']);
  });
});

describe('median and buckets of the transfer share', () => {
  it.each([
    [[], null],
    [[40], 40],
    [[70, 10], 40],
    [[10, 20, 30], 20],
    [[25, 50, 60, 75], 55],
    [[0, 100], 50],
    [[55, 60], 57.5],
  ])('median(%j) = %s', (values, expected) => {
    expect(median(values)).toBe(expected);
  });

  it('the median from a histogram equals the median of the values', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 100 }), { maxLength: 40 }), (values) => {
        const histogram = new Int32Array(101);
        for (const v of values) histogram[v]! += 1;
        expect(medianOfHistogram(histogram)).toBe(median(values));
      }),
    );
  });

  it.each([
    [0, 0],
    [24, 0],
    [25, 1],
    [49, 1],
    [50, 2],
    [74, 2],
    [75, 3],
    [100, 3],
  ])('a share of %i percent goes to bucket %i', (share, bucket) => {
    expect(shareBucket(share)).toBe(bucket);
  });

  it('is always labelled an estimate', () => {
    expect(transferShareSummary(62.5, 40)).toBe('ước tính 62,5 % (n = 40)');
    expect(transferShareSummary(null, 0)).toBe('ước tính: chưa có số liệu');
  });
});

describe('gap to target and its colour class', () => {
  it.each([
    // installed, census, target → gap (pp, rounded down to 0.1), achieved, class
    [84, 112, 70, 5, true, 'achieved'],
    [7, 10, 70, 0, true, 'achieved'],
    [696, 1000, 70, -0.4, false, 'close'],
    [6, 10, 70, -10, false, 'close'],
    [599, 1000, 70, -10.1, false, 'behind'],
    [0, 5, 70, -70, false, 'behind'],
    [2, 3, 66, 0.6, true, 'achieved'],
    [1, 3, 34, -0.7, false, 'close'],
    [0, 0, 70, null, false, 'empty'],
  ] as const)('%i/%i against a target of %i → gap %s pp', (installed, census, target, gap, achieved, cls) => {
    expect(gapPp(installed, census, target * census)).toBe(gap);
    expect(reachesTarget(installed, census, target * census)).toBe(achieved);
    expect(gapClass(census, achieved, gap)).toBe(cls);
  });

  it('the gap is ≥ 0 exactly when the target is reached', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 100 }), fc.nat(), (census, target, n) => {
        const installed = n % (census + 1);
        expect(gapPp(installed, census, target * census)! >= 0).toBe(reachesTarget(installed, census, target * census));
      }),
    );
  });

  it('"close" means within the one threshold constant', () => {
    expect(GAP_CLASS_THRESHOLDS.closeWithinPp).toBe(10);
  });

  it('sorts furthest behind first and empty rows last', () => {
    expect([3, null, -20, 0, null, -0.5].sort(compareGaps)).toEqual([-20, -0.5, 0, 3, null, null]);
  });

  it('the target of an aggregate is census-weighted', () => {
    // A market of 100 stalls at 70 % and a street of 20 at 80 %.
    expect(weightedTarget(70 * 100 + 80 * 20, 120)).toBe(71.7);
    expect(weightedTarget(0, 0)).toBeNull();
  });

  it('rounds halves away from zero without binary noise, never to -0', () => {
    expect(round1(62.25)).toBe(62.3);
    expect(round1(0.15)).toBe(0.2);
    expect(round1(-0.04)).toBe(0);
    expect(Object.is(round1(-0.04), 0)).toBe(true);
  });
});

describe('expected coverage on a straight line to the target', () => {
  const line = {
    startDay: dayNumber('2026-01-01'),
    startPercent: 10,
    deadlineDay: dayNumber('2026-04-11'),
    targetPercent: 70,
  };
  it.each([
    ['2025-12-01', 10], // before the start: the start coverage
    ['2026-01-01', 10],
    ['2026-02-20', 40], // halfway (50 of 100 days)
    ['2026-04-11', 70],
    ['2026-06-01', 70], // after the deadline: the target
  ])('on %s: %s %%', (date, expected) => {
    expect(expectedPercent(line, dayNumber(date))).toBeCloseTo(expected, 10);
  });

  it('a site above target at the start is expected to stay at the target', () => {
    expect(expectedPercent({ ...line, startPercent: 85 }, dayNumber('2026-02-20'))).toBe(70);
  });

  it('a deadline on or before the start applies the target from the deadline on', () => {
    const inverted = { ...line, deadlineDay: line.startDay - 10 };
    expect(expectedPercent(inverted, line.startDay - 11)).toBe(10);
    expect(expectedPercent(inverted, line.startDay - 10)).toBe(70);
  });
});
