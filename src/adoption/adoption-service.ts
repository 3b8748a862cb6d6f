/**
 * Adoption figures for any scope, as of any date, recomputed from the status history.
 *
 * Definitions (one place; the property tests recount each of them naively from the raw rows):
 * - As of D ('YYYY-MM-DD', a Vietnam calendar day): a stall's status is the to_status of its last
 *   stall_status_history row (by changed_at, then id) with changed_at < D+1 00:00 +07:00. A stall with no
 *   row by then does not exist yet. For today this equals stalls.status (tested on the demo data).
 * - Census: existing stalls not closed. Coverage: coverage() of coverage.ts — installed ÷ census.
 * - Effective target and deadline of a site on D: its campaign's if it is in one on D, else its own — each
 *   as in force on D (migrations/0018_target_history.sql, adoption-terms.ts): the last change made on or
 *   before D (of several on one day, the last), before the first change the first values, without any
 *   history row the current columns. A change made today takes effect from today; past dates keep theirs.
 * - A campaign scope as of D: the sites in it on D (visible to a reach holding one of its sites on D or
 *   now); its deadline and schedule are those in force on D.
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
 *   commune, a campaign's sites' communes (in the reach), and for everything every commune of the reach:
 *   its provinces' communes, its communes, its sites' communes. Communes with a cashless site: those with
 *   at least one đạt site of the scope.
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
 *   stalls is in scope — listing only the stalls (and their accounts) in the reach, the others counted as
 *   outsideReach; stickers revoked or replaced by D (status_changed_at, else created_at); payee-change
 *   requests of stalls in scope asked before the cutoff and not decided or withdrawn before it, oldest first.
 * - Children: everything → its provinces (all, empty ones too); a province → its communes with a site
 *   existing as of D; a commune or campaign → its existing sites; a site → its stalls existing as of D
 *   (status and reason then, by label). Everything in a reach short of the whole country: a reach of one
 *   unit → that unit's children; of provinces only → those provinces; of provinces and communes → the
 *   provinces' communes with an existing site and the reach's communes (all); with sites → its existing
 *   sites; of nothing → no rows (level 'sites'). Rows go furthest behind target first (gap ascending), empty ones
 *   last, then by name; colour classes 'achieved' / 'close' (within GAP_CLASS_THRESHOLDS.closeWithinPp =
 *   10 pp below) / 'behind' / 'empty'.
 * - Sites of a scope (lists of sites outside the dashboard, e.g. the home page): its existing sites at any
 *   depth as site rows, in the children's order.
 * - Scopes, always in the asker's reach (adoption-scope.ts): everything (everything in the reach; an empty
 *   reach sees nothing, not an error), a province, a commune or a site (wholly in the reach, else 404 as
 *   for an unknown one), or a campaign (its sites in the reach, whatever their commune; 404 when none).
 * - Trend: coverage on D and the same weekday 1 … N weeks before (N + 1 points). "Expected" follows a
 *   straight line from the coverage at the start of the schedule (campaign start, else launch date, else
 *   first survey, else creation; measured at the end of the day before) to the target at the deadline
 *   (adoption-maths expectedPercent); an aggregate's is the census-weighted mean over its sites with a
 *   deadline, shown next to those sites' own coverage (`scheduled`).
 */
import { ValidationError } from '../http/errors.js';
import { addDays, dateOfDay, dayNumber, isIsoDate } from '../calendar/calendar.js';
import { countVisits, activityOf } from './adoption-activity.js';
import { createFigures } from './adoption-figures.js';
import { round1 } from './adoption-maths.js';
import type { AdoptionRepo } from './adoption-repo.js';
import { resolveScope, type ResolvedScope } from './adoption-scope.js';
import { NEVER, type AdoptionSnapshot } from './adoption-snapshot.js';
import { TallyCache } from './adoption-tallies.js';
import { trendOf } from './adoption-trend.js';
import type {
  AdoptionChildren,
  AdoptionDashboard,
  AdoptionFigures,
  AdoptionScope,
  AdoptionTrend,
  DataQuality,
  FollowUpsDue,
  ScopeInfo,
  SiteAreaRow,
  VolunteerActivity,
} from './adoption-types.js';
import { dataQualityOf } from './data-quality.js';
import type { DataQualityRepo } from './data-quality-repo.js';
import type { Reach } from '../vocabulary/reach.js';
import type { SharedAccountNumbers } from './shared-accounts.js';
import { staleEntry, staleOldestFirst } from './stale-order.js';

