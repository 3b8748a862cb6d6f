/**
 * A deliberately naive recount of every adoption figure, straight from the definitions in
 * src/adoption/adoption-service.ts, over the raw rows (SELECT * … then plain loops and maps). It shares no
 * code with the engine's counting: times are compared as instants (Date.parse against the cutoff instant),
 * "last row" is found by comparing every row, nothing is pre-sorted or indexed. It does reuse the one
 * coverage definition (coverage()) and the pure maths that turn counts into a gap, a class, a weighted
 * target or the expected line (each tested from tables in adoption-maths.test.ts).
 *
 * The tables are re-iterable iterables, so the tests pass arrays and the benchmark passes SQLite cursors
 * (a 1,000,000-stall registry does not fit in memory as objects).
 */
import type { Db } from '../../src/db/database.js';
import { coverage, emptyStatusCounts, type StatusCounts } from '../../src/vocabulary/coverage.js';
import {
  TRANSFER_SHARE_BUCKETS,
  compareGaps,
  expectedPercent,
  gapClass,
  gapPp,
  reachesTarget,
  round1,
  transferShareSummary,
  weightedTarget,
} from '../../src/adoption/adoption-maths.js';
import { weeksEndingAt } from '../../src/calendar/calendar.js';
import type {
  AdoptionChildren,
  AdoptionFigures,
  AdoptionScope,
  AdoptionTrend,
  AreaRow,
  DataQuality,
  ScopeInfo,
  StallRef,
  TargetStatus,
  TrendPoint,
  VolunteerActivity,
} from '../../src/adoption/adoption-types.js';
import { REFUSAL_REASONS, type RefusalReason, type StallStatus } from '../../src/vocabulary/stall-status.js';
import { NotFoundError } from '../../src/http/errors.js';
import type { Reach } from '../../src/vocabulary/reach.js';
import type { SiteKind } from '../../src/vocabulary/site-kinds.js';
import type { PayeeChangeKind } from '../../src/vocabulary/payee-changes.js';

export interface RawProvince {
  code: string;
  name: string;
}
export interface RawCommune {
  code: string;
  province_code: string;
  name: string;
}
export interface RawSite {
  id: number;
  kind: SiteKind;
  name: string;
  commune_code: string;
  target_percent: number;
  target_deadline: string | null;
  launched_on: string | null;
  created_at: string;
}
export interface RawCampaign {
  id: number;
  name: string;
  target_percent: number;
  starts_on: string;
  deadline: string;
}
export interface RawCampaignSite {
  campaign_id: number;
  site_id: number;
}
/** Targets in time (migrations/0018_target_history.sql). */
export interface RawSiteTarget {
  id: number;
  site_id: number;
  effective_on: string;
  target_percent: number;
  target_deadline: string | null;
}
export interface RawCampaignTarget {
  id: number;
  campaign_id: number;
  effective_on: string;
  target_percent: number;
  starts_on: string;
  deadline: string;
}
export interface RawMembership {
  id: number;
  site_id: number;
  campaign_id: number | null;
  effective_on: string;
}
export interface RawUser {
  id: number;
  display_name: string;
}
export interface RawStall {
  id: number;
  site_id: number;
  label: string;
  status: StallStatus;
  refusal_reason: string | null;
}
export interface RawHistory {
  id: number;
  stall_id: number;
  to_status: StallStatus;
  changed_at: string;
  reason: string | null;
}
export interface RawVisit {
  id: number;
  stall_id: number;
  user_id: number | null;
  visited_at: string;
  action: string;
  sticker_displayed: string | null;
  transfer_share: number | null;
}
export interface RawAccount {
  id: number;
  stall_id: number;
  bin: string;
  account_number: string;
  verified_at: string | null;
  retired_at: string | null;
  created_at: string;
}
export interface RawSticker {
  stall_id: number;
  status: string;
  status_changed_at: string | null;
  created_at: string;
}

export interface RawPayeeChange {
  id: number;
  stall_id: number;
  kind: PayeeChangeKind;
  requested_at: string;
  decided_at: string | null;
}

export interface RawRegistry {
  provinces: Iterable<RawProvince>;
  communes: Iterable<RawCommune>;
  sites: Iterable<RawSite>;
  campaigns: Iterable<RawCampaign>;
  campaignSites: Iterable<RawCampaignSite>;
  siteTargets: Iterable<RawSiteTarget>;
  campaignTargets: Iterable<RawCampaignTarget>;
  memberships: Iterable<RawMembership>;
  users: Iterable<RawUser>;
  stalls: Iterable<RawStall>;
  history: Iterable<RawHistory>;
  visits: Iterable<RawVisit>;
  accounts: Iterable<RawAccount>;
  stickers: Iterable<RawSticker>;
  payeeChanges: Iterable<RawPayeeChange>;
}

const QUERIES: Record<keyof RawRegistry, string> = {
  provinces: 'SELECT * FROM provinces',
  communes: 'SELECT * FROM communes',
  sites: 'SELECT * FROM sites',
  campaigns: 'SELECT * FROM campaigns',
  campaignSites: 'SELECT * FROM campaign_sites',
  siteTargets: 'SELECT * FROM site_target_history',
  campaignTargets: 'SELECT * FROM campaign_target_history',
  memberships: 'SELECT * FROM campaign_membership_history',
  users: 'SELECT * FROM users',
  stalls: 'SELECT * FROM stalls',
  history: 'SELECT * FROM stall_status_history',
  visits: 'SELECT * FROM visits',
  accounts: 'SELECT * FROM stall_accounts',
  stickers: 'SELECT * FROM stickers',
  payeeChanges: 'SELECT * FROM payee_changes',
};

/** Every table read whole into arrays (small registries). */
export function loadRaw(db: Db): RawRegistry {
  return Object.fromEntries(
    Object.entries(QUERIES).map(([key, sql]) => [key, db.prepare(sql).all()]),
  ) as unknown as RawRegistry;
}

