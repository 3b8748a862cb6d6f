import { createHash, randomBytes } from 'node:crypto';
import type { AccountInput, AccountsService } from '../accounts/accounts-service.js';
import type { Actor } from '../actor.js';
import { auditChanges, type AuditFields } from '../audit/audit-changes.js';
import type { AuditService } from '../audit/audit-service.js';
import type { Clock } from '../clock.js';
import { NotFoundError, ValidationError, type FieldErrors } from '../http/errors.js';
import type { FormInput } from '../http/validate.js';
import type { SitesService } from '../sites/sites-service.js';
import type { StallRow, StallsService } from '../stalls/stalls-service.js';

type StallValues = Parameters<StallsService['insertStall']>[2];
import type { TableReader } from '../tabular/table-reader.js';
import { foldForSearch } from '../text/fold.js';
import type { BankDirectory } from '../vietqr/banks.js';
import { GOODS_CATEGORIES, type GoodsCategory } from '../vocabulary/goods-categories.js';
import { WHOLE_COUNTRY } from '../vocabulary/reach.js';
import type { ImportDraftsRepo } from './import-drafts-repo.js';
import {
  consentDateOf,
  defaultMapping,
  goodsCategoryOf,
  importLines,
  isStallImportField,
  looksLikeScientific,
  mappingProblem,
  STALL_IMPORT_HEADERS,
  stallTableOf,
  type ColumnMapping,
  type ImportLine,
  type StallImportField,
  type StallTable,
} from './stall-columns.js';

/** A board's list is a few hundred stalls; the users list's limits hold for it too. */
export const STALL_FILE_MAX_BYTES = 1024 * 1024;
export const STALL_FILE_MAX_LINES = 1000;
export const STALL_FILE_TOO_LARGE = `Tệp lớn hơn ${STALL_FILE_MAX_BYTES / 1024 / 1024} MB: hãy chia thành nhiều tệp.`;
/** A draft waits this long for its confirmation, then it is removed with the personal data it holds. */
const DRAFT_LIFETIME_MS = 24 * 60 * 60 * 1000;

export const ROW_OUTCOMES = ['new', 'update', 'unchanged', 'duplicate', 'conflict', 'error'] as const;
export type RowOutcome = (typeof ROW_OUTCOMES)[number];

export const ROW_OUTCOME_LABELS: Record<RowOutcome, string> = {
  new: 'Sạp mới',
  update: 'Cập nhật',
  unchanged: 'Không đổi',
  duplicate: 'Trùng dòng',
  conflict: 'Cần người thứ hai duyệt',
  error: 'Lỗi',
};

/** One row of the file as the preview shows it. */
export interface PreviewRow {
  readonly line: number;
  readonly label: string;
  readonly outcome: RowOutcome;
  /** Why an error, a conflict or a duplicate: each in words. */
  readonly reasons: readonly string[];
  /** What was left out of a good row (personal data without consent). */
  readonly notes: readonly string[];
  /** The stall a row updates or leaves unchanged. */
  readonly stallId?: number;
}

export type OutcomeCounts = Record<RowOutcome, number>;

export interface ImportOptions {
  /** The importer confirms the traders' consent was collected on paper: personal data of every row is kept. */
  readonly consentOnPaper: boolean;
  /** For rows whose goods category is blank. */
  readonly defaultGoods?: GoodsCategory;
}

export interface ImportPreview {
  readonly site: { id: number; name: string };
  readonly rows: readonly PreviewRow[];
  readonly counts: OutcomeCounts;
  /** Of the rows, mapping and options: the confirmation must carry the same. */
  readonly digest: string;
  /** For the page: the mapping cannot be previewed (no label column), in words. */
  readonly problem?: string;
}

export interface ImportResult extends ImportPreview {
  readonly written: number;
  readonly skipped: number;
}

/** A row ready to write, beside what the preview shows of it. */
interface PlannedRow {
  readonly row: PreviewRow;
  readonly write?:
    | { readonly kind: 'new'; readonly values: StallValues; readonly account?: AccountInput }
    | {
        readonly kind: 'update';
        readonly stall: StallRow;
        readonly values: StallValues;
        readonly account?: AccountInput;
      };
}

/** The import itself in the audit trail: the file, the counts, paper consent; no cell of the file. */
const IMPORT_AUDIT_FIELDS: AuditFields = {
  plain: ['file_name', 'consent_on_paper', ...ROW_OUTCOMES.map((outcome) => `rows_${outcome}`)],
};

/** The fields of a row that are the trader's personal data: kept only with consent, as the form does. */
const PERSONAL_FIELDS: readonly StallImportField[] = [
  'business_name',
  'owner_name',
  'phone',
  'bank',
  'account_number',
  'holder_name',
];

