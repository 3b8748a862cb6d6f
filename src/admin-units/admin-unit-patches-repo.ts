import type { DataAccess } from '../db/data-access.js';

export interface UnitRow {
  readonly code: string;
  readonly name: string;
  readonly unit_type: string;
  readonly retired_on: string | null;
}

export interface CommuneRow extends UnitRow {
  readonly province_code: string;
}

export interface SiteRow {
  readonly id: number;
  readonly name: string;
  readonly commune_code: string;
}

export interface ReachRow {
  readonly id: number;
  readonly user_id: number;
  readonly username: string;
}

export interface MembershipRow {
  readonly site_id: number;
  readonly campaign_id: number;
  readonly campaign_name: string;
}

export interface PrintedStickerRow {
  readonly serial: string;
  readonly stall_label: string;
  readonly site_id: number;
}

export interface MappingRow {
  readonly old_code: string | null;
  readonly old_name: string;
  readonly old_district_name: string;
  readonly old_province_name: string;
  readonly old_name_folded: string;
}

/**
 * The SQL of admin-unit patches (src/admin-units/admin-unit-patches-service.ts): units read with their retired
 * ones too (a code is never reused), and the rows a change moves: sites, reaches, old names. Kept apart from
 * admin-units-repo.ts, whose searches the commune picker owns. Every write runs inside the service's one
 * transaction.
 */
