import type { Request, RequestHandler } from 'express';
import multer from 'multer';
import { markFieldTooLarge, markFormMalformed, oversizedFieldError } from './body-limits.js';
import { HttpError, SESSION_EXPIRED_MESSAGE, UnauthorizedError } from './errors.js';

/**
 * Multipart forms (the onboarding form with its QR photo) are parsed before the CSRF check, so the one
 * check sees their `_csrf` field like any other form's. Only logged-in users may upload; the photo stays in
 * memory (phone photos are a few MB) and is decoded, never stored.
 */
const PHOTO_MAX_MEGABYTES = 12;
/** A text field of the photo forms: far above any of theirs (a note is 1,000 characters). */
const PHOTO_FORM_FIELD_BYTES = 16 * 1024;
const parsePhotoForm = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: PHOTO_MAX_MEGABYTES * 1024 * 1024, files: 1, fields: 60, fieldSize: PHOTO_FORM_FIELD_BYTES },
}).single('qr_photo');

const photoUpload: RequestHandler = (req, res, next) =>
  parsePhotoForm(req, res, (error?: unknown) => {
    if (!(error instanceof multer.MulterError)) return next(error);
    if (error.code === 'LIMIT_FILE_SIZE' && error.field === 'qr_photo') {
      markFieldTooLarge(
        req,
        'qr_photo',
        `Ảnh lớn hơn ${PHOTO_MAX_MEGABYTES} MB; hãy chụp lại với độ phân giải thấp hơn, hoặc chụp màn hình mã QR.`,
      );
      return next();
    }
    if (error.code === 'LIMIT_FIELD_VALUE' && error.field) {
      const kilobytes = Math.round(PHOTO_FORM_FIELD_BYTES / 1024);
      markFieldTooLarge(req, error.field, `Nội dung quá dài (hơn ${kilobytes} KB). Hãy rút gọn rồi gửi lại.`);
      return next();
    }
    markFormMalformed(
      req,
      error.code === 'LIMIT_UNEXPECTED_FILE'
        ? 'Chưa lưu: biểu mẫu chỉ nhận một ảnh, ở ô chụp ảnh mã QR. Hãy chọn lại ảnh rồi gửi.'
        : 'Chưa lưu: biểu mẫu gửi lên không hợp lệ. Hãy tải lại trang rồi thử lại.',
    );
    next();
  });

/**
 * A form at one path whose upload is not a photo: its own file field (or none) and its own limits, so that a
 * list of users is refused above a megabyte with a message saying so, instead of being read like a photo.
 */
export interface UploadForm {
  /** The form's path in the app, e.g. '/admin/users/import', or a pattern for a path with an id in it. */
  readonly path: string | RegExp;
  /** The file's field; none for a form that only carries large text fields. */
  readonly field?: string;
  readonly maxFileBytes?: number;
  /** The largest text field (default 16 KB). */
  readonly maxFieldBytes?: number;
  /** What the 413 says, in Vietnamese, when the file is larger than allowed. */
  readonly tooLarge: string;
}

function formUpload(form: UploadForm): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: {
      fileSize: form.maxFileBytes ?? 1,
      files: form.field ? 1 : 0,
      fields: 20,
      fieldSize: form.maxFieldBytes ?? 16 * 1024,
    },
  });
  const parse = form.field ? upload.single(form.field) : upload.none();
  return (req, res, next) =>
    parse(req, res, (error?: unknown) => {
      if (!(error instanceof multer.MulterError)) return next(error);
      if (error.code === 'LIMIT_FILE_SIZE') return next(new HttpError(413, form.tooLarge));
      if (error.code === 'LIMIT_FIELD_VALUE') return next(new HttpError(413, 'Dữ liệu gửi lên quá lớn.'));
      next(new HttpError(400, 'Biểu mẫu gửi lên không hợp lệ. Hãy tải lại trang rồi thử lại.'));
    });
}

/** The multipart parser of the app: the forms named here by their path, the QR photo everywhere else. */
export function multipartParser(forms: readonly UploadForm[] = []): RequestHandler {
  const uploads = forms.map((form) => ({ path: form.path, upload: formUpload(form) }));
  const uploadFor = (path: string) =>
    uploads.find((form) => (typeof form.path === 'string' ? form.path === path : form.path.test(path)))?.upload;
  return (req, res, next) => {
    if (!req.is('multipart/form-data')) return next();
    if (!req.user) return next(new UnauthorizedError(SESSION_EXPIRED_MESSAGE));
    (uploadFor(req.path) ?? photoUpload)(req, res, next);
  };
}

export const parseMultipart: RequestHandler = multipartParser();

/** A photo sent with a form, as the services see it (kept in memory, never stored). */
export interface UploadedPhoto {
  readonly buffer: Buffer;
  readonly mimetype: string;
  readonly size: number;
}

/**
 * The photo sent with the form; the body's problem as a ValidationError when the parser stopped (a photo or
 * field over its limit, a malformed form), also where no form is drawn again: the code reader's API.
 */
export function photoOf(req: Request): UploadedPhoto | undefined {
  const problem = oversizedFieldError(req);
  if (problem) throw problem;
  return req.file ? { buffer: req.file.buffer, mimetype: req.file.mimetype, size: req.file.size } : undefined;
}