/**
 * Every table as a cursor opened anew on each pass (large registries). With `sites`, the stall tables
 * (stalls, history, visits, accounts, stickers) hold only the rows of those sites' stalls: a quicker
 * recount of a scope inside those sites, still filtered by the recount itself.
 */
export function streamRaw(db: Db, sites?: readonly number[]): RawRegistry {
  const ofSites = 'stall_id IN (SELECT id FROM stalls WHERE site_id IN (SELECT value FROM json_each(@sites)))';
  const restricted: Partial<Record<keyof RawRegistry, string>> = {
    stalls: 'SELECT * FROM stalls WHERE site_id IN (SELECT value FROM json_each(@sites))',
    history: `SELECT * FROM stall_status_history WHERE ${ofSites}`,
    visits: `SELECT * FROM visits WHERE ${ofSites}`,
    accounts: `SELECT * FROM stall_accounts WHERE ${ofSites}`,
    stickers: `SELECT * FROM stickers WHERE ${ofSites}`,
    payeeChanges: `SELECT * FROM payee_changes WHERE ${ofSites}`,
  };
  return Object.fromEntries(
    Object.entries(QUERIES).map(([key, sql]) => {
      const scoped = sites ? restricted[key as keyof RawRegistry] : undefined;
      const statement = db.prepare(scoped ?? sql);
      const params = scoped ? [{ sites: JSON.stringify(sites) }] : [];
      return [key, { [Symbol.iterator]: () => statement.iterate(...params)[Symbol.iterator]() }];
    }),
  ) as unknown as RawRegistry;
}

const DAY = 86_400_000;
const ms = (iso: string | null): number => (iso === null ? Number.NaN : Date.parse(iso));
/** The first instant after calendar day `date` in Vietnam (UTC+7). */
const cutoffOf = (date: string): number => Date.parse(`${date}T00:00:00+07:00`) + DAY;
/** The Vietnam calendar date of an instant. */
const localDate = (instant: number): string => new Date(instant + 7 * 3_600_000).toISOString().slice(0, 10);
const shiftDate = (date: string, days: number): string =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY);
const dayNo = (date: string): number => Math.round(Date.parse(`${date}T00:00:00Z`) / DAY);

interface Site extends RawSite {
  province_code: string;
}

/** What applied to a site on a date: its campaign's target and deadline when in one, else its own. */
interface Terms {
  target: number;
  deadline: string | null;
  /** With the campaign's values in force that date. */
  campaign: RawCampaign | null;
}

/** A date after every date asked about: "now". */
const NOW = '9999-12-31';

/**
 * The row of one entity's history in force on `date`, by comparing every row: the latest effective_on ≤ date,
 * the highest id among that day's rows; with none by then, the highest id of the earliest day.
 */
function rowInForce<R extends { id: number; effective_on: string }>(rows: Iterable<R>, date: string): R | undefined {
  let best: R | undefined;
  for (const row of rows) {
    if (row.effective_on > date) continue;
    if (!best || row.effective_on > best.effective_on || (row.effective_on === best.effective_on && row.id > best.id))
      best = row;
  }
  if (best) return best;
  for (const row of rows) {
    if (!best || row.effective_on < best.effective_on || (row.effective_on === best.effective_on && row.id > best.id))
      best = row;
  }
  return best;
}

/** The reference tables, read once per recount. */
class Registry {
  provinces = new Map<string, string>();
  communes = new Map<string, RawCommune>();
  sites: Site[] = [];
  campaigns = new Map<number, RawCampaign>();
  users = new Map<number, string>();
  stallSite = new Map<number, number>();
  stallLabel = new Map<number, string>();

  campaignOf = new Map<number, number>();
  /** Each entity's history rows, in no particular order (grouped so that a lookup reads only its own). */
  siteTargets = new Map<number, RawSiteTarget[]>();
  campaignTargets = new Map<number, RawCampaignTarget[]>();
  memberships = new Map<number, RawMembership[]>();

  constructor(readonly raw: RawRegistry) {
    for (const p of raw.provinces) this.provinces.set(p.code, p.name);
    for (const c of raw.communes) this.communes.set(c.code, c);
    for (const c of raw.campaigns) this.campaigns.set(c.id, c);
    for (const cs of raw.campaignSites) this.campaignOf.set(cs.site_id, cs.campaign_id);
    const group = <R>(rows: Iterable<R>, into: Map<number, R[]>, key: (row: R) => number) => {
      for (const row of rows) into.set(key(row), [...(into.get(key(row)) ?? []), row]);
    };
    group(raw.siteTargets, this.siteTargets, (row) => row.site_id);
    group(raw.campaignTargets, this.campaignTargets, (row) => row.campaign_id);
    group(raw.memberships, this.memberships, (row) => row.site_id);
    for (const s of raw.sites) {
      this.sites.push({ ...s, province_code: this.communes.get(s.commune_code)!.province_code });
    }
    this.sites.sort((a, b) => a.id - b.id);
    for (const u of raw.users) this.users.set(u.id, u.display_name);
    for (const st of raw.stalls) {
      this.stallSite.set(st.id, st.site_id);
      this.stallLabel.set(st.id, st.label);
    }
  }
}

/** A campaign with the target, start and deadline in force on `date` (its current row without history). */
function campaignOn(reg: Registry, id: number, date: string): RawCampaign | null {
  const campaign = reg.campaigns.get(id);
  if (!campaign) return null;
  const row = rowInForce(reg.campaignTargets.get(id) ?? [], date);
  return row
    ? { ...campaign, target_percent: row.target_percent, starts_on: row.starts_on, deadline: row.deadline }
    : campaign;
}

