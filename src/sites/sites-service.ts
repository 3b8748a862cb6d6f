import type { Actor } from '../actor.js';
import { auditChanges, type AuditFields } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Commune } from '../admin-units/admin-units-service.js';
import {
  coverage,
  DEFAULT_TARGET_PERCENT,
  emptyStatusCounts,
  type Coverage,
  type StatusCounts,
} from '../vocabulary/coverage.js';
import type { Clock } from '../clock.js';
import {
  assertNoFieldErrors,
  ForbiddenError,
  NotFoundError,
  ValidationError,
  type FieldErrors,
} from '../http/errors.js';
import { isIsoDate, vietnamDate } from '../calendar/calendar.js';
import { TEXT_FIELDS } from '../http/text-fields.js';
import { checkedText, parseWholeNumber, textField, type FormInput } from '../http/validate.js';
import { paginate, type Pagination } from '../http/pagination.js';
import { foldForSearch } from '../text/fold.js';
import { SEARCH_MAX_CHARS, SEARCH_MAX_WORDS, searchQuery, searchWords } from '../text/search-query.js';
import { reachCoversCommune, reachCoversSite, WHOLE_COUNTRY } from '../vocabulary/reach.js';
import { can } from '../vocabulary/roles.js';
import { isSiteKind } from '../vocabulary/site-kinds.js';
import type { SiteFilters, SiteRow, SitesRepo, SiteValues } from './sites-repo.js';

export type { SiteRow };

export const SITE_NOT_FOUND = 'Không tìm thấy địa điểm này.';
export const COMMUNE_OUTSIDE_REACH = 'Xã/phường này nằm ngoài phạm vi bạn phụ trách.';

export interface SiteWithCoverage extends SiteRow {
  counts: StatusCounts;
  coverage: Coverage;
}

/** What the sites service needs of the admin units: the commune picker's answers. */
export interface CommuneLookup {
  findCommune(code: string): Promise<Commune | undefined>;
  /** Best first; `match: 'exact'` when the current name is the query (with or without its type word). */
  searchCommunes(
    query: string,
    provinceCode: string | undefined,
    limit: number,
  ): Promise<(Commune & { match?: string; formerName?: string })[]>;
}

