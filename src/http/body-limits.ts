import type { Request, RequestHandler } from 'express';
import { ValidationError } from './errors.js';

/**
 * Limits on what a form may send. The whole body is capped by the parser (FORM_BODY_LIMIT: past it the
 * request is refused with the 413 page, as nothing of it was read); below that, one field longer than any of
 * our fields could be (MAX_FIELD_CHARS; a site's note is 1,000) is not refused here but kept as a problem of
 * the request, so that the form it came from is drawn again with every field and the message next to that
 * one (withForm asks, as it is the first thing a form's POST handler does).
 */
export const FORM_BODY_LIMIT = '1mb';
export const MAX_FIELD_CHARS = 10_000;

/** A request's body problem: on a field (413, too long), or on the whole form (400, malformed upload). */
const oversized = new WeakMap<Request, { field?: string; message: string; status: 400 | 413 }>();

function tooLongMessage(length: number): string {
  return (
    `Nội dung quá dài: tối đa ${MAX_FIELD_CHARS.toLocaleString('vi-VN')} ký tự ` +
    `(hiện có ${length.toLocaleString('vi-VN')}). Hãy rút gọn rồi gửi lại.`
  );
}

/**
 * A field or file the multipart parser stopped at (over its limit): the same problem of the request, so the
 * form comes back (413) with the fields read before it and `message` next to this one.
 */
export function markFieldTooLarge(req: Request, field: string, message: string): void {
  oversized.set(req, { field, message, status: 413 });
}

/** A multipart form the parser gave up on (an unexpected file, too many fields): the form again, 400. */
export function markFormMalformed(req: Request, message: string): void {
  oversized.set(req, { message, status: 400 });
}

/** Notes the first text field over MAX_FIELD_CHARS of a parsed form body. */
export const checkFieldSizes: RequestHandler = (req, _res, next) => {
  const body = req.body as Record<string, unknown> | undefined;
  if (body && typeof body === 'object') {
    for (const [field, value] of Object.entries(body)) {
      const length = typeof value === 'string' ? value.length : 0;
      if (length > MAX_FIELD_CHARS) {
        oversized.set(req, { field, message: tooLongMessage(length), status: 413 });
        break;
      }
    }
  }
  next();
};

/**
 * The ValidationError of a form whose body had a problem: 413 on the field that was over the limit, or 400
 * for the whole form; undefined when there was none.
 */
export function oversizedFieldError(req: Request): ValidationError | undefined {
  const problem = oversized.get(req);
  if (!problem) return undefined;
  if (!problem.field) return new ValidationError({}, problem.message, problem.status);
  return new ValidationError(
    { [problem.field]: problem.message },
    'Chưa lưu: có ô quá dài, xem ô được đánh dấu.',
    problem.status,
  );
}
