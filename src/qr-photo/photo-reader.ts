import { cpus } from 'node:os';
import { readImageHeader, type DecodeImageResult, type ImageRefusal } from '../qr-image/decode-image.js';
import { runInProcess } from '../workers/run-in-process.js';
import { limitConcurrency, WorkerFailure, workerModule, type WorkerLimits } from '../workers/run-in-worker.js';

/**
 * Reading the QR code of an uploaded photo without holding up the server: the header is read here first
 * (a file claiming too many pixels is refused in microseconds, before any memory is taken for it), then the
 * pixels are decoded in a child process with a time limit, a few photos at a time. Meanwhile every other
 * request is answered; a photo made to be slow stops its own process, and the memory a large photo took
 * goes back to the system when it ends (a worker thread's would stay with the server).
 */
export type PhotoReader = (bytes: Uint8Array) => Promise<DecodeImageResult>;

export interface PhotoReaderOptions {
  /** Photos decoded at once; the others wait their turn (each decode holds up to ~350 MB at the pixel limit). */
  readonly atOnce: number;
  readonly limits: WorkerLimits;
}

/**
 * A 20 MP photo is read in 2–4 s on one core, a noise image at the limit in ~10 s; after 20 s (room for a busy
 * machine) it is given up. The heap limit bounds the child's JavaScript objects; its pixel buffers (~350 MB at
 * 20 MP) are bounded by the header check (MAX_MEGAPIXELS).
 */
export const PHOTO_READER_DEFAULTS: PhotoReaderOptions = {
  atOnce: Math.max(1, Math.min(4, Math.floor(cpus().length / 2))),
  limits: { timeoutMs: 20_000, resourceLimits: { maxOldGenerationSizeMb: 384 } },
};

const TOO_SLOW: ImageRefusal = {
  ok: false,
  reason: 'TOO_SLOW',
  message: 'Đọc ảnh quá lâu nên đã dừng. Hãy chụp lại gần hơn, chỉ lấy mã QR, hoặc dán nội dung mã.',
};

const BROKEN: ImageRefusal = {
  ok: false,
  reason: 'UNREADABLE_IMAGE',
  message: 'Không đọc được ảnh (ảnh hỏng hoặc quá phức tạp). Hãy chụp lại, dùng ảnh JPEG hoặc PNG.',
};

export function createPhotoReader(options: PhotoReaderOptions = PHOTO_READER_DEFAULTS): PhotoReader {
  const inTurn = limitConcurrency(options.atOnce);
  const entry = workerModule(import.meta.url, 'photo-worker');

  return async function readPhoto(bytes: Uint8Array): Promise<DecodeImageResult> {
    const header = readImageHeader(bytes);
    if (!header.ok) return header.refusal;
    try {
      return await inTurn(() => runInProcess<DecodeImageResult>(entry, bytes, options.limits));
    } catch (error) {
      if (!(error instanceof WorkerFailure)) throw error;
      return error.reason === 'timeout' ? TOO_SLOW : BROKEN;
    }
  };
}