/** The terms of a site on `date`, from its own history, its membership history and its campaign's history. */
function termsOn(reg: Registry, site: Site, date: string): Terms {
  const own = rowInForce(reg.siteTargets.get(site.id) ?? [], date);
  const member = rowInForce(reg.memberships.get(site.id) ?? [], date);
  const campaignId = member ? member.campaign_id : (reg.campaignOf.get(site.id) ?? null);
  const campaign = campaignId === null ? null : campaignOn(reg, campaignId, date);
  if (campaign) return { target: campaign.target_percent, deadline: campaign.deadline, campaign };
  return own
    ? { target: own.target_percent, deadline: own.target_deadline, campaign: null }
    : { target: site.target_percent, deadline: site.target_deadline, campaign: null };
}

interface Scope {
  info: ScopeInfo;
  sites: Site[];
  siteIds: Set<number>;
  communes: string[];
  site: Site | null;
  campaign: RawCampaign | null;
  /** What the children list (a site: its stalls). */
  level: 'provinces' | 'communes' | 'sites' | 'stalls';
  /** Provinces listed at 'provinces'; communes listed at 'communes' even without an existing site. */
  listed: string[];
  /** The site lies in the asker's reach. */
  inReach: (site: Site) => boolean;
}

/** The reach rules of adoption-scope.ts, recounted by hand: 404 outside the reach as for an unknown unit. */
function resolveScope(reg: Registry, reach: Reach, scope: AdoptionScope, date: string): Scope {
  const inReach = (site: Site) =>
    reach.wholeCountry ||
    reach.provinces.includes(site.province_code) ||
    reach.communes.includes(site.commune_code) ||
    reach.sites.includes(site.id);
  const make = (
    info: ScopeInfo,
    sites: Site[],
    communes: string[],
    level: Scope['level'],
    site: Site | null = null,
    campaign: RawCampaign | null = null,
    listed: string[] = [],
  ): Scope => ({
    info,
    sites,
    siteIds: new Set(sites.map((s) => s.id)),
    communes,
    site,
    campaign,
    level,
    listed,
    inReach,
  });
  const allCommunes = [...reg.communes.values()];
  const provinceInReach = (code: string) => reach.wholeCountry || reach.provinces.includes(code);
  const communeInReach = (c: RawCommune) => provinceInReach(c.province_code) || reach.communes.includes(c.code);
  const parents = (c: RawCommune, withCommune: boolean) => [
    ...(provinceInReach(c.province_code)
      ? [{ kind: 'province' as const, code: c.province_code, name: reg.provinces.get(c.province_code)! }]
      : []),
    ...(withCommune && communeInReach(c) ? [{ kind: 'commune' as const, code: c.code, name: c.name }] : []),
  ];
  const province = (code: string): Scope => {
    const name = reg.provinces.get(code);
    if (name === undefined || !provinceInReach(code)) throw new NotFoundError('province');
    return make(
      { kind: 'province', key: code, name, province: { code, name }, commune: null, limited: false, parents: [] },
      reg.sites.filter((s) => s.province_code === code),
      allCommunes
        .filter((c) => c.province_code === code)
        .map((c) => c.code)
        .sort(),
      'communes',
    );
  };
  const commune = (code: string): Scope => {
    const c = reg.communes.get(code);
    if (!c || !communeInReach(c)) throw new NotFoundError('commune');
    return make(
      {
        kind: 'commune',
        key: c.code,
        name: c.name,
        province: { code: c.province_code, name: reg.provinces.get(c.province_code)! },
        commune: { code: c.code, name: c.name },
        limited: false,
        parents: parents(c, false),
      },
      reg.sites.filter((s) => s.commune_code === c.code),
      [c.code],
      'sites',
    );
  };
  const siteScope = (id: number): Scope => {
    const s = reg.sites.find((site) => site.id === id);
    if (!s || !inReach(s)) throw new NotFoundError('site');
    const c = reg.communes.get(s.commune_code)!;
    return make(
      {
        kind: 'site',
        key: String(s.id),
        name: s.name,
        province: { code: c.province_code, name: reg.provinces.get(c.province_code)! },
        commune: { code: c.code, name: c.name },
        limited: false,
        parents: parents(c, true),
      },
      [s],
      [c.code],
      'stalls',
      s,
    );
  };

  if (scope.kind === 'all') {
    if (reach.wholeCountry) {
      return make(
        { kind: 'all', key: 'all', name: 'Toàn quốc', province: null, commune: null, limited: false, parents: [] },
        reg.sites,
        allCommunes.map((c) => c.code).sort(),
        'provinces',
        null,
        null,
        [...reg.provinces.keys()].sort(),
      );
    }
    // The reach's units that exist, leaving out those inside another of its units.
    const provinces = [...new Set(reach.provinces)].filter((code) => reg.provinces.has(code)).sort();
    const communes = [...new Set(reach.communes)]
      .filter((code) => reg.communes.has(code) && !provinces.includes(reg.communes.get(code)!.province_code))
      .sort();
    const sites = [...new Set(reach.sites)]
      .filter((id) => {
        const site = reg.sites.find((s) => s.id === id);
        return site && !provinces.includes(site.province_code) && !communes.includes(site.commune_code);
      })
      .sort((a, b) => a - b);
    const names = [
      ...provinces.map((code) => reg.provinces.get(code)!),
      ...communes.map((code) => reg.communes.get(code)!.name),
      ...sites.map((id) => reg.sites.find((s) => s.id === id)!.name),
    ];
    const counted: string[] = [];
    if (provinces.length > 0) counted.push(`${provinces.length} tỉnh, thành phố`);
    if (communes.length > 0) counted.push(`${communes.length} xã, phường`);
    if (sites.length > 0) counted.push(`${sites.length} địa điểm`);
    const name = names.length === 0 ? 'Chưa có phạm vi' : names.length <= 2 ? names.join(', ') : counted.join(' · ');
    const info: ScopeInfo = {
      kind: 'all',
      key: 'all',
      name,
      province: null,
      commune: null,
      limited: true,
      parents: [],
    };
    if (names.length === 1) {
      const only = provinces.length
        ? province(provinces[0]!)
        : communes.length
          ? commune(communes[0]!)
          : siteScope(sites[0]!);
      return { ...only, info };
    }
    const inScope = reg.sites.filter(inReach);
    const communeCodes = new Set([
      ...allCommunes.filter((c) => provinces.includes(c.province_code)).map((c) => c.code),
      ...communes,
      ...sites.map((id) => reg.sites.find((s) => s.id === id)!.commune_code),
    ]);
    const level = sites.length > 0 || names.length === 0 ? 'sites' : communes.length > 0 ? 'communes' : 'provinces';
    return make(
      info,
      inScope,
      [...communeCodes].sort(),
      level,
      null,
      null,
      level === 'provinces' ? provinces : communes,
    );
  }
  if (scope.kind === 'province') return province(scope.code);
  if (scope.kind === 'commune') return commune(scope.code);
  if (scope.kind === 'site') return siteScope(scope.id);
  const campaign = campaignOn(reg, scope.id, date);
  if (!campaign) throw new NotFoundError('campaign');
  // Its sites on the date; visible to a reach with one of its sites then or now.
  const memberOn = (s: Site, on: string) => termsOn(reg, s, on).campaign?.id === campaign.id;
  const all = reg.sites.filter((s) => memberOn(s, date));
  const sites = all.filter(inReach);
  if (!reach.wholeCountry && sites.length === 0 && !reg.sites.some((s) => inReach(s) && memberOn(s, NOW)))
    throw new NotFoundError('campaign');
  const limited = sites.length < all.length;
  return make(
    {
      kind: 'campaign',
      key: String(campaign.id),
      name: limited ? `${campaign.name} (phần trong phạm vi của bạn)` : campaign.name,
      province: null,
      commune: null,
      limited,
      parents: [],
    },
    sites,
    [...new Set(sites.map((s) => s.commune_code))].sort(),
    'sites',
    null,
    campaign,
  );
}

