import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encode, qrMatrix, qrRuns } from '../../src/vietqr/index.js';
import type { QrMatrix } from '../../src/vietqr/index.js';

/** A matrix from rows of 0/1, for hand-written cases. */
function matrixOf(rows: readonly string[]): QrMatrix {
  const size = rows.length;
  const modules = Uint8Array.from(rows.join('').split(''), Number);
  return { size, modules, version: 1, errorCorrection: 'M' };
}

/**
 * Square matrices of 1–24 modules a side with a density from all light to all dark, so long runs, full
 * rows and empty rows come up as often as the salt-and-pepper of a real symbol.
 */
const anyMatrix: fc.Arbitrary<QrMatrix> = fc
  .tuple(fc.integer({ min: 1, max: 24 }), fc.integer({ min: 0, max: 10 }))
  .chain(([size, density]) =>
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: size * size, maxLength: size * size }).map((draws) => ({
      size,
      modules: Uint8Array.from(draws, (draw) => (draw < density ? 1 : 0)),
      version: 1,
      errorCorrection: 'M' as const,
    })),
  );

describe('qrRuns', () => {
  it('when rows hold runs, then each maximal run is one entry, row by row and left to right', () => {
    const matrix = matrixOf(['110', '000', '101']);
    expect(qrRuns(matrix)).toEqual([
      { x: 0, y: 0, length: 2 },
      { x: 0, y: 2, length: 1 },
      { x: 2, y: 2, length: 1 },
    ]);
  });

  it('when a row is all dark, then it is one run the width of the symbol; when all light, none', () => {
    expect(qrRuns(matrixOf(['1111', '0000', '0000', '0110']))).toEqual([
      { x: 0, y: 0, length: 4 },
      { x: 1, y: 3, length: 2 },
    ]);
  });

  it('when any matrix is split into runs, then the runs cover exactly its dark modules, each once', () => {
    fc.assert(
      fc.property(anyMatrix, (matrix) => {
        const runs = qrRuns(matrix);
        const outside = runs.filter(
          (run) => run.length < 1 || run.x < 0 || run.x + run.length > matrix.size || run.y < 0 || run.y >= matrix.size,
        );
        expect(outside).toEqual([]);
        const covered = new Uint8Array(matrix.size * matrix.size);
        for (const run of runs) {
          for (let i = 0; i < run.length; i++) covered[run.y * matrix.size + run.x + i]! += 1;
        }
        // A module covered twice would show as 2: equality means no overlap and no gap. Compared as text,
        // which reads well when it fails and is much cheaper than a deep equality over 500 matrices.
        expect(covered.join('')).toBe(matrix.modules.join(''));
      }),
      { numRuns: 500 },
    );
  });

  it('when any matrix is split into runs, then every run is maximal and they come in reading order', () => {
    fc.assert(
      fc.property(anyMatrix, (matrix) => {
        const dark = (x: number, y: number) => x >= 0 && x < matrix.size && matrix.modules[y * matrix.size + x] === 1;
        const runs = qrRuns(matrix);
        // A dark module just left or right of a run means it could have been longer.
        expect(runs.filter((run) => dark(run.x - 1, run.y) || dark(run.x + run.length, run.y))).toEqual([]);
        // Same row: strictly right of the previous run, with at least one light module between; else a later row.
        const outOfOrder = runs.filter((after, i) => {
          const before = runs[i - 1];
          if (!before) return false;
          return after.y === before.y ? after.x <= before.x + before.length : after.y < before.y;
        });
        expect(outOfOrder).toEqual([]);
      }),
      { numRuns: 500 },
    );
  });

  it('when the symbol is a real static VietQR, then there are far fewer runs than dark modules', () => {
    const matrix = qrMatrix(encode({ bin: '970436', account: '0011001234567' }));
    const darkModules = matrix.modules.reduce((sum, module) => sum + module, 0);
    const runs = qrRuns(matrix);
    expect(runs.reduce((sum, run) => sum + run.length, 0)).toBe(darkModules);
    expect(runs.length).toBeLessThan(darkModules * 0.6);
  });
});
