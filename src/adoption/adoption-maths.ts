/**
 * Pure arithmetic of the adoption figures: calendar days in Vietnam time, ISO weeks, the median and buckets
 * of the transfer share, the gap to target and its colour class, the census-weighted target of an
 * aggregate and the "expected by today" line. No database, no clock: plain numbers and strings in and out.
 */

/** Rounded to one decimal, halves away from zero (62.25 → 62.3), without binary noise in the result. */
export function round1(value: number): number {
  const rounded = (Math.sign(value) * Math.round(Math.abs(value) * 10 + 1e-9)) / 10;
  return rounded === 0 ? 0 : rounded; // never -0
}

/** Median of numbers; for an even count, the mean of the two middle values. null when there are none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The same median from a histogram of whole numbers (counts[v] = how many times v occurs). */
export function medianOfHistogram(counts: ArrayLike<number>): number | null {
  let n = 0;
  for (let v = 0; v < counts.length; v++) n += counts[v]!;
  if (n === 0) return null;
  // The values at sorted positions lo and hi (0-based); equal when n is odd.
  const lo = (n - 1) >> 1;
  const hi = n >> 1;
  let seen = 0;
  let low: number | null = null;
  for (let v = 0; v < counts.length; v++) {
    seen += counts[v]!;
    if (low === null && seen > lo) low = v;
    if (seen > hi) return (low! + v) / 2;
  }
  throw new Error('unreachable: histogram total changed');
}

/** Transfer-share buckets: whole percents, each bound included. */
export const TRANSFER_SHARE_BUCKETS = [
  { from: 0, to: 24, label: '0–24 %' },
  { from: 25, to: 49, label: '25–49 %' },
  { from: 50, to: 74, label: '50–74 %' },
  { from: 75, to: 100, label: '75–100 %' },
] as const;

/** The bucket index (0–3) of a share 0–100. */
export function shareBucket(share: number): number {
  return share >= 75 ? 3 : share >= 50 ? 2 : share >= 25 ? 1 : 0;
}

/** What traders report is an estimate: every transfer-share figure carries this label. */
export const ESTIMATE_LABEL = 'ước tính';

export function transferShareSummary(medianValue: number | null, n: number): string {
  if (medianValue === null) return `${ESTIMATE_LABEL}: chưa có số liệu`;
  return `${ESTIMATE_LABEL} ${String(medianValue).replace('.', ',')} % (n = ${n})`;
}

/**
 * Colour classes of a row by its gap to target, in percentage points. One constant, so pages, exports and
 * charts agree: achieved; 'close' within CLOSE_PP below the target; 'behind' further below; 'empty' for no
 * census (nothing to judge).
 */
export const GAP_CLASS_THRESHOLDS = { closeWithinPp: 10 } as const;
export type GapClass = 'achieved' | 'close' | 'behind' | 'empty';

/**
 * Gap to target in percentage points, rounded DOWN to 0.1, so a row is never shown at "+0.0" unless it
 * reached its target: ≥ 0 exactly when 100·installed ≥ targetSum. targetSum is Σ target·census over the
 * sites of the row (for one site, target·census). null for an empty census. Integer arithmetic only.
 */
export function gapPp(installed: number, census: number, targetSum: number): number | null {
  if (census === 0) return null;
  const tenths = Math.floor((1000 * installed - 10 * targetSum) / census);
  return tenths / 10;
}

/** achieved for a row: 100·installed ≥ Σ target·census, never for an empty census. */
export function reachesTarget(installed: number, census: number, targetSum: number): boolean {
  return census > 0 && 100 * installed >= targetSum;
}

export function gapClass(census: number, achieved: boolean, gap: number | null): GapClass {
  if (census === 0 || gap === null) return 'empty';
  if (achieved) return 'achieved';
  return gap >= -GAP_CLASS_THRESHOLDS.closeWithinPp ? 'close' : 'behind';
}

/**
 * The target of an aggregate (commune, province, campaign, everything): the mean of its sites' targets
 * weighted by their census, i.e. the coverage it would have if every site stood exactly at its target.
 * Rounded to 0.1; null for an empty census.
 */
export function weightedTarget(targetSum: number, census: number): number | null {
  return census === 0 ? null : round1(targetSum / census);
}

/** Sort key of child rows: furthest behind first, empty rows last. */
export function compareGaps(a: number | null, b: number | null): number {
  if (a === null || b === null) return a === null ? (b === null ? 0 : 1) : -1;
  return a - b;
}

export interface ScheduleLine {
  /** Day number the line starts on (campaign start, site launch, first survey). */
  readonly startDay: number;
  /** Coverage (exact percent) when the line starts. */
  readonly startPercent: number;
  readonly deadlineDay: number;
  readonly targetPercent: number;
}

/**
 * The coverage a site should have on `day` if it moved in a straight line from its coverage at the start
 * to its target at the deadline: the start coverage before the start, the target from the deadline on.
 * A site already at or above its target at the start is expected to stay at the target; a deadline on or
 * before the start means the target applies from the deadline. Exact (unrounded) percent.
 */
export function expectedPercent(line: ScheduleLine, day: number): number {
  const { startDay, startPercent, deadlineDay, targetPercent } = line;
  if (startPercent >= targetPercent) return targetPercent;
  if (deadlineDay <= startDay) return day >= deadlineDay ? targetPercent : startPercent;
  if (day <= startDay) return startPercent;
  if (day >= deadlineDay) return targetPercent;
  return startPercent + ((targetPercent - startPercent) * (day - startDay)) / (deadlineDay - startDay);
}
