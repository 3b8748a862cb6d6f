import { Router, type Request, type Response } from 'express';
import type { Actor } from '../actor.js';
import { toCsv, toXlsx, type ExportTable } from '../exports/table.js';
import { NotFoundError, ValidationError } from '../http/errors.js';
import { withForm } from '../http/form-context.js';
import { actorOf, type ParamLoader } from '../http/params.js';
import { textField, ticked, type FormInput } from '../http/validate.js';
import type { SiteRow } from '../sites/sites-service.js';
import { GOODS_CATEGORIES, isGoodsCategory } from '../vocabulary/goods-categories.js';
import { STALL_IMPORT_FIELDS, STALL_IMPORT_HEADERS, type ColumnMapping, type StallTable } from './stall-columns.js';
import {
  ROW_OUTCOME_LABELS,
  ROW_OUTCOMES,
  STALL_FILE_MAX_BYTES,
  STALL_FILE_MAX_LINES,
  type ImportOptions,
  type ImportPreview,
  type StallImportService,
} from './stall-import-service.js';

export interface ImportRoutesDeps {
  readonly stallImport: StallImportService;
  readonly stalls: { assertCanManage(actor: Actor): void };
  readonly siteParam: ParamLoader<SiteRow>;
}

/** The template: the recognised headers in order, no rows (an example row would be imported as a stall). */
const TEMPLATE: ExportTable = {
  sheetName: 'Danh sách sạp',
  columns: STALL_IMPORT_FIELDS.map((field) => ({ header: STALL_IMPORT_HEADERS[field], width: 18 })),
  rows: [],
};

const NO_DRAFT = 'Bản xem trước này đã hết hạn hoặc đã được xác nhận: hãy tải tệp lên lại.';

function optionsOf(input: FormInput): ImportOptions {
  const goods = textField(input, 'default_goods');
  return { consentOnPaper: ticked(input, 'consent_on_paper'), ...(isGoodsCategory(goods) && { defaultGoods: goods }) };
}

/**
 * /sites/:siteId/import: a market board's list of stalls, uploaded, its columns mapped, previewed row by row,
 * then confirmed. The file is read once and kept as a draft bound to the user and the site until confirmed;
 * the confirmation carries the preview's digest and writes only when the rows still come out as shown.
 */