export { DATA_QUALITY_LIST_LIMIT } from './data-quality.js';
/** Everything in the reach. */
const ALL: AdoptionScope = { kind: 'all' };

export const DEFAULT_TREND_WEEKS = 12;
export const MAX_WEEKS = 104;

/**
 * What a service is built from. The snapshot and the shared account numbers are long-lived memory of the
 * registry: whoever composes the app builds them once (createAdoption does) and hands them to every
 * service; a service itself only adds its small cache of tallies.
 */
export interface AdoptionServiceDeps {
  readonly snapshot: AdoptionSnapshot;
  /** User names for the activity, a site's stall labels for its children. */
  readonly repo: AdoptionRepo;
  readonly qualityRepo: DataQualityRepo;
  readonly sharedAccounts: SharedAccountNumbers;
}

/**
 * The adoption engine's facade: checks the question (date, weeks), then, in one turn of the snapshot
 * (AdoptionSnapshot.read: fresh, and unchanged until the answer is built), resolves the scope and hands it
 * to the concept that answers it: figures and children, trend, activity, data quality. Every method returns
 * a Promise; the computations themselves are synchronous, in memory.
 */
export function createAdoptionService({ snapshot: snap, repo, qualityRepo, sharedAccounts }: AdoptionServiceDeps) {
  const tallies = new TallyCache(snap);
  const { figuresOf, childrenOf: childrenAt, sitesOf } = createFigures(snap, tallies);
  const quality = { snapshot: snap, tallies, repo: qualityRepo, sharedAccounts };

  /** Runs `answer` on the scope resolved in the reach against a fresh snapshot, within one turn of it. */
  function withScope<T>(
    reach: Reach,
    scope: AdoptionScope,
    asOf: string | null,
    answer: (resolved: ResolvedScope) => T | Promise<T>,
  ): Promise<T> {
    const day = asOf === null ? NEVER : dayNumber(asOf);
    return snap.read(() => answer(resolveScope(snap.ref, scope, reach, day)));
  }

  async function childrenOf(scope: ResolvedScope, asOf: string): Promise<AdoptionChildren> {
    return childrenAt(scope, asOf, scope.site ? await repo.stallsOfSite(scope.site.id) : null);
  }

  return {
    /**
     * Checks a scope in the reach and names it; NotFoundError for an unknown province, commune, site or
     * campaign, and the same for one outside the reach.
     */
    scope(reach: Reach, scope: AdoptionScope): Promise<ScopeInfo> {
      return withScope(reach, scope, null, (resolved) => resolved.info);
    },

    /** The figures of a scope (its part in the reach) as of a date. */
    async figures(reach: Reach, scope: AdoptionScope, asOf: string): Promise<AdoptionFigures> {
      assertDate(asOf);
      return withScope(reach, scope, asOf, (resolved) => figuresOf(resolved, asOf));
    },

    /** One level down: provinces, communes (with a site), sites, or a site's stalls — in the reach only. */
    async children(reach: Reach, scope: AdoptionScope, asOf: string): Promise<AdoptionChildren> {
      assertDate(asOf);
      return withScope(reach, scope, asOf, (resolved) => childrenOf(resolved, asOf));
    },

    /**
     * Every site of the scope existing as of asOf (a site scope: itself), at any depth, ordered and built
     * like children's site rows — so a list of sites elsewhere agrees with the dashboard — with unit names.
     */
    async sites(reach: Reach, scope: AdoptionScope, asOf: string): Promise<readonly SiteAreaRow[]> {
      assertDate(asOf);
      return withScope(reach, scope, asOf, (resolved) => sitesOf(resolved, asOf));
    },

    /** Coverage on asOf and on the same weekday of each of the `weeks` weeks before, against the target. */
    async trend(reach: Reach, scope: AdoptionScope, asOf: string, weeks = DEFAULT_TREND_WEEKS): Promise<AdoptionTrend> {
      assertDate(asOf);
      assertWeeks(weeks);
      return withScope(reach, scope, asOf, (resolved) => trendOf(snap, resolved, asOf, weeks));
    },

    /**
     * Visits and stalls onboarded per volunteer per ISO week, the last `weeks` weeks up to asOf: only visits
     * to stalls in the reach, so a volunteer is named only to those whose reach covers where they worked.
     */
    async volunteerActivity(
      reach: Reach,
      scope: AdoptionScope,
      asOf: string,
      weeks = DEFAULT_TREND_WEEKS,
    ): Promise<VolunteerActivity> {
      assertDate(asOf);
      assertWeeks(weeks);
      return withScope(reach, scope, asOf, async (resolved) => {
        const counts = countVisits(snap, resolved, asOf, weeks);
        return activityOf(counts, await repo.userNames([...counts.perUser.keys()]));
      });
    },

    /** The checks of a scope; a stall outside the reach is never named, even beside a shared account. */
    async dataQuality(reach: Reach, scope: AdoptionScope, asOf: string): Promise<DataQuality> {
      assertDate(asOf);
      return withScope(reach, scope, asOf, (resolved) => dataQualityOf(quality, resolved, asOf));
    },

    /**
     * The installed stalls of the given sites (null: every site of the reach; sites outside it are left out)
     * that nobody contacted for the snapshot's followUpDays as of asOf — the data-quality check's rule — oldest
     * contact first, `limit` of them from `offset`. A walk over those sites' stalls in memory: a volunteer's
     * "Cần thăm lại" list costs its sites' size, not a query per stall.
     */
    async followUpsDue(
      reach: Reach,
      siteIds: readonly number[] | null,
      asOf: string,
      window: { readonly offset: number; readonly limit: number },
    ): Promise<FollowUpsDue> {
      assertDate(asOf);
      return withScope(reach, ALL, asOf, (resolved) => {
        const indexes =
          siteIds === null
            ? resolved.indexes
            : [...new Set(siteIds)].flatMap((id) => {
                const site = snap.ref.siteById.get(id);
                return site && resolved.mask[site.index] === 1 ? [site.index] : [];
              });
        const detail = snap.tallyAt(indexes, dayNumber(asOf), true).detail!;
        const order = staleOldestFirst(detail.staleIds, detail.staleContact);
        const listed = order.subarray(window.offset, window.offset + window.limit);
        return {
          count: order.length,
          stalls: Array.from(listed, (key) => {
            const { id, contact } = staleEntry(key);
            return { stallId: id, siteId: snap.ref.sites[snap.siteOfStall(id)]!.id, lastContact: dateOfDay(contact) };
          }),
        };
      });
    },

    /** What a dashboard shows at once: figures, the same a week earlier, the children and the trend. */
    async dashboard(
      reach: Reach,
      scope: AdoptionScope,
      asOf: string,
      weeks = DEFAULT_TREND_WEEKS,
    ): Promise<AdoptionDashboard> {
      assertDate(asOf);
      assertWeeks(weeks);
      return withScope(reach, scope, asOf, async (resolved) => {
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
          children: await childrenOf(resolved, asOf),
          trend: trendOf(snap, resolved, asOf, weeks),
        };
      });
    },

    /** Reads what changed since the last call (cheap when nothing did); call at startup to build the snapshot. */
    warm(): Promise<void> {
      return snap.read(() => sharedAccounts.catchUp());
    },

    /** Drops the in-memory snapshot, e.g. after rows were edited by hand; the next call rebuilds it. */
    async invalidate(): Promise<void> {
      await snap.invalidate();
      await sharedAccounts.reset();
    },
  };
}

export type AdoptionService = ReturnType<typeof createAdoptionService>;

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
