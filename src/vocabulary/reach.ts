/**
 * Reach: the part of the country a user works in or watches — the whole country, or any mix of provinces,
 * communes and sites. Services check every read and write against the acting user's reach: outside it a
 * stall, site, campaign or user answers 404, so its existence is not revealed. Pure: no database here
 * (src/db/reach-sql.ts turns a reach into a WHERE clause).
 */
import type { Role } from './roles.js';

export interface Reach {
  readonly wholeCountry: boolean;
  /** Province codes (2 digits). */
  readonly provinces: readonly string[];
  /** Commune codes (5 digits). */
  readonly communes: readonly string[];
  /** Site ids. */
  readonly sites: readonly number[];
}

export const WHOLE_COUNTRY: Reach = Object.freeze({ wholeCountry: true, provinces: [], communes: [], sites: [] });
export const NO_REACH: Reach = Object.freeze({ wholeCountry: false, provinces: [], communes: [], sites: [] });

/** Where a site is: what a reach is checked against. */
export interface SitePlace {
  readonly siteId: number;
  readonly communeCode: string;
  readonly provinceCode: string;
}

/** Where a commune is. */
export interface CommunePlace {
  readonly communeCode: string;
  readonly provinceCode: string;
}

export function isEmptyReach(reach: Reach): boolean {
  return !reach.wholeCountry && reach.provinces.length + reach.communes.length + reach.sites.length === 0;
}

/** The site lies in the reach: the whole country, its province, its commune or the site itself. */
export function reachCoversSite(reach: Reach, place: SitePlace): boolean {
  return reach.sites.includes(place.siteId) || reachCoversCommune(reach, place);
}

/** The whole commune lies in the reach (a reach of some of its sites does not cover it). */
export function reachCoversCommune(reach: Reach, place: CommunePlace): boolean {
  return (
    reach.wholeCountry || reach.provinces.includes(place.provinceCode) || reach.communes.includes(place.communeCode)
  );
}

/** The whole province lies in the reach. */
export function reachCoversProvince(reach: Reach, provinceCode: string): boolean {
  return reach.wholeCountry || reach.provinces.includes(provinceCode);
}

/** Where each unit of a reach lies, to check one reach against another. */
export interface ReachPlaces {
  readonly communes: ReadonlyMap<string, CommunePlace>;
  readonly sites: ReadonlyMap<number, SitePlace>;
}

/**
 * Every unit of `inner` lies inside `outer`: what a team lead may grant is bounded by their own reach.
 * `places` must know each commune and site of `inner`; an unknown one is not inside.
 */
export function reachWithin(inner: Reach, outer: Reach, places: ReachPlaces): boolean {
  if (outer.wholeCountry) return true;
  if (inner.wholeCountry) return false;
  return (
    inner.provinces.every((code) => reachCoversProvince(outer, code)) &&
    inner.communes.every((code) => {
      const place = places.communes.get(code);
      return place !== undefined && reachCoversCommune(outer, place);
    }) &&
    inner.sites.every((id) => {
      const place = places.sites.get(id);
      return place !== undefined && reachCoversSite(outer, place);
    })
  );
}

/** Only admins and leaders may have the whole country: the people who work stalls work somewhere. */
export function mayHaveWholeCountry(role: Role): boolean {
  return role === 'admin' || role === 'leader';
}

/** One unit of a reach as written on the command line and in user lists: `province:52`, `commune:23575`, `site:12`. */
export type ReachUnit =
  | { readonly kind: 'province'; readonly code: string }
  | { readonly kind: 'commune'; readonly code: string }
  | { readonly kind: 'site'; readonly id: number };

/** `province:52`, `commune:23575`, `site:12` (also `tinh:`, `xa:`, `diadiem:`); undefined for anything else. */
export function parseReachUnit(text: string): ReachUnit | undefined {
  const match = /^\s*(province|tinh|commune|xa|site|diadiem)\s*:\s*(\d{1,10})\s*$/i.exec(text);
  if (!match) return undefined;
  const kind = match[1]!.toLowerCase();
  const value = match[2]!;
  if ((kind === 'province' || kind === 'tinh') && value.length === 2) return { kind: 'province', code: value };
  if ((kind === 'commune' || kind === 'xa') && value.length === 5) return { kind: 'commune', code: value };
  if (kind === 'site' || kind === 'diadiem') {
    const id = Number(value);
    if (Number.isSafeInteger(id) && id > 0) return { kind: 'site', id };
  }
  return undefined;
}

export const REACH_UNIT_HELP =
  'Phạm vi ghi dạng province:52 (tỉnh), commune:23575 (xã, phường) hoặc site:12 (địa điểm).';

/** A reach made of units, without duplicates, in a stable order. */
export function reachOfUnits(units: readonly ReachUnit[]): Reach {
  const provinces = new Set<string>();
  const communes = new Set<string>();
  const sites = new Set<number>();
  for (const unit of units) {
    if (unit.kind === 'province') provinces.add(unit.code);
    else if (unit.kind === 'commune') communes.add(unit.code);
    else sites.add(unit.id);
  }
  return {
    wholeCountry: false,
    provinces: [...provinces].sort(),
    communes: [...communes].sort(),
    sites: [...sites].sort((a, b) => a - b),
  };
}

/** The units of a reach (none for the whole country), as `parseReachUnit` reads them back. */
export function reachUnits(reach: Reach): ReachUnit[] {
  return [
    ...reach.provinces.map((code) => ({ kind: 'province' as const, code })),
    ...reach.communes.map((code) => ({ kind: 'commune' as const, code })),
    ...reach.sites.map((id) => ({ kind: 'site' as const, id })),
  ];
}

export function formatReachUnit(unit: ReachUnit): string {
  return unit.kind === 'site' ? `site:${unit.id}` : `${unit.kind}:${unit.code}`;
}
