import { Router, type RequestHandler } from 'express';
import { rateLimit, type Store } from 'express-rate-limit';
import type { StickerReportLimits } from '../config.js';
import { withForm, type PageBuilder } from '../http/form-context.js';
import { actorOf, parseId } from '../http/params.js';
import { REPORT_OUTCOME_LABELS, REPORT_PROBLEM_LABELS } from '../vocabulary/sticker-reports.js';
import type { Actor } from '../actor.js';
import type { ReportInput, StickerReportsService } from './sticker-reports-service.js';

export interface StickerReportPublicRoutesDeps {
  readonly stickerReports: StickerReportsService;
  /** The /v/:code page's locals (src/pages/verification-page.ts), to draw the form again. */
  readonly verificationPage: PageBuilder<[string]>;
  readonly limits: StickerReportLimits;
  /** Where the reports are counted: the database, so the limits hold across the app's processes. */
  readonly rateLimitStore: (prefix: string) => Store;
}

/** The code as a /v URL gives it, cut to a sane length, in the case codes are printed in. */
function codeOf(raw: unknown): string {
  return String(raw).slice(0, 32).trim().toUpperCase();
}

const thanksUrl = (code: string) => `/v/${encodeURIComponent(code)}?reported=1`;

/** A field no person sees or fills (hidden, out of the tab order): a form that fills it was sent by a bot. */
export const REPORT_HONEYPOT_FIELD = 'website';

/**
 * POST /v/:code/report: "Báo mã đáng ngờ", from anyone, no login (the form cookie set by the form's page
 * gives the CSRF token). Checked first (404 as the page for an unknown code, 400 with the form again), then
 * limited — per address and per sticker, stricter than the page's own limit; only checked reports count, so
 * a typo does not use up a customer's tries — and only then saved. A refused one saves nothing (429).
 */
export function stickerReportPublicRoutes({
  stickerReports,
  verificationPage,
  limits,
  rateLimitStore,
}: StickerReportPublicRoutesDeps) {
  const router = Router();
  const windowMs = limits.windowMinutes * 60_000;

  /** The page again, with the form closed and why the report was not taken. */
  const refuse =
    (message: string): RequestHandler =>
    (_req, res) => {
      res.status(429).render('stickers/verify', { ...(res.locals.reportPage as object), limitMessage: message });
    };
  const perAddress = rateLimit({
    windowMs,
    limit: limits.perAddress,
    identifier: 'sticker-report-address',
    store: rateLimitStore('report-address'),
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: refuse(
      'Chúng tôi đã nhận nhiều báo cáo từ mạng của bạn trong thời gian ngắn, nên chưa nhận thêm. ' +
        'Hãy thử lại sau ít phút, hoặc báo trực tiếp cho chủ sạp hay Đoàn Thanh niên địa phương.',
    ),
  });
  const perSticker = rateLimit({
    windowMs,
    limit: limits.perSticker,
    identifier: 'sticker-report-sticker',
    store: rateLimitStore('report-sticker'),
    keyGenerator: (req) => `sticker:${codeOf(req.params.code)}`,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    handler: refuse(
      'Mã này vừa được báo nhiều lần; tổ công tác đã nhận được và sẽ kiểm tra. Cảm ơn bạn. ' +
        'Đừng chuyển tiền qua mã này nếu bạn chưa chắc chắn.',
    ),
  });

  const check: RequestHandler = async (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    const code = codeOf(req.params.code);
    const page = await verificationPage(code);
    if (!page.sticker) return res.status(404).render('stickers/verify', page);
    const body = (req.body ?? {}) as Record<string, unknown>;
    // A bot: thanked like a person, so it learns nothing; nothing is saved and nothing counted.
    if (typeof body[REPORT_HONEYPOT_FIELD] === 'string' && body[REPORT_HONEYPOT_FIELD] !== '') {
      return res.redirect(303, thanksUrl(code));
    }
    res.locals.reportPage = page;
    withForm(res, 'stickers/verify', () => ({ ...page, reportOpen: true }));
    res.locals.report = stickerReports.parseReportForm(body) satisfies ReportInput;
    next();
  };

  router.post('/:code/report', check, perAddress, perSticker, async (req, res) => {
    const code = codeOf(req.params.code);
    await stickerReports.submit(code, res.locals.report as ReportInput, req.ip ?? '');
    res.redirect(303, thanksUrl(code));
  });
  return router;
}

/** Only these pages may follow a closing: the work list, or this list on its own. */
function returnPath(raw: unknown): string {
  return raw === '/work' ? '/work' : '/work/sticker-reports';
}

/** The list page's locals: also what views/work/_sticker-reports.ejs needs inside /work. */
export async function stickerReportsLocals(stickerReports: StickerReportsService, actor: Actor) {
  return {
    reports: await stickerReports.openFor(actor),
    reportProblemLabels: REPORT_PROBLEM_LABELS,
    reportOutcomeLabels: REPORT_OUTCOME_LABELS,
  };
}

async function listPage(stickerReports: StickerReportsService, actor: Actor) {
  return { title: 'Báo cáo mã đáng ngờ', ...(await stickerReportsLocals(stickerReports, actor)) };
}

/**
 * GET /work/sticker-reports · POST /work/sticker-reports/:reportId/close: customers' reports for the team
 * leads whose reach covers the stall, and admins (the service says who; others get 403).
 */
export function workStickerReportsRoutes({ stickerReports }: { stickerReports: StickerReportsService }): Router {
  const router = Router();
  router.get('/sticker-reports', async (req, res) => {
    res.render('work/sticker-reports', await listPage(stickerReports, actorOf(req)));
  });
  router.post('/sticker-reports/:reportId/close', async (req, res) => {
    const actor = actorOf(req);
    const id = parseId(req.params.reportId);
    withForm(res, 'work/sticker-reports', () => listPage(stickerReports, actor));
    const body = (req.body ?? {}) as Record<string, unknown>;
    await stickerReports.close(actor, id, body);
    res.redirect(303, `${returnPath(body.return_to)}?report_closed=${id}`);
  });
  return router;
}
