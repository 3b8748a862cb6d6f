/**
 * The trend of a scope: coverage on a date and on the same weekday of each of the weeks before, with the
 * "expected" line of its sites' schedules (campaign start, else launch, else first survey, to the target at
 * the deadline). One walk over each stall's history for every point (AdoptionSnapshot.tallyPoints).
 */
import { dateOfDay, dayNumber, weeklyDates } from '../calendar/calendar.js';
import { coverage, DEFAULT_TARGET_PERCENT, emptyStatusCounts } from '../vocabulary/coverage.js';
import { expectedPercent, reachesTarget, round1, weightedTarget, type ScheduleLine } from './adoption-maths.js';
import type { ResolvedScope } from './adoption-scope.js';
import {
  campaignAt,
  NEVER,
  termsAt,
  type AdoptionSnapshot,
  type SiteInfo,
  type SiteTerms,
} from './adoption-snapshot.js';
import type { AdoptionTrend, TrendPoint } from './adoption-types.js';

/** Coverage on asOf and on the same weekday of each of the `weeks` weeks before, against the target. */
export function trendOf(snap: AdoptionSnapshot, scope: ResolvedScope, asOf: string, weeks: number): AdoptionTrend {
  const dates = weeklyDates(asOf, weeks);
  const days = dates.map(dayNumber);
  const points = days.length;
  const nSites = snap.ref.sites.length;
  // Thousands of sites share a few start dates and deadlines: each is parsed once per trend.
  const parsed = new Map<string, number>();
  const dayOf = (date: string): number => {
    let day = parsed.get(date);
    if (day === undefined) parsed.set(date, (day = dayNumber(date)));
    return day;
  };
  // Each point is measured against the terms in force on its day (adoption-terms.ts): a site's target and
  // schedule may differ from one point to the next. The schedule's explicit start (campaign start, else
  // launch date) needs the coverage at the end of the day before it; a start taken from the first survey
  // has nothing before it: 0 %. Start days are collected per site (usually one, or none), as slots.
  const termsOf = (site: SiteInfo, p: number) => termsAt(site, days[p]!);
  const explicitStart = (site: SiteInfo, terms: SiteTerms) =>
    terms.deadline === null ? null : (terms.campaign?.startsOn ?? site.launchedOn);
  const offsets = new Int32Array(nSites + 1);
  const slotDays: number[] = [];
  const slotOf = new Map<SiteTerms, number>();
  for (let i = 0; i < nSites; i++) {
    offsets[i] = slotDays.length;
    const site = scope.mask[i] === 1 ? snap.ref.sites[i]! : null;
    if (!site) continue;
    const first = slotDays.length;
    // Most sites never changed: their one entry holds on every point.
    for (let p = 0, checked = site.terms.length === 1 ? 1 : points; p < checked; p++) {
      const terms = termsOf(site, p);
      const start = explicitStart(site, terms);
      if (start === null || slotOf.has(terms)) continue;
      const startDay = dayOf(start) - 1;
      // A site's start days are few: the same day is the same slot.
      let slot = slotDays.indexOf(startDay, first);
      if (slot === -1) slot = slotDays.push(startDay) - 1;
      slotOf.set(terms, slot);
    }
  }
  offsets[nSites] = slotDays.length;
  const tally = snap.tallyPoints(scope.indexes, days, { offsets, days: Int32Array.from(slotDays) });
  const lines = new Map<SiteTerms, ScheduleLine>();
  /** The schedule line of a site under the given terms; null without a deadline. */
  const lineOf = (site: SiteInfo, terms: SiteTerms): ScheduleLine | null => {
    if (terms.deadline === null) return null;
    let line = lines.get(terms);
    if (line) return line;
    const explicit = explicitStart(site, terms);
    const i = site.index;
    const fallback = tally.firstDay[i] !== NEVER ? tally.firstDay[i]! : site.createdDay;
    const startDay = explicit !== null ? dayOf(explicit) : fallback;
    const slot = slotOf.get(terms);
    const census = slot === undefined ? 0 : tally.startCensus[slot]!;
    line = {
      startDay: startDay === NEVER ? days[points - 1]! : startDay,
      startPercent: explicit !== null && census > 0 ? (100 * tally.startInstalled[slot!]!) / census : 0,
      deadlineDay: dayOf(terms.deadline),
      targetPercent: terms.targetPercent,
    };
    lines.set(terms, line);
    return line;
  };

  // Site by site, then point by point: a site's terms and schedule line are looked up once when they never
  // changed, and its points lie side by side in the tally. For each point the sites are still added in the
  // same order, so the sums are the same to the last bit.
  const installedAt = new Float64Array(points);
  const censusAt = new Float64Array(points);
  const targetSumAt = new Float64Array(points);
  const totalAt = new Int32Array(points);
  const achievedAt = new Int32Array(points);
  const scheduledSitesAt = new Int32Array(points);
  const scheduledInstalledAt = new Float64Array(points);
  const scheduledCensusAt = new Float64Array(points);
  const expectedSumAt = new Float64Array(points);
  for (const site of scope.sites) {
    const single = site.terms.length === 1 ? termsOf(site, 0) : null;
    const singleLine = single ? lineOf(site, single) : null;
    const base = site.index * points;
    for (let p = 0; p < points; p++) {
      const siteInstalled = tally.installed[base + p]!;
      const siteCensus = tally.census[base + p]!;
      installedAt[p]! += siteInstalled;
      censusAt[p]! += siteCensus;
      const terms = single ?? termsOf(site, p);
      targetSumAt[p]! += terms.targetPercent * siteCensus;
      const exists = site.createdDay <= days[p]! || tally.stallExists[base + p] === 1;
      if (!exists) continue;
      totalAt[p]!++;
      if (reachesTarget(siteInstalled, siteCensus, terms.targetPercent * siteCensus)) achievedAt[p]!++;
      const line = single ? singleLine : lineOf(site, terms);
      if (line) {
        scheduledSitesAt[p]!++;
        scheduledInstalledAt[p]! += siteInstalled;
        scheduledCensusAt[p]! += siteCensus;
        expectedSumAt[p]! += expectedPercent(line, days[p]!) * siteCensus;
      }
    }
  }

  const result: TrendPoint[] = days.map((day, p) => {
    const installed = installedAt[p]!;
    const census = censusAt[p]!;
    const targetSum = targetSumAt[p]!;
    const total = totalAt[p]!;
    const achieved = achievedAt[p]!;
    const scheduledSites = scheduledSitesAt[p]!;
    const scheduledInstalled = scheduledInstalledAt[p]!;
    const scheduledCensus = scheduledCensusAt[p]!;
    const expectedSum = expectedSumAt[p]!;
    const cov = coverage({ ...emptyStatusCounts(), installed, surveyed: census - installed }, DEFAULT_TARGET_PERCENT);
    const siteTerms = scope.site ? termsOf(scope.site, p) : null;
    const siteLine = scope.site ? lineOf(scope.site, siteTerms!) : null;
    return {
      asOf: dates[p]!,
      installed,
      census,
      percent: cov.percent,
      label: cov.label,
      sites: { total, achieved },
      targetPercent: siteTerms ? siteTerms.targetPercent : weightedTarget(targetSum, census),
      expectedPercent: scope.site
        ? siteLine
          ? round1(expectedPercent(siteLine, day))
          : null
        : scheduledCensus === 0
          ? null
          : round1(expectedSum / scheduledCensus),
      scheduled: scope.site
        ? null
        : {
            sites: scheduledSites,
            installed: scheduledInstalled,
            census: scheduledCensus,
            label: coverage(
              { ...emptyStatusCounts(), installed: scheduledInstalled, surveyed: scheduledCensus - scheduledInstalled },
              DEFAULT_TARGET_PERCENT,
            ).label,
          },
    };
  });

  // The schedule as it stands on asOf (the last point).
  let schedule: AdoptionTrend['schedule'] = null;
  const lastTerms = scope.site ? termsOf(scope.site, points - 1) : null;
  const siteLine = scope.site ? lineOf(scope.site, lastTerms!) : null;
  if (scope.site && siteLine) {
    schedule = {
      source: lastTerms!.campaign ? 'campaign' : 'site',
      startsOn: dateOfDay(siteLine.startDay),
      deadline: lastTerms!.deadline!,
      targetPercent: lastTerms!.targetPercent,
      startPercent: round1(siteLine.startPercent),
    };
  } else if (scope.campaign) {
    const campaign = campaignAt(snap.ref, scope.campaign.id, days[points - 1]!) ?? scope.campaign;
    schedule = {
      source: 'campaign',
      startsOn: campaign.startsOn,
      deadline: campaign.deadline,
      targetPercent: campaign.targetPercent,
      startPercent: null,
    };
  }
  return {
    scope: scope.info,
    asOf,
    weeks,
    points: result,
    schedule,
    expectedByToday: result[result.length - 1]!.expectedPercent,
  };
}