/** The form's fields, named as the file's columns. */
const FIELD_COLUMNS: Record<string, string> = {
  label: STALL_IMPORT_HEADERS.label,
  business_name: STALL_IMPORT_HEADERS.business_name,
  owner_name: STALL_IMPORT_HEADERS.owner_name,
  phone: STALL_IMPORT_HEADERS.phone,
  goods_category: STALL_IMPORT_HEADERS.goods_category,
  bank_bin: STALL_IMPORT_HEADERS.bank,
  account_number: STALL_IMPORT_HEADERS.account_number,
  holder_name: STALL_IMPORT_HEADERS.holder_name,
  consent: STALL_IMPORT_HEADERS.consent_date,
};

const NO_TICK_BOX = 'Nhập từ tệp không có ô “Vẫn lưu”: nếu đúng là như vậy, thêm hoặc sửa sạp này trên trang địa điểm.';
const SECOND_PERSON = 'cần người thứ hai duyệt: dùng trang sạp.';
const NUMERIC_ACCOUNT =
  'Số tài khoản là ô kiểu số trong Excel (có thể đã mất số 0 đầu hoặc thành dạng 1,2E+13): ' +
  'định dạng cột Số tài khoản là Văn bản (Text), nhập lại số rồi tải tệp lên lại. Số không được đoán.';
const SCIENTIFIC_ACCOUNT =
  'Số tài khoản ở dạng số mũ (như 1,2E+13): Excel đã làm mất các chữ số. Định dạng cột là Văn bản (Text), ' +
  'nhập lại số rồi lưu tệp lại.';

function emptyCounts(): OutcomeCounts {
  return { new: 0, update: 0, unchanged: 0, duplicate: 0, conflict: 0, error: 0 };
}

export function countOutcomes(rows: readonly PreviewRow[]): OutcomeCounts {
  const counts = emptyCounts();
  for (const row of rows) counts[row.outcome]++;
  return counts;
}

/** A field's error messages as the preview says them, each under the column it came from. */
function reasonsOf(errors: FieldErrors): string[] {
  const reasons = Object.entries(errors)
    .filter(([field]) => !field.startsWith('confirm_'))
    .map(([field, message]) => `${FIELD_COLUMNS[field] ?? field}: ${message}`);
  if (Object.keys(errors).some((field) => field.startsWith('confirm_'))) reasons.push(NO_TICK_BOX);
  return reasons;
}

export interface StallImportServiceDeps {
  readonly sites: Pick<SitesService, 'requireSite' | 'findSiteIgnoringReach'>;
  readonly stalls: StallsService;
  readonly accounts: AccountsService;
  readonly banks: BankDirectory;
  readonly drafts: ImportDraftsRepo;
  readonly readTable: TableReader;
  readonly audit: Pick<AuditService, 'record'>;
  readonly transaction: <T>(work: () => Promise<T>) => Promise<T>;
  readonly clock: Clock;
}

/** The parsed file, or what is wrong with it. */
export type StallFileRead = { readonly table: StallTable; readonly problem?: undefined } | { readonly problem: string };

/**
 * Importing a market board's list of stalls into a site: the file read into a table, each row previewed
 * (new, update, unchanged, duplicate, conflict, error) through the same checks as the stall and account
 * forms, and the good rows written in one transaction with an audit row each and one for the import. The
 * web keeps the parsed file between preview and confirmation in a draft bound to the user and the site.
 */
