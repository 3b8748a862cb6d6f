import { Router, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { maskAccount } from '../accounts/accounts-repo.js';
import { withForm } from '../http/form-context.js';
import { actorOf, parseId } from '../sites/sites-routes.js';
import type { StallPage } from '../stalls/stall-page.js';
import { renderStickers } from '../sticker-pdf/render-stickers.js';
import type { StickerData } from '../sticker-pdf/sticker-content.js';
import { isStickerFormat, type StickerFormat } from '../sticker-pdf/sticker-formats.js';
import { foldForSearch } from '../text/fold.js';
import type { BankDirectory } from '../vietqr/banks.js';
import type { BatchScope, StickersService } from './stickers-service.js';


function formatOf(raw: unknown): StickerFormat {
  return isStickerFormat(raw) ? raw : 'a6';
}

/** "Chợ Hoa Lư" → "cho-hoa-lu": an ASCII file name every browser and OS keeps as is. */
function slug(text: string): string {
  return foldForSearch(text).replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'phoqr';
}

/** Streams the PDF to the browser as it is drawn; the count is in the file name. */
async function sendPdf(res: Response, data: StickerData[], format: StickerFormat, name: string): Promise<void> {
  const count = data.length;
  res.type('application/pdf');
  res.attachment(`phoqr-${name}-${count}-ma-qr-${format}.pdf`);
  try {
    await renderStickers(data, format, res, { title: `Mã QR ${name} (${count})` });
  } catch (error) {
    // Headers are gone: all that is left is to cut the download so it is not mistaken for a whole file.
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}

export function stickersRoutes(stickers: StickersService, stallPage: StallPage, siteShowLocals: (siteId: number) => Record<string, unknown>): Router {
  const router = Router();

  router.post('/stalls/:stallId/sticker', async (req, res) => {
    const page = stallPage(parseId(req.params.stallId));
    withForm(res, 'stalls/show', page);
    const format = formatOf(req.body?.format);
    const { data } = stickers.forStall(actorOf(req), page.stall.id, format);
    await sendPdf(res, data, format, slug(`${page.site.name} ${page.stall.label}`));
  });

  router.post('/sites/:siteId/stickers', async (req, res) => {
    const siteId = parseId(req.params.siteId);
    withForm(res, 'sites/show', { ...siteShowLocals(siteId), printOpen: true });
    const format = formatOf(req.body?.format);
    const scope: BatchScope = req.body?.scope === 'unprinted' || req.body?.scope === 'selected' ? req.body.scope : 'verified';
    const raw = req.body?.stall_ids;
    const selected = (Array.isArray(raw) ? raw : raw ? [raw] : []).map(Number).filter(Number.isSafeInteger);
    const { site, data } = stickers.forSite(actorOf(req), siteId, format, scope, selected);
    await sendPdf(res, data, format, slug(site.name));
  });

  return router;
}

/** The public page behind a sticker's small QR: is this sticker genuine, and whose is it? No login. */
export function verificationRoutes(stickers: StickersService, banks: BankDirectory): Router {
  const router = Router();
  router.use(
    '/v',
    rateLimit({
      windowMs: 60_000,
      limit: 30,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      message: 'Bạn đã tra cứu quá nhiều lần. Vui lòng thử lại sau một phút.',
    }),
  );
  router.get('/v', (req, res) => {
    const code = typeof req.query.code === 'string' ? req.query.code.trim() : '';
    if (code) return res.redirect(303, `/v/${encodeURIComponent(code.toUpperCase())}`);
    res.render('stickers/verify', { title: 'Kiểm tra mã QR', code: '', sticker: undefined });
  });
  router.get('/v/:code', (req, res) => {
    const code = String(req.params.code).slice(0, 32);
    const found = stickers.verification(code);
    const sticker = found && { ...found, masked: maskAccount(found.account_number), bank: banks.byBin(found.bin) };
    res.status(found ? 200 : 404).render('stickers/verify', { title: 'Kiểm tra mã QR', code, sticker });
  });
  return router;
}
