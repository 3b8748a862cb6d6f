import { STALL_STATUSES, type StallStatus } from './stall-status.js';

/** A site's target when none is set: the schema's default (sites.target_percent DEFAULT 70). */
export const DEFAULT_TARGET_PERCENT = 70;

export type StatusCounts = Record<StallStatus, number>;

export interface Coverage {
  /** Stalls that accept VietQR: status `installed`. */
  readonly installed: number;
  /** Stalls in the census: every stall that is not `closed`. */
  readonly census: number;
  /** installed ÷ census, 0–1; null when the census is empty. */
  readonly ratio: number | null;
  /** Whole percent, rounded down so a site at 69.6 % never shows "70 %" next to "chưa đạt". */
  readonly percent: number | null;
  readonly targetPercent: number;
  /** Coverage reached the target (never for an empty census). */
  readonly achieved: boolean;
  /** "84/112 (75 %)", or "chưa có sạp" for an empty census. */
  readonly label: string;
}

export function emptyStatusCounts(): StatusCounts {
  return Object.fromEntries(STALL_STATUSES.map((status) => [status, 0])) as StatusCounts;
}

/** The one definition of coverage, used by every page, export and API. */
export function coverage(counts: StatusCounts, targetPercent: number): Coverage {
  const installed = counts.installed;
  const census = STALL_STATUSES.reduce((sum, status) => (status === 'closed' ? sum : sum + counts[status]), 0);
  if (census === 0) {
    return { installed, census, ratio: null, percent: null, targetPercent, achieved: false, label: 'chưa có sạp' };
  }
  // Integer comparison: installed/census ≥ target/100 without floating-point error at the boundary.
  const achieved = installed * 100 >= targetPercent * census;
  const percent = Math.floor((installed * 100) / census);
  return {
    installed,
    census,
    ratio: installed / census,
    percent,
    targetPercent,
    achieved,
    label: `${installed}/${census} (${percent} %)`,
  };
}

export function addStatusCounts(a: StatusCounts, b: StatusCounts): StatusCounts {
  const sum = emptyStatusCounts();
  for (const status of STALL_STATUSES) sum[status] = a[status] + b[status];
  return sum;
}
