/**
 * Adoption figures for any scope, as of any date, recomputed from the status history.
 *
 * Definitions (one place; the property tests recount each of them naively from the raw rows):
 * - As of D ('YYYY-MM-DD', a Vietnam calendar day): a stall's status is the to_status of its last
 *   stall_status_history row (by changed_at, then id) with changed_at < D+1 00:00 +07:00. A stall with no
 *   row by then does not exist yet. For today this equals stalls.status (tested on the demo data).
 * - Census: existing stalls not closed. Coverage: coverage() of coverage.ts — installed ÷ census.
 * - Effective target and deadline of a site: its campaign's (campaign_sites) if it is in one, else
 *   sites.target_percent and sites.target_deadline. Targets are not historised: past dates use today's.
 * - A site is đạt when coverage(counts, effective target).achieved. A site exists as of D when it was
 *   created by then (sites.created_at) or one of its stalls exists by then; sites counted (đạt / total,
 *   streets apart from markets + trade centres) are the existing ones; `empty` have no census.
 * - An aggregate (commune, province, campaign, everything) adds its stalls up. Its target is the
 *   census-weighted mean of its sites' targets; it is "achieved" when 100·installed ≥ Σ target·census, i.e.
 *   it has as many installed stalls as its sites' targets add up to. Gap to target = coverage − target in
 *   percentage points, rounded down to 0.1 (≥ 0 exactly when achieved), null for an empty census.
 * - Funnel as of D: census; has account = has_account + qr_verified + installed; QR verified =
 *   qr_verified + installed; installed; followed up = installed with a follow_up visit by D; still displayed
 *   = installed whose last follow_up visit by D said sticker_displayed 'yes' ('replaced' means another code
 *   was found on the counter, so it is not ours displayed). Refusals: stalls refused as of D, by the reason
 *   of their last history row (a missing or unknown reason counts as 'other').
 * - Communes in scope: a province's communes (all, from the communes table), a commune itself, a site's
 *   commune, a campaign's sites' communes, and for everything every commune (of the provinces it is limited
 *   to). Communes with a cashless site: those with at least one đạt site of the scope.
 * - Transfer share: stalls in the census as of D, each with the last transfer_share it reported at a
 *   follow-up by D (follow-ups without a share skipped); median (mean of the two middle values for an even
 *   n), n and buckets 0–24, 25–49, 50–74, 75–100; always labelled "ước tính".
 * - Volunteer activity: visits by day (Vietnam time) in the ISO weeks (Monday–Sunday) up to the week of D,
 *   counted up to D, on stalls of the scope's sites, per user (visits without a user are left out): visits
 *   (every action) and stalls onboarded (action 'onboarded'); active volunteers = users with a visit that week.
 * - Data quality as of D: QR-verified/installed stalls with no account name-checked (verified_at) before
 *   the cutoff and not retired before it; installed stalls whose last contact — the later of the day their
 *   current installed stint began and their last follow-up — is 60 days or more before D; one BIN + account
 *   number on two or more stalls among accounts created by D and not retired by then, when one of those
 *   stalls is in scope; stickers revoked or replaced by D (status_changed_at, else created_at).
 * - Children: everything → its provinces (all, empty ones too); a province → its communes with a site
 *   existing as of D; a commune or campaign → its existing sites; a site → its stalls existing as of D
 *   (status and reason then, by label). Rows go furthest behind target first (gap ascending), empty ones
 *   last, then by name; colour classes 'achieved' / 'close' (within GAP_CLASS_THRESHOLDS.closeWithinPp =
 *   10 pp below) / 'behind' / 'empty'.
 * - Sites of a scope (lists of sites outside the dashboard, e.g. the home page): its existing sites at any
 *   depth as site rows, in the children's order.
 * - Scopes: everything (optionally limited to the provinces in the user's reach; [] reaches none), a
 *   province, a commune, a site, or a campaign (its sites, whatever their commune).
 * - Trend: coverage on D and the same weekday 1 … N weeks before (N + 1 points). "Expected" follows a
 *   straight line from the coverage at the start of the schedule (campaign start, else launch date, else
 *   first survey, else creation; measured at the end of the day before) to the target at the deadline
 *   (adoption-maths expectedPercent); an aggregate's is the census-weighted mean over its sites with a
 *   deadline, shown next to those sites' own coverage (`scheduled`).
 */
