import { createHash } from 'node:crypto';
import type { Actor } from '../actor.js';
import { auditChanges } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import { vietnamDate } from '../calendar/calendar.js';
import type { Clock } from '../clock.js';
import { ForbiddenError } from '../http/errors.js';
import { foldForSearch } from '../text/fold.js';
import { can } from '../vocabulary/roles.js';
import {
  COMMUNE_TYPE_WORDS,
  PATCH_KIND_LABELS,
  PROVINCE_TYPE_LABELS,
  parseAdminUnitPatch,
  type AdminUnitPatch,
  type CommuneType,
  type PatchChange,
  type ProvinceType,
} from './admin-unit-patch.js';
import type { AdminUnitPatchesRepo, CommuneRow, SiteRow, UnitRow } from './admin-unit-patches-repo.js';

export { PatchFormatError, parseAdminUnitPatch, type AdminUnitPatch } from './admin-unit-patch.js';

/** One change as the diff prints it: a headline and what follows from it. */
export interface ChangeReport {
  readonly number: number;
  readonly headline: string;
  readonly lines: readonly string[];
}

/** A sticker whose printed line changes: it should be printed again and replaced at the stall. */
export interface ReprintItem {
  readonly serial: string;
  readonly stall: string;
  readonly siteId: number;
  readonly before: string;
  readonly after: string;
}

export interface PatchReport {
  readonly id: string;
  readonly title: string;
  readonly note: string;
  readonly committed: boolean;
  readonly changes: readonly ChangeReport[];
  readonly reprint: readonly ReprintItem[];
  readonly counts: {
    readonly sitesMoved: number;
    readonly reachRows: number;
    readonly memberships: number;
    readonly oldNamesKept: number;
  };
}

/** The patch cannot be applied; nothing was written. Each problem names its change. */
export class PatchRefusedError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'PatchRefusedError';
  }
}

/** One change's refusal; the service collects them and refuses the whole patch. */
class ChangeRefused extends Error {}

/** A dry run is the commit rolled back: the diff printed is exactly what --commit would write. */
class DryRun extends Error {
  constructor(readonly report: PatchReport) {
    super('dry run');
  }
}

/**
 * What a sticker prints about its place (src/sticker-pdf/sticker-content.ts): the site's name only. The serial
 * (52-23575-000123) carries codes, which never change; no province or commune name is printed. So a sticker
 * needs reprinting when its site's name changes.
 */
export function printedPlaceLine(siteName: string): string {
  return siteName;
}