/**
 * The last history row of every stall of the scope before the cutoff (one cutoff for all, or one per site):
 * compare every row with the best so far.
 */
function lastRows(
  reg: Registry,
  scope: Scope,
  cutoff: number | ((siteId: number) => number | undefined),
): Map<number, RawHistory> {
  const best = new Map<number, RawHistory>();
  for (const row of reg.raw.history) {
    const siteId = reg.stallSite.get(row.stall_id)!;
    if (!scope.siteIds.has(siteId)) continue;
    const limit = typeof cutoff === 'number' ? cutoff : cutoff(siteId);
    if (limit === undefined) continue;
    const at = ms(row.changed_at);
    if (!(at < limit)) continue;
    const prev = best.get(row.stall_id);
    if (!prev || at > ms(prev.changed_at) || (at === ms(prev.changed_at) && row.id > prev.id))
      best.set(row.stall_id, { ...row });
  }
  return best;
}

/** The last follow-up visit before the cutoff of every stall of the scope (optionally only those with a share). */
function lastFollowUps(reg: Registry, scope: Scope, cutoff: number, withShare: boolean): Map<number, RawVisit> {
  const best = new Map<number, RawVisit>();
  for (const v of reg.raw.visits) {
    if (v.action !== 'follow_up') continue;
    if (withShare && v.transfer_share === null) continue;
    if (!scope.siteIds.has(reg.stallSite.get(v.stall_id)!)) continue;
    const at = ms(v.visited_at);
    if (!(at < cutoff)) continue;
    const prev = best.get(v.stall_id);
    if (!prev || at > ms(prev.visited_at) || (at === ms(prev.visited_at) && v.id > prev.id))
      best.set(v.stall_id, { ...v });
  }
  return best;
}

interface SiteState {
  counts: StatusCounts;
  census: number;
  installed: number;
  exists: boolean;
  achieved: boolean;
}

function siteStates(
  reg: Registry,
  scope: Scope,
  cutoff: number,
  rows: Map<number, RawHistory>,
  date: string,
): Map<number, SiteState> {
  const states = new Map<number, SiteState>();
  for (const site of scope.sites) {
    states.set(site.id, {
      counts: emptyStatusCounts(),
      census: 0,
      installed: 0,
      exists: ms(site.created_at) < cutoff,
      achieved: false,
    });
  }
  for (const [stallId, row] of rows) {
    const state = states.get(reg.stallSite.get(stallId)!)!;
    state.exists = true;
    state.counts[row.to_status] += 1;
    if (row.to_status !== 'closed') state.census += 1;
    if (row.to_status === 'installed') state.installed += 1;
  }
  for (const site of scope.sites) {
    const state = states.get(site.id)!;
    state.achieved = coverage(state.counts, termsOn(reg, site, date).target).achieved;
  }
  return states;
}

function aggregateTarget(counts: StatusCounts, targetSum: number, campaign: RawCampaign | null) {
  const plain = coverage(counts, 70);
  const percent = plain.census === 0 ? null : weightedTarget(targetSum, plain.census);
  const achieved = plain.census > 0 && 100 * plain.installed >= targetSum;
  const gap = gapPp(plain.installed, plain.census, targetSum);
  const target: TargetStatus = {
    percent,
    source: campaign ? 'campaign' : 'weighted',
    achieved,
    gapPp: gap,
    gapClass: gapClass(plain.census, achieved, gap),
    deadline: campaign ? campaign.deadline : null,
    campaign: campaign ? { id: campaign.id, name: campaign.name } : null,
  };
  return { coverage: { ...coverage(counts, percent ?? 70), achieved }, target };
}