import type { Db } from '../db/database.js';
import { maskAccount } from '../vocabulary/masking.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import { REFUSAL_REASONS, STALL_STATUSES, type RefusalReason } from '../vocabulary/stall-status.js';
import { coverage, DEFAULT_TARGET_PERCENT, emptyStatusCounts, type Coverage, type StatusCounts } from '../vocabulary/coverage.js';
import {
  TRANSFER_SHARE_BUCKETS,
  compareGaps,
  expectedPercent,
  gapClass,
  gapPp,
  medianOfHistogram,
  reachesTarget,
  round1,
  shareBucket,
  transferShareSummary,
  weightedTarget,
  type ScheduleLine,
} from './adoption-maths.js';
import { addDays, cutoffAfter, dateOfDay, dayNumber, isIsoDate, weeklyDates, weeksEndingAt } from '../calendar/calendar.js';
import { createAdoptionRepo } from './adoption-repo.js';
import { SharedAccountNumbers } from './shared-accounts.js';
import {
  AdoptionSnapshot,
  NEVER,
  REASON_COUNT,
  STALE_FOLLOW_UP_DAYS,
  STATUS_COUNT,
  type CampaignInfo,
  type DateTally,
  type SiteInfo,
} from './adoption-snapshot.js';
import type {
  AdoptionChildren,
  AdoptionDashboard,
  AdoptionFigures,
  AdoptionScope,
  AdoptionTrend,
  AreaRow,
  CommunesCashless,
  DataQuality,
  DuplicateAccountGroup,
  ScopeInfo,
  SiteAreaRow,
  SiteTally,
  SitesCounted,
  StallAsOfRow,
  StallRef,
  TargetStatus,
  TransferShare,
  TrendPoint,
  VolunteerActivity,
  VolunteerRow,
} from './adoption-types.js';

/** Lists in the data-quality answer stop at this many entries; counts are complete. */
export const DATA_QUALITY_LIST_LIMIT = 100;
export const DEFAULT_TREND_WEEKS = 12;
export const MAX_WEEKS = 104;

const nameOrder = new Intl.Collator('vi', { sensitivity: 'base' });
const labelOrder = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });

/** One snapshot per database, shared by every service built on it (the app may build one per request). */
const snapshots = new WeakMap<Db, AdoptionSnapshot>();
/** Likewise the shared account numbers, kept up to date from the accounts added since. */
const sharedNumbers = new WeakMap<Db, SharedAccountNumbers>();

interface ResolvedScope {
  readonly info: ScopeInfo;
  /** Identifies the scope in caches. */
  readonly key: string;
  /** mask[site.index] = 1 for the sites in scope. */
  readonly mask: Uint8Array;
  /** Their indexes, ascending. */
  readonly indexes: readonly number[];
  /** Sites in scope, by id. */
  readonly sites: readonly SiteInfo[];
  /** Codes of the communes in scope. */
  readonly communes: readonly string[];
  readonly site: SiteInfo | null;
  readonly campaign: CampaignInfo | null;
}

export interface AdoptionServiceOptions {
  /** For tests: fold re-read timelines back into the snapshot's main block past this many rows. */
  readonly compactAfterRows?: number;
}

