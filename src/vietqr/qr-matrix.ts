import QRCode from 'qrcode';

/**
 * The one place a QR symbol is made. Screens (SVG), stickers (PDF) and tests all draw this
 * matrix, so what is printed is exactly what was checked. Error correction M by default: a static VietQR
 * fits version 4–5 at M, and M survives the scuffs of a counter sticker better than L.
 */

export type ErrorCorrection = 'L' | 'M' | 'Q' | 'H';

export interface QrMatrix {
  /** Modules per side, without quiet zone. */
  readonly size: number;
  /** Row-major, `size * size` entries, 1 = dark. */
  readonly modules: Uint8Array;
  /** QR version 1–40. */
  readonly version: number;
  readonly errorCorrection: ErrorCorrection;
}

/** The quiet zone every renderer leaves around the symbol, in modules (ISO/IEC 18004 minimum). */
export const QUIET_ZONE = 4;

export interface QrMatrixOptions {
  ecl?: ErrorCorrection;
}

/** Builds the symbol for `text` with the smallest version that fits. Throws if the text cannot fit any. */
export function qrMatrix(text: string, options: QrMatrixOptions = {}): QrMatrix {
  const errorCorrection = options.ecl ?? 'M';
  const symbol = QRCode.create(text, { errorCorrectionLevel: errorCorrection });
  const { size, data } = symbol.modules;
  // qrcode marks dark modules with 1 in a Uint8Array of its own; copy so callers cannot disturb it.
  const modules = new Uint8Array(size * size);
  for (let i = 0; i < modules.length; i++) modules[i] = data[i] ? 1 : 0;
  return { size, modules, version: symbol.version, errorCorrection };
}

export function isDark(matrix: QrMatrix, x: number, y: number): boolean {
  return matrix.modules[y * matrix.size + x] === 1;
}
