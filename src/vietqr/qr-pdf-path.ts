import { forEachDarkRun } from './qr-matrix.js';
import type { QrMatrix } from './qr-matrix.js';

/**
 * The dark modules of a QR matrix as one vector path for PDF stickers: `doc.path(d).fill()` in pdfkit.
 * Vector output keeps 500 stickers at ~1 MB and sharp at any print size, where a print-quality PNG per
 * sticker is several times larger and slower. Horizontal runs are merged into rectangles.
 */

/** Points to at most 3 decimals: enough for print (1/1000 pt), short in the PDF stream. */
function num(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

/**
 * Absolute SVG path commands ("M x y h w v h h -w Z" per run). `originX/originY` is the top-left corner of
 * the first module, in the document's units; the caller leaves the quiet zone (4 modules) around it.
 */
export function qrPathCommands(matrix: QrMatrix, moduleSize: number, originX = 0, originY = 0): string {
  if (!(moduleSize > 0) || !Number.isFinite(moduleSize)) throw new RangeError('Kích thước ô QR phải là số dương.');
  const parts: string[] = [];
  const height = num(moduleSize);
  forEachDarkRun(matrix, (x, y, length) => {
    const width = num(length * moduleSize);
    parts.push(`M${num(originX + x * moduleSize)} ${num(originY + y * moduleSize)}h${width}v${height}h-${width}Z`);
  });
  return parts.join('');
}
