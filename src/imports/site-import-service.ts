import type { Actor } from '../actor.js';
import { auditChanges, type AuditFields } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import { ValidationError } from '../http/errors.js';
import type { FormInput } from '../http/validate.js';
import type { SitesService } from '../sites/sites-service.js';
import type { TableReader } from '../tabular/table-reader.js';
import { foldForSearch } from '../text/fold.js';
import { isSiteKind, type SiteKind } from '../vocabulary/site-kinds.js';
import { consentDateOf, headerKey } from './stall-columns.js';
import { countOutcomes, type OutcomeCounts, type PreviewRow } from './stall-import-service.js';

/** The columns of a commune's list of sites, and the header names each is known by (folded). */
const SITE_COLUMNS = {
  name: ['ten dia diem', 'dia diem', 'ten', 'ten cho', 'ten tuyen pho', 'name'],
  kind: ['loai', 'loai dia diem', 'kind'],
  target_percent: ['chi tieu', 'chi tieu %', 'muc tieu', 'muc tieu %', 'ty le muc tieu', 'target'],
  address: ['dia chi', 'address'],
  launched_on: ['ngay ra mat', 'ngay trien khai', 'launched on'],
  target_deadline: ['han chi tieu', 'han dat chi tieu', 'han muc tieu', 'target deadline'],
  note: ['ghi chu', 'note'],
} as const;
type SiteColumn = keyof typeof SITE_COLUMNS;

const KIND_NAMES: Record<string, SiteKind> = {
  cho: 'market',
  'cho truyen thong': 'market',
  pho: 'street',
  'tuyen pho': 'street',
  duong: 'street',
  'tuyen duong': 'street',
  'trung tam thuong mai': 'trade_centre',
  ttm: 'trade_centre',
  ttmt: 'trade_centre',
};

function kindOf(text: string): SiteKind | undefined {
  const key = headerKey(text);
  return isSiteKind(key) ? key : KIND_NAMES[key];
}

/** The outcomes of a row of sites, in words. */
export const SITE_OUTCOME_LABELS: Record<PreviewRow['outcome'], string> = {
  new: 'Địa điểm mới',
  update: 'Cập nhật',
  unchanged: 'Đã có',
  duplicate: 'Trùng dòng',
  conflict: 'Cần người thứ hai duyệt',
  error: 'Lỗi',
};

const IMPORT_AUDIT_FIELDS: AuditFields = {
  plain: ['file_name', 'commune_code', 'rows_new', 'rows_unchanged', 'rows_duplicate', 'rows_error'],
};

export interface SiteImportServiceDeps {
  readonly sites: Pick<SitesService, 'assertCanManage' | 'checkSite' | 'createSite' | 'foldedNamesInCommune'>;
  readonly readTable: TableReader;
  readonly audit: Pick<AuditService, 'record'>;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
}

export interface SiteImportResult {
  readonly rows: readonly PreviewRow[];
  readonly counts: OutcomeCounts;
  readonly written: number;
}

/**
 * A commune's sites from a file (`phoqr import sites`): each row new, already there (a site of the commune
 * with the same folded name: unchanged), repeated, or an error from the site form's own checks. Existing
 * sites are never changed by it.
 */
export function createSiteImportService({ sites, readTable, audit, transaction }: SiteImportServiceDeps) {
  async function plan(actor: Actor | null, communeCode: string, rows: readonly (readonly string[])[]) {
    const headerIndex = rows.findIndex((row) => row.some((cell) => cell.trim() !== ''));
    if (headerIndex < 0) throw new ValidationError({ file: 'Tệp không có dòng nào.' });
    const columns = new Map<SiteColumn, number>();
    rows[headerIndex]!.forEach((text, index) => {
      const key = headerKey(text);
      const column = (Object.keys(SITE_COLUMNS) as SiteColumn[]).find((name) =>
        (SITE_COLUMNS[name] as readonly string[]).includes(key),
      );
      if (column && !columns.has(column)) columns.set(column, index);
    });
    if (!columns.has('name')) throw new ValidationError({ file: 'Thiếu cột Tên địa điểm ở dòng tiêu đề.' });
    const existing = await sites.foldedNamesInCommune(communeCode);
    const seen = new Map<string, number>();
    const planned: { row: PreviewRow; input?: FormInput }[] = [];
    for (const [index, cells] of rows.entries()) {
      if (index <= headerIndex || cells.every((cell) => cell.trim() === '')) continue;
      const line = index + 1;
      const cell = (column: SiteColumn) => (columns.has(column) ? (cells[columns.get(column)!] ?? '').trim() : '');
      const name = cell('name');
      const key = foldForSearch(name);
      const row = (outcome: PreviewRow['outcome'], reasons: string[] = []): PreviewRow => ({
        line,
        label: name,
        outcome,
        reasons,
        notes: [],
      });
      if (!name) {
        planned.push({ row: row('error', ['Tên địa điểm: dòng không có tên.']) });
        continue;
      }
      if (seen.has(key)) {
        planned.push({ row: row('duplicate', [`Trùng tên với dòng ${seen.get(key)}.`]) });
        continue;
      }
      seen.set(key, line);
      if (existing.has(key)) {
        planned.push({ row: row('unchanged', ['Xã/phường đã có địa điểm này: không thay đổi.']) });
        continue;
      }
      const kindText = cell('kind');
      const date = (column: SiteColumn) => (cell(column) ? (consentDateOf(cell(column)) ?? cell(column)) : '');
      const input: FormInput = {
        kind: kindText ? (kindOf(kindText) ?? kindText) : 'market',
        name,
        commune_code: communeCode,
        address: cell('address'),
        target_percent: cell('target_percent').replace(/\s*%$/, ''),
        launched_on: date('launched_on'),
        target_deadline: date('target_deadline'),
        note: cell('note'),
      };
      const errors = await sites.checkSite(actor, input);
      const reasons = Object.values(errors);
      planned.push(reasons.length > 0 ? { row: row('error', reasons) } : { row: row('new'), input });
    }
    return planned;
  }

  return {
    /**
     * The preview (commit false) or the import (commit true) of a file of sites for a commune: the new rows
     * written in one transaction, with one audit row for the import. 403 for a role that does not manage sites.
     */
    async importSites(
      actor: Actor | null,
      communeCode: string,
      file: { name: string; bytes: Uint8Array },
      commit: boolean,
    ): Promise<SiteImportResult> {
      if (actor) sites.assertCanManage(actor);
      const read = await readTable(file.bytes, { windows1258: true });
      if (!read.ok) throw new ValidationError({ file: read.problem });
      return transaction(async () => {
        const planned = await plan(actor, communeCode, read.rows);
        const rows = planned.map((item) => item.row);
        const counts = countOutcomes(rows);
        if (!commit) return { rows, counts, written: 0 };
        let written = 0;
        for (const { input } of planned) {
          if (!input) continue;
          await sites.createSite(actor, input);
          written++;
        }
        await audit.record({
          actor,
          action: 'site.import_sites',
          entity: 'commune',
          entityId: Number(communeCode),
          changes: auditChanges(
            undefined,
            {
              file_name: file.name,
              commune_code: communeCode,
              rows_new: counts.new,
              rows_unchanged: counts.unchanged,
              rows_duplicate: counts.duplicate,
              rows_error: counts.error,
            },
            IMPORT_AUDIT_FIELDS,
          ),
        });
        return { rows, counts, written };
      });
    },
  };
}

export type SiteImportService = ReturnType<typeof createSiteImportService>;
