/**
 * What the adoption engine answers: plain data, no HTTP. Every answer carries its scope and its "as of"
 * date ('YYYY-MM-DD', a calendar day in Vietnam); definitions are in adoption-service.ts.
 */
import type { SiteKind } from '../vocabulary/site-kinds.js';
import type { RefusalReason, StallStatus } from '../vocabulary/stall-status.js';
import type { Coverage, StatusCounts } from '../vocabulary/coverage.js';
import type { GapClass } from './adoption-maths.js';
import type { PayeeChangeKind } from '../vocabulary/payee-changes.js';

export type { GapClass } from './adoption-maths.js';

/**
 * Where the figures are taken. Every question also carries the asker's reach (src/vocabulary/reach.ts):
 * 'all' is everything in it; a province, commune or site must lie wholly inside it; a campaign must have a
 * site in it and then counts only its sites in it.
 */
export type AdoptionScope =
  | { kind: 'all' }
  | { kind: 'province'; code: string }
  | { kind: 'commune'; code: string }
  | { kind: 'site'; id: number }
  | { kind: 'campaign'; id: number };

export interface UnitRef {
  readonly code: string;
  readonly name: string;
}

/** A unit above a scope that lies in the reach: a breadcrumb that may be followed. */
export interface ScopeParent {
  readonly kind: 'province' | 'commune';
  readonly code: string;
  readonly name: string;
}

export interface ScopeInfo {
  readonly kind: AdoptionScope['kind'];
  /** 'all', a province or commune code, or a site or campaign id as text. */
  readonly key: string;
  /**
   * "Toàn quốc" for the whole country, else for 'all' the reach's units ("Gia Lai", "Phường Pleiku, Xã Chư
   * Prông", "3 xã, phường"); the province, commune, site or campaign name — a campaign cut down to the
   * reach says so: "Chợ 4.0 (phần trong phạm vi của bạn)".
   */
  readonly name: string;
  /** The province of a province, commune or site scope; null otherwise. */
  readonly province: UnitRef | null;
  /** The commune of a commune or site scope; null otherwise. */
  readonly commune: UnitRef | null;
  /**
   * The figures are of the part of the scope in the reach only: 'all' short of the whole country, a
   * campaign partly in the reach.
   */
  readonly limited: boolean;
  /** The province and commune above a commune or site scope that lie wholly in the reach, top down (breadcrumbs). */
  readonly parents: readonly ScopeParent[];
}

export interface TargetStatus {
  /**
   * A site: its effective target (its campaign's, else its own). An aggregate: the census-weighted mean of
   * its sites' targets, to 0.1 (null when its census is empty).
   */
  readonly percent: number | null;
  readonly source: 'site' | 'campaign' | 'weighted';
  /** A site: coverage(counts, target).achieved. An aggregate: 100·installed ≥ Σ target·census of its sites. */
  readonly achieved: boolean;
  /** Coverage minus target in percentage points, rounded down to 0.1; null for an empty census. */
  readonly gapPp: number | null;
  readonly gapClass: GapClass;
  /** A site's effective deadline ('YYYY-MM-DD'), a campaign scope's deadline; null otherwise. */
  readonly deadline: string | null;
  /** The campaign whose target applies (a site in a campaign, or a campaign scope). */
  readonly campaign: { readonly id: number; readonly name: string } | null;
}

export interface SiteTally {
  /** Sites that exist as of the date (created by then, or with a stall by then). */
  readonly total: number;
  /** Of those, đạt. */
  readonly achieved: number;
  /** Of those, with an empty census ("chưa có sạp"). */
  readonly empty: number;
}

export interface SitesCounted extends SiteTally {
  readonly streets: SiteTally;
  /** Markets and trade centres. */
  readonly markets: SiteTally;
}

export interface CommunesCashless {
  /** Communes in scope with at least one đạt site in scope. */
  readonly withAchievedSite: number;
  readonly inScope: number;
  /** Whole percent rounded down; null when no commune is in scope. */
  readonly percent: number | null;
  /** "12/15", or "0/0". */
  readonly label: string;
}

export interface Funnel {
  readonly census: number;
  /** has_account, qr_verified or installed. */
  readonly hasAccount: number;
  /** qr_verified or installed. */
  readonly qrVerified: number;
  readonly installed: number;
  /** Installed stalls with at least one follow-up visit by the date. */
  readonly followedUp: number;
  /** Installed stalls whose last follow-up by the date found the sticker displayed ('yes'). */
  readonly stillDisplayed: number;
  readonly refused: number;
  /** Refused stalls by the reason of their refusal (unknown reasons count as 'other'). */
  readonly refusals: Readonly<Record<RefusalReason, number>>;
}

