import { qrRuns } from '../vietqr/index.js';
import type { QrMatrix, QrRun } from '../vietqr/index.js';

/**
 * Writes a QR symbol's dark modules into a pdfkit page straight from the matrix: each horizontal run
 * (qr-runs.ts) is one PDF `re` rectangle, all of them one path filled once, in one content write.
 * `doc.rect` per run, or `doc.path` on an SVG path, would write every operator as a Buffer of its own
 * (~1,250 writes and ~1.6 ms for a version-5 symbol, more than everything else on a sticker together),
 * and going through an SVG string only to parse it back costs a parser and a round trip for nothing.
 *
 * The rectangles are in module units under a scale transform: coordinates are small integers, which
 * keeps each sticker's content stream short. Runs never overlap, so the nonzero fill is exact.
 */

/** Where a symbol goes, in the current user space: its first module's top-left corner and a module's side. */
export interface QrPlacement {
  readonly x: number;
  readonly y: number;
  readonly moduleSize: number;
}

/** The PDF path operators for `runs`, one rectangle a line, in module units (no fill operator). */
export function qrRunOperators(runs: readonly QrRun[]): string {
  return runs.map(({ x, y, length }) => `${x} ${y} ${length} 1 re`).join('\n');
}

/**
 * Fills the dark modules of `matrix` in `color` at `at`; the quiet zone around it is the caller's. The
 * colour is set before the path: PDF allows no colour operator between a path's construction and its
 * painting. The graphics state is restored afterwards, so the scale does not leak into what follows.
 */
export function fillQrModules(doc: PDFKit.PDFDocument, matrix: QrMatrix, at: QrPlacement, color: string): void {
  if (!(at.moduleSize > 0) || !Number.isFinite(at.moduleSize)) {
    throw new RangeError('Kích thước ô QR phải là số dương.');
  }
  const runs = qrRuns(matrix);
  if (runs.length === 0) return;
  doc.save();
  doc.translate(at.x, at.y).scale(at.moduleSize);
  doc.fillColor(color);
  doc.addContent(qrRunOperators(runs));
  doc.fill();
  doc.restore();
}