export function importRoutes({ stallImport, stalls, siteParam }: ImportRoutesDeps): Router {
  const router = Router();
  router.param('siteId', siteParam.param);

  function uploadPage(site: SiteRow) {
    return {
      title: `Nhập sạp từ tệp · ${site.name}`,
      site,
      headers: STALL_IMPORT_FIELDS.map((field) => STALL_IMPORT_HEADERS[field]),
      goods: GOODS_CATEGORIES,
      maxMegabytes: STALL_FILE_MAX_BYTES / 1024 / 1024,
      maxLines: STALL_FILE_MAX_LINES,
    };
  }

  function previewPage(
    site: SiteRow,
    token: string,
    table: StallTable,
    mapping: ColumnMapping,
    options: ImportOptions,
    preview: ImportPreview,
  ) {
    return {
      ...uploadPage(site),
      title: `Xem trước · ${site.name}`,
      token,
      columns: table.columns.map((column) => ({ ...column, mapped: mapping[column.index] ?? null })),
      fieldLabels: STALL_IMPORT_HEADERS,
      fields: STALL_IMPORT_FIELDS,
      options,
      preview,
      outcomes: ROW_OUTCOMES,
      outcomeLabels: ROW_OUTCOME_LABELS,
      values: {
        default_goods: options.defaultGoods ?? '',
        ...(options.consentOnPaper && { consent_on_paper: 'yes' }),
      },
    };
  }

  /** The site of the URL for a role that imports (403 for the others; 404 outside the reach, by the param). */
  function siteToImport(req: Request, res: Response): { actor: Actor; site: SiteRow } {
    const actor = actorOf(req);
    stalls.assertCanManage(actor);
    return { actor, site: siteParam.of(res) };
  }

  router.get('/:siteId/import', (req, res) => {
    const { site } = siteToImport(req, res);
    res.render('imports/upload', { ...uploadPage(site), values: {} });
  });

  router.get('/:siteId/import/template.:format', async (req, res) => {
    siteToImport(req, res);
    if (req.params.format === 'xlsx') {
      res
        .attachment('mau-danh-sach-sap.xlsx')
        .type('xlsx')
        .send(await toXlsx(TEMPLATE));
    } else if (req.params.format === 'csv') {
      res.attachment('mau-danh-sach-sap.csv').type('text/csv; charset=utf-8').send(toCsv(TEMPLATE));
    } else throw new NotFoundError('Không có tệp mẫu này.');
  });

  router.post('/:siteId/import', async (req, res) => {
    const { actor, site } = siteToImport(req, res);
    withForm(res, 'imports/upload', () => uploadPage(site));
    if (!req.file) throw new ValidationError({ stall_file: 'Chọn tệp danh sách sạp (CSV hoặc XLSX).' });
    const input = (req.body ?? {}) as FormInput;
    const sheet = textField(input, 'sheet');
    const read = await stallImport.readFile(req.file.buffer, sheet || undefined);
    if (read.problem !== undefined) throw new ValidationError({ stall_file: read.problem });
    // Browsers send the name in UTF-8, which the multipart parser reads as Latin-1.
    const asUtf8 = Buffer.from(req.file.originalname, 'latin1').toString('utf8');
    const fileName = (asUtf8.includes('\uFFFD') ? req.file.originalname : asUtf8).normalize('NFC');
    const token = await stallImport.saveDraft(actor, site.id, fileName, read.table);
    const mapping = stallImport.defaultMapping(read.table);
    const options = optionsOf(input);
    const preview = await previewSafely(actor, site, read.table, mapping, options);
    res.render('imports/preview', { ...previewPage(site, token, read.table, mapping, options, preview), fileName });
  });

  /** The preview; a mapping without a label column is shown as an empty preview with the message. */
  async function previewSafely(
    actor: Actor,
    site: SiteRow,
    table: StallTable,
    mapping: ColumnMapping,
    options: ImportOptions,
  ): Promise<ImportPreview> {
    try {
      return await stallImport.preview(actor, site.id, table, mapping, options);
    } catch (error) {
      if (!(error instanceof ValidationError) || !error.fieldErrors.mapping) throw error;
      const empty = { new: 0, update: 0, unchanged: 0, duplicate: 0, conflict: 0, error: 0 };
      return { site, rows: [], counts: empty, digest: '', problem: error.fieldErrors.mapping } as ImportPreview;
    }
  }

  async function draftOf(req: Request, actor: Actor, site: SiteRow) {
    const input = (req.body ?? {}) as FormInput;
    const draft = await stallImport.draft(actor, site.id, input.token);
    if (!draft) throw new ValidationError({ stall_file: NO_DRAFT }, NO_DRAFT);
    return { input, draft, token: input.token as string };
  }

  router.post('/:siteId/import/preview', async (req, res) => {
    const { actor, site } = siteToImport(req, res);
    withForm(res, 'imports/upload', () => uploadPage(site));
    const { input, draft, token } = await draftOf(req, actor, site);
    const mapping = stallImport.mappingFromForm(draft.table, input);
    const options = optionsOf(input);
    const preview = await previewSafely(actor, site, draft.table, mapping, options);
    res.render('imports/preview', {
      ...previewPage(site, token, draft.table, mapping, options, preview),
      fileName: draft.fileName,
    });
  });

  router.post('/:siteId/import/confirm', async (req, res) => {
    const { actor, site } = siteToImport(req, res);
    withForm(res, 'imports/upload', () => uploadPage(site));
    const { input, draft, token } = await draftOf(req, actor, site);
    const mapping = stallImport.mappingFromForm(draft.table, input);
    const options = optionsOf(input);
    const digest = textField(input, 'digest');
    const file = { name: draft.fileName, table: draft.table };
    const result = await stallImport.commit(actor, site.id, file, mapping, options, digest);
    if (result.changedSincePreview) {
      res.status(409).render('imports/preview', {
        ...previewPage(site, token, draft.table, mapping, options, result),
        fileName: draft.fileName,
        formMessage:
          'Dữ liệu của địa điểm đã thay đổi từ lúc xem trước, nên chưa ghi gì. Đây là bản xem trước mới: ' +
          'xem lại rồi xác nhận.',
      });
      return;
    }
    await stallImport.removeDraft(token);
    res.render('imports/done', {
      title: `Đã nhập sạp · ${site.name}`,
      site,
      fileName: draft.fileName,
      result,
      outcomes: ROW_OUTCOMES,
      outcomeLabels: ROW_OUTCOME_LABELS,
    });
  });

  return router;
}