export interface AdminUnitPatchesServiceDeps {
  readonly repo: AdminUnitPatchesRepo;
  readonly audit: AuditService;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

const communeWord = (type: string) => COMMUNE_TYPE_WORDS[type as CommuneType] ?? type;
const provinceWord = (type: string) => PROVINCE_TYPE_LABELS[type as ProvinceType] ?? type;
const count = (n: number, what: string) => `${n.toLocaleString('vi-VN')} ${what}`;

/**
 * Applies admin-unit patches (README "Cập nhật đơn vị hành chính") in one transaction: codes stay keys; old
 * names are kept (commune_mappings, province_former_names); the sites, reaches and (through their sites)
 * campaign memberships of a merged or split commune follow to the new codes; anything that would leave a site
 * or a reach on a unit that ends is refused, and so the whole patch.
 *
 * Figures before a change stay as they were: the adoption figures count sites by their current commune and
 * province, and a commune change never moves a site to another province (a merge or split stays within one;
 * only a province merge moves communes, and then the merged province's past is the sum of its parts).
 */
export function createAdminUnitPatchesService({ repo, audit, transaction, clock }: AdminUnitPatchesServiceDeps) {
  async function applyAll(actor: Actor | null, patch: AdminUnitPatch, digest: string, commit: boolean) {
    const now = clock.now();
    const at = now.toISOString();
    const by = actor?.id ?? null;
    const today = vietnamDate(now);
    const problems: string[] = [];
    const reports: ChangeReport[] = [];
    /** Site id → name before the patch, for the sites the patch renames. */
    const renamedSites = new Map<number, string>();
    const counts = { sitesMoved: 0, reachRows: 0, memberships: 0, oldNamesKept: 0 };

    if (await repo.patchApplied(patch.id)) {
      throw new PatchRefusedError([`Bản cập nhật "${patch.id}" đã được áp dụng trước đây; không áp dụng lại.`]);
    }
    // First, so the old names kept below can name the patch that ended them.
    await repo.recordPatch({ id: patch.id, title: patch.title, digest, changeCount: patch.changes.length, at, by });

    for (const [index, change] of patch.changes.entries()) {
      const where = `Thay đổi ${index + 1} (${PATCH_KIND_LABELS[change.kind]})`;
      const lines: string[] = [];
      const refuse = (message: string): never => {
        throw new ChangeRefused(`${where}: ${message}`);
      };
      const retiredOn = change.effectiveOn ?? today;

      const activeProvince = async (code: string): Promise<UnitRow> => {
        const row = await repo.province(code);
        if (!row) return refuse(`không có tỉnh mã ${code}.`);
        if (row.retired_on !== null) return refuse(`tỉnh mã ${code} (${row.name}) đã thôi từ ${row.retired_on}.`);
        return row;
      };
      const activeCommune = async (code: string): Promise<CommuneRow> => {
        const row = await repo.commune(code);
        if (!row) return refuse(`không có xã mã ${code}.`);
        if (row.retired_on !== null) return refuse(`xã mã ${code} (${row.name}) đã thôi từ ${row.retired_on}.`);
        return row;
      };
      const unusedCommuneCode = async (code: string) => {
        const row = await repo.commune(code);
        if (row)
          refuse(`mã xã ${code} đã có (${row.name}${row.retired_on ? ', đã thôi' : ''}); mã không được dùng lại.`);
      };
      const unusedProvinceCode = async (code: string) => {
        const row = await repo.province(code);
        if (row)
          refuse(`mã tỉnh ${code} đã có (${row.name}${row.retired_on ? ', đã thôi' : ''}); mã không được dùng lại.`);
      };
      const nameIs = (row: { name: string }, expected: string, what: string) => {
        if (row.name.normalize('NFC') !== expected)
          refuse(`${what} hiện tên "${row.name}", bản cập nhật ghi "${expected}" (tệp cũ, hoặc đã đổi).`);
      };

      /** Keeps a commune's name before a change as an old name of `newCode` (the picker's "trước đây"). */
      const keepOldCommuneName = async (old: CommuneRow, newCode: string) => {
        const province = await repo.province(old.province_code);
        await repo.addMapping({
          old_code: old.code,
          old_name: old.name,
          old_district_name: '',
          old_province_name: province?.name ?? '',
          old_name_folded: foldForSearch(old.name),
          new_commune_code: newCode,
        });
        counts.oldNamesKept++;
        lines.push(`  Tên cũ giữ lại: "${old.name}" → tìm thấy xã ${newCode} ("trước đây: ${old.name}").`);
      };
      const keepOldProvinceName = async (old: UnitRow, newCode: string) => {
        await repo.addProvinceFormerName({
          provinceCode: newCode,
          oldCode: old.code,
          oldName: old.name,
          folded: foldForSearch(old.name),
          resolution: change.resolution,
          effectiveOn: change.effectiveOn,
          patchId: patch.id,
        });
        counts.oldNamesKept++;
        lines.push(`  Tên cũ giữ lại: "${old.name}" (tỉnh ${newCode}).`);
      };

      /** Moves sites to a commune, saying which, with their campaign memberships (which follow the site). */
      const moveSites = async (sites: readonly SiteRow[], to: string) => {
        if (sites.length === 0) return;
        await repo.moveSites(
          sites.map((s) => s.id),
          to,
          at,
          by,
        );
        for (const site of sites) {
          await audit.record({
            actor,
            action: 'site.update',
            entity: 'site',
            entityId: site.id,
            place: { siteId: site.id, communeCode: to },
            changes: auditChanges(
              { commune_code: site.commune_code },
              { commune_code: to },
              { plain: ['commune_code'] },
            ),
          });
        }
        counts.sitesMoved += sites.length;
        lines.push(`  Địa điểm chuyển sang xã ${to}: ${sites.map((s) => `${s.name} (#${s.id})`).join(', ')}.`);
        const memberships = await repo.membershipsOf(sites.map((s) => s.id));
        counts.memberships += memberships.length;
        for (const m of memberships) {
          lines.push(`  Đợt "${m.campaign_name}": địa điểm #${m.site_id} vẫn trong đợt, nay thuộc xã ${to}.`);
        }
      };

      /** A reach of a commune that ends: the same ground, so every commune that takes part of it. */
      const moveCommuneReach = async (from: string, to: readonly string[]) => {
        for (const row of await repo.communeReach(from)) {
          for (const code of to) {
            if (code !== from && !(await repo.hasCommuneReach(row.user_id, code))) {
              await repo.addCommuneReach(row.user_id, code);
            }
          }
          if (!to.includes(from)) await repo.deleteReach(row.id);
          counts.reachRows++;
          lines.push(`  Phạm vi của ${row.username}: xã ${from} → ${to.map((c) => `xã ${c}`).join(', ')}.`);
        }
      };

      try {
        switch (change.kind) {
          case 'rename_province': {
            const row = await activeProvince(change.code);
            nameIs(row, change.from, `Tỉnh ${change.code}`);
            reports.push({
              number: index + 1,
              headline: `Đổi tên tỉnh ${change.code}: ${row.name} → ${change.to}`,
              lines,
            });
            await repo.updateProvince(change.code, {
              name: change.to,
              unitType: row.unit_type as ProvinceType,
              folded: foldForSearch(change.to),
            });
            await keepOldProvinceName(row, change.code);
            break;
          }
          case 'retype_province': {
            const row = await activeProvince(change.code);
            if (row.unit_type !== change.fromType)
              refuse(
                `tỉnh ${change.code} hiện là ${provinceWord(row.unit_type)}, ` +
                  `bản cập nhật ghi ${provinceWord(change.fromType)}.`,
              );
            if (change.from !== undefined) nameIs(row, change.from, `Tỉnh ${change.code}`);
            const name = change.to ?? row.name;
            reports.push({
              number: index + 1,
              headline:
                `Đổi loại tỉnh ${change.code}: ${provinceWord(change.fromType)} → ${provinceWord(change.toType)}` +
                (change.to ? ` (${row.name} → ${change.to})` : ''),
              lines,
            });
            await repo.updateProvince(change.code, { name, unitType: change.toType, folded: foldForSearch(name) });
            if (change.to) await keepOldProvinceName(row, change.code);
            break;
          }
          case 'rename_commune': {
            const row = await activeCommune(change.code);
            nameIs(row, change.from, `Xã ${change.code}`);
            reports.push({
              number: index + 1,
              headline: `Đổi tên xã ${change.code}: ${row.name} → ${change.to}`,
              lines,
            });
            await repo.updateCommune(change.code, {
              name: change.to,
              unitType: row.unit_type as CommuneType,
              folded: foldForSearch(change.to),
            });
            await keepOldCommuneName(row, change.code);
            break;
          }
          case 'retype_commune': {
            const row = await activeCommune(change.code);
            if (row.unit_type !== change.fromType)
              refuse(
                `xã ${change.code} hiện là ${communeWord(row.unit_type)}, ` +
                  `bản cập nhật ghi ${communeWord(change.fromType)}.`,
              );
            if (change.from !== undefined) nameIs(row, change.from, `Xã ${change.code}`);
            const name = change.to ?? row.name;
            reports.push({
              number: index + 1,
              headline:
                `Đổi loại xã ${change.code}: ${communeWord(change.fromType)} → ${communeWord(change.toType)}` +
                (change.to ? ` (${row.name} → ${change.to})` : ''),
              lines,
            });
            await repo.updateCommune(change.code, { name, unitType: change.toType, folded: foldForSearch(name) });
            if (change.to) await keepOldCommuneName(row, change.code);
            break;
          }
          case 'add_province': {
            await unusedProvinceCode(change.code);
            reports.push({
              number: index + 1,
              headline: `Thêm tỉnh ${change.code}: ${change.name} (${provinceWord(change.unitType)})`,
              lines,
            });
            await repo.insertProvince({ ...change, folded: foldForSearch(change.name) });
            break;
          }
          case 'add_commune': {
            await unusedCommuneCode(change.code);
            const province = await activeProvince(change.provinceCode);
            reports.push({
              number: index + 1,
              headline: `Thêm xã ${change.code}: ${change.name} (${communeWord(change.unitType)}, ${province.name})`,
              lines,
            });
            await repo.insertCommune({ ...change, folded: foldForSearch(change.name) });
            break;
          }
          case 'remove_commune': {
            const row = await activeCommune(change.code);
            nameIs(row, change.from, `Xã ${change.code}`);
            const sites = await repo.sitesIn(change.code);
            if (sites.length > 0)
              refuse(
                `xã ${change.code} còn ${count(sites.length, 'địa điểm')} ` +
                  `(${sites.map((s) => `#${s.id}`).join(', ')}); ` +
                  'nhập hoặc chia xã để chuyển địa điểm đi trước khi bỏ.',
              );
            const reach = await repo.communeReach(change.code);
            if (reach.length > 0)
              refuse(
                `phạm vi của ${reach.map((r) => r.username).join(', ')} là xã ${change.code}; ` +
                  'đổi phạm vi của họ, hoặc nhập xã vào xã khác, trước khi bỏ.',
              );
            reports.push({ number: index + 1, headline: `Bỏ xã ${change.code}: ${row.name}`, lines });
            await repo.retireCommune(change.code, retiredOn);
            lines.push(`  Mã ${change.code} được giữ (tem, nhật ký) và không dùng lại; xã thôi từ ${retiredOn}.`);
            break;
          }
          case 'remove_province': {
            const row = await activeProvince(change.code);
            nameIs(row, change.from, `Tỉnh ${change.code}`);
            const communes = await repo.activeCommunesOf(change.code);
            if (communes.length > 0)
              refuse(`tỉnh ${change.code} còn ${count(communes.length, 'xã')}; dùng nhập tỉnh để chuyển các xã đi.`);
            const reach = await repo.provinceReach(change.code);
            if (reach.length > 0)
              refuse(
                `phạm vi của ${reach.map((r) => r.username).join(', ')} là tỉnh ${change.code}; ` +
                  'đổi phạm vi trước khi bỏ.',
              );
            reports.push({ number: index + 1, headline: `Bỏ tỉnh ${change.code}: ${row.name}`, lines });
            await repo.retireProvince(change.code, retiredOn);
            break;
          }
          case 'merge_communes': {
            const sources: CommuneRow[] = [];
            for (const code of change.from) sources.push(await activeCommune(code));
            const existing = await repo.commune(change.into.code);
            if (existing?.retired_on) refuse(`xã nhận ${change.into.code} (${existing.name}) đã thôi.`);
            const provinceCode = existing?.province_code ?? sources[0]!.province_code;
            const elsewhere = sources.filter((s) => s.province_code !== provinceCode);
            if (elsewhere.length > 0)
              refuse(
                `các xã ${elsewhere.map((s) => s.code).join(', ')} không cùng tỉnh với xã nhận; ` +
                  'chuyển xã sang tỉnh khác bằng nhập tỉnh.',
              );
            if (!existing && (change.into.name === undefined || change.into.unitType === undefined))
              refuse(`xã nhận ${change.into.code} chưa có: cần "into.name" và "into.unit_type".`);
            const name = change.into.name ?? existing!.name;
            const unitType = change.into.unitType ?? (existing!.unit_type as CommuneType);
            reports.push({
              number: index + 1,
              headline:
                `Nhập xã ${sources.map((s) => `${s.name} (${s.code})`).join(', ')} → ` +
                `${name} (${change.into.code}${existing ? '' : ', xã mới'})`,
              lines,
            });
            if (existing) {
              if (name !== existing.name || unitType !== existing.unit_type) {
                await repo.updateCommune(existing.code, { name, unitType, folded: foldForSearch(name) });
                if (name !== existing.name) await keepOldCommuneName(existing, existing.code);
              }
            } else {
              await repo.insertCommune({
                code: change.into.code,
                provinceCode,
                name,
                unitType,
                folded: foldForSearch(name),
              });
            }
            for (const source of sources) {
              if (source.code === change.into.code) continue;
              await moveSites(await repo.sitesIn(source.code), change.into.code);
              await moveCommuneReach(source.code, [change.into.code]);
              await repo.repointMappings(source.code, change.into.code);
              await keepOldCommuneName(source, change.into.code);
              await repo.retireCommune(source.code, retiredOn);
            }
            break;
          }
          case 'split_commune': {
            const source = await activeCommune(change.code);
            const sites = await repo.sitesIn(change.code);
            const placed = new Map<number, string>();
            for (const part of change.into) for (const id of part.sites) placed.set(id, part.code);
            const unplaced = sites.filter((s) => !placed.has(s.id));
            if (unplaced.length > 0)
              refuse(
                `chưa nói địa điểm ${unplaced.map((s) => `${s.name} (#${s.id})`).join(', ')} về phần nào; ` +
                  'mỗi địa điểm của xã phải có trong "sites" của đúng một phần.',
              );
            const foreign = [...placed.keys()].filter((id) => !sites.some((s) => s.id === id));
            if (foreign.length > 0)
              refuse(`địa điểm ${foreign.map((id) => `#${id}`).join(', ')} không thuộc xã ${change.code}.`);
            const parts: { code: string; name: string; unitType: CommuneType; existing: CommuneRow | undefined }[] = [];
            for (const part of change.into) {
              const existing = await repo.commune(part.code);
              if (existing?.retired_on) refuse(`phần ${part.code} (${existing.name}) đã thôi.`);
              if (existing && existing.province_code !== source.province_code)
                refuse(`phần ${part.code} không cùng tỉnh với xã ${change.code}.`);
              if (!existing && (part.name === undefined || part.unitType === undefined))
                refuse(`phần ${part.code} chưa có: cần "name" và "unit_type".`);
              parts.push({
                code: part.code,
                name: part.name ?? existing!.name,
                unitType: part.unitType ?? (existing!.unit_type as CommuneType),
                existing,
              });
            }
            const kept = parts.some((p) => p.code === change.code);
            reports.push({
              number: index + 1,
              headline:
                `Chia xã ${source.name} (${source.code}) → ` + parts.map((p) => `${p.name} (${p.code})`).join(', '),
              lines,
            });
            for (const part of parts) {
              if (part.existing) {
                if (part.name !== part.existing.name || part.unitType !== part.existing.unit_type) {
                  await repo.updateCommune(part.code, {
                    name: part.name,
                    unitType: part.unitType,
                    folded: foldForSearch(part.name),
                  });
                }
                if (part.name !== part.existing.name && part.code !== change.code)
                  await keepOldCommuneName(part.existing, part.code);
              } else {
                await repo.insertCommune({
                  code: part.code,
                  provinceCode: source.province_code,
                  name: part.name,
                  unitType: part.unitType,
                  folded: foldForSearch(part.name),
                });
              }
            }
            for (const part of parts) {
              if (part.code === change.code) continue;
              await moveSites(
                sites.filter((s) => placed.get(s.id) === part.code),
                part.code,
              );
            }
            await moveCommuneReach(
              change.code,
              parts.map((p) => p.code),
            );
            // The old commune's name (and the older names it held) now lead to every part.
            const older = await repo.mappingsInto(change.code);
            for (const part of parts) {
              if (part.code === change.code && part.name === source.name) continue;
              await keepOldCommuneName(source, part.code);
              if (!kept)
                for (const mapping of older) await repo.addMapping({ ...mapping, new_commune_code: part.code });
            }
            if (!kept) {
              await repo.dropMappingsInto(change.code);
              await repo.retireCommune(change.code, retiredOn);
            }
            break;
          }
          case 'merge_provinces': {
            const sources: UnitRow[] = [];
            for (const code of change.from) sources.push(await activeProvince(code));
            const existing = await repo.province(change.into.code);
            if (existing?.retired_on) refuse(`tỉnh nhận ${change.into.code} (${existing.name}) đã thôi.`);
            if (!existing && (change.into.name === undefined || change.into.unitType === undefined))
              refuse(`tỉnh nhận ${change.into.code} chưa có: cần "into.name" và "into.unit_type".`);
            const name = change.into.name ?? existing!.name;
            const unitType = change.into.unitType ?? (existing!.unit_type as ProvinceType);
            reports.push({
              number: index + 1,
              headline:
                `Nhập tỉnh ${sources.map((s) => `${s.name} (${s.code})`).join(', ')} → ` +
                `${name} (${change.into.code}${existing ? '' : ', tỉnh mới'})`,
              lines,
            });
            if (existing) {
              if (name !== existing.name || unitType !== existing.unit_type) {
                await repo.updateProvince(existing.code, { name, unitType, folded: foldForSearch(name) });
                if (name !== existing.name) await keepOldProvinceName(existing, existing.code);
              }
            } else {
              await repo.insertProvince({ code: change.into.code, name, unitType, folded: foldForSearch(name) });
            }
            for (const source of sources) {
              if (source.code === change.into.code) continue;
              const communes = await repo.activeCommunesOf(source.code);
              // A reach of the province becomes a reach of each of its communes: the same ground, not the
              // whole of the province it joins.
              for (const row of await repo.provinceReach(source.code)) {
                for (const commune of communes) {
                  if (!(await repo.hasCommuneReach(row.user_id, commune.code))) {
                    await repo.addCommuneReach(row.user_id, commune.code);
                  }
                }
                await repo.deleteReach(row.id);
                counts.reachRows++;
                lines.push(
                  `  Phạm vi của ${row.username}: tỉnh ${source.code} → ${count(communes.length, 'xã')} ` +
                    `của tỉnh ấy (nay thuộc tỉnh ${change.into.code}).`,
                );
              }
              await repo.moveCommunesToProvince(source.code, change.into.code);
              lines.push(
                `  ${count(communes.length, 'xã')} của ${source.name} chuyển sang tỉnh ${change.into.code}; ` +
                  'mã xã giữ nguyên.',
              );
              await repo.repointProvinceFormerNames(source.code, change.into.code);
              await keepOldProvinceName(source, change.into.code);
              await repo.retireProvince(source.code, retiredOn);
            }
            break;
          }
          case 'rename_site': {
            const site = await repo.site(change.siteId);
            if (!site) return refuse(`không có địa điểm #${change.siteId}.`);
            nameIs(site, change.from, `Địa điểm #${change.siteId}`);
            reports.push({
              number: index + 1,
              headline: `Đổi tên địa điểm #${site.id}: ${site.name} → ${change.to}`,
              lines,
            });
            await repo.renameSite(site.id, change.to, foldForSearch(change.to), at, by);
            await audit.record({
              actor,
              action: 'site.update',
              entity: 'site',
              entityId: site.id,
              place: { siteId: site.id, communeCode: site.commune_code },
              changes: auditChanges({ name: site.name }, { name: change.to }, { plain: ['name'] }),
            });
            if (!renamedSites.has(site.id)) renamedSites.set(site.id, site.name);
            break;
          }
        }
        lines.push(`  Căn cứ: ${change.resolution}; hiệu lực ${change.effectiveOn ?? 'chưa rõ (xem ghi chú)'}.`);
      } catch (error) {
        if (!(error instanceof ChangeRefused)) throw error;
        problems.push(error.message);
      }
    }
    if (problems.length > 0) throw new PatchRefusedError(problems);

    const reprint: ReprintItem[] = [];
    const stickers = await repo.printedStickersOf([...renamedSites.keys()]);
    for (const sticker of stickers) {
      const before = printedPlaceLine(renamedSites.get(sticker.site_id)!);
      const after = printedPlaceLine((await repo.site(sticker.site_id))!.name);
      if (before !== after)
        reprint.push({ serial: sticker.serial, stall: sticker.stall_label, siteId: sticker.site_id, before, after });
    }

    await audit.record({
      actor,
      action: 'admin_units.update',
      entity: 'admin_unit_patch',
      changes: auditChanges(
        undefined,
        {
          patch_id: patch.id,
          title: patch.title,
          digest,
          changes: patch.changes.length,
          sites_moved: counts.sitesMoved,
          reach_rows: counts.reachRows,
          memberships: counts.memberships,
          old_names_kept: counts.oldNamesKept,
          stickers_to_reprint: reprint.length,
        },
        {
          plain: [
            'patch_id',
            'title',
            'digest',
            'changes',
            'sites_moved',
            'reach_rows',
            'memberships',
            'old_names_kept',
            'stickers_to_reprint',
          ],
        },
      ),
    });
    const report: PatchReport = {
      id: patch.id,
      title: patch.title,
      note: patch.note,
      committed: commit,
      changes: reports,
      reprint,
      counts,
    };
    if (!commit) throw new DryRun(report);
    return report;
  }

  return {
    /** Reads a patch file's text strictly: PatchFormatError lists every problem, by change and field. */
    parse: (text: string): AdminUnitPatch => parseAdminUnitPatch(text),

    /**
     * Applies `patch` in one transaction with its audit entry, or (commit false) computes the same and rolls
     * it back. Refuses the whole patch with PatchRefusedError on any problem; nothing is then written.
     */
    async apply(actor: Actor | null, text: string, commit: boolean): Promise<PatchReport> {
      // The command line without --as is the operator; a user must be an admin of the whole country.
      if (actor && (!can(actor.role, 'manageAdminUnits') || !actor.reach.wholeCountry)) {
        throw new ForbiddenError('Chỉ quản trị viên toàn quốc được cập nhật đơn vị hành chính.');
      }
      const patch = parseAdminUnitPatch(text);
      const digest = createHash('sha256').update(JSON.stringify(patch.changes)).digest('hex');
      try {
        return await transaction(() => applyAll(actor, patch, digest, commit));
      } catch (error) {
        if (error instanceof DryRun) return error.report;
        throw error;
      }
    },
  };
}

export type AdminUnitPatchesService = ReturnType<typeof createAdminUnitPatchesService>;

export type { PatchChange };