export interface TransferShareBucket {
  readonly from: number;
  readonly to: number;
  readonly label: string;
  readonly count: number;
}

/** What traders report at follow-up: an estimate, never mixed into coverage. */
export interface TransferShare {
  readonly estimate: true;
  readonly label: 'ước tính';
  /** Stalls in the census with a reported share by the date. */
  readonly n: number;
  /** Median of their last reported share; mean of the two middle values for an even n; null for n = 0. */
  readonly median: number | null;
  readonly buckets: readonly TransferShareBucket[];
  /** "ước tính 62,5 % (n = 40)" or "ước tính: chưa có số liệu". */
  readonly summary: string;
}

export interface AdoptionFigures {
  readonly scope: ScopeInfo;
  readonly asOf: string;
  /** Stalls existing as of the date, by their status then (closed included). */
  readonly counts: StatusCounts;
  /**
   * coverage(counts, target). For an aggregate, targetPercent is the weighted target (70 when the census is
   * empty) and achieved follows TargetStatus.achieved.
   */
  readonly coverage: Coverage;
  readonly target: TargetStatus;
  readonly sites: SitesCounted;
  readonly communes: CommunesCashless;
  readonly funnel: Funnel;
  readonly transferShare: TransferShare;
}

export interface AreaRow {
  readonly kind: 'province' | 'commune' | 'site';
  /** Province or commune code, or site id as text. */
  readonly key: string;
  readonly name: string;
  /** Sites only. */
  readonly siteKind: SiteKind | null;
  /** The commune of a site or commune row, null for a province row. */
  readonly communeCode: string | null;
  readonly provinceCode: string;
  readonly counts: StatusCounts;
  readonly coverage: Coverage;
  readonly target: TargetStatus;
  /** For a site row, itself (total 1). */
  readonly sites: SiteTally;
  /** Province rows only: communes of the province with a đạt site. */
  readonly communes: CommunesCashless | null;
}

/** A site's row with the names of its commune and province, for lists of sites outside the dashboard. */
export interface SiteAreaRow extends AreaRow {
  readonly commune: UnitRef;
  readonly province: UnitRef;
}

export interface StallAsOfRow {
  readonly id: number;
  readonly label: string;
  readonly status: StallStatus;
  readonly refusalReason: RefusalReason | null;
  /** The Vietnam date of the history row that set this status. */
  readonly since: string;
}

/** Rows one level down, furthest behind target first (empty ones last); stalls by label. */
export type AdoptionChildren =
  | {
      readonly scope: ScopeInfo;
      readonly asOf: string;
      readonly level: 'provinces' | 'communes' | 'sites';
      readonly rows: readonly AreaRow[];
    }
  | {
      readonly scope: ScopeInfo;
      readonly asOf: string;
      readonly level: 'stalls';
      readonly rows: readonly StallAsOfRow[];
    };

export interface TrendPoint {
  readonly asOf: string;
  readonly installed: number;
  readonly census: number;
  /** Whole percent rounded down, null for an empty census. */
  readonly percent: number | null;
  readonly label: string;
  readonly sites: { readonly total: number; readonly achieved: number };
  /** A site: its target; an aggregate: the census-weighted target on that date (null for an empty census). */
  readonly targetPercent: number | null;
  /**
   * Where the line from the start to the target at the deadline stands on that date, to 0.1. A site:
   * its own line (null without a deadline). An aggregate: the census-weighted mean over its sites that
   * have a deadline (null when none has census) — compare it with `scheduled`, the coverage of those sites.
   */
  readonly expectedPercent: number | null;
  /** Aggregates: the sites with a deadline and their own coverage that date; null for a site. */
  readonly scheduled: {
    readonly sites: number;
    readonly installed: number;
    readonly census: number;
    readonly label: string;
  } | null;
}

export interface Schedule {
  readonly source: 'campaign' | 'site';
  /** Campaign start, else the site's launch date, else its first survey, else its creation date. */
  readonly startsOn: string;
  readonly deadline: string;
  readonly targetPercent: number;
  /** A site: its coverage (exact percent, 0.1) at the start of startsOn; null for a campaign scope. */
  readonly startPercent: number | null;
}