export function createStallImportService({
  sites,
  stalls,
  accounts,
  banks,
  drafts,
  readTable,
  audit,
  transaction,
  clock,
}: StallImportServiceDeps) {
  /** The site to import into: in the reach (else 404) and a role that works stalls (else 403); any for the CLI. */
  async function siteToImport(actor: Actor | null, siteId: number): Promise<{ id: number; name: string }> {
    if (actor) {
      const site = await sites.requireSite(actor, siteId);
      stalls.assertCanManage(actor);
      return site;
    }
    const site = await sites.findSiteIgnoringReach(siteId);
    if (!site) throw new NotFoundError('Không tìm thấy địa điểm này.');
    return site;
  }

  /** A bank by what the board wrote: code, short name, Vietnamese name or BIN, as the picker finds it. */
  function bankOf(text: string): { bin: string } | { problem: string } {
    const exact = (/^\d{6}$/.test(text) ? banks.byBin(text) : undefined) ?? banks.byCode(text) ?? banks.byName(text);
    if (exact) return { bin: exact.bin };
    const found = banks.search(text, 4);
    if (found.length === 1) return { bin: found[0]!.bin };
    if (found.length === 0) return { problem: `Không tìm thấy ngân hàng “${text}” trong danh mục VietQR.` };
    const names = [...found.slice(0, 3).map((bank) => bank.shortName), ...(found.length > 3 ? ['…'] : [])];
    return { problem: `Ngân hàng “${text}” khớp nhiều ngân hàng (${names.join(', ')}): ghi rõ hơn.` };
  }

  /** Every row's outcome, in file order; `checker` is only for the checks' reach, never written. */
  async function plan(
    checker: Actor,
    site: { id: number },
    lines: readonly ImportLine[],
    options: ImportOptions,
  ): Promise<PlannedRow[]> {
    const existing = new Map<string, StallRow>();
    for (const stall of await stalls.rowsOfSite(site.id)) {
      const key = foldForSearch(stall.label);
      if (!existing.has(key)) existing.set(key, stall);
    }
    const labelsSeen = new Map<string, number>();
    const phonesSeen = new Map<string, number>();
    const accountsSeen = new Map<string, number>();
    const today = clock.now().toISOString().slice(0, 10);
    const planned: PlannedRow[] = [];

    for (const { line, cells, numeric } of lines) {
      const label = cells.label ?? '';
      const key = foldForSearch(label);
      const done = (outcome: RowOutcome, reasons: string[], notes: string[] = [], stallId?: number): PreviewRow => ({
        line,
        label,
        outcome,
        reasons,
        notes,
        ...(stallId !== undefined && { stallId }),
      });
      if (!label) {
        planned.push({ row: done('error', [`${STALL_IMPORT_HEADERS.label}: dòng không có số sạp.`]) });
        continue;
      }
      const earlier = labelsSeen.get(key);
      if (earlier !== undefined) {
        planned.push({ row: done('duplicate', [`Trùng số sạp với dòng ${earlier}: chỉ dòng ${earlier} được dùng.`]) });
        continue;
      }
      labelsSeen.set(key, line);
      const stall = existing.get(key);
      const reasons: string[] = [];
      const conflicts: string[] = [];
      const notes: string[] = [];

      let consentDate: string | undefined;
      if (cells.consent_date) {
        consentDate = consentDateOf(cells.consent_date);
        if (!consentDate)
          reasons.push(
            `${STALL_IMPORT_HEADERS.consent_date}: “${cells.consent_date}” không phải ngày (ví dụ 30/11/2026).`,
          );
        else if (consentDate > today)
          reasons.push(`${STALL_IMPORT_HEADERS.consent_date}: ngày ${cells.consent_date} chưa tới.`);
      }
      const consentNow = Boolean(consentDate) || options.consentOnPaper;
      const mayStorePersonal = consentNow || Boolean(stall?.consent_at);
      if (!mayStorePersonal && PERSONAL_FIELDS.some((field) => cells[field])) {
        notes.push(
          'Không có đồng ý của tiểu thương (cột Ngày đồng ý trống, chưa xác nhận đồng ý trên giấy): ' +
            'chỉ lưu số sạp và nhóm hàng.',
        );
      }
      const personal = (field: StallImportField) => (mayStorePersonal ? cells[field] : undefined);

      const goods = cells.goods_category ? goodsCategoryOf(cells.goods_category) : undefined;
      const input: FormInput = {
        label: stall ? stall.label : label,
        business_name: personal('business_name') ?? stall?.business_name ?? '',
        owner_name: personal('owner_name') ?? stall?.owner_name ?? '',
        phone: personal('phone') ?? stall?.phone ?? '',
        goods_category: goods ?? (cells.goods_category ? '' : (stall?.goods_category ?? options.defaultGoods ?? '')),
        consent: consentNow ? 'yes' : '',
      };
      const errors: FieldErrors = {};
      const values = await stalls.checkStallInput(checker, input, site.id, stall, errors);
      if (cells.goods_category && !goods) {
        const known = Object.values(GOODS_CATEGORIES).join('; ');
        errors.goods_category = `“${cells.goods_category}” không có trong danh mục (${known}).`;
      }
      if (values.phone && values.phone !== stall?.phone) {
        const other = phonesSeen.get(values.phone);
        if (other !== undefined) errors.phone = `trùng số điện thoại với dòng ${other}.`;
        else phonesSeen.set(values.phone, line);
      }

      let account: AccountInput | undefined;
      const accountGiven = mayStorePersonal && Boolean(cells.bank || cells.account_number || cells.holder_name);
      if (accountGiven) {
        const bank = cells.bank ? bankOf(cells.bank) : undefined;
        if (numeric.includes('account_number'))
          reasons.push(`${STALL_IMPORT_HEADERS.account_number}: ${NUMERIC_ACCOUNT}`);
        else if (cells.account_number && looksLikeScientific(cells.account_number)) {
          reasons.push(`${STALL_IMPORT_HEADERS.account_number}: ${SCIENTIFIC_ACCOUNT}`);
        } else if (bank && 'problem' in bank) errors.bank_bin = bank.problem;
        else {
          const accountInput = {
            bank_bin: bank?.bin ?? '',
            account_number: cells.account_number ?? '',
            holder_name: cells.holder_name ?? '',
          };
          account = await accounts.checkAccountInput(checker, accountInput, undefined, stall?.id ?? 0, errors);
        }
        if (account) {
          const accountKey = `${account.account.bin}:${account.account.accountNumber}`;
          const other = accountsSeen.get(accountKey);
          if (other !== undefined) {
            errors.account_number = `trùng tài khoản với dòng ${other}.`;
            account = undefined;
          } else accountsSeen.set(accountKey, line);
        }
        if (account && stall) {
          const facts = await accounts.payeeFacts(stall);
          const active = facts.accounts.filter((row) => row.retired_at === null);
          const same = active.find(
            (row) => row.bin === account!.account.bin && row.account_number === account!.account.accountNumber,
          );
          if (same) {
            if (same.holder_name !== account.holderName) {
              conflicts.push(`Tên chủ tài khoản khác với tài khoản đã lưu của sạp: ${SECOND_PERSON}`);
            }
            account = undefined;
          } else if (active.length > 0) {
            conflicts.push(
              `Sạp đã có tài khoản nhận tiền khác; nhập từ tệp không đổi tài khoản đã có, ${SECOND_PERSON}`,
            );
          } else if (facts.needsApproval) {
            conflicts.push(`Mã QR của sạp đã được in: đổi người nhận tiền ${SECOND_PERSON}`);
          }
        }
      }
      reasons.push(...reasonsOf(errors));

      if (reasons.length > 0) planned.push({ row: done('error', reasons, notes, stall?.id) });
      else if (conflicts.length > 0) planned.push({ row: done('conflict', conflicts, notes, stall?.id) });
      else if (!stall) planned.push({ row: done('new', [], notes), write: { kind: 'new', values, account } });
      else {
        const changed =
          values.businessName !== stall.business_name ||
          values.ownerName !== stall.owner_name ||
          values.phone !== stall.phone ||
          values.goodsCategory !== stall.goods_category ||
          (values.consentGiven && !stall.consent_at) ||
          account !== undefined;
        planned.push(
          changed
            ? { row: done('update', [], notes, stall.id), write: { kind: 'update', stall, values, account } }
            : { row: done('unchanged', [], notes, stall.id) },
        );
      }
    }
    return planned;
  }

  function digestOf(rows: readonly PreviewRow[], mapping: ColumnMapping, options: ImportOptions): string {
    return createHash('sha256').update(JSON.stringify({ rows, mapping, options })).digest('hex');
  }

  async function previewOf(
    actor: Actor | null,
    siteId: number,
    table: StallTable,
    mapping: ColumnMapping,
    options: ImportOptions,
  ): Promise<{ preview: ImportPreview; planned: PlannedRow[] }> {
    const site = await siteToImport(actor, siteId);
    const problem = mappingProblem(mapping);
    if (problem) throw new ValidationError({ mapping: problem }, problem);
    // The command line sees the whole country: this actor only scopes the duplicate checks, it writes nothing.
    const checker: Actor = actor ?? { id: 0, role: 'admin', reach: WHOLE_COUNTRY };
    const planned = await plan(checker, site, importLines(table, mapping), options);
    const rows = planned.map((item) => item.row);
    return {
      preview: {
        site: { id: site.id, name: site.name },
        rows,
        counts: countOutcomes(rows),
        digest: digestOf(rows, mapping, options),
      },
      planned,
    };
  }

  return {
    /** The file's table (CSV in UTF-8 or Windows-1258, or the XLSX sheet asked for), in a worker thread. */
    async readFile(bytes: Uint8Array, sheet?: string): Promise<StallFileRead> {
      const read = await readTable(bytes, { windows1258: true, ...(sheet !== undefined && { sheet }) });
      if (!read.ok) return { problem: read.problem };
      const table = stallTableOf(read.rows, read.numericCells);
      if (!table) return { problem: 'Tệp không có dòng nào.' };
      if (table.rows.length === 0) return { problem: 'Tệp chỉ có dòng tiêu đề, chưa có sạp nào.' };
      return { table };
    },

    defaultMapping: (table: StallTable) => defaultMapping(table.columns),

    /** The mapping from the page's selects (`map_<column>`: a field or "skip"), over the recognised columns. */
    mappingFromForm(table: StallTable, input: FormInput): (StallImportField | null)[] {
      const mapping = defaultMapping(table.columns);
      for (const column of table.columns) {
        const chosen = input[`map_${column.index}`];
        if (chosen === 'skip') mapping[column.index] = null;
        else if (isStallImportField(chosen)) mapping[column.index] = chosen;
      }
      return mapping;
    },

    /** What confirming would do, row by row; writes nothing. */
    async preview(
      actor: Actor | null,
      siteId: number,
      table: StallTable,
      mapping: ColumnMapping,
      options: ImportOptions,
    ): Promise<ImportPreview> {
      return (await previewOf(actor, siteId, table, mapping, options)).preview;
    },

    /**
     * Writes the good rows (new, update) in one transaction, each with its audit rows, and one audit row for
     * the import. With `expectedDigest` (the preview's), refuses with nothing written when the rows would
     * now come out otherwise than previewed (the site changed meanwhile): the new preview is the answer.
     */
    async commit(
      actor: Actor | null,
      siteId: number,
      file: { name: string; table: StallTable },
      mapping: ColumnMapping,
      options: ImportOptions,
      expectedDigest?: string,
    ): Promise<ImportResult & { changedSincePreview: boolean }> {
      return transaction(async () => {
        const { preview, planned } = await previewOf(actor, siteId, file.table, mapping, options);
        if (expectedDigest !== undefined && expectedDigest !== preview.digest) {
          return { ...preview, written: 0, skipped: 0, changedSincePreview: true };
        }
        const at = clock.now().toISOString();
        let written = 0;
        for (const { write } of planned) {
          if (!write) continue;
          if (write.kind === 'new') {
            const id = await stalls.insertStall(actor, preview.site.id, write.values, at);
            if (write.account)
              await accounts.insertAccount(actor, (await stalls.rowIgnoringReach(id))!, write.account, at);
          } else {
            await stalls.writeUpdate(actor, write.stall, write.values, at);
            if (write.account) {
              await accounts.insertAccount(actor, (await stalls.rowIgnoringReach(write.stall.id))!, write.account, at);
            }
          }
          written++;
        }
        const counts = preview.counts;
        await audit.record({
          actor,
          action: 'site.import_stalls',
          entity: 'site',
          entityId: preview.site.id,
          place: await stalls.placeOfSite(preview.site.id),
          changes: auditChanges(
            undefined,
            {
              file_name: file.name,
              consent_on_paper: options.consentOnPaper,
              ...Object.fromEntries(ROW_OUTCOMES.map((outcome) => [`rows_${outcome}`, counts[outcome]])),
            },
            IMPORT_AUDIT_FIELDS,
          ),
        });
        return { ...preview, written, skipped: preview.rows.length - written, changedSincePreview: false };
      });
    },

    /** Keeps the parsed file for its confirmation, bound to the user and the site; returns the draft's token. */
    async saveDraft(actor: Actor, siteId: number, fileName: string, table: StallTable): Promise<string> {
      // The draft holds the file's personal data: only a role that imports, for a site of its reach, keeps one.
      await sites.requireSite(actor, siteId);
      stalls.assertCanManage(actor);
      const token = randomBytes(24).toString('base64url');
      const now = clock.now();
      await transaction(async () => {
        await drafts.removeOlderThan(new Date(now.getTime() - DRAFT_LIFETIME_MS).toISOString());
        await drafts.insert({
          token,
          userId: actor.id,
          siteId,
          fileName: fileName.slice(0, 255),
          tableJson: JSON.stringify(table),
          createdAt: now.toISOString(),
        });
      });
      return token;
    },

    /** The user's draft for this site, or undefined (another user's, expired, or already confirmed). */
    async draft(
      actor: Actor,
      siteId: number,
      token: unknown,
    ): Promise<{ fileName: string; table: StallTable } | undefined> {
      if (typeof token !== 'string' || token.length < 20 || token.length > 64) return undefined;
      const row = await drafts.find(token, actor.id, siteId);
      if (!row) return undefined;
      if (Date.parse(row.createdAt) < clock.now().getTime() - DRAFT_LIFETIME_MS) return undefined;
      return { fileName: row.fileName, table: JSON.parse(row.tableJson) as StallTable };
    },

    removeDraft: (token: string) => drafts.remove(token),
  };
}

export type StallImportService = ReturnType<typeof createStallImportService>;
