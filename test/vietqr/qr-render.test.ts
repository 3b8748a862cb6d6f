import { describe, expect, it } from 'vitest';
import { encode, isDark, qrMatrix, qrSvg, QUIET_ZONE } from '../../src/vietqr/index.js';
import type { QrMatrix } from '../../src/vietqr/index.js';

const STATIC = encode({ bin: '970436', account: '0011001234567' });
const matrix = qrMatrix(STATIC);

/** Rebuilds a matrix from "M x y h w v h h -w z" rectangles, so a path can be compared module by module. */
function matrixFromRectangles(
  d: string,
  size: number,
  moduleSize: number,
  originX: number,
  originY: number,
): Uint8Array {
  const modules = new Uint8Array(size * size);
  const rectangle = /M([\d.]+) ([\d.]+)h([\d.]+)v([\d.]+)h-([\d.]+)[zZ]/g;
  let consumed = 0;
  for (const match of d.matchAll(rectangle)) {
    const [x, y, w, h] = match.slice(1, 5).map(Number) as [number, number, number, number];
    consumed += match[0].length;
    expect(h).toBeCloseTo(moduleSize, 3);
    const column = Math.round((x - originX) / moduleSize);
    const row = Math.round((y - originY) / moduleSize);
    const runLength = Math.round(w / moduleSize);
    for (let i = 0; i < runLength; i++) modules[row * size + column + i] = 1;
  }
  expect(consumed).toBe(d.length); // nothing in the path but rectangles
  return modules;
}

function darkCount(m: QrMatrix): number {
  return m.modules.reduce((sum, v) => sum + v, 0);
}

describe('qrMatrix', () => {
  it('makes a static VietQR at error correction M as version 4 (33 modules), per the brief', () => {
    expect(matrix).toMatchObject({ size: 33, version: 4, errorCorrection: 'M' });
    expect(matrix.modules).toHaveLength(33 * 33);
  });

  it('draws the three finder patterns in the corners', () => {
    for (const [cx, cy] of [
      [0, 0],
      [matrix.size - 7, 0],
      [0, matrix.size - 7],
    ] as const) {
      expect(isDark(matrix, cx, cy)).toBe(true);
      expect(isDark(matrix, cx + 1, cy + 1)).toBe(false);
      expect(isDark(matrix, cx + 3, cy + 3)).toBe(true);
    }
  });

  it('grows with a higher error correction level', () => {
    expect(qrMatrix(STATIC, { ecl: 'H' }).version).toBeGreaterThan(matrix.version);
  });
});

describe('qrSvg', () => {
  const svg = qrSvg(matrix, { ariaLabel: 'Mã VietQR sạp 12 "Chợ Hoa Lư" <A&B>' });

  it('is one path with crisp edges and the quiet zone inside the viewBox', () => {
    expect(svg.match(/<path/g)).toHaveLength(1);
    expect(svg).toContain('shape-rendering="crispEdges"');
    expect(svg).toContain(`viewBox="0 0 ${matrix.size + 2 * QUIET_ZONE} ${matrix.size + 2 * QUIET_ZONE}"`);
    expect(svg).toContain('role="img"');
  });

  it('escapes the aria-label', () => {
    expect(svg).toContain('aria-label="Mã VietQR sạp 12 &quot;Chợ Hoa Lư&quot; &lt;A&amp;B&gt;"');
  });

  it('draws exactly the dark modules, offset by the quiet zone', () => {
    const d = /d="([^"]+)"/.exec(svg)?.[1] ?? '';
    expect(matrixFromRectangles(d, matrix.size, 1, QUIET_ZONE, QUIET_ZONE)).toEqual(matrix.modules);
  });

  it('merges horizontal runs, so it has fewer rectangles than dark modules', () => {
    expect((svg.match(/M/g) ?? []).length).toBeLessThan(darkCount(matrix) * 0.6);
  });

  it('can size itself, leave the background transparent and refuses a quiet zone under 4', () => {
    expect(qrSvg(matrix, { size: '60mm' })).toContain('width="60mm" height="60mm"');
    expect(qrSvg(matrix, { light: null })).not.toContain('<rect');
    expect(() => qrSvg(matrix, { quietZone: 2 })).toThrow(RangeError);
  });
});