export interface AdoptionTrend {
  readonly scope: ScopeInfo;
  readonly asOf: string;
  readonly weeks: number;
  /** weeks + 1 points: asOf and the same weekday 1 … weeks weeks before, oldest first. */
  readonly points: readonly TrendPoint[];
  /** A site with a deadline, or a campaign scope. */
  readonly schedule: Schedule | null;
  /** expectedPercent of the last point (asOf). */
  readonly expectedByToday: number | null;
}

export interface ActivityWeek {
  /** '2026-W47' */
  readonly label: string;
  readonly monday: string;
  readonly sunday: string;
  /** The last day counted: Sunday, or asOf in the week of asOf. */
  readonly through: string;
  readonly visits: number;
  readonly onboarded: number;
  readonly activeVolunteers: number;
}

export interface VolunteerRow {
  readonly userId: number;
  readonly displayName: string;
  /** One entry per week of VolunteerActivity.weeks. */
  readonly weeks: readonly { readonly visits: number; readonly onboarded: number }[];
  readonly visits: number;
  readonly onboarded: number;
  readonly activeWeeks: number;
}

export interface VolunteerActivity {
  readonly scope: ScopeInfo;
  readonly asOf: string;
  readonly weeks: readonly ActivityWeek[];
  /** Users with a visit in scope in the window, most visits first. */
  readonly volunteers: readonly VolunteerRow[];
}

export interface StallRef {
  readonly stallId: number;
  readonly label: string;
  readonly siteId: number;
  readonly siteName: string;
  /** Status as of the date; null when the stall does not exist yet. */
  readonly status: StallStatus | null;
}

export interface DuplicateAccountGroup {
  readonly bin: string;
  readonly maskedAccount: string;
  /** The accounts of the stalls listed. */
  readonly accountIds: readonly number[];
  /** Every stall in the reach holding the account, in scope or not (inScope says which). */
  readonly stalls: readonly (StallRef & { readonly inScope: boolean })[];
  /** Stalls outside the reach holding it too: counted, never named (a lead still learns it is shared). */
  readonly outsideReach: number;
}

/** Installed stalls due a follow-up in some sites, as of a date: how many, and one window of them, oldest first. */
export interface FollowUpsDue {
  readonly count: number;
  readonly stalls: readonly {
    readonly stallId: number;
    readonly siteId: number;
    /** The later of the start of its installed stint and its last follow-up visit (a Vietnam date). */
    readonly lastContact: string;
  }[];
}

export interface DataQuality {
  readonly scope: ScopeInfo;
  readonly asOf: string;
  /** At most this many stalls or groups are listed under each check; `count` is always the full count. */
  readonly listLimit: number;
  /** QR-verified or installed stalls with no name-checked (verified), non-retired account by the date. */
  readonly unverifiedAccounts: { readonly count: number; readonly stalls: readonly StallRef[] };
  /** Installed stalls with no follow-up and no installation within the last `days` days. */
  readonly staleFollowUps: {
    readonly days: number;
    readonly count: number;
    readonly stalls: readonly (StallRef & { readonly lastContact: string })[];
  };
  /** The same bank account (BIN + number), not retired by the date, on two or more stalls; one in scope. */
  readonly duplicateAccounts: { readonly count: number; readonly groups: readonly DuplicateAccountGroup[] };
  /** Stickers of stalls in scope revoked or replaced by the date. */
  readonly stickers: { readonly revoked: number; readonly replaced: number };
  /**
   * Payee-change requests of stalls in scope waiting for a second person at the end of the date: asked before
   * it and not decided or withdrawn before it (today: those pending now). Oldest first.
   */
  readonly pendingPayeeChanges: {
    readonly count: number;
    readonly stalls: readonly (StallRef & { readonly kind: PayeeChangeKind; readonly requestedAt: string })[];
  };
}

export interface AdoptionDashboard {
  readonly figures: AdoptionFigures;
  /** The same figures as of asOf − 7 days. */
  readonly lastWeek: AdoptionFigures;
  readonly change: {
    readonly installed: number;
    readonly census: number;
    /** Exact coverage change in percentage points, to 0.1; null when either census is empty. */
    readonly coveragePp: number | null;
    readonly sitesAchieved: number;
  };
  readonly children: AdoptionChildren;
  readonly trend: AdoptionTrend;
}
