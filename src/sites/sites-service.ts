import type { Actor } from '../actor.js';
import { createAdminUnitsRepo, type Commune } from '../admin-units/admin-units-legacy-repo.js';
import { coverage, DEFAULT_TARGET_PERCENT, emptyStatusCounts, type Coverage, type StatusCounts } from '../vocabulary/coverage.js';
import type { Clock } from '../clock.js';
import type { Db } from '../db/database.js';
import { assertNoFieldErrors, ForbiddenError, NotFoundError, type FieldErrors } from '../http/errors.js';
import { isIsoDate } from '../calendar/calendar.js';
import { parseWholeNumber, textField, type FormInput } from '../http/validate.js';
import { foldForSearch } from '../text/fold.js';
import { can } from '../vocabulary/roles.js';
import { isSiteKind } from '../vocabulary/site-kinds.js';
import { createSitesRepo, type SiteFilters, type SiteRow, type SiteValues } from './sites-repo.js';


export interface SiteWithCoverage extends SiteRow {
  counts: StatusCounts;
  coverage: Coverage;
}

export function createSitesService(db: Db, clock: Clock) {
  const repo = createSitesRepo(db);
  const adminUnits = createAdminUnitsRepo(db);

  function withCoverage(site: SiteRow, counts: StatusCounts): SiteWithCoverage {
    return { ...site, counts, coverage: coverage(counts, site.target_percent) };
  }

  /** The commune from the picker: its hidden code, or else a typed code or a name that matches one commune. */
  function resolveCommune(input: FormInput, errors: FieldErrors): Commune | undefined {
    const code = textField(input, 'commune_code');
    const query = textField(input, 'commune_query');
    if (code) {
      const commune = adminUnits.findCommune(code);
      if (!commune) errors.commune_query = 'Mã xã/phường không có trong danh mục.';
      return commune;
    }
    if (!query) {
      errors.commune_query = 'Chọn xã/phường/đặc khu của địa điểm.';
      return undefined;
    }
    const matches = adminUnits.searchCommunes(query, undefined, 6);
    if (matches.length === 1) return matches[0];
    if (matches.length === 0) {
      errors.commune_query = `Không tìm thấy xã/phường nào khớp với "${query}".`;
    } else {
      const examples = matches.slice(0, 5).map((c) => `${c.name} (${c.code}, ${c.province_name})`).join('; ');
      errors.commune_query = `Có nhiều xã/phường khớp với "${query}": ${examples}. Hãy chọn một trong danh sách hoặc nhập mã 5 số.`;
    }
    return undefined;
  }

  function parseSiteInput(input: FormInput): SiteValues {
    const errors: FieldErrors = {};
    const kind = textField(input, 'kind');
    if (!isSiteKind(kind)) errors.kind = 'Chọn loại địa điểm: tuyến phố, chợ hoặc trung tâm thương mại.';
    const name = textField(input, 'name');
    if (!name) errors.name = 'Nhập tên địa điểm.';
    else if (name.length > 120) errors.name = `Tên tối đa 120 ký tự (hiện có ${name.length}).`;
    const commune = resolveCommune(input, errors);
    const address = textField(input, 'address');
    if (address.length > 200) errors.address = `Địa chỉ tối đa 200 ký tự (hiện có ${address.length}).`;
    const targetText = textField(input, 'target_percent');
    const target = targetText === '' ? DEFAULT_TARGET_PERCENT : parseWholeNumber(targetText);
    if (target === undefined || target < 1 || target > 100) {
      errors.target_percent = 'Chỉ tiêu là số nguyên từ 1 đến 100 (%).';
    }
    const launchedOn = textField(input, 'launched_on');
    if (launchedOn && !isIsoDate(launchedOn)) errors.launched_on = 'Ngày triển khai không hợp lệ.';
    const targetDeadline = textField(input, 'target_deadline');
    if (targetDeadline && !isIsoDate(targetDeadline)) errors.target_deadline = 'Hạn đạt chỉ tiêu không hợp lệ.';
    else if (targetDeadline && launchedOn && targetDeadline < launchedOn) errors.target_deadline = 'Hạn đạt chỉ tiêu phải sau ngày ra mắt.';
    const note = textField(input, 'note');
    if (note.length > 1000) errors.note = `Ghi chú tối đa 1000 ký tự (hiện có ${note.length}).`;
    assertNoFieldErrors(errors);
    return {
      kind: kind as SiteValues['kind'],
      name,
      communeCode: commune!.code,
      address,
      targetPercent: target!,
      launchedOn: launchedOn || null,
      targetDeadline: targetDeadline || null,
      note,
    };
  }

  function assertCanManage(actor: Actor): void {
    if (!can(actor.role, 'manageSites')) throw new ForbiddenError('Chỉ quản trị viên và tổ trưởng được tạo hoặc sửa địa điểm.');
  }

  return {
    getSite(id: number): SiteWithCoverage {
      const site = repo.findById(id);
      if (!site) throw new NotFoundError('Không tìm thấy địa điểm này.');
      return withCoverage(site, repo.statusCounts(id));
    },

    listSites(filters: Omit<SiteFilters, 'words'> & { query?: string }): SiteWithCoverage[] {
      const words = foldForSearch(filters.query ?? '').split(' ').filter(Boolean);
      const sites = repo.list({ ...filters, words });
      const counts = repo.statusCountsBySite();
      return sites.map((site) => withCoverage(site, counts.get(site.id) ?? emptyStatusCounts()));
    },

    createSite(actor: Actor, input: FormInput): number {
      assertCanManage(actor);
      const values = parseSiteInput(input);
      return repo.insert({ ...values, nameFolded: foldForSearch(values.name), at: clock.now().toISOString(), by: actor.id });
    },

    updateSite(actor: Actor, id: number, input: FormInput): void {
      assertCanManage(actor);
      if (!repo.findById(id)) throw new NotFoundError('Không tìm thấy địa điểm này.');
      const values = parseSiteInput(input);
      repo.update(id, { ...values, nameFolded: foldForSearch(values.name), at: clock.now().toISOString(), by: actor.id });
    },
  };
}

export type SitesService = ReturnType<typeof createSitesService>;
