/**
 * Scope resolution: which sites and communes a question is about, limited to the asker's reach. A scope
 * (everything; a province; a commune; a site; a campaign) is checked against the snapshot's reference
 * tables and the reach, and turned into the sites in scope (as a mask and as indexes into every per-site
 * array of a tally), the communes in scope, what its children table lists and the scope's name. Pure: the
 * reference and the reach in, the resolved scope out.
 *
 * The reach rules (issue 11): 'all' is everything in the reach; a province, commune or site must lie wholly
 * inside it, else it answers 404 with the same message as an unknown one (its existence is not revealed); a
 * campaign is visible when one of its sites is in the reach and then counts only those sites.
 */
import { NotFoundError } from '../http/errors.js';
import { reachCoversCommune, reachCoversProvince, reachCoversSite, type Reach } from '../vocabulary/reach.js';
import {
  campaignAt,
  NEVER,
  termsAt,
  type CampaignInfo,
  type CommuneInfo,
  type Reference,
  type SiteInfo,
} from './adoption-snapshot.js';
import type { AdoptionScope, ScopeInfo, ScopeParent } from './adoption-types.js';

/** What the children table of a scope lists; a site's children are its stalls. */
export type ChildLevel = 'provinces' | 'communes' | 'sites' | 'stalls';

export interface ResolvedScope {
  readonly info: ScopeInfo;
  /** Identifies the scope's sites in caches (the reach included when it cut the scope down). */
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
  readonly childLevel: ChildLevel;
  /**
   * Units listed as children even without an existing site: at 'provinces', every province listed (empty
   * ones too); at 'communes', the reach's own communes (a province lists only its communes with a site).
   */
  readonly listed: readonly string[];
  /** reachMask[site.index] = 1 for the sites in the reach; null for the whole country. */
  readonly reachMask: Uint8Array | null;
}

export const NOT_FOUND = {
  province: (code: string) => `Không tìm thấy tỉnh, thành phố có mã ${code}.`,
  commune: (code: string) => `Không tìm thấy xã, phường có mã ${code}.`,
  site: 'Không tìm thấy địa điểm này.',
  campaign: 'Không tìm thấy đợt này.',
} as const;

/** What a campaign's name says when only part of it is in the reach. */
export const PART_IN_REACH = '(phần trong phạm vi của bạn)';

/** A reach's units that exist, without those inside another of its units: what 'all' is made of. */
export interface ReachInReference {
  readonly wholeCountry: boolean;
  /** Province codes, sorted. */
  readonly provinces: readonly string[];
  /** Communes outside the reach's provinces, by code. */
  readonly communes: readonly CommuneInfo[];
  /** Sites outside the reach's provinces and communes, by id. */
  readonly sites: readonly SiteInfo[];
}

/**
 * The reach as the reference knows it: units that do not exist (a code mistyped when the user was made)
 * are left out, not an error — a user's own reach never makes their dashboard fail.
 */
export function reachInReference(ref: Reference, reach: Reach): ReachInReference {
  const provinces = [...new Set(reach.provinces)].filter((code) => ref.provinces.has(code)).sort();
  const communes = [...new Set(reach.communes)]
    .sort()
    .map((code) => ref.communes.get(code))
    .filter((commune): commune is CommuneInfo => commune !== undefined && !provinces.includes(commune.provinceCode));
  const communeCodes = new Set(communes.map((commune) => commune.code));
  const sites = [...new Set(reach.sites)]
    .sort((a, b) => a - b)
    .map((id) => ref.siteById.get(id))
    .filter(
      (site): site is SiteInfo =>
        site !== undefined && !provinces.includes(site.provinceCode) && !communeCodes.has(site.communeCode),
    );
  return { wholeCountry: reach.wholeCountry, provinces, communes, sites };
}

/** The site lies in the reach. */
export function reachHasSite(reach: Reach, site: SiteInfo): boolean {
  return reachCoversSite(reach, { siteId: site.id, communeCode: site.communeCode, provinceCode: site.provinceCode });
}

