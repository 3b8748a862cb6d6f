/**
 * The trend of a scope: coverage on a date and on the same weekday of each of the weeks before, with the
 * "expected" line of its sites' schedules (campaign start, else launch, else first survey, to the target at
 * the deadline). One walk over each stall's history for every point (AdoptionSnapshot.tallyPoints).
 */
import { dateOfDay, dayNumber, weeklyDates } from '../calendar/calendar.js';
import { coverage, DEFAULT_TARGET_PERCENT, emptyStatusCounts } from '../vocabulary/coverage.js';
import { expectedPercent, reachesTarget, round1, weightedTarget, type ScheduleLine } from './adoption-maths.js';
import type { ResolvedScope } from './adoption-scope.js';
import { NEVER, type AdoptionSnapshot } from './adoption-snapshot.js';
import type { AdoptionTrend, TrendPoint } from './adoption-types.js';

/** Coverage on asOf and on the same weekday of each of the `weeks` weeks before, against the target. */
export function trendOf(snap: AdoptionSnapshot, scope: ResolvedScope, asOf: string, weeks: number): AdoptionTrend {
  const dates = weeklyDates(asOf, weeks);
  const days = dates.map(dayNumber);
  const points = days.length;
  // Sites with a deadline and an explicit start (campaign start or launch date) need their coverage at
  // the end of the day before it. A start taken from the first survey has nothing before it: 0 %.
  const startDays = new Int32Array(snap.ref.sites.length).fill(-1);
  for (const site of scope.sites) {
    const start = site.deadline === null ? null : (site.campaign?.startsOn ?? site.launchedOn);
    if (start !== null) startDays[site.index] = dayNumber(start) - 1;
  }
  const tally = snap.tallyPoints(scope.indexes, days, startDays);
  const lines = new Map<number, ScheduleLine>();
  for (const site of scope.sites) {
    if (site.deadline === null) continue;
    const explicit = site.campaign?.startsOn ?? site.launchedOn;
    const i = site.index;
    const fallback = tally.firstDay[i] !== NEVER ? tally.firstDay[i]! : site.createdDay;
    const startDay = explicit !== null ? dayNumber(explicit) : fallback;
    const census = tally.startCensus[i]!;
    lines.set(i, {
      startDay: startDay === NEVER ? days[points - 1]! : startDay,
      startPercent: explicit !== null && census > 0 ? (100 * tally.startInstalled[i]!) / census : 0,
      deadlineDay: dayNumber(site.deadline),
      targetPercent: site.targetPercent,
    });
  }

  const result: TrendPoint[] = days.map((day, p) => {
    let installed = 0;
    let census = 0;
    let targetSum = 0;
    let total = 0;
    let achieved = 0;
    let scheduledSites = 0;
    let scheduledInstalled = 0;
    let scheduledCensus = 0;
    let expectedSum = 0;
    for (const site of scope.sites) {
      const at = site.index * points + p;
      const siteInstalled = tally.installed[at]!;
      const siteCensus = tally.census[at]!;
      installed += siteInstalled;
      census += siteCensus;
      targetSum += site.targetPercent * siteCensus;
      const exists = site.createdDay <= day || tally.stallExists[at] === 1;
      if (!exists) continue;
      total++;
      if (reachesTarget(siteInstalled, siteCensus, site.targetPercent * siteCensus)) achieved++;
      const line = lines.get(site.index);
      if (line) {
        scheduledSites++;
        scheduledInstalled += siteInstalled;
        scheduledCensus += siteCensus;
        expectedSum += expectedPercent(line, day) * siteCensus;
      }
    }
    const cov = coverage({ ...emptyStatusCounts(), installed, surveyed: census - installed }, DEFAULT_TARGET_PERCENT);
    const siteLine = scope.site ? lines.get(scope.site.index) : undefined;
    return {
      asOf: dates[p]!,
      installed,
      census,
      percent: cov.percent,
      label: cov.label,
      sites: { total, achieved },
      targetPercent: scope.site ? scope.site.targetPercent : weightedTarget(targetSum, census),
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

  let schedule: AdoptionTrend['schedule'] = null;
  const siteLine = scope.site ? lines.get(scope.site.index) : undefined;
  if (scope.site && siteLine) {
    schedule = {
      source: scope.site.campaign ? 'campaign' : 'site',
      startsOn: dateOfDay(siteLine.startDay),
      deadline: scope.site.deadline!,
      targetPercent: scope.site.targetPercent,
      startPercent: round1(siteLine.startPercent),
    };
  } else if (scope.campaign) {
    schedule = {
      source: 'campaign',
      startsOn: scope.campaign.startsOn,
      deadline: scope.campaign.deadline,
      targetPercent: scope.campaign.targetPercent,
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
