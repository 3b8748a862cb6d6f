/**
 * Scope resolution: which sites and communes a question is about. A scope (everything, optionally limited
 * to provinces; a province; a commune; a site; a campaign) is checked against the snapshot's reference
 * tables and turned into the sites in scope (as a mask and as indexes into every per-site array of a
 * tally), the communes in scope and the scope's name. Pure: the reference in, the resolved scope out.
 */
import { NotFoundError } from '../http/errors.js';
import type { CampaignInfo, Reference, SiteInfo } from './adoption-snapshot.js';
import type { AdoptionScope, ScopeInfo } from './adoption-types.js';

export interface ResolvedScope {
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

/** Checks a scope against the reference and resolves it; NotFoundError for an unknown unit, site or campaign. */
export function resolveScope(ref: Reference, scope: AdoptionScope): ResolvedScope {
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
        {
          kind: 'province',
          key: scope.code,
          name,
          province: { code: scope.code, name },
          commune: null,
          provinces: null,
        },
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
        {
          kind: 'campaign',
          key: String(campaign.id),
          name: campaign.name,
          province: null,
          commune: null,
          provinces: null,
        },
        sites,
        [...new Set(sites.map((site) => site.communeCode))].sort(),
        { campaign },
      );
    }
  }
}