/** Names 'all' for a reach: "Toàn quốc", up to two units by name, else how many of each kind. */
export function reachName(ref: Reference, units: ReachInReference): string {
  if (units.wholeCountry) return 'Toàn quốc';
  const names = [
    ...units.provinces.map((code) => ref.provinces.get(code)!),
    ...units.communes.map((commune) => commune.name),
    ...units.sites.map((site) => site.name),
  ];
  if (names.length === 0) return 'Chưa có phạm vi';
  if (names.length <= 2) return names.join(', ');
  return [
    [units.provinces.length, 'tỉnh, thành phố'],
    [units.communes.length, 'xã, phường'],
    [units.sites.length, 'địa điểm'],
  ]
    .filter(([count]) => count !== 0)
    .map(([count, unit]) => `${count} ${unit}`)
    .join(' · ');
}

/** Identifies a reach in cache keys. */
function reachKey(units: ReachInReference): string {
  if (units.wholeCountry) return '*';
  return [
    `p${units.provinces.join(',')}`,
    `c${units.communes.map((commune) => commune.code).join(',')}`,
    `s${units.sites.map((site) => site.id).join(',')}`,
  ].join('|');
}

/**
 * Checks a scope against the reference and the reach and resolves it; NotFoundError for an unknown unit,
 * site or campaign and, with the same message, for one outside the reach. `day` is the day asked about (a
 * day number; NEVER for "now"): a campaign's sites are those in it that day.
 */