export interface SitesServiceDeps {
  readonly sites: SitesRepo;
  readonly adminUnits: CommuneLookup;
  readonly audit: Pick<AuditService, 'record'>;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

/** How a site enters the audit trail: its public facts with their values, the free-text note only as "changed". */
const SITE_AUDIT_FIELDS: AuditFields = {
  plain: ['kind', 'name', 'commune_code', 'address', 'target_percent', 'launched_on', 'target_deadline'],
  personal: ['note'],
};

function auditedSite(site: SiteValues): Record<string, unknown> {
  return {
    kind: site.kind,
    name: site.name,
    commune_code: site.communeCode,
    address: site.address,
    target_percent: site.targetPercent,
    launched_on: site.launchedOn,
    target_deadline: site.targetDeadline,
    note: site.note,
  };
}

function siteValuesOf(site: SiteRow): SiteValues {
  return {
    kind: site.kind,
    name: site.name,
    communeCode: site.commune_code,
    address: site.address,
    targetPercent: site.target_percent,
    launchedOn: site.launched_on,
    targetDeadline: site.target_deadline,
    note: site.note,
  };
}

export function createSitesService({ sites: repo, adminUnits, audit, transaction, clock }: SitesServiceDeps) {
  function withCoverage(site: SiteRow, counts: StatusCounts): SiteWithCoverage {
    return { ...site, counts, coverage: coverage(counts, site.target_percent) };
  }

  /** The commune from the picker: its hidden code, or else a typed code or a name that matches one commune. */
  async function resolveCommune(input: FormInput, errors: FieldErrors): Promise<Commune | undefined> {
    const code = textField(input, 'commune_code');
    const query = textField(input, 'commune_query');
    if (code) {
      const commune = await adminUnits.findCommune(code);
      if (!commune) errors.commune_query = 'Mã xã/phường không có trong danh mục.';
      return commune;
    }
    if (!query) {
      errors.commune_query = 'Chọn xã/phường/đặc khu của địa điểm.';
      return undefined;
    }
    if (searchQuery(query).cut) {
      errors.commune_query =
        `Tên xã/phường dài quá (tối đa ${SEARCH_MAX_WORDS} từ, ${SEARCH_MAX_CHARS} ký tự): ` +
        'nhập tên ngắn gọn, ví dụ "Pleiku", hoặc mã 5 số.';
      return undefined;
    }
    const matches = await adminUnits.searchCommunes(query, undefined, 6);
    if (matches.length === 1) return matches[0];
    // "Tam Quan" typed without the picker: the one commune named exactly that, not "Xã Tam Quang" beside it.
    const exact = matches.filter((commune) => commune.match === 'exact');
    if (exact.length === 1) return exact[0];
    if (matches.length === 0) {
      errors.commune_query = `Không tìm thấy xã/phường nào khớp với "${query}".`;
    } else {
      const examples = matches
        .slice(0, 5)
        .map((c) => `${c.name}${c.formerName ? ` (trước đây: ${c.formerName})` : ''} (${c.code}, ${c.province_name})`)
        .join('; ');
      errors.commune_query =
        `Có nhiều xã/phường khớp với "${query}": ${examples}. ` + `Hãy chọn một trong danh sách hoặc nhập mã 5 số.`;
    }
    return undefined;
  }

  /**
   * The site's fields from the form; `communeAllowed` says whether the actor may put a site in the commune
   * (a commune outside their reach is refused next to the commune field, like any other wrong commune).
   */
  async function parseSiteInput(input: FormInput, communeAllowed: (commune: Commune) => boolean): Promise<SiteValues> {
    const errors: FieldErrors = {};
    const kind = textField(input, 'kind');
    if (!isSiteKind(kind)) errors.kind = 'Chọn loại địa điểm: tuyến phố, chợ hoặc trung tâm thương mại.';
    const name = checkedText(input, 'name', TEXT_FIELDS.siteName, errors);
    if (!name) errors.name ??= 'Nhập tên địa điểm.';
    const commune = await resolveCommune(input, errors);
    if (commune && !communeAllowed(commune)) errors.commune_query = COMMUNE_OUTSIDE_REACH;
    const address = checkedText(input, 'address', TEXT_FIELDS.siteAddress, errors);
    const targetText = textField(input, 'target_percent');
    const target = targetText === '' ? DEFAULT_TARGET_PERCENT : parseWholeNumber(targetText);
    if (target === undefined || target < 1 || target > 100) {
      errors.target_percent = 'Chỉ tiêu là số nguyên từ 1 đến 100 (%).';
    }
    const launchedOn = textField(input, 'launched_on');
    if (launchedOn && !isIsoDate(launchedOn)) errors.launched_on = 'Ngày triển khai không hợp lệ.';
    const targetDeadline = textField(input, 'target_deadline');
    if (targetDeadline && !isIsoDate(targetDeadline)) errors.target_deadline = 'Hạn đạt chỉ tiêu không hợp lệ.';
    else if (targetDeadline && launchedOn && targetDeadline < launchedOn)
      errors.target_deadline = 'Hạn đạt chỉ tiêu phải sau ngày ra mắt.';
    const note = checkedText(input, 'note', TEXT_FIELDS.siteNote, errors);
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

  /** The site, when it exists and lies in the actor's reach; else 404 with one message for both. */
  async function requireSite(actor: Actor, id: number): Promise<SiteRow> {
    const site = await repo.findById(id);
    if (!site) throw new NotFoundError(SITE_NOT_FOUND);
    const place = { siteId: site.id, communeCode: site.commune_code, provinceCode: site.province_code };
    // Outside the reach: the same 404 as a missing site, so its existence is not revealed.
    if (!reachCoversSite(actor.reach, place)) throw new NotFoundError(SITE_NOT_FOUND);
    return site;
  }

  async function getSite(actor: Actor, id: number): Promise<SiteWithCoverage> {
    const site = await requireSite(actor, id);
    return withCoverage(site, await repo.statusCounts(site.id));
  }

  function assertCanManage(actor: Actor): void {
    if (!can(actor.role, 'manageSites'))
      throw new ForbiddenError('Chỉ quản trị viên và tổ trưởng được tạo hoặc sửa địa điểm.');
  }

  /** A new site goes only into a commune the reach covers whole: a reach of some sites of it is not enough. */
  function mayPlaceSiteIn(actor: Actor, commune: Commune): boolean {
    return reachCoversCommune(actor.reach, { communeCode: commune.code, provinceCode: commune.province_code });
  }

  return {
    getSite,
    requireSite,
    /** For the forms of a role that may not manage sites: 403 before the form is drawn. */
    assertCanManage,

    /**
     * The site row WITHOUT any reach check: only for another service that checks a reach against sites
     * (the users service, when a team lead grants a reach of sites) or places an audit row at the site of a
     * record whose reach it has checked already (the stalls service). Never for showing a site.
     */
    findSiteIgnoringReach: (id: number) => repo.findById(id),

    /** The site for its edit form: in the reach (else 404) and a role that manages sites (else 403). */
    async siteForEdit(actor: Actor, id: number): Promise<SiteRow> {
      const site = await requireSite(actor, id);
      assertCanManage(actor);
      return site;
    },

    /** The sites of the actor's reach that match the filters, each with its counts. */
    async listSites(
      actor: Actor,
      filters: Omit<SiteFilters, 'words'> & { query?: string } = {},
    ): Promise<SiteWithCoverage[]> {
      const words = searchWords(filters.query ?? '');
      const sites = await repo.list(actor.reach, { ...filters, words });
      // A search or a list of ids counts only its matches; the whole list, every site of the reach at once.
      const narrowed = words.length > 0 || filters.ids !== undefined || sites.length <= 1000;
      const counts = await repo.statusCountsBySite(actor.reach, narrowed ? sites.map((site) => site.id) : undefined);
      return sites.map((site) => withCoverage(site, counts.get(site.id) ?? emptyStatusCounts()));
    },

    /**
     * One page of the sites of the actor's reach that match the filters, each with its counts, and where the
     * page lies: the count and the page in SQL, the counts of the page's sites only, so a page costs the same
     * at 100 sites or 10,000. `page` past the end shows the last page.
     */
    async listSitesPage(
      actor: Actor,
      filters: Omit<SiteFilters, 'words'> & { query?: string },
      page: number,
    ): Promise<{ sites: SiteWithCoverage[]; pagination: Pagination }> {
      const listFilters = { ...filters, words: searchWords(filters.query ?? '') };
      const pagination = paginate(await repo.count(actor.reach, listFilters), page);
      const sites = await repo.listPage(actor.reach, listFilters, {
        limit: pagination.size,
        offset: pagination.offset,
      });
      const counts = await repo.statusCountsBySite(
        actor.reach,
        sites.map((site) => site.id),
      );
      return { sites: sites.map((site) => withCoverage(site, counts.get(site.id) ?? emptyStatusCounts())), pagination };
    },

    /**
     * The form's checks of a site, without saving: {} when it would be saved, else the field errors. For the
     * import of a commune's sites; `actor` null (the command line) may place a site anywhere.
     */
    async checkSite(actor: Actor | null, input: FormInput): Promise<FieldErrors> {
      try {
        await parseSiteInput(input, (commune) => !actor || mayPlaceSiteIn(actor, commune));
        return {};
      } catch (error) {
        if (error instanceof ValidationError) return error.fieldErrors;
        throw error;
      }
    },

    /** The names of a commune's sites, folded, for the import's matching (no reach: the caller checked it). */
    foldedNamesInCommune: async (communeCode: string): Promise<Set<string>> =>
      new Set((await repo.list(WHOLE_COUNTRY, { communeCode, words: [] })).map((site) => foldForSearch(site.name))),

    /** A new site; `actor` null for the command line (phoqr import sites without --as): any commune. */
    async createSite(actor: Actor | null, input: FormInput): Promise<number> {
      if (actor) assertCanManage(actor);
      const values = await parseSiteInput(input, (commune) => !actor || mayPlaceSiteIn(actor, commune));
      const now = clock.now();
      return transaction(async () => {
        const id = await repo.insert({
          ...values,
          nameFolded: foldForSearch(values.name),
          at: now.toISOString(),
          by: actor?.id ?? null,
        });
        // Its target from today on; by the first-row rule it also stands for earlier dates.
        await repo.appendTargetHistory(id, {
          effectiveOn: vietnamDate(now),
          targetPercent: values.targetPercent,
          targetDeadline: values.targetDeadline,
          at: now.toISOString(),
          by: actor?.id ?? null,
        });
        await audit.record({
          actor,
          action: 'site.create',
          entity: 'site',
          entityId: id,
          place: { siteId: id, communeCode: values.communeCode },
          changes: auditChanges(undefined, auditedSite(values), SITE_AUDIT_FIELDS),
        });
        return id;
      });
    },

    /** A site may stay in its commune; moved, it must go to a commune the actor's reach covers whole. */
    async updateSite(actor: Actor, id: number, input: FormInput): Promise<void> {
      const site = await requireSite(actor, id);
      assertCanManage(actor);
      const values = await parseSiteInput(
        input,
        (commune) => commune.code === site.commune_code || mayPlaceSiteIn(actor, commune),
      );
      const changes = auditChanges(auditedSite(siteValuesOf(site)), auditedSite(values), SITE_AUDIT_FIELDS);
      const now = clock.now();
      const retargeted = values.targetPercent !== site.target_percent || values.targetDeadline !== site.target_deadline;
      await transaction(async () => {
        // A new target or deadline takes effect from today (Vietnam day): past dates keep what was in force.
        if (retargeted) await repo.startTargetHistory(site.id, vietnamDate(now));
        await repo.update(site.id, {
          ...values,
          nameFolded: foldForSearch(values.name),
          at: now.toISOString(),
          by: actor.id,
        });
        if (retargeted) {
          await repo.appendTargetHistory(site.id, {
            effectiveOn: vietnamDate(now),
            targetPercent: values.targetPercent,
            targetDeadline: values.targetDeadline,
            at: now.toISOString(),
            by: actor.id,
          });
        }
        // Placed where the site is now: a site moved to another commune is read by the new commune's team.
        const place = { siteId: site.id, communeCode: values.communeCode };
        if (Object.keys(changes).length > 0) {
          await audit.record({ actor, action: 'site.update', entity: 'site', entityId: site.id, place, changes });
        }
      });
    },
  };
}

export type SitesService = ReturnType<typeof createSitesService>;