function siteTarget(
  terms: Terms,
  counts: StatusCounts,
): { coverage: ReturnType<typeof coverage>; target: TargetStatus } {
  const cov = coverage(counts, terms.target);
  const gap =
    cov.census === 0 ? null : Math.floor((1000 * cov.installed - 10 * terms.target * cov.census) / cov.census) / 10;
  return {
    coverage: cov,
    target: {
      percent: terms.target,
      source: terms.campaign ? 'campaign' : 'site',
      achieved: cov.achieved,
      gapPp: gap,
      gapClass: gapClass(cov.census, cov.achieved, gap),
      deadline: terms.deadline,
      campaign: terms.campaign ? { id: terms.campaign.id, name: terms.campaign.name } : null,
    },
  };
}

function sumOver(reg: Registry, sites: Site[], states: Map<number, SiteState>, date: string) {
  const counts = emptyStatusCounts();
  let targetSum = 0;
  const tally = () => ({ total: 0, achieved: 0, empty: 0 });
  const all = tally();
  const streets = tally();
  const markets = tally();
  const achievedCommunes = new Set<string>();
  for (const site of sites) {
    const state = states.get(site.id)!;
    for (const status of Object.keys(counts) as StallStatus[]) counts[status] += state.counts[status];
    targetSum += termsOn(reg, site, date).target * state.census;
    if (!state.exists) continue;
    for (const t of [all, site.kind === 'street' ? streets : markets]) {
      t.total += 1;
      if (state.achieved) t.achieved += 1;
      if (state.census === 0) t.empty += 1;
    }
    if (state.achieved) achievedCommunes.add(site.commune_code);
  }
  return { counts, targetSum, all, streets, markets, achievedCommunes };
}

function communesLabel(communes: string[], achieved: Set<string>) {
  const withAchievedSite = communes.filter((c) => achieved.has(c)).length;
  return {
    withAchievedSite,
    inScope: communes.length,
    percent: communes.length === 0 ? null : Math.floor((100 * withAchievedSite) / communes.length),
    label: `${withAchievedSite}/${communes.length}`,
  };
}

export function naiveFigures(raw: RawRegistry, reach: Reach, scope: AdoptionScope, asOf: string): AdoptionFigures {
  const reg = new Registry(raw);
  const s = resolveScope(reg, reach, scope, asOf);
  const cutoff = cutoffOf(asOf);
  const rows = lastRows(reg, s, cutoff);
  const states = siteStates(reg, s, cutoff, rows, asOf);
  const sum = sumOver(reg, s.sites, states, asOf);
  const { coverage: cov, target } = s.site
    ? siteTarget(termsOn(reg, s.site, asOf), sum.counts)
    : aggregateTarget(sum.counts, sum.targetSum, s.campaign ? campaignOn(reg, s.campaign.id, asOf) : null);

  const follow = lastFollowUps(reg, s, cutoff, false);
  const shares = lastFollowUps(reg, s, cutoff, true);
  let followedUp = 0;
  let stillDisplayed = 0;
  const refusals = Object.fromEntries(REFUSAL_REASONS.map((r) => [r, 0])) as Record<RefusalReason, number>;
  const shareValues: number[] = [];
  for (const [stallId, row] of rows) {
    if (row.to_status === 'installed' && follow.has(stallId)) {
      followedUp += 1;
      if (follow.get(stallId)!.sticker_displayed === 'yes') stillDisplayed += 1;
    }
    if (row.to_status === 'refused') {
      const reason = (REFUSAL_REASONS as readonly (string | null)[]).includes(row.reason)
        ? (row.reason as RefusalReason)
        : 'other';
      refusals[reason] += 1;
    }
    if (row.to_status !== 'closed' && shares.has(stallId)) shareValues.push(shares.get(stallId)!.transfer_share!);
  }
  shareValues.sort((a, b) => a - b);
  const n = shareValues.length;
  const median =
    n === 0 ? null : n % 2 === 1 ? shareValues[(n - 1) / 2]! : (shareValues[n / 2 - 1]! + shareValues[n / 2]!) / 2;

  return {
    scope: s.info,
    asOf,
    counts: sum.counts,
    coverage: cov,
    target,
    sites: { ...sum.all, streets: sum.streets, markets: sum.markets },
    communes: communesLabel(s.communes, sum.achievedCommunes),
    funnel: {
      census: cov.census,
      hasAccount: sum.counts.has_account + sum.counts.qr_verified + sum.counts.installed,
      qrVerified: sum.counts.qr_verified + sum.counts.installed,
      installed: sum.counts.installed,
      followedUp,
      stillDisplayed,
      refused: sum.counts.refused,
      refusals,
    },
    transferShare: {
      estimate: true,
      label: 'ước tính',
      n,
      median,
      buckets: TRANSFER_SHARE_BUCKETS.map((b) => ({
        ...b,
        count: shareValues.filter((v) => v >= b.from && v <= b.to).length,
      })),
      summary: transferShareSummary(median, n),
    },
  };
}

const byGap = (a: AreaRow, b: AreaRow) =>
  compareGaps(a.target.gapPp, b.target.gapPp) ||
  new Intl.Collator('vi', { sensitivity: 'base' }).compare(a.name, b.name) ||
  a.key.localeCompare(b.key);