export function resolveScope(ref: Reference, scope: AdoptionScope, reach: Reach, day: number): ResolvedScope {
  const reachMask = reach.wholeCountry ? null : new Uint8Array(ref.sites.length);
  if (reachMask) for (const site of ref.sites) if (reachHasSite(reach, site)) reachMask[site.index] = 1;
  const build = (
    info: ScopeInfo,
    key: string,
    sites: readonly SiteInfo[],
    communes: readonly string[],
    childLevel: ChildLevel,
    extra: { site?: SiteInfo; campaign?: CampaignInfo; listed?: readonly string[] } = {},
  ): ResolvedScope => {
    const mask = new Uint8Array(ref.sites.length);
    for (const site of sites) mask[site.index] = 1;
    return {
      info,
      key,
      mask,
      indexes: sites.map((site) => site.index),
      sites,
      communes,
      site: extra.site ?? null,
      campaign: extra.campaign ?? null,
      childLevel,
      listed: extra.listed ?? [],
      reachMask,
    };
  };
  const unit = (code: string) => ({ code, name: ref.provinces.get(code) ?? code });
  const communeCodesOf = (provinceCode: string) =>
    (ref.communesByProvince.get(provinceCode) ?? []).map((commune) => commune.code);
  const parentsOf = (commune: CommuneInfo, withCommune: boolean): ScopeParent[] => {
    const parents: ScopeParent[] = [];
    if (reachCoversProvince(reach, commune.provinceCode)) {
      parents.push({ kind: 'province', ...unit(commune.provinceCode) });
    }
    if (withCommune && reachCoversCommune(reach, { communeCode: commune.code, provinceCode: commune.provinceCode })) {
      parents.push({ kind: 'commune', code: commune.code, name: commune.name });
    }
    return parents;
  };

  const province = (code: string): ResolvedScope => {
    const name = ref.provinces.get(code);
    if (name === undefined || !reachCoversProvince(reach, code)) throw new NotFoundError(NOT_FOUND.province(code));
    return build(
      { kind: 'province', key: code, name, province: { code, name }, commune: null, limited: false, parents: [] },
      `province:${code}`,
      ref.sites.filter((site) => site.provinceCode === code),
      communeCodesOf(code),
      'communes',
    );
  };
  const commune = (code: string): ResolvedScope => {
    const found = ref.communes.get(code);
    if (!found || !reachCoversCommune(reach, { communeCode: found.code, provinceCode: found.provinceCode })) {
      throw new NotFoundError(NOT_FOUND.commune(code));
    }
    return build(
      {
        kind: 'commune',
        key: found.code,
        name: found.name,
        province: unit(found.provinceCode),
        commune: { code: found.code, name: found.name },
        limited: false,
        parents: parentsOf(found, false),
      },
      `commune:${found.code}`,
      ref.sites.filter((site) => site.communeCode === found.code),
      [found.code],
      'sites',
    );
  };
  const site = (id: number): ResolvedScope => {
    const found = ref.siteById.get(id);
    if (!found || !reachHasSite(reach, found)) throw new NotFoundError(NOT_FOUND.site);
    const place = ref.communes.get(found.communeCode);
    return build(
      {
        kind: 'site',
        key: String(found.id),
        name: found.name,
        province: unit(found.provinceCode),
        commune: { code: found.communeCode, name: place?.name ?? found.communeCode },
        limited: false,
        parents: place ? parentsOf(place, true) : [],
      },
      `site:${found.id}`,
      [found],
      [found.communeCode],
      'stalls',
      { site: found },
    );
  };

  switch (scope.kind) {
    case 'all': {
      if (reach.wholeCountry) {
        return build(
          { kind: 'all', key: 'all', name: 'Toàn quốc', province: null, commune: null, limited: false, parents: [] },
          'all',
          ref.sites,
          [...ref.communes.keys()],
          'provinces',
          { listed: [...ref.provinces.keys()] },
        );
      }
      const units = reachInReference(ref, reach);
      const info: ScopeInfo = {
        kind: 'all',
        key: 'all',
        name: reachName(ref, units),
        province: null,
        commune: null,
        limited: true,
        parents: [],
      };
      const count = units.provinces.length + units.communes.length + units.sites.length;
      // A reach of one unit is that unit, children and all: a commune's volunteer sees their commune.
      if (count === 1) {
        const [only] = [
          ...units.provinces.map((code) => province(code)),
          ...units.communes.map((c) => commune(c.code)),
          ...units.sites.map((s) => site(s.id)),
        ];
        return { ...only!, info };
      }
      const communes = new Set(units.provinces.flatMap(communeCodesOf));
      for (const c of units.communes) communes.add(c.code);
      for (const s of units.sites) communes.add(s.communeCode);
      const level: ChildLevel =
        units.sites.length > 0 || count === 0 ? 'sites' : units.communes.length > 0 ? 'communes' : 'provinces';
      return build(
        info,
        `all:${reachKey(units)}`,
        ref.sites.filter((s) => reachMask![s.index] === 1),
        [...communes].sort(),
        level,
        { listed: level === 'provinces' ? units.provinces : units.communes.map((c) => c.code) },
      );
    }
    case 'province':
      return province(scope.code);
    case 'commune':
      return commune(scope.code);
    case 'site':
      return site(scope.id);
    case 'campaign': {
      const current = ref.campaigns.get(scope.id);
      if (!current) throw new NotFoundError(NOT_FOUND.campaign);
      // Its sites are those in it on the day asked about (a site joins or leaves from a day on); it is
      // visible to a reach holding one of its sites then or now.
      const campaign = campaignAt(ref, current.id, day) ?? current;
      const memberOn = (s: SiteInfo, on: number) => termsAt(s, on).campaign?.id === current.id;
      const all = ref.sites.filter((s) => memberOn(s, day));
      const sites = reachMask ? all.filter((s) => reachMask[s.index] === 1) : all;
      if (reachMask && sites.length === 0 && !ref.sites.some((s) => reachMask[s.index] === 1 && memberOn(s, NEVER))) {
        throw new NotFoundError(NOT_FOUND.campaign);
      }
      const limited = sites.length < all.length;
      const key = `campaign:${campaign.id}@${day}`;
      return build(
        {
          kind: 'campaign',
          key: String(campaign.id),
          name: limited ? `${campaign.name} ${PART_IN_REACH}` : campaign.name,
          province: null,
          commune: null,
          limited,
          parents: [],
        },
        limited ? `${key}|${reachKey(reachInReference(ref, reach))}` : key,
        sites,
        [...new Set(sites.map((s) => s.communeCode))].sort(),
        'sites',
        { campaign },
      );
    }
  }
}
