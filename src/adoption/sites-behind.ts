/**
 * "Which sites are behind?" — the leader's question, answered from the engine's site rows (adoption-service
 * `sites`: every site of a scope, from the per-site running counts). Pure: rows in, rows out; no stall is
 * walked and no SQL is run, so it is the same on SQLite and PostgreSQL.
 *
 * - A site is behind when it has stalls in its census and is not đạt against its effective target (its
 *   campaign's, else its own). A site with no stall yet is not "behind": nobody has surveyed it; it is
 *   counted apart (`notSurveyed`) so the leader still sees it exists.
 * - Order: furthest behind first (gap in percentage points, ascending), then the most stalls still needed,
 *   then by name (Vietnamese collation, "Chợ số 2" before "Chợ số 10"), so the order never depends on the
 *   engine's tie-breaking.
 * - Stalls needed: the fewest more installed stalls that make the site đạt, census unchanged — the smallest n
 *   with (installed + n) · 100 ≥ target · census (coverage.ts compares the same way).
 */
import { formatDecimal } from '../text/numbers.js';
import type { SiteAreaRow } from './adoption-types.js';

export interface SiteBehind {
  readonly site: SiteAreaRow;
  /** More stalls accepting QR the site needs to reach its target (≥ 1). */
  readonly stallsNeeded: number;
}

/** The targets set on a scope's sites: one value (min = max) or a range. */
export interface TargetsSet {
  readonly min: number;
  readonly max: number;
}

export interface SitesBehind {
  readonly rows: readonly SiteBehind[];
  /** Sites of the scope that exist but have no stall in their census yet. */
  readonly notSurveyed: number;
  /** Every site of the scope (behind, đạt or not surveyed). */
  readonly siteCount: number;
  /** Σ stallsNeeded over the rows. */
  readonly stallsNeeded: number;
  /** The targets in force on the scope's sites; null for a scope without a site. */
  readonly targets: TargetsSet | null;
}

/** The fewest more installed stalls that reach `targetPercent` of `census`; 0 when already there. */
export function stallsNeeded(installed: number, census: number, targetPercent: number): number {
  if (census <= 0) return 0;
  // Targets are whole or one-decimal percents: compare in tenths of a percent, in integers.
  const goalTenths = Math.round(targetPercent * 10) * census;
  return Math.max(0, Math.ceil(goalTenths / 1000) - installed);
}

/** "70 %" when every site has the same target, "70–80 %" across a range, "—" without a site. */
export function targetsLabel(targets: TargetsSet | null): string {
  if (targets === null) return '—';
  if (targets.min === targets.max) return `${formatDecimal(targets.min)} %`;
  return `${formatDecimal(targets.min)}–${formatDecimal(targets.max)} %`;
}
const collator = new Intl.Collator('vi', { numeric: true });

/** The targets set across the sites (each its effective target); null when there is no site. */
export function targetsSet(sites: readonly SiteAreaRow[]): TargetsSet | null {
  let min = Infinity;
  let max = -Infinity;
  for (const site of sites) {
    const percent = site.target.percent ?? site.coverage.targetPercent;
    if (percent < min) min = percent;
    if (percent > max) max = percent;
  }
  return sites.length === 0 ? null : { min, max };
}

/**
 * The targets set on each province's or commune's sites, by its code: what a children table shows in its
 * "Chỉ tiêu" column instead of the census-weighted mean (a commune with sites at 70 and 80 % says "70–80 %").
 */
export function targetsByArea(
  sites: readonly SiteAreaRow[],
  level: 'provinces' | 'communes',
): ReadonlyMap<string, TargetsSet> {
  const groups = new Map<string, SiteAreaRow[]>();
  for (const site of sites) {
    const key = level === 'provinces' ? site.province.code : site.commune.code;
    const group = groups.get(key);
    if (group) group.push(site);
    else groups.set(key, [site]);
  }
  return new Map([...groups].map(([key, group]) => [key, targetsSet(group)!]));
}

/** The sites behind their target, furthest behind first, with what each still needs. */
export function sitesBehind(sites: readonly SiteAreaRow[]): SitesBehind {
  const rows: SiteBehind[] = [];
  let notSurveyed = 0;
  for (const site of sites) {
    const { installed, census, targetPercent } = site.coverage;
    if (census === 0) {
      notSurveyed++;
      continue;
    }
    if (site.target.achieved) continue;
    rows.push({
      site,
      stallsNeeded: Math.max(1, stallsNeeded(installed, census, site.target.percent ?? targetPercent)),
    });
  }
  rows.sort(
    (a, b) =>
      (a.site.target.gapPp ?? 0) - (b.site.target.gapPp ?? 0) ||
      b.stallsNeeded - a.stallsNeeded ||
      collator.compare(a.site.name, b.site.name) ||
      Number(a.site.key) - Number(b.site.key),
  );
  return {
    rows,
    notSurveyed,
    siteCount: sites.length,
    stallsNeeded: rows.reduce((sum, row) => sum + row.stallsNeeded, 0),
    targets: targetsSet(sites),
  };
}
