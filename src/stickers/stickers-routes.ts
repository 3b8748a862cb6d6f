import { Router, type Response } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type { Actor } from '../actor.js';
import type { Sessions } from '../auth/session.js';
import { withForm, type PageBuilder } from '../http/form-context.js';
import { actorOf, type ParamLoader } from '../http/params.js';
import type { SiteRow } from '../sites/sites-service.js';
import type { StallView } from '../stalls/stalls-service.js';
import { renderStickers } from '../sticker-pdf/render-stickers.js';
import { foldForSearch } from '../text/fold.js';
import type { BatchScope, StickerPrint, StickersService } from './stickers-service.js';

/** "Chợ Hoa Lư" → "cho-hoa-lu": an ASCII file name every browser and OS keeps as is. */
function slug(text: string): string {
  return (
    foldForSearch(text)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'phoqr'
  );
}

/**
 * Resolves on the response's 'finish': its last byte has been handed to the operating system for the
 * connection (node emits it once `end()` has flushed, never for a response destroyed before). Rejects on a
 * 'close' without it: the client went away, or we cut the download after a render error.
 */
function responseFinished(res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    res.once('finish', () => resolve());
    res.once('close', () => reject(new Error('Tải tệp PDF bị ngắt trước khi xong.')));
  });
}

/**
 * Streams the PDF to the browser as it is drawn; the count is in the file name. The print is recorded only
 * when the whole PDF was handed to the connection ('finish'), not page by page: a PDF cut short has no
 * cross-reference table or trailer, so the browser calls the download failed and nobody can print from it.
 * A cut download therefore records none of its stickers; they stay "not printed" and keep their serials for
 * the next print. The recording starts now, before the first byte, so `stickers.settled()` always sees it.
 */
async function sendPdf(res: Response, print: StickerPrint, name: string): Promise<void> {
  const { data, format } = print;
  const count = data.length;
  res.type('application/pdf');
  res.attachment(`phoqr-${name}-${count}-ma-qr-${format}.pdf`);
  void print.recordWhenDelivered(responseFinished(res));
  try {
    await renderStickers(data, format, res, { title: `Mã QR ${name} (${count})` });
  } catch (error) {
    // Headers are gone: all that is left is to cut the download so it is not mistaken for a whole file
    // (and, without a 'finish', the print is not recorded).
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

export interface StickersRoutesDeps {
  readonly stickers: StickersService;
  readonly stallPage: PageBuilder<[Actor, number]>;
  readonly sitePage: PageBuilder<[Actor, number]>;
  readonly stallParam: ParamLoader<StallView>;
  readonly siteParam: ParamLoader<SiteRow>;
}

/** The sheet asked for, A6 when none is; the service refuses one it does not print. */
function formatOf(raw: unknown): string {
  return typeof raw === 'string' && raw !== '' ? raw : 'a6';
}

/** POST /stalls/:stallId/sticker: the primary account's sticker of one stall, as a PDF. */
export function stallStickerRoutes({ stickers, stallPage, stallParam }: StickersRoutesDeps): Router {
  const router = Router();
  router.param('stallId', stallParam.param);
  router.post('/:stallId/sticker', async (req, res) => {
    const stall = stallParam.of(res);
    withForm(res, 'stalls/show', () => stallPage(actorOf(req), stall.id));
    const print = await stickers.forStall(actorOf(req), stall.id, formatOf(req.body?.format));
    await sendPdf(res, print, slug(`${print.site.name} ${print.stallLabel}`));
  });
  return router;
}

/** POST /sites/:siteId/stickers: a site's batch — every verified stall, the unprinted ones, or a selection. */
export function siteStickersRoutes({ stickers, sitePage, siteParam }: StickersRoutesDeps): Router {
  const router = Router();
  router.param('siteId', siteParam.param);
  router.post('/:siteId/stickers', async (req, res) => {
    const siteId = siteParam.of(res).id;
    withForm(res, 'sites/show', async () => ({ ...(await sitePage(actorOf(req), siteId)), printOpen: true }));
    const scope: BatchScope =
      req.body?.scope === 'unprinted' || req.body?.scope === 'selected' ? req.body.scope : 'verified';
    const raw = req.body?.stall_ids;
    const selected = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(Number).filter(Number.isSafeInteger);
    const print = await stickers.forSite(actorOf(req), siteId, formatOf(req.body?.format), scope, selected);
    await sendPdf(res, print, slug(print.site.name));
  });
  return router;
}

/** The code as a /v URL gives it, cut to a sane length: the service folds its case. */
export function verificationCodeOf(raw: unknown): string {
  return String(raw).slice(0, 32);
}

export interface VerificationRoutesDeps {
  /** The page's locals for a code (src/pages/verification-page.ts); `sticker` is undefined for an unknown one. */
  readonly verificationPage: PageBuilder<[string]>;
  /** The report form needs a CSRF token: a visitor who opens it gets a form cookie (as /login does), no session. */
  readonly sessions: Pick<Sessions, 'formToken'>;
  /** Where the lookups are counted: the database, so the limit holds across the app's processes. */
  readonly rateLimitStore: (prefix: string) => Store;
}

/**
 * /v: the public page behind a sticker's small QR — is this sticker genuine, and whose is it? No login.
 * `?report=1` opens its "Báo mã đáng ngờ" form (sent to POST /v/:code/report), `?reported=1` thanks the sender.
 */
export function verificationRoutes({ verificationPage, sessions, rateLimitStore }: VerificationRoutesDeps): Router {
  const router = Router();
  router.use(
    rateLimit({
      windowMs: 60_000,
      limit: 30,
      store: rateLimitStore('v-page'),
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      message: 'Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau một phút.',
    }),
  );
  router.get('/', (req, res) => {
    const code = typeof req.query.code === 'string' ? req.query.code.trim() : '';
    if (code) return res.redirect(303, `/v/${encodeURIComponent(code.toUpperCase())}`);
    res.render('stickers/verify', { title: 'Kiểm tra mã QR', code: '', sticker: undefined });
  });
  router.get('/:code', async (req, res) => {
    const page = await verificationPage(verificationCodeOf(req.params.code));
    const reportOpen = Boolean(page.sticker) && req.query.report === '1';
    if (reportOpen) {
      if (!req.session) sessions.formToken(req, res);
      // The form holds the session's CSRF token: no cache may keep it for the next visitor.
      res.set('Cache-Control', 'no-store');
    }
    res.status(page.sticker ? 200 : 404).render('stickers/verify', {
      ...page,
      reportOpen,
      reported: Boolean(page.sticker) && req.query.reported === '1',
    });
  });
  return router;
}
