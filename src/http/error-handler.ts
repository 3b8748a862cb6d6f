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
      res.status(400).render(formContext.view, {
        ...locals,
        values: keptValues(req.body),
        errors: error.fieldErrors,
        formMessage: error.message,
      });
      return;
    }

    // body-parser marks its own errors (too large, malformed) with a 4xx status.
    const bodyParserStatus = (error as { status?: number; type?: string }).type
      ? (error as { status?: number }).status
      : undefined;
    const status = error instanceof HttpError ? error.status : (bodyParserStatus ?? 500);
    if (status >= 500) log(error);
    const message =
      error instanceof HttpError
        ? error.message
        : status === 413
          ? 'Dữ liệu gửi lên quá lớn.'
          : status < 500
            ? 'Yêu cầu không hợp lệ.'
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
    res.status(status).render('errors/error', {
      title: status === 404 ? 'Không tìm thấy' : status === 403 ? 'Không được phép' : 'Có lỗi',
      status,
      message: pageMessage,
      stack: config.env === 'development' && status >= 500 && error instanceof Error ? error.stack : undefined,
    });
  };
  return handle;
}
