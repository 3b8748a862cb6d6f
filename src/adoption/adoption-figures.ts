/**
 * The header figures of a scope (coverage, target, sites and communes counted, funnel, transfer share) and
 * its children table (provinces, communes, sites or a site's stalls), as of a date, from the snapshot's
 * tallies. Synchronous: everything is in memory once the snapshot is fresh. Definitions: adoption-service.ts.
 */
import { dateOfDay, dayNumber } from '../calendar/calendar.js';
import {
  coverage,
  DEFAULT_TARGET_PERCENT,
  emptyStatusCounts,
  type Coverage,
  type StatusCounts,
} from '../vocabulary/coverage.js';
import { REFUSAL_REASONS, STALL_STATUSES, type RefusalReason } from '../vocabulary/stall-status.js';
import {
  TRANSFER_SHARE_BUCKETS,
  compareGaps,
  gapClass,
  gapPp,
  medianOfHistogram,
  reachesTarget,
  shareBucket,
  transferShareSummary,
  weightedTarget,
} from './adoption-maths.js';
import type { ResolvedScope } from './adoption-scope.js';
import {
  campaignAt,
  REASON_COUNT,
  STATUS_COUNT,
  termsAt,
  type AdoptionSnapshot,
  type CampaignInfo,
  type DateTally,
  type SiteInfo,
  type SiteTerms,
} from './adoption-snapshot.js';
import type { TallyCache } from './adoption-tallies.js';
import type {
  AdoptionChildren,
  AdoptionFigures,
  AreaRow,
  CommunesCashless,
  SiteAreaRow,
  SiteTally,
  SitesCounted,
  StallAsOfRow,
  TargetStatus,
  TransferShare,
} from './adoption-types.js';

const nameOrder = new Intl.Collator('vi', { sensitivity: 'base' });
const CLOSED = STALL_STATUSES.indexOf('closed');
const INSTALLED = STALL_STATUSES.indexOf('installed');
const labelOrder = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });

/** A stall of a site as its children table lists it. */
export interface StallLabel {
  readonly id: number;
  readonly label: string;
}

