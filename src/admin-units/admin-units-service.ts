import type { Actor } from '../actor.js';
import type { AdminUnitsRepo, Commune, Province } from './admin-units-repo.js';

export type { Commune, Province } from './admin-units-repo.js';

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
  return {
    listProvinces: (): Promise<Province[]> => adminUnits.listProvinces(),
    findProvince: (code: string): Promise<Province | undefined> => adminUnits.findProvince(code),
    findCommune: (code: string): Promise<Commune | undefined> => adminUnits.findCommune(code),
    /** See the repository: every word of the query (or a code prefix), optionally in one province, best first. */
    searchCommunes: (query: string, provinceCode: string | undefined, limit: number): Promise<Commune[]> =>
      adminUnits.searchCommunes(query, provinceCode, limit),
    /** The picker's answers for a user: only communes their reach covers whole, where they may add a site. */
    searchCommunesFor: (
      actor: Actor,
      query: string,
      provinceCode: string | undefined,
      limit: number,
    ): Promise<Commune[]> => adminUnits.searchCommunes(query, provinceCode, limit, actor.reach),
  };
}

export type AdminUnitsService = ReturnType<typeof createAdminUnitsService>;