/** The options apply when the first service of a database builds its snapshot. */
export function createAdoptionService(db: Db, options: AdoptionServiceOptions = {}) {
  let snapshot = snapshots.get(db);
  if (!snapshot) {
    snapshot = new AdoptionSnapshot(createAdoptionRepo(db), options.compactAfterRows);
    snapshots.set(db, snapshot);
  }
  const snap = snapshot;
  const repo = createAdoptionRepo(db);
  let shared = sharedNumbers.get(db);
  if (!shared) {
    shared = new SharedAccountNumbers(repo);
    sharedNumbers.set(db, shared);
  }
  const sharedAccounts = shared;
  const tallies = new Map<string, DateTally>();

  function resolve(scope: AdoptionScope): ResolvedScope {
    snap.refresh();
    const ref = snap.ref;
    const build = (
      info: Omit<ScopeInfo, 'kind' | 'key'> & { kind: ScopeInfo['kind']; key: string },
      sites: readonly SiteInfo[],
      communes: readonly string[],
      extra: { site?: SiteInfo; campaign?: CampaignInfo } = {},
    ): ResolvedScope => {
      const mask = new Uint8Array(ref.sites.length);
      for (const site of sites) mask[site.index] = 1;
      return {
        info,
        key: `${info.kind}:${info.key}`,
        mask,
        indexes: sites.map((site) => site.index),
        sites,
        communes,
        site: extra.site ?? null,
        campaign: extra.campaign ?? null,
      };
    };
    const unit = (code: string) => ({ code, name: ref.provinces.get(code) ?? code });

    switch (scope.kind) {
      case 'all': {
        if (scope.provinces === undefined) {
          return build(
            { kind: 'all', key: 'all', name: 'Toàn quốc', province: null, commune: null, provinces: null },
            ref.sites,
            [...ref.communes.keys()],
          );
        }
        const codes = [...new Set(scope.provinces)].sort();
        for (const code of codes) {
          if (!ref.provinces.has(code)) throw new NotFoundError(`Không tìm thấy tỉnh, thành phố có mã ${code}.`);
        }
        const inReach = new Set(codes);
        const name =
          codes.length === 0
            ? 'Không có tỉnh nào'
            : codes.length <= 3
              ? codes.map((code) => ref.provinces.get(code)!).join(', ')
              : `${codes.length} tỉnh, thành phố`;
        return build(
          { kind: 'all', key: `all:${codes.join(',')}`, name, province: null, commune: null, provinces: codes },
          ref.sites.filter((site) => inReach.has(site.provinceCode)),
          codes.flatMap((code) => (ref.communesByProvince.get(code) ?? []).map((commune) => commune.code)),
        );
      }
      case 'province': {
        const name = ref.provinces.get(scope.code);
        if (name === undefined) throw new NotFoundError(`Không tìm thấy tỉnh, thành phố có mã ${scope.code}.`);
        return build(
          { kind: 'province', key: scope.code, name, province: { code: scope.code, name }, commune: null, provinces: null },
          ref.sites.filter((site) => site.provinceCode === scope.code),
          (ref.communesByProvince.get(scope.code) ?? []).map((commune) => commune.code),
        );
      }
      case 'commune': {
        const commune = ref.communes.get(scope.code);
        if (!commune) throw new NotFoundError(`Không tìm thấy xã, phường có mã ${scope.code}.`);
        return build(
          {
            kind: 'commune',
            key: commune.code,
            name: commune.name,
            province: unit(commune.provinceCode),
            commune: { code: commune.code, name: commune.name },
            provinces: null,
          },
          ref.sites.filter((site) => site.communeCode === commune.code),
          [commune.code],
        );
      }
      case 'site': {
        const site = ref.siteById.get(scope.id);
        if (!site) throw new NotFoundError('Không tìm thấy địa điểm này.');
        const commune = ref.communes.get(site.communeCode);
        return build(
          {
            kind: 'site',
            key: String(site.id),
            name: site.name,
            province: unit(site.provinceCode),
            commune: { code: site.communeCode, name: commune?.name ?? site.communeCode },
            provinces: null,
          },
          [site],
          [site.communeCode],
          { site },
        );
      }
      case 'campaign': {
        const campaign = ref.campaigns.get(scope.id);
        if (!campaign) throw new NotFoundError('Không tìm thấy đợt này.');
        const sites = ref.sites.filter((site) => site.campaign?.id === campaign.id);
        return build(
          { kind: 'campaign', key: String(campaign.id), name: campaign.name, province: null, commune: null, provinces: null },
          sites,
          [...new Set(sites.map((site) => site.communeCode))].sort(),
          { campaign },
        );
      }
    }
  }

  function tallyAt(scope: ResolvedScope, day: number, detail = false): DateTally {
    const key = `${snap.version}|${scope.key}|${day}|${detail}`;
    let tally = tallies.get(key);
    if (!tally) {
      tally = snap.tallyAt(scope.indexes, day, detail);
      if (tallies.size >= 8) tallies.delete(tallies.keys().next().value!);
      tallies.set(key, tally);
    }
    return tally;
  }

  function siteCounts(tally: DateTally, site: SiteInfo): StatusCounts {
    const counts = emptyStatusCounts();
    const base = site.index * STATUS_COUNT;
    STALL_STATUSES.forEach((status, i) => (counts[status] = tally.counts[base + i]!));
    return counts;
  }

  /** Totals over a set of sites as of a tally's day. */
  function rollUp(sites: readonly SiteInfo[], tally: DateTally) {
    const counts = emptyStatusCounts();
    let targetSum = 0;
    const all = newTally();
    const streets = newTally();
    const markets = newTally();
    const achievedCommunes = new Set<string>();
    for (const site of sites) {
      const own = siteCounts(tally, site);
      for (const status of STALL_STATUSES) counts[status] += own[status];
      const census = own.surveyed + own.has_account + own.qr_verified + own.installed + own.refused;
      targetSum += site.targetPercent * census;
      if (!existsAt(site, tally)) continue;
      const achieved = coverage(own, site.targetPercent).achieved;
      if (achieved) achievedCommunes.add(site.communeCode);
      for (const group of [all, site.kind === 'street' ? streets : markets]) {
        group.total++;
        if (achieved) group.achieved++;
        if (census === 0) group.empty++;
      }
    }
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

  function siteTarget(site: SiteInfo, cov: Coverage): TargetStatus {
    const gap = gapPp(cov.installed, cov.census, site.targetPercent * cov.census);
    return {
      percent: site.targetPercent,
      source: site.campaign ? 'campaign' : 'site',
      achieved: cov.achieved,
      gapPp: gap,
      gapClass: gapClass(cov.census, cov.achieved, gap),
      deadline: site.deadline,
      campaign: site.campaign ? { id: site.campaign.id, name: site.campaign.name } : null,
    };
  }

  function aggregate(counts: StatusCounts, targetSum: number, campaign: CampaignInfo | null): { coverage: Coverage; target: TargetStatus } {
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
    const tally = tallyAt(scope, day);
    const totals = rollUp(scope.sites, tally);
    const { counts } = totals;
    let cov: Coverage;
    let target: TargetStatus;
    if (scope.site) {
      cov = coverage(counts, scope.site.targetPercent);
      target = siteTarget(scope.site, cov);
    } else {
      ({ coverage: cov, target } = aggregate(counts, totals.targetSum, scope.campaign));
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
    const cov = coverage(counts, site.targetPercent);
    return {
      kind: 'site',
      key: String(site.id),
      name: site.name,
      siteKind: site.kind,
      communeCode: site.communeCode,
      provinceCode: site.provinceCode,
      counts,
      coverage: cov,
      target: siteTarget(site, cov),
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

  function childrenOf(scope: ResolvedScope, asOf: string): AdoptionChildren {
    const day = dayNumber(asOf);
    const ref = snap.ref;
    if (scope.site) {
      const rows: StallAsOfRow[] = [];
      for (const { id, label } of repo.stallsOfSite(scope.site.id)) {
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
    const tally = tallyAt(scope, day);
    if (scope.info.kind === 'all') {
      const codes = scope.info.provinces ?? [...ref.provinces.keys()];
      const sitesOf = groupBy(scope.sites, (site) => site.provinceCode);
      const rows = codes.map((code) =>
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
    if (scope.info.kind === 'province') {
      const sitesOf = groupBy(scope.sites, (site) => site.communeCode);
      const rows: AreaRow[] = [];
      for (const [code, sites] of sitesOf) {
        if (!sites.some((site) => existsAt(site, tally))) continue;
        rows.push(areaRow('commune', code, ref.communes.get(code)?.name ?? code, scope.info.key, sites, tally, null));
      }
      return { scope: scope.info, asOf, level: 'communes', rows: rows.sort(byGap) };
    }
    return { scope: scope.info, asOf, level: 'sites', rows: siteRowsOf(scope, tally) };
  }

  function trendOf(scope: ResolvedScope, asOf: string, weeks: number): AdoptionTrend {
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
              label: coverage({ ...emptyStatusCounts(), installed: scheduledInstalled, surveyed: scheduledCensus - scheduledInstalled }, DEFAULT_TARGET_PERCENT).label,
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
    return { scope: scope.info, asOf, weeks, points: result, schedule, expectedByToday: result[result.length - 1]!.expectedPercent };
  }

  function activityOf(scope: ResolvedScope, asOf: string, weeks: number): VolunteerActivity {
    const window = weeksEndingAt(asOf, weeks);
    const from = dayNumber(window[0]!.monday);
    const to = dayNumber(asOf);
    const perUser = new Map<number, Int32Array>();
    snap.forEachVisit(scope.mask, from, to, (day, user, onboarded) => {
      let row = perUser.get(user);
      if (!row) perUser.set(user, (row = new Int32Array(weeks * 2)));
      const week = Math.floor((day - from) / 7);
      row[week * 2]!++;
      if (onboarded) row[week * 2 + 1]!++;
    });
    const users = repo.userNames([...perUser.keys()]);
    const volunteers: VolunteerRow[] = [...perUser].map(([userId, row]) => {
      const perWeek = window.map((_, w) => ({ visits: row[w * 2]!, onboarded: row[w * 2 + 1]! }));
      return {
        userId,
        displayName: users.get(userId) ?? `#${userId}`,
        weeks: perWeek,
        visits: perWeek.reduce((sum, week) => sum + week.visits, 0),
        onboarded: perWeek.reduce((sum, week) => sum + week.onboarded, 0),
        activeWeeks: perWeek.filter((week) => week.visits > 0).length,
      };
    });
    volunteers.sort((a, b) => b.visits - a.visits || nameOrder.compare(a.displayName, b.displayName) || a.userId - b.userId);
    return {
      scope: scope.info,
      asOf,
      weeks: window.map((week, w) => ({
        ...week,
        through: week.sunday < asOf ? week.sunday : asOf,
        visits: volunteers.reduce((sum, v) => sum + v.weeks[w]!.visits, 0),
        onboarded: volunteers.reduce((sum, v) => sum + v.weeks[w]!.onboarded, 0),
        activeVolunteers: volunteers.filter((v) => v.weeks[w]!.visits > 0).length,
      })),
      volunteers,
    };
  }

  function dataQualityOf(scope: ResolvedScope, asOf: string): DataQuality {
    const day = dayNumber(asOf);
    const cutoff = cutoffAfter(asOf);
    const ref = snap.ref;
    const inScope = (stallId: number) => {
      const site = snap.siteOfStall(stallId);
      return site >= 0 && scope.mask[site] === 1;
    };

    const tally = tallyAt(scope, day, true);
    const detail = tally.detail!;
    // QR-verified or installed as of D, without a name-checked account by then: the candidates' accounts
    // are looked up by stall (73 ms for a province's 130,000); for more, one scan of all accounts is quicker.
    const candidates = detail.acceptingIds;
    const verified = new Set(
      candidates.length <= 250_000 ? repo.verifiedAmong(candidates, cutoff) : repo.stallsWithVerifiedAccount(cutoff),
    );
    const unverified = candidates.filter((id) => !verified.has(id));
    unverified.sort((a, b) => a - b);

    const staleOrder = detail.staleIds.map((id, i) => ({ id, contact: detail.staleContact[i]! }));
    staleOrder.sort((a, b) => a.contact - b.contact || a.id - b.id);

    // Accounts created by the cutoff and not retired before it; text order of ISO timestamps is time order.
    const groups: { bin: string; number: string; accountIds: number[]; stallIds: number[] }[] = [];
    for (const row of sharedAccounts.rows()) {
      if (!(row.created_at < cutoff) || (row.retired_at !== null && row.retired_at < cutoff)) continue;
      const last = groups[groups.length - 1];
      if (last && last.bin === row.bin && last.number === row.account_number) {
        last.accountIds.push(row.id);
        if (!last.stallIds.includes(row.stall_id)) last.stallIds.push(row.stall_id);
      } else {
        groups.push({ bin: row.bin, number: row.account_number, accountIds: [row.id], stallIds: [row.stall_id] });
      }
    }
    const duplicates = groups.filter((group) => group.stallIds.length >= 2 && group.stallIds.some(inScope));

    let revoked = 0;
    let replaced = 0;
    for (const [stallId, status] of repo.withdrawnStickers(cutoff)) {
      if (!inScope(stallId)) continue;
      if (status === 'revoked') revoked++;
      else replaced++;
    }

    const limit = DATA_QUALITY_LIST_LIMIT;
    const listedUnverified = unverified.slice(0, limit);
    const listedStale = staleOrder.slice(0, limit);
    const listedGroups = duplicates.slice(0, limit);
    const labels = new Map(
      repo
        .stallLabels([...listedUnverified, ...listedStale.map((s) => s.id), ...listedGroups.flatMap((g) => g.stallIds)])
        .map((row) => [row.id, row.label]),
    );
    const stallRef = (stallId: number): StallRef => {
      const siteIndex = snap.siteOfStall(stallId);
      const site = siteIndex >= 0 ? ref.sites[siteIndex]! : null;
      const at = snap.stallAt(stallId, day);
      return {
        stallId,
        label: labels.get(stallId) ?? '',
        siteId: site?.id ?? 0,
        siteName: site?.name ?? '',
        status: at ? STALL_STATUSES[at.status]! : null,
      };
    };
    const duplicateGroups: DuplicateAccountGroup[] = listedGroups.map((group) => ({
      bin: group.bin,
      maskedAccount: maskAccount(group.number),
      accountIds: group.accountIds,
      stalls: group.stallIds.map((id) => ({ ...stallRef(id), inScope: inScope(id) })),
    }));
    return {
      scope: scope.info,
      asOf,
      listLimit: limit,
      unverifiedAccounts: { count: unverified.length, stalls: listedUnverified.map(stallRef) },
      staleFollowUps: {
        days: STALE_FOLLOW_UP_DAYS,
        count: staleOrder.length,
        stalls: listedStale.map(({ id, contact }) => ({ ...stallRef(id), lastContact: dateOfDay(contact) })),
      },
      duplicateAccounts: { count: duplicates.length, groups: duplicateGroups },
      stickers: { revoked, replaced },
    };
  }

  return {
    /** Checks a scope and names it; NotFoundError for an unknown province, commune, site or campaign. */
    scope(scope: AdoptionScope): ScopeInfo {
      return resolve(scope).info;
    },

    /** The figures of a scope as of a date. */
    figures(scope: AdoptionScope, asOf: string): AdoptionFigures {
      assertDate(asOf);
      return figuresOf(resolve(scope), asOf);
    },

    /** One level down: provinces, communes (with a site), sites, or a site's stalls. */
    children(scope: AdoptionScope, asOf: string): AdoptionChildren {
      assertDate(asOf);
      return childrenOf(resolve(scope), asOf);
    },

    /**
     * Every site of the scope existing as of asOf (a site scope: itself), at any depth, ordered and built
     * like children's site rows — so a list of sites elsewhere agrees with the dashboard — with unit names.
     */
    sites(scope: AdoptionScope, asOf: string): readonly SiteAreaRow[] {
      assertDate(asOf);
      const resolved = resolve(scope);
      return siteRowsOf(resolved, tallyAt(resolved, dayNumber(asOf))).map(withUnitNames);
    },

    /** Coverage on asOf and on the same weekday of each of the `weeks` weeks before, against the target. */
    trend(scope: AdoptionScope, asOf: string, weeks = DEFAULT_TREND_WEEKS): AdoptionTrend {
      assertDate(asOf);
      assertWeeks(weeks);
      return trendOf(resolve(scope), asOf, weeks);
    },

    /** Visits and stalls onboarded per volunteer per ISO week, the last `weeks` weeks up to asOf. */
    volunteerActivity(scope: AdoptionScope, asOf: string, weeks = DEFAULT_TREND_WEEKS): VolunteerActivity {
      assertDate(asOf);
      assertWeeks(weeks);
      return activityOf(resolve(scope), asOf, weeks);
    },

    dataQuality(scope: AdoptionScope, asOf: string): DataQuality {
      assertDate(asOf);
      return dataQualityOf(resolve(scope), asOf);
    },

    /** What a dashboard shows at once: figures, the same a week earlier, the children and the trend. */
    dashboard(scope: AdoptionScope, asOf: string, weeks = DEFAULT_TREND_WEEKS): AdoptionDashboard {
      assertDate(asOf);
      assertWeeks(weeks);
      const resolved = resolve(scope);
      const figures = figuresOf(resolved, asOf);
      const lastWeek = figuresOf(resolved, addDays(asOf, -7));
      const now = figures.coverage;
      const before = lastWeek.coverage;
      return {
        figures,
        lastWeek,
        change: {
          installed: now.installed - before.installed,
          census: now.census - before.census,
          coveragePp: now.ratio === null || before.ratio === null ? null : round1((now.ratio - before.ratio) * 100),
          sitesAchieved: figures.sites.achieved - lastWeek.sites.achieved,
        },
        children: childrenOf(resolved, asOf),
        trend: trendOf(resolved, asOf, weeks),
      };
    },

    /** Reads what changed since the last call (cheap when nothing did); call at startup to build the snapshot. */
    warm(): void {
      snap.refresh();
      sharedAccounts.catchUp();
    },

    /** Drops the in-memory snapshot, e.g. after rows were edited by hand; the next call rebuilds it. */
    invalidate(): void {
      snap.invalidate();
      sharedAccounts.reset();
    },
  };
}

export type AdoptionService = ReturnType<typeof createAdoptionService>;

/** A site exists as of a day when it was created by then or one of its stalls exists by then. */
function existsAt(site: SiteInfo, tally: DateTally): boolean {
  return site.createdDay <= tally.day || tally.stallExists[site.index] === 1;
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

function assertDate(asOf: string): void {
  if (!isIsoDate(asOf) || asOf < '2000-01-01' || asOf > '2199-12-31') {
    throw new ValidationError({ asOf: 'Chọn một ngày hợp lệ (YYYY-MM-DD).' });
  }
}

function assertWeeks(weeks: number): void {
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS) {
    throw new ValidationError({ weeks: `Số tuần là số nguyên từ 1 đến ${MAX_WEEKS}.` });
  }
}
