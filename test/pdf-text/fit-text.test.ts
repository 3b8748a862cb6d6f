import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitText } from '../../src/sticker-pdf/index.js';
import type { FitTextRequest, MeasureText } from '../../src/sticker-pdf/index.js';

/** Every character 0.6 em wide: deterministic, and close enough to a real sans-serif for the arithmetic. */
const approximate: MeasureText = (text, size) => text.length * 0.6 * size;

function request(text: string, overrides: Partial<FitTextRequest> = {}): FitTextRequest {
  return { text, width: 200, height: 40, maxSize: 20, minSize: 8, maxLines: 2, measure: approximate, ...overrides };
}

/** What must hold for any result: nothing wider or taller than the box, no word lost. */
function expectInsideBox(req: FitTextRequest, result: ReturnType<typeof fitText>): void {
  for (const line of result.lines) expect(line.width).toBeLessThanOrEqual(req.width + 1e-9);
  expect(result.lines.length * result.lineHeight).toBeLessThanOrEqual(req.height + 1e-9);
  expect(result.lines.map((line) => line.text).join(' ')).toBe(req.text.replace(/\s+/g, ' ').trim());
}

describe('fitText', () => {
  it('when a short text fits, then it is set at the largest size the box height allows, on one line', () => {
    const req = request('BIDV', { height: 30 });
    const result = fitText(req);
    expect(result.size).toBe(20);
    expect(result.lines).toEqual([{ text: 'BIDV', width: 4 * 0.6 * 20 }]);
    expect(result.fallback).toBe('none');
  });

  it('when the box is short, then the height caps the size (line pitch 1.25 × size)', () => {
    const result = fitText(request('BIDV', { height: 15 }));
    expect(result.size).toBe(12);
    expect(result.lineHeight).toBe(15);
  });

  it('when a one-line text is too wide, then it shrinks until it fits the width', () => {
    // 25 characters × 0.6 em = 15 em; 200 pt / 15 em = 13.33 pt, rounded down to the 0.25 pt step.
    const req = request('NGUYEN THI KIM DUNG ABCDE', { maxLines: 1 });
    const result = fitText(req);
    expect(result.size).toBe(13.25);
    expect(result.lines).toHaveLength(1);
    expectInsideBox(req, result);
  });

  it('when two lines allow a larger size than one, then it wraps', () => {
    const req = request('CONG TY TNHH THUONG MAI DICH VU NGUYEN HOANG', { height: 60 });
    const result = fitText(req);
    expect(result.lines).toHaveLength(2);
    expect(result.size).toBeGreaterThan(200 / (44 * 0.6));
    expectInsideBox(req, result);
  });

  it('when it wraps, then the lines are balanced instead of leaving one word on the last line', () => {
    const req = request('Cửa hàng Nông sản Sạch và Đặc sản Tây Nguyên Gia Lai', {
      width: 220,
      height: 40,
      maxSize: 9,
      minSize: 6,
    });
    const result = fitText(req);
    expect(result.lines).toHaveLength(2);
    const [first, second] = result.lines.map((line) => line.text.length) as [number, number];
    expect(Math.abs(first - second)).toBeLessThanOrEqual(8);
    expectInsideBox(req, result);
  });

  it(
    'when the text does not fit on maxLines even at minSize, ' + 'then it wraps onto more lines the box height holds',
    () => {
      const req = request('Tạp hóa Kim Dung Đặc sản Pleiku và Cà phê Hồ tiêu Mật ong rừng Gia Lai', {
        width: 120,
        height: 60,
        maxSize: 12,
        minSize: 8,
        maxLines: 2,
      });
      const result = fitText(req);
      expect(result.fallback).toBe('extra-lines');
      expect(result.size).toBe(8);
      expect(result.lines.length).toBeGreaterThan(2);
      expectInsideBox(req, result);
    },
  );

  it('when even more lines cannot hold it at minSize, then it goes below minSize rather than clipping', () => {
    const req = request('CONG TY TNHH THUONG MAI DICH VU XUAT NHAP KHAU NONG SAN TAY NGUYEN', {
      width: 150,
      height: 12,
      minSize: 8,
    });
    const result = fitText(req);
    expect(result.fallback).toBe('below-minimum');
    expect(result.size).toBeLessThan(8);
    expectInsideBox(req, result);
  });

  it('when a single word is wider than the box, then it shrinks to fit that word', () => {
    const req = request('52-23575-000123456789', { width: 60, maxLines: 3 });
    const result = fitText(req);
    expect(result.lines).toHaveLength(1);
    expectInsideBox(req, result);
  });

  it('when the text is empty, then there are no lines to draw', () => {
    expect(fitText(request('   ')).lines).toEqual([]);
  });

  it('when the text could only fit under 0.5 pt, then it refuses instead of printing something unreadable', () => {
    expect(() => fitText(request('x'.repeat(20_000), { width: 50, height: 10 }))).toThrow(RangeError);
  });

  it('when the request is malformed, then it says so', () => {
    expect(() => fitText(request('a', { width: 0 }))).toThrow(RangeError);
    expect(() => fitText(request('a', { minSize: 12, maxSize: 10 }))).toThrow(RangeError);
    expect(() => fitText(request('a', { maxLines: 0 }))).toThrow(RangeError);
  });

  it('uses the measured width of each final line, so alignment matches what is drawn', () => {
    // A measurer with kerning-like noise: the joined line is narrower than its words added up.
    const kerned: MeasureText = (text, size) => (text.length * 0.6 - (text.includes(' ') ? 0.1 : 0)) * size;
    const result = fitText(request('Chợ Hoa Lư', { measure: kerned }));
    expect(result.lines[0]?.width).toBeCloseTo(kerned('Chợ Hoa Lư', result.size), 9);
  });

  it('never overflows the box nor drops a word, whatever the text and box', () => {
    const words = fc.array(fc.stringMatching(/^[A-Za-zÀ-ỹ0-9–-]{1,14}$/), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(
        words,
        fc.integer({ min: 40, max: 400 }),
        fc.integer({ min: 12, max: 120 }),
        fc.integer({ min: 1, max: 4 }),
        (parts, width, height, maxLines) => {
          const req = request(parts.join(' '), { width, height, maxSize: 24, minSize: 6, maxLines });
          expectInsideBox(req, fitText(req));
        },
      ),
      { numRuns: 300 },
    );
  });
});