export function createAdminUnitPatchesRepo(data: DataAccess) {
  const db = () => data.db();
  return {
    patchApplied: async (id: string): Promise<boolean> =>
      (await db().selectFrom('admin_unit_patches').select('id').where('id', '=', id).executeTakeFirst()) !== undefined,
    recordPatch: (row: {
      id: string;
      title: string;
      digest: string;
      changeCount: number;
      at: string;
      by: number | null;
    }): Promise<unknown> =>
      db()
        .insertInto('admin_unit_patches')
        .values({
          id: row.id,
          title: row.title,
          digest: row.digest,
          change_count: row.changeCount,
          applied_at: row.at,
          applied_by: row.by,
          applied_via: 'command',
        })
        .execute(),

    province: (code: string): Promise<UnitRow | undefined> =>
      db()
        .selectFrom('provinces')
        .select(['code', 'name', 'unit_type', 'retired_on'])
        .where('code', '=', code)
        .executeTakeFirst(),
    commune: (code: string): Promise<CommuneRow | undefined> =>
      db()
        .selectFrom('communes')
        .select(['code', 'name', 'unit_type', 'retired_on', 'province_code'])
        .where('code', '=', code)
        .executeTakeFirst(),
    activeCommunesOf: (provinceCode: string): Promise<CommuneRow[]> =>
      db()
        .selectFrom('communes')
        .select(['code', 'name', 'unit_type', 'retired_on', 'province_code'])
        .where('province_code', '=', provinceCode)
        .where('retired_on', 'is', null)
        .orderBy('code')
        .execute(),

    insertProvince: (row: { code: string; name: string; unitType: 'tinh' | 'thanh_pho'; folded: string }) =>
      db()
        .insertInto('provinces')
        .values({ code: row.code, name: row.name, unit_type: row.unitType, name_folded: row.folded })
        .execute(),
    updateProvince: (code: string, row: { name: string; unitType: 'tinh' | 'thanh_pho'; folded: string }) =>
      db()
        .updateTable('provinces')
        .set({ name: row.name, unit_type: row.unitType, name_folded: row.folded })
        .where('code', '=', code)
        .execute(),
    retireProvince: (code: string, on: string) =>
      db().updateTable('provinces').set({ retired_on: on }).where('code', '=', code).execute(),

    insertCommune: (row: {
      code: string;
      provinceCode: string;
      name: string;
      unitType: 'xa' | 'phuong' | 'dac_khu';
      folded: string;
    }) =>
      db()
        .insertInto('communes')
        .values({
          code: row.code,
          province_code: row.provinceCode,
          name: row.name,
          unit_type: row.unitType,
          name_folded: row.folded,
        })
        .execute(),
    updateCommune: (code: string, row: { name: string; unitType: 'xa' | 'phuong' | 'dac_khu'; folded: string }) =>
      db()
        .updateTable('communes')
        .set({ name: row.name, unit_type: row.unitType, name_folded: row.folded })
        .where('code', '=', code)
        .execute(),
    moveCommunesToProvince: (fromProvince: string, toProvince: string) =>
      db()
        .updateTable('communes')
        .set({ province_code: toProvince })
        .where('province_code', '=', fromProvince)
        .execute(),
    retireCommune: (code: string, on: string) =>
      db().updateTable('communes').set({ retired_on: on }).where('code', '=', code).execute(),

    sitesIn: (communeCode: string): Promise<SiteRow[]> =>
      db()
        .selectFrom('sites')
        .select(['id', 'name', 'commune_code'])
        .where('commune_code', '=', communeCode)
        .orderBy('id')
        .execute(),
    site: (id: number): Promise<SiteRow | undefined> =>
      db().selectFrom('sites').select(['id', 'name', 'commune_code']).where('id', '=', id).executeTakeFirst(),
    moveSites: async (ids: readonly number[], communeCode: string, at: string, by: number | null) => {
      if (ids.length === 0) return;
      await db()
        .updateTable('sites')
        .set({ commune_code: communeCode, updated_at: at, updated_by: by })
        .where('id', 'in', ids)
        .execute();
    },
    renameSite: (id: number, name: string, folded: string, at: string, by: number | null) =>
      db()
        .updateTable('sites')
        .set({ name, name_folded: folded, updated_at: at, updated_by: by })
        .where('id', '=', id)
        .execute(),

    communeReach: (communeCode: string): Promise<ReachRow[]> =>
      db()
        .selectFrom('user_reach as r')
        .innerJoin('users as u', 'u.id', 'r.user_id')
        .select(['r.id', 'r.user_id', 'u.username'])
        .where('r.commune_code', '=', communeCode)
        .orderBy('u.username')
        .execute(),
    provinceReach: (provinceCode: string): Promise<ReachRow[]> =>
      db()
        .selectFrom('user_reach as r')
        .innerJoin('users as u', 'u.id', 'r.user_id')
        .select(['r.id', 'r.user_id', 'u.username'])
        .where('r.province_code', '=', provinceCode)
        .orderBy('u.username')
        .execute(),
    hasCommuneReach: async (userId: number, communeCode: string): Promise<boolean> =>
      (await db()
        .selectFrom('user_reach')
        .select('id')
        .where('user_id', '=', userId)
        .where('commune_code', '=', communeCode)
        .executeTakeFirst()) !== undefined,
    addCommuneReach: (userId: number, communeCode: string) =>
      db().insertInto('user_reach').values({ user_id: userId, commune_code: communeCode }).execute(),
    deleteReach: (id: number) => db().deleteFrom('user_reach').where('id', '=', id).execute(),

    membershipsOf: async (siteIds: readonly number[]): Promise<MembershipRow[]> =>
      siteIds.length === 0
        ? []
        : db()
            .selectFrom('campaign_sites as cs')
            .innerJoin('campaigns as c', 'c.id', 'cs.campaign_id')
            .select(['cs.site_id', 'cs.campaign_id', 'c.name as campaign_name'])
            .where('cs.site_id', 'in', siteIds)
            .orderBy('cs.site_id')
            .execute(),

    /** Valid stickers already printed at least once, of these sites: what a changed printed line makes stale. */
    printedStickersOf: async (siteIds: readonly number[]): Promise<PrintedStickerRow[]> =>
      siteIds.length === 0
        ? []
        : db()
            .selectFrom('stickers as k')
            .innerJoin('stalls as t', 't.id', 'k.stall_id')
            .select(['k.serial', 't.label as stall_label', 't.site_id'])
            .where('t.site_id', 'in', siteIds)
            .where('k.status', '=', 'valid')
            .where('k.print_count', '>', 0)
            .orderBy('k.serial')
            .execute(),

    mappingsInto: (communeCode: string): Promise<MappingRow[]> =>
      db()
        .selectFrom('commune_mappings')
        .select(['old_code', 'old_name', 'old_district_name', 'old_province_name', 'old_name_folded'])
        .where('new_commune_code', '=', communeCode)
        .orderBy('id')
        .execute(),
    addMapping: (row: MappingRow & { new_commune_code: string }) =>
      db().insertInto('commune_mappings').values(row).execute(),
    repointMappings: (fromCode: string, toCode: string) =>
      db()
        .updateTable('commune_mappings')
        .set({ new_commune_code: toCode })
        .where('new_commune_code', '=', fromCode)
        .execute(),
    dropMappingsInto: (communeCode: string) =>
      db().deleteFrom('commune_mappings').where('new_commune_code', '=', communeCode).execute(),
    repointProvinceFormerNames: (fromCode: string, toCode: string) =>
      db()
        .updateTable('province_former_names')
        .set({ province_code: toCode })
        .where('province_code', '=', fromCode)
        .execute(),
    addProvinceFormerName: (row: {
      provinceCode: string;
      oldCode: string;
      oldName: string;
      folded: string;
      resolution: string;
      effectiveOn: string | null;
      patchId: string;
    }) =>
      db()
        .insertInto('province_former_names')
        .values({
          province_code: row.provinceCode,
          old_code: row.oldCode,
          old_name: row.oldName,
          old_name_folded: row.folded,
          resolution: row.resolution,
          effective_on: row.effectiveOn,
          patch_id: row.patchId,
        })
        .execute(),
  };
}

export type AdminUnitPatchesRepo = ReturnType<typeof createAdminUnitPatchesRepo>;
