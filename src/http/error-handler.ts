import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Config } from '../config.js';
import { HttpError, NotFoundError, ValidationError } from './errors.js';
import type { FormContext } from './form-context.js';

function wantsJson(req: Request): boolean {
  return req.path.startsWith('/api/') || req.accepts(['html', 'json']) === 'json';
}

/** Input to show again after a failed submit: everything typed except secrets and the CSRF token. */
function keptValues(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object') return {};
  const { password: _password, _csrf, ...values } = body as Record<string, unknown>;
  return values;
}

export const notFoundHandler: RequestHandler = (_req, _res, next) => next(new NotFoundError());

/** The heading of the error page, per status: one name per situation across the app. */
const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Yêu cầu không hợp lệ',
  401: 'Cần đăng nhập',
  403: 'Không được phép',
  404: 'Không tìm thấy',
  413: 'Dữ liệu quá lớn',
  422: 'Không xử lý được',
  429: 'Thao tác quá nhiều',
};

function titleOf(status: number): string {
  return STATUS_TITLES[status] ?? (status >= 500 ? 'Có lỗi xảy ra' : 'Yêu cầu không hợp lệ');
}

/**
 * The status a library error asks for: body-parser (400, 413, 415), the router's undecodable URL (400)
 * and other http-errors carry a 4xx `status`; everything else is ours to report as a 500.
 */
function libraryStatus(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

/** What the page says for a library's 4xx, in Vietnamese: never the library's English message. */
function libraryMessage(status: number): string {
  if (status === 413) return 'Dữ liệu gửi lên quá lớn.';
  if (status === 415) return 'Kiểu dữ liệu gửi lên không được hỗ trợ.';
  return 'Yêu cầu không hợp lệ: địa chỉ trang hoặc dữ liệu gửi lên bị hỏng. Hãy kiểm tra lại rồi thử lại.';
}

/**
 * Where logging in again should lead: the page asked for, or for a form sent after the session expired, the
 * page the form was on (its Referer, when it is one of ours), where the onboarding draft is still kept.
 */
function loginUrlFor(req: Request): string {
  let back = req.method === 'GET' ? req.originalUrl : '/';
  const referer = req.get('referer');
  if (req.method !== 'GET' && referer) {
    try {
      const url = new URL(referer);
      if (url.host === req.get('host')) back = url.pathname + url.search;
    } catch {
      // Not a URL: back to the start page.
    }
  }
  return back === '/' ? '/login' : `/login?next=${encodeURIComponent(back)}`;
}

/** The last resort when the error page itself cannot be rendered: plain HTML, no template, no detail. */
function plainErrorPage(status: number, message: string): string {
  const escape = (text: string) =>
    text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
  return (
    `<!doctype html><html lang="vi"><head><meta charset="utf-8">` +
    `<meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escape(titleOf(status))} · Phố QR</title>` +
    `<link rel="stylesheet" href="/static/app.css"></head><body><main><h1>${escape(titleOf(status))}</h1>` +
    `<div class="card"><p>${escape(message)}</p><p><a href="/">Về trang tổng quan</a></p></div></main></body></html>`
  );
}

/**
 * The one place errors become responses: a ValidationError re-renders the form it came from (400, input
 * kept, message next to each field); other typed errors get their status and a Vietnamese page; anything
 * else is a 500 whose stack is shown only in development.
 */
export function errorHandler(config: Config, log: (error: unknown) => void = console.error): ErrorRequestHandler {
  const handle: ErrorRequestHandler = async (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const formContext = res.locals.formContext as FormContext | undefined;

    if (error instanceof ValidationError && formContext && !wantsJson(req)) {
      let locals;
      try {
        locals = await formContext.locals();
      } catch (pageError) {
        // The form's page could not be built (its record vanished meanwhile): answer for that error instead.
        res.locals.formContext = undefined;
        return handle(pageError, req, res, next);
      }
      res.status(error.status).render(formContext.view, {
        ...locals,
        ...error.redraw.locals,
        values: { ...keptValues(req.body), ...error.redraw.values },
        errors: error.fieldErrors,
        formMessage: error.message,
      });
      return;
    }

    const status = error instanceof HttpError ? error.status : (libraryStatus(error) ?? 500);
    if (status >= 500) log(error);
    const message =
      error instanceof HttpError
        ? error.message
        : status < 500
          ? libraryMessage(status)
          : 'Đã có lỗi xảy ra. Vui lòng thử lại sau ít phút.';

    if (wantsJson(req)) {
      res
        .status(status)
        .json({ error: message, ...(error instanceof ValidationError ? { fields: error.fieldErrors } : {}) });
      return;
    }
    // No form to mark the fields on (a link or a query string): the page says what was wrong instead.
    const pageMessage =
      error instanceof ValidationError ? Object.values(error.fieldErrors).join(' ') || message : message;
    const locals = {
      title: titleOf(status),
      status,
      loginUrl: status === 401 ? loginUrlFor(req) : '/login',
      message: pageMessage,
      stack: config.env === 'development' && status >= 500 && error instanceof Error ? error.stack : undefined,
    };
    res.status(status).render('errors/error', locals, (renderError: Error | null, html?: string) => {
      if (!renderError) return res.send(html);
      log(renderError);
      res.type('html').send(plainErrorPage(status, pageMessage));
    });
  };
  return handle;
}