/** The figures and children of scopes resolved on `snap`, sharing one service's tallies. */
export function createFigures(snap: AdoptionSnapshot, tallies: TallyCache) {
  function siteCounts(tally: DateTally, site: SiteInfo): StatusCounts {
    const counts = emptyStatusCounts();
    const base = site.index * STATUS_COUNT;
    STALL_STATUSES.forEach((status, i) => (counts[status] = tally.counts[base + i]!));
    return counts;
  }

  /**
   * Totals over a set of sites as of a tally's day. Read straight from the tally's arrays, without an object
   * per site: a national rollup sums 10,000 sites twice (the figures and the provinces' rows).
   */
  function rollUp(sites: readonly SiteInfo[], tally: DateTally) {
    const sums = new Float64Array(STATUS_COUNT);
    let targetSum = 0;
    const all = newTally();
    const streets = newTally();
    const markets = newTally();
    const achievedCommunes = new Set<string>();
    const cells = tally.counts;
    for (const site of sites) {
      const base = site.index * STATUS_COUNT;
      let census = 0;
      for (let status = 0; status < STATUS_COUNT; status++) {
        const n = cells[base + status]!;
        sums[status]! += n;
        if (status !== CLOSED) census += n;
      }
      const { targetPercent } = termsAt(site, tally.day);
      targetSum += targetPercent * census;
      if (!existsAt(site, tally)) continue;
      // coverage(…).achieved without building it: never for an empty census.
      const achieved = census > 0 && cells[base + INSTALLED]! * 100 >= targetPercent * census;
      if (achieved) achievedCommunes.add(site.communeCode);
      countSite(all, achieved, census);
      countSite(site.kind === 'street' ? streets : markets, achieved, census);
    }
    const counts = emptyStatusCounts();
    STALL_STATUSES.forEach((status, i) => (counts[status] = sums[i]!));
    return { counts, targetSum, all, streets, markets, achievedCommunes };
  }

  function communesCashless(communes: readonly string[], achieved: ReadonlySet<string>): CommunesCashless {
    const withAchievedSite = communes.filter((code) => achieved.has(code)).length;
    return {
      withAchievedSite,
      inScope: communes.length,
      percent: communes.length === 0 ? null : Math.floor((withAchievedSite * 100) / communes.length),
      label: `${withAchievedSite}/${communes.length}`,
    };
  }

  /** A site's target status against the terms in force on the day its coverage is of. */
  function siteTarget(terms: SiteTerms, cov: Coverage): TargetStatus {
    const gap = gapPp(cov.installed, cov.census, terms.targetPercent * cov.census);
    return {
      percent: terms.targetPercent,
      source: terms.campaign ? 'campaign' : 'site',
      achieved: cov.achieved,
      gapPp: gap,
      gapClass: gapClass(cov.census, cov.achieved, gap),
      deadline: terms.deadline,
      campaign: terms.campaign ? { id: terms.campaign.id, name: terms.campaign.name } : null,
    };
  }

  function aggregate(
    counts: StatusCounts,
    targetSum: number,
    campaign: CampaignInfo | null,
  ): { coverage: Coverage; target: TargetStatus } {
    const base = coverage(counts, DEFAULT_TARGET_PERCENT);
    const percent = weightedTarget(targetSum, base.census);
    const achieved = reachesTarget(base.installed, base.census, targetSum);
    const gap = gapPp(base.installed, base.census, targetSum);
    return {
      coverage: { ...coverage(counts, percent ?? DEFAULT_TARGET_PERCENT), achieved },
      target: {
        percent,
        source: campaign ? 'campaign' : 'weighted',
        achieved,
        gapPp: gap,
        gapClass: gapClass(base.census, achieved, gap),
        deadline: campaign?.deadline ?? null,
        campaign: campaign ? { id: campaign.id, name: campaign.name } : null,
      },
    };
  }

  function figuresOf(scope: ResolvedScope, asOf: string): AdoptionFigures {
    const day = dayNumber(asOf);
    const tally = tallies.at(scope, day);
    const totals = rollUp(scope.sites, tally);
    const { counts } = totals;
    let cov: Coverage;
    let target: TargetStatus;
    if (scope.site) {
      const terms = termsAt(scope.site, day);
      cov = coverage(counts, terms.targetPercent);
      target = siteTarget(terms, cov);
    } else {
      // A campaign's deadline as it stood on the day.
      const campaign = scope.campaign ? (campaignAt(snap.ref, scope.campaign.id, day) ?? scope.campaign) : null;
      ({ coverage: cov, target } = aggregate(counts, totals.targetSum, campaign));
    }
    let followedUp = 0;
    let displayed = 0;
    const refusals = Object.fromEntries(REFUSAL_REASONS.map((reason) => [reason, 0])) as Record<RefusalReason, number>;
    for (const site of scope.sites) {
      followedUp += tally.followedUp[site.index]!;
      displayed += tally.displayed[site.index]!;
      REFUSAL_REASONS.forEach((reason, i) => (refusals[reason] += tally.refusals[site.index * REASON_COUNT + i]!));
    }
    const sites: SitesCounted = { ...totals.all, streets: totals.streets, markets: totals.markets };
    return {
      scope: scope.info,
      asOf,
      counts,
      coverage: cov,
      target,
      sites,
      communes: communesCashless(scope.communes, totals.achievedCommunes),
      funnel: {
        census: cov.census,
        hasAccount: counts.has_account + counts.qr_verified + counts.installed,
        qrVerified: counts.qr_verified + counts.installed,
        installed: counts.installed,
        followedUp,
        stillDisplayed: displayed,
        refused: counts.refused,
        refusals,
      },
      transferShare: transferShare(tally.shareHistogram),
    };
  }

  function areaRow(
    kind: 'province' | 'commune',
    code: string,
    name: string,
    provinceCode: string,
    sites: readonly SiteInfo[],
    tally: DateTally,
    communes: readonly string[] | null,
  ): AreaRow {
    const totals = rollUp(sites, tally);
    const { coverage: cov, target } = aggregate(totals.counts, totals.targetSum, null);
    return {
      kind,
      key: code,
      name,
      siteKind: null,
      communeCode: kind === 'commune' ? code : null,
      provinceCode,
      counts: totals.counts,
      coverage: cov,
      target,
      sites: totals.all,
      communes: communes ? communesCashless(communes, totals.achievedCommunes) : null,
    };
  }

  function siteRow(site: SiteInfo, tally: DateTally): AreaRow {
    const counts = siteCounts(tally, site);
    const terms = termsAt(site, tally.day);
    const cov = coverage(counts, terms.targetPercent);
    return {
      kind: 'site',
      key: String(site.id),
      name: site.name,
      siteKind: site.kind,
      communeCode: site.communeCode,
      provinceCode: site.provinceCode,
      counts,
      coverage: cov,
      target: siteTarget(terms, cov),
      sites: { total: 1, achieved: cov.achieved ? 1 : 0, empty: cov.census === 0 ? 1 : 0 },
      communes: null,
    };
  }

  const byGap = (a: AreaRow, b: AreaRow) =>
    compareGaps(a.target.gapPp, b.target.gapPp) || nameOrder.compare(a.name, b.name) || a.key.localeCompare(b.key);

  /** The rows of the scope's sites existing on the tally's day, furthest behind target first. */
  function siteRowsOf(scope: ResolvedScope, tally: DateTally): AreaRow[] {
    return scope.sites
      .filter((site) => existsAt(site, tally))
      .map((site) => siteRow(site, tally))
      .sort(byGap);
  }

  /** Adds the commune and province names a site list shows; the reference already holds them. */
  function withUnitNames(row: AreaRow): SiteAreaRow {
    const ref = snap.ref;
    const communeCode = row.communeCode!; // a site row always has its commune
    return {
      ...row,
      commune: { code: communeCode, name: ref.communes.get(communeCode)?.name ?? communeCode },
      province: { code: row.provinceCode, name: ref.provinces.get(row.provinceCode) ?? row.provinceCode },
    };
  }

  /** One level down; a site's stalls come from `siteStalls` (its stalls' ids and labels, read by the caller). */
  function childrenOf(scope: ResolvedScope, asOf: string, siteStalls: readonly StallLabel[] | null): AdoptionChildren {
    const day = dayNumber(asOf);
    const ref = snap.ref;
    if (scope.site) {
      const rows: StallAsOfRow[] = [];
      for (const { id, label } of siteStalls ?? []) {
        const at = snap.stallAt(id, day);
        if (!at) continue;
        const status = STALL_STATUSES[at.status]!;
        rows.push({
          id,
          label,
          status,
          refusalReason: status === 'refused' ? (REFUSAL_REASONS[at.reason] ?? 'other') : null,
          since: dateOfDay(at.since),
        });
      }
      rows.sort((a, b) => labelOrder.compare(a.label, b.label) || a.id - b.id);
      return { scope: scope.info, asOf, level: 'stalls', rows };
    }
    const tally = tallies.at(scope, day);
    if (scope.childLevel === 'provinces') {
      const sitesOf = groupBy(scope.sites, (site) => site.provinceCode);
      const rows = scope.listed.map((code) =>
        areaRow(
          'province',
          code,
          ref.provinces.get(code) ?? code,
          code,
          sitesOf.get(code) ?? [],
          tally,
          (ref.communesByProvince.get(code) ?? []).map((commune) => commune.code),
        ),
      );
      return { scope: scope.info, asOf, level: 'provinces', rows: rows.sort(byGap) };
    }
    if (scope.childLevel === 'communes') {
      const sitesOf = groupBy(scope.sites, (site) => site.communeCode);
      const listed = new Set(scope.listed);
      const rows: AreaRow[] = [];
      for (const code of new Set([...sitesOf.keys(), ...listed])) {
        const sites = sitesOf.get(code) ?? [];
        if (!listed.has(code) && !sites.some((site) => existsAt(site, tally))) continue;
        const commune = ref.communes.get(code);
        rows.push(areaRow('commune', code, commune?.name ?? code, commune?.provinceCode ?? '', sites, tally, null));
      }
      return { scope: scope.info, asOf, level: 'communes', rows: rows.sort(byGap) };
    }
    return { scope: scope.info, asOf, level: 'sites', rows: siteRowsOf(scope, tally) };
  }

  /** Every site of the scope existing as of asOf, built and ordered like children's site rows, with unit names. */
  function sitesOf(scope: ResolvedScope, asOf: string): SiteAreaRow[] {
    return siteRowsOf(scope, tallies.at(scope, dayNumber(asOf))).map(withUnitNames);
  }

  return { figuresOf, childrenOf, sitesOf };
}

export type Figures = ReturnType<typeof createFigures>;

/** A site exists as of a day when it was created by then or one of its stalls exists by then. */
function existsAt(site: SiteInfo, tally: DateTally): boolean {
  return site.createdDay <= tally.day || tally.stallExists[site.index] === 1;
}

function countSite(group: { total: number; achieved: number; empty: number }, achieved: boolean, census: number): void {
  group.total++;
  if (achieved) group.achieved++;
  if (census === 0) group.empty++;
}

function newTally(): { total: number; achieved: number; empty: number } {
  return { total: 0, achieved: 0, empty: 0 } satisfies SiteTally;
}

function transferShare(histogram: Int32Array): TransferShare {
  const counts = [0, 0, 0, 0];
  let n = 0;
  for (let v = 0; v <= 100; v++) {
    counts[shareBucket(v)]! += histogram[v]!;
    n += histogram[v]!;
  }
  const median = medianOfHistogram(histogram);
  return {
    estimate: true,
    label: 'ước tính',
    n,
    median,
    buckets: TRANSFER_SHARE_BUCKETS.map((bucket, i) => ({ ...bucket, count: counts[i]! })),
    summary: transferShareSummary(median, n),
  };
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
