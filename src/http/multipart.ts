import type { Request, RequestHandler } from 'express';
import multer from 'multer';

/**
 * Multipart forms (the onboarding form with its QR photo) are parsed before the CSRF check, so the one
 * check sees their `_csrf` field like any other form's. Only logged-in users may upload; the photo stays in
 * memory (phone photos are a few MB) and is decoded, never stored.
 */
const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: 12 * 1024 * 1024, files: 1, fields: 60, fieldSize: 16 * 1024 },
}).single('qr_photo');

export const parseMultipart: RequestHandler = (req, res, next) => {
  if (!req.is('multipart/form-data')) return next();
  if (!req.user) {
    res.status(401).send('Cần đăng nhập.');
    return;
  }
  upload(req, res, next);
};

/** A photo sent with a form, as the services see it (kept in memory, never stored). */
export interface UploadedPhoto {
  readonly buffer: Buffer;
  readonly mimetype: string;
  readonly size: number;
}

export function photoOf(req: Request): UploadedPhoto | undefined {
  return req.file ? { buffer: req.file.buffer, mimetype: req.file.mimetype, size: req.file.size } : undefined;
}