export function naiveChildren(raw: RawRegistry, reach: Reach, scope: AdoptionScope, asOf: string): AdoptionChildren {
  const reg = new Registry(raw);
  const s = resolveScope(reg, reach, scope, asOf);
  const cutoff = cutoffOf(asOf);
  const rows = lastRows(reg, s, cutoff);
  if (s.site) {
    const stalls = [...rows].map(([id, row]) => ({
      id,
      label: reg.stallLabel.get(id)!,
      status: row.to_status,
      refusalReason:
        row.to_status === 'refused'
          ? (REFUSAL_REASONS as readonly (string | null)[]).includes(row.reason)
            ? (row.reason as RefusalReason)
            : ('other' as const)
          : null,
      since: localDate(ms(row.changed_at)),
    }));
    const order = new Intl.Collator('vi', { numeric: true, sensitivity: 'base' });
    stalls.sort((a, b) => order.compare(a.label, b.label) || a.id - b.id);
    return { scope: s.info, asOf, level: 'stalls', rows: stalls };
  }
  const states = siteStates(reg, s, cutoff, rows, asOf);
  const area = (
    kind: 'province' | 'commune',
    code: string,
    name: string,
    provinceCode: string,
    sites: Site[],
    communes: string[] | null,
  ): AreaRow => {
    const sum = sumOver(reg, sites, states, asOf);
    const { coverage: cov, target } = aggregateTarget(sum.counts, sum.targetSum, null);
    return {
      kind,
      key: code,
      name,
      siteKind: null,
      communeCode: kind === 'commune' ? code : null,
      provinceCode,
      counts: sum.counts,
      coverage: cov,
      target,
      sites: sum.all,
      communes: communes ? communesLabel(communes, sum.achievedCommunes) : null,
    };
  };
  if (s.level === 'provinces') {
    const result = s.listed.map((code) =>
      area(
        'province',
        code,
        reg.provinces.get(code)!,
        code,
        s.sites.filter((site) => site.province_code === code),
        [...reg.communes.values()].filter((c) => c.province_code === code).map((c) => c.code),
      ),
    );
    return { scope: s.info, asOf, level: 'provinces', rows: result.sort(byGap) };
  }
  if (s.level === 'communes') {
    const codes = [
      ...new Set([
        ...s.sites.filter((site) => states.get(site.id)!.exists).map((site) => site.commune_code),
        ...s.listed,
      ]),
    ];
    const result = codes.map((code) =>
      area(
        'commune',
        code,
        reg.communes.get(code)!.name,
        reg.communes.get(code)!.province_code,
        s.sites.filter((site) => site.commune_code === code),
        null,
      ),
    );
    return { scope: s.info, asOf, level: 'communes', rows: result.sort(byGap) };
  }
  const result: AreaRow[] = s.sites
    .filter((site) => states.get(site.id)!.exists)
    .map((site) => {
      const state = states.get(site.id)!;
      const { coverage: cov, target } = siteTarget(termsOn(reg, site, asOf), state.counts);
      return {
        kind: 'site' as const,
        key: String(site.id),
        name: site.name,
        siteKind: site.kind,
        communeCode: site.commune_code,
        provinceCode: site.province_code,
        counts: state.counts,
        coverage: cov,
        target,
        sites: { total: 1, achieved: cov.achieved ? 1 : 0, empty: cov.census === 0 ? 1 : 0 },
        communes: null,
      };
    });
  return { scope: s.info, asOf, level: 'sites', rows: result.sort(byGap) };
}

export function naiveTrend(
  raw: RawRegistry,
  reach: Reach,
  scope: AdoptionScope,
  asOf: string,
  weeks: number,
): AdoptionTrend {
  const reg = new Registry(raw);
  const s = resolveScope(reg, reach, scope, asOf);
  const dates = Array.from({ length: weeks + 1 }, (_, i) => shiftDate(asOf, -7 * (weeks - i)));

  // Each point uses the terms in force on its date; a scheduled site's line on a date: its explicit start
  // (campaign start, else launch) with the coverage at the end of the day before it, or its first survey
  // (else creation) at 0 %, to the target at the deadline.
  const explicitStart = (site: Site, terms: Terms) => (terms.campaign ? terms.campaign.starts_on : site.launched_on);
  const startsOf = new Map<number, Set<string>>();
  for (const date of dates) {
    for (const site of s.sites) {
      const terms = termsOn(reg, site, date);
      const start = explicitStart(site, terms);
      if (terms.deadline === null || start === null) continue;
      startsOf.set(site.id, (startsOf.get(site.id) ?? new Set()).add(start));
    }
  }
  // Installed and census of each (site, start) at the end of the day before the start: every row compared
  // with the best so far, in one pass over the history.
  const best = new Map<string, RawHistory>();
  for (const row of reg.raw.history) {
    const siteId = reg.stallSite.get(row.stall_id)!;
    const at = ms(row.changed_at);
    for (const start of startsOf.get(siteId) ?? []) {
      if (!(at < cutoffOf(shiftDate(start, -1)))) continue;
      const key = `${siteId}|${start}|${row.stall_id}`;
      const prev = best.get(key);
      if (!prev || at > ms(prev.changed_at) || (at === ms(prev.changed_at) && row.id > prev.id))
        best.set(key, { ...row });
    }
  }
  const atStart = new Map<string, { installed: number; census: number }>();
  for (const [siteId, set] of startsOf)
    for (const start of set) atStart.set(`${siteId}|${start}`, { installed: 0, census: 0 });
  for (const [key, row] of best) {
    const state = atStart.get(key.split('|').slice(0, 2).join('|'))!;
    if (row.to_status !== 'closed') state.census += 1;
    if (row.to_status === 'installed') state.installed += 1;
  }
  const firstRow = new Map<number, number>();
  for (const row of reg.raw.history) {
    const siteId = reg.stallSite.get(row.stall_id)!;
    const at = ms(row.changed_at);
    if (s.siteIds.has(siteId) && at < (firstRow.get(siteId) ?? Number.POSITIVE_INFINITY)) firstRow.set(siteId, at);
  }
  const lineOn = (site: Site, date: string) => {
    const terms = termsOn(reg, site, date);
    if (terms.deadline === null) return null;
    const explicit = explicitStart(site, terms);
    let startsOn: string;
    let startPercent = 0;
    if (explicit !== null) {
      startsOn = explicit;
      const state = atStart.get(`${site.id}|${explicit}`)!;
      startPercent = state.census === 0 ? 0 : (100 * state.installed) / state.census;
    } else {
      const first = firstRow.get(site.id);
      const created = ms(site.created_at);
      startsOn = first !== undefined ? localDate(first) : Number.isNaN(created) ? asOf : localDate(created);
    }
    return {
      startDay: dayNo(startsOn),
      startPercent,
      deadlineDay: dayNo(terms.deadline),
      targetPercent: terms.target,
    };
  };

  const points: TrendPoint[] = dates.map((date) => {
    const cutoff = cutoffOf(date);
    const states = siteStates(reg, s, cutoff, lastRows(reg, s, cutoff), date);
    let installed = 0;
    let census = 0;
    let targetSum = 0;
    let total = 0;
    let achieved = 0;
    let scheduledSites = 0;
    let scheduledInstalled = 0;
    let scheduledCensus = 0;
    let expectedSum = 0;
    for (const site of s.sites) {
      const st = states.get(site.id)!;
      const target = termsOn(reg, site, date).target;
      installed += st.installed;
      census += st.census;
      targetSum += target * st.census;
      if (!st.exists) continue;
      total += 1;
      if (reachesTarget(st.installed, st.census, target * st.census)) achieved += 1;
      const line = lineOn(site, date);
      if (line) {
        scheduledSites += 1;
        scheduledInstalled += st.installed;
        scheduledCensus += st.census;
        expectedSum += expectedPercent(line, dayNo(date)) * st.census;
      }
    }
    const label = (i: number, c: number) => (c === 0 ? 'chưa có sạp' : `${i}/${c} (${Math.floor((100 * i) / c)} %)`);
    const line = s.site ? lineOn(s.site, date) : null;
    return {
      asOf: date,
      installed,
      census,
      percent: census === 0 ? null : Math.floor((100 * installed) / census),
      label: label(installed, census),
      sites: { total, achieved },
      targetPercent: s.site ? termsOn(reg, s.site, date).target : census === 0 ? null : round1(targetSum / census),
      expectedPercent: s.site
        ? line
          ? round1(expectedPercent(line, dayNo(date)))
          : null
        : scheduledCensus === 0
          ? null
          : round1(expectedSum / scheduledCensus),
      scheduled: s.site
        ? null
        : {
            sites: scheduledSites,
            installed: scheduledInstalled,
            census: scheduledCensus,
            label: label(scheduledInstalled, scheduledCensus),
          },
    };
  });

  let schedule: AdoptionTrend['schedule'] = null;
  const siteLine = s.site ? lineOn(s.site, asOf) : null;
  if (s.site && siteLine) {
    const terms = termsOn(reg, s.site, asOf);
    schedule = {
      source: terms.campaign ? 'campaign' : 'site',
      startsOn: new Date(siteLine.startDay * DAY).toISOString().slice(0, 10),
      deadline: terms.deadline!,
      targetPercent: terms.target,
      startPercent: round1(siteLine.startPercent),
    };
  } else if (s.campaign) {
    const campaign = campaignOn(reg, s.campaign.id, asOf)!;
    schedule = {
      source: 'campaign',
      startsOn: campaign.starts_on,
      deadline: campaign.deadline,
      targetPercent: campaign.target_percent,
      startPercent: null,
    };
  }
  return { scope: s.info, asOf, weeks, points, schedule, expectedByToday: points[points.length - 1]!.expectedPercent };
}

