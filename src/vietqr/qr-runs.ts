import type { QrMatrix } from './qr-matrix.js';

/**
 * The dark modules of a QR matrix as horizontal runs, the one shape every renderer draws: each run is
 * one rectangle one module high. A version-5 symbol has ~600 dark modules but ~250 runs, so what a
 * renderer writes (SVG path, PDF operators) stays small. Pure data, in module units without the quiet
 * zone: the renderer decides where the symbol goes and how big a module is.
 */

export interface QrRun {
  /** Column of the run's first module, from 0. */
  readonly x: number;
  /** Row, from 0 at the top. */
  readonly y: number;
  /** Dark modules in the run, at least 1. */
  readonly length: number;
}

/**
 * Every maximal run of dark modules, row by row from the top, left to right within a row. Runs never
 * overlap and never touch within a row (two touching runs would be one), so together they cover
 * exactly the dark modules.
 */
export function qrRuns(matrix: QrMatrix): QrRun[] {
  const { size, modules } = matrix;
  const runs: QrRun[] = [];
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
      runs.push({ x: start, y, length: x - start });
    }
  }
  return runs;
}
