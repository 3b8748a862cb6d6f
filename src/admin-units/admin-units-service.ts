import type { Actor } from '../actor.js';
import type { AdminUnitsRepo, Commune, Province } from './admin-units-repo.js';
import { WHOLE_COUNTRY, type Reach } from '../vocabulary/reach.js';
import { rankCommunes, type RankedCommune } from './commune-ranking.js';

/**
 * Candidates fetched per query shape before ranking: enough that every exact and prefix match is among them
 * (no commune name is shared by nearly as many), few enough to rank in well under a millisecond.
 */
const CANDIDATE_BOUND = 200;

export type { Commune, Province } from './admin-units-repo.js';
export { communeLabel, type CommuneMatch } from './commune-ranking.js';

/** A commune the picker found, how it matched, and the old name it was found by (if it was). */
export type FoundCommune = RankedCommune<Commune>;

export const COMMUNE_TYPE_LABELS: Record<Commune['unit_type'], string> = {
  xa: 'Xã',
  phuong: 'Phường',
  dac_khu: 'Đặc khu',
};

export interface AdminUnitsServiceDeps {
  readonly adminUnits: AdminUnitsRepo;
}

/**
 * The official provinces and communes (Resolution 202/2025/QH15), read-only: other features (sites, the commune
 * picker) look them up here rather than through the repository.
 */
export function createAdminUnitsService({ adminUnits }: AdminUnitsServiceDeps) {
  async function search(
    query: string,
    provinceCode: string | undefined,
    limit: number,
    within: Reach,
    preferredProvinces: readonly string[],
  ): Promise<FoundCommune[]> {
    const bound = Math.max(limit, CANDIDATE_BOUND);
    const found = await adminUnits.communeCandidates(query, provinceCode, bound, within, preferredProvinces);
    if (found.byCode) return found.communes.slice(0, limit).map((commune) => ({ ...commune, match: 'exact' }));
    const own = new Set(preferredProvinces);
    return rankCommunes(query, found.communes, found.formerNames, own, limit);
  }

  return {
    listProvinces: (): Promise<Province[]> => adminUnits.listProvinces(),
    findProvince: (code: string): Promise<Province | undefined> => adminUnits.findProvince(code),
    findCommune: (code: string): Promise<Commune | undefined> => adminUnits.findCommune(code),
    /**
     * See the repository and src/admin-units/commune-ranking.ts: exact and prefix matches of the current name,
     * then other matches of it, then matches by an old name (with `formerName`), optionally in one province.
     */
    searchCommunes: (query: string, provinceCode: string | undefined, limit: number): Promise<FoundCommune[]> =>
      search(query, provinceCode, limit, WHOLE_COUNTRY, []),
    /**
     * The picker's answers for a user: only communes their reach covers whole, where they may add a site. Inside
     * each kind of match the provinces they work in come first: their reach's provinces and its communes'
     * provinces, the province they filtered by, and `near` — the places the form is about (the site's commune,
     * the edited user's reach), which is what counts for a whole-country admin. `near` holds province (2-digit)
     * or commune (5-digit) codes; anything else is ignored.
     */
    async searchCommunesFor(
      actor: Actor,
      query: string,
      provinceCode: string | undefined,
      limit: number,
      near: readonly string[] = [],
    ): Promise<FoundCommune[]> {
      const own = new Set<string>(actor.reach.provinces);
      if (provinceCode) own.add(provinceCode);
      for (const code of near) if (/^\d{2}$/.test(code)) own.add(code);
      const communes = [...actor.reach.communes, ...near.filter((code) => /^\d{5}$/.test(code))];
      for (const code of await adminUnits.provincesOfCommunes(communes)) own.add(code);
      return search(query, provinceCode, limit, actor.reach, [...own]);
    },
  };
}

export type AdminUnitsService = ReturnType<typeof createAdminUnitsService>;