export function naiveActivity(
  raw: RawRegistry,
  reach: Reach,
  scope: AdoptionScope,
  asOf: string,
  weeks: number,
): VolunteerActivity {
  const reg = new Registry(raw);
  const s = resolveScope(reg, reach, scope, asOf);
  const window = weeksEndingAt(asOf, weeks);
  const perUser = new Map<number, { visits: number; onboarded: number }[]>();
  for (const v of reg.raw.visits) {
    if (v.user_id === null) continue;
    if (!s.siteIds.has(reg.stallSite.get(v.stall_id)!)) continue;
    const at = ms(v.visited_at);
    if (Number.isNaN(at)) continue;
    const date = localDate(at);
    if (date > asOf) continue;
    const w = window.findIndex((week) => week.monday <= date && date <= week.sunday);
    if (w < 0) continue;
    if (!perUser.has(v.user_id))
      perUser.set(
        v.user_id,
        window.map(() => ({ visits: 0, onboarded: 0 })),
      );
    const cell = perUser.get(v.user_id)![w]!;
    cell.visits += 1;
    if (v.action === 'onboarded') cell.onboarded += 1;
  }
  const order = new Intl.Collator('vi', { sensitivity: 'base' });
  const volunteers = [...perUser].map(([userId, cells]) => ({
    userId,
    displayName: reg.users.get(userId) ?? `#${userId}`,
    weeks: cells,
    visits: cells.reduce((a, c) => a + c.visits, 0),
    onboarded: cells.reduce((a, c) => a + c.onboarded, 0),
    activeWeeks: cells.filter((c) => c.visits > 0).length,
  }));
  volunteers.sort((a, b) => b.visits - a.visits || order.compare(a.displayName, b.displayName) || a.userId - b.userId);
  return {
    scope: s.info,
    asOf,
    weeks: window.map((week, w) => ({
      ...week,
      through: week.sunday < asOf ? week.sunday : asOf,
      visits: volunteers.reduce((a, v) => a + v.weeks[w]!.visits, 0),
      onboarded: volunteers.reduce((a, v) => a + v.weeks[w]!.onboarded, 0),
      activeVolunteers: volunteers.filter((v) => v.weeks[w]!.visits > 0).length,
    })),
    volunteers,
  };
}

