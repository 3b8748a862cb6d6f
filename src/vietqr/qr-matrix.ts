import QRCode from 'qrcode';

/**
 * The one place a QR symbol is made. Screens (SVG), stickers (PDF paths) and tests all draw this
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

/**
 * Calls `draw(x, y, length)` for every horizontal run of dark modules, row by row. Both renderers draw
 * runs, not single modules: a version-5 symbol has ~600 dark modules but ~250 runs, so paths stay small.
 */
export function forEachDarkRun(matrix: QrMatrix, draw: (x: number, y: number, length: number) => void): void {
  const { size, modules } = matrix;
  for (let y = 0; y < size; y++) {
    const row = y * size;
    let x = 0;
    while (x < size) {
      if (modules[row + x] !== 1) {
        x++;
        continue;
      }
      const start = x;
      while (x < size && modules[row + x] === 1) x++;
      draw(start, y, x - start);
    }
  }
}