export function naiveDataQuality(
  raw: RawRegistry,
  reach: Reach,
  scope: AdoptionScope,
  asOf: string,
  listLimit = 100,
): DataQuality {
  const reg = new Registry(raw);
  const s = resolveScope(reg, reach, scope, asOf);
  const cutoff = cutoffOf(asOf);
  const rows = lastRows(reg, s, cutoff);
  const inScope = (stallId: number) => s.siteIds.has(reg.stallSite.get(stallId)!);
  const inReach = (stallId: number) => s.inReach(reg.sites.find((site) => site.id === reg.stallSite.get(stallId))!);
  const everyone = { ...s, siteIds: new Set(reg.sites.map((site) => site.id)), sites: reg.sites };
  const siteById = new Map(reg.sites.map((site) => [site.id, site]));
  const statusOf = lastRows(reg, everyone, cutoff);
  const ref = (stallId: number): StallRef => {
    const site = siteById.get(reg.stallSite.get(stallId)!)!;
    return {
      stallId,
      label: reg.stallLabel.get(stallId)!,
      siteId: site.id,
      siteName: site.name,
      status: statusOf.get(stallId)?.to_status ?? null,
    };
  };

  const verified = new Set<number>();
  for (const a of reg.raw.accounts) {
    if (ms(a.verified_at) < cutoff && (a.retired_at === null || ms(a.retired_at) >= cutoff)) verified.add(a.stall_id);
  }
  const unverified = [...rows]
    .filter(([id, row]) => (row.to_status === 'qr_verified' || row.to_status === 'installed') && !verified.has(id))
    .map(([id]) => id)
    .sort((a, b) => a - b);

  const stale: { id: number; contact: string }[] = [];
  const installed = new Set([...rows].filter(([, row]) => row.to_status === 'installed').map(([id]) => id));
  const rowsOf = new Map<number, RawHistory[]>();
  for (const h of reg.raw.history) {
    if (!installed.has(h.stall_id) || !(ms(h.changed_at) < cutoff)) continue;
    if (!rowsOf.has(h.stall_id)) rowsOf.set(h.stall_id, []);
    rowsOf.get(h.stall_id)!.push({ ...h });
  }
  const lastFollowUp = new Map<number, string>();
  for (const v of reg.raw.visits) {
    if (!installed.has(v.stall_id) || v.action !== 'follow_up' || !(ms(v.visited_at) < cutoff)) continue;
    const date = localDate(ms(v.visited_at));
    if (date > (lastFollowUp.get(v.stall_id) ?? '')) lastFollowUp.set(v.stall_id, date);
  }
  for (const stallId of installed) {
    const mine = rowsOf.get(stallId)!.sort((a, b) => ms(a.changed_at) - ms(b.changed_at) || a.id - b.id);
    let k = mine.length - 1;
    while (k > 0 && mine[k - 1]!.to_status === 'installed') k -= 1;
    let contact = localDate(ms(mine[k]!.changed_at));
    const followed = lastFollowUp.get(stallId);
    if (followed !== undefined && followed > contact) contact = followed;
    if (daysBetween(contact, asOf) >= 60) stale.push({ id: stallId, contact });
  }
  stale.sort((a, b) => (a.contact < b.contact ? -1 : a.contact > b.contact ? 1 : a.id - b.id));

  const groups = new Map<string, { bin: string; number: string; accounts: RawAccount[] }>();
  for (const a of reg.raw.accounts) {
    if (!(ms(a.created_at) < cutoff) || (a.retired_at !== null && ms(a.retired_at) < cutoff)) continue;
    const key = `${a.bin}|${a.account_number}`;
    if (!groups.has(key)) groups.set(key, { bin: a.bin, number: a.account_number, accounts: [] });
    groups.get(key)!.accounts.push({ ...a });
  }
  const duplicates = [...groups.values()]
    .filter((g) => new Set(g.accounts.map((a) => a.stall_id)).size >= 2)
    .filter((g) => g.accounts.some((a) => inScope(a.stall_id)))
    .sort((a, b) => (a.bin < b.bin ? -1 : a.bin > b.bin ? 1 : a.number < b.number ? -1 : a.number > b.number ? 1 : 0));

  let revoked = 0;
  let replaced = 0;
  for (const k of reg.raw.stickers) {
    if (!inScope(k.stall_id)) continue;
    if (!(ms(k.status_changed_at ?? k.created_at) < cutoff)) continue;
    if (k.status === 'revoked') revoked += 1;
    if (k.status === 'replaced') replaced += 1;
  }

  // Waiting at the end of the day: asked before the cutoff, not closed before it.
  const pending = [...reg.raw.payeeChanges]
    .filter((c) => inScope(c.stall_id) && inReach(c.stall_id))
    .filter((c) => ms(c.requested_at) < cutoff && (c.decided_at === null || ms(c.decided_at) >= cutoff))
    .sort((a, b) => ms(a.requested_at) - ms(b.requested_at) || a.id - b.id);

  return {
    scope: s.info,
    asOf,
    listLimit,
    unverifiedAccounts: { count: unverified.length, stalls: unverified.slice(0, listLimit).map(ref) },
    staleFollowUps: {
      days: 60,
      count: stale.length,
      stalls: stale.slice(0, listLimit).map(({ id, contact }) => ({ ...ref(id), lastContact: contact })),
    },
    duplicateAccounts: {
      count: duplicates.length,
      groups: duplicates.slice(0, listLimit).map((g) => {
        const accounts = [...g.accounts].sort((a, b) => a.stall_id - b.stall_id || a.id - b.id);
        const stalls = [...new Set(accounts.map((a) => a.stall_id))];
        const shown = stalls.filter(inReach);
        return {
          bin: g.bin,
          maskedAccount: `•••• ${g.number.slice(-4)}`,
          accountIds: accounts.filter((a) => inReach(a.stall_id)).map((a) => a.id),
          stalls: shown.map((id) => ({ ...ref(id), inScope: inScope(id) })),
          outsideReach: stalls.length - shown.length,
        };
      }),
    },
    stickers: { revoked, replaced },
    pendingPayeeChanges: {
      count: pending.length,
      stalls: pending
        .slice(0, listLimit)
        .map((c) => ({ ...ref(c.stall_id), kind: c.kind, requestedAt: c.requested_at })),
    },
  };
}
