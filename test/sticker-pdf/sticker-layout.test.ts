import { describe, expect, it } from 'vitest';
import {
  fitText,
  mm,
  sheetLayout,
  STICKER_FORMATS,
  stickerLayout,
  stickerTexts,
  TEXT_SLOT_NAMES,
} from '../../src/sticker-pdf/index.js';
import type {
  Box,
  Segment,
  StickerDesign,
  StickerFormat,
  StickerLayout,
  TextSlot,
  TextSlotName,
} from '../../src/sticker-pdf/index.js';
import { contains, inset, overlaps, translate } from '../../src/sticker-pdf/sticker-layout.js';
import { hoaLuSticker } from './helpers/sticker-fixtures.js';
import { realMeasure } from '../helpers/real-metrics.js';

/** QR versions 4–6 (a static VietQR at EC M, payload ≈ 60–90 characters) and 2–4 for the verification URL. */
const PAYMENT_MODULES = [33, 37, 41];
const VERIFICATION_MODULES = [25, 29, 33];

const EXPECTED: Record<
  StickerFormat,
  { page: [number, number]; perPage: number; trim: [number, number]; minQrMm: number }
> = {
  a6: { page: [105, 148], perPage: 1, trim: [105, 148], minQrMm: 60 },
  a5: { page: [148, 210], perPage: 1, trim: [148, 210], minQrMm: 100 },
  small: { page: [80, 120], perPage: 1, trim: [80, 120], minQrMm: 40 },
  'a4-2x2': { page: [210, 297], perPage: 4, trim: [105, 148], minQrMm: 60 },
  'a4-8': { page: [297, 210], perPage: 8, trim: [74, 105], minQrMm: 40 },
};

const cases = STICKER_FORMATS.flatMap((format) =>
  PAYMENT_MODULES.flatMap((paymentModules) =>
    VERIFICATION_MODULES.map((verificationModules) => ({ format, paymentModules, verificationModules })),
  ),
);

const toMm = (points: number) => (points * 25.4) / 72;

/** Every box that is painted, except the title text which sits on its band. */
function paintedBoxes(layout: StickerLayout): Array<[string, Box]> {
  const text = TEXT_SLOT_NAMES.filter((name) => name !== 'title').map((name): [string, Box] => [
    name,
    layout.text[name].box,
  ]);
  return [
    ['titleBand', layout.titleBand],
    ['paymentQr', layout.paymentQr.box],
    ['verificationQr', layout.verificationQr.box],
    ...text,
  ];
}

function segmentBox(segment: Segment, strokeWidth = 0.4): Box {
  const half = strokeWidth / 2;
  return {
    x: Math.min(segment.x1, segment.x2) - half,
    y: Math.min(segment.y1, segment.y2) - half,
    width: Math.abs(segment.x2 - segment.x1) + strokeWidth,
    height: Math.abs(segment.y2 - segment.y1) + strokeWidth,
  };
}

describe('sheetLayout', () => {
  it.each(STICKER_FORMATS)(
    'when the format is %s, then the page, the cells and their trim have the expected size',
    (format) => {
      const sheet = sheetLayout(format);
      const expected = EXPECTED[format];
      expect([toMm(sheet.page.width), toMm(sheet.page.height)].map((v) => Math.round(v * 100) / 100)).toEqual(
        expected.page,
      );
      expect(sheet.cells).toHaveLength(expected.perPage);
      for (const cell of sheet.cells) {
        expect([toMm(cell.width), toMm(cell.height)].map((v) => Math.round(v * 100) / 100)).toEqual(expected.trim);
      }
      expect(sheet.design.minQrMm).toBe(expected.minQrMm);
    },
  );

  it.each(STICKER_FORMATS)(
    'when the format is %s, then every cell lies on the page and no two cells overlap',
    (format) => {
      const sheet = sheetLayout(format);
      const page = { x: 0, y: 0, ...sheet.page };
      sheet.cells.forEach((cell, i) => {
        expect(contains(page, cell)).toBe(true);
        sheet.cells.slice(i + 1).forEach((other) => expect(overlaps(cell, other)).toBe(false));
      });
    },
  );

  it.each(['a6', 'a5', 'small'] as const)(
    'when the format is the single sticker %s, then it has no cut marks',
    (format) => {
      expect(sheetLayout(format).cutMarks).toEqual([]);
    },
  );

  it.each(['a4-2x2', 'a4-8'] as const)(
    'when the format is the sheet %s, ' +
      'then cut marks lie on the cut lines, on the page, clear of every sticker’s content',
    (format) => {
      const sheet = sheetLayout(format);
      const page = { x: 0, y: 0, ...sheet.page };
      const innerXs = new Set(sheet.cells.map((cell) => cell.x).filter((x) => x > 1));
      const innerYs = new Set(sheet.cells.map((cell) => cell.y).filter((y) => y > 1));
      expect(sheet.cutMarks.length).toBeGreaterThan(0);
      for (const mark of sheet.cutMarks) {
        const markBox = segmentBox(mark);
        expect(contains(page, markBox)).toBe(true);
        // Far enough from the paper's edge for office printers (their unprintable band is ~4.2 mm;
        // part may vanish, not all).
        expect(Math.min(mark.x1, mark.x2, mark.y1, mark.y2)).toBeGreaterThanOrEqual(mm(3) - 1e-6);
        const vertical = mark.x1 === mark.x2;
        expect(vertical ? innerXs.has(mark.x1) : innerYs.has(mark.y1)).toBe(true);
        for (const cell of sheet.cells) {
          expect(overlaps(markBox, inset(cell, mm(sheet.design.safeMarginMm)))).toBe(false);
        }
      }
    },
  );
});

describe('stickerLayout', () => {
  it.each(cases)(
    'when $format has a payment QR of $paymentModules and a verification QR of $verificationModules modules, ' +
      'then every box lies inside the cell’s safe area and on the page',
    ({ format, paymentModules, verificationModules }) => {
      const sheet = sheetLayout(format);
      const layout = stickerLayout(sheet.design, { paymentModules, verificationModules });
      expect(layout.safe).toEqual(inset(layout.trim, mm(sheet.design.safeMarginMm)));
      const page = { x: 0, y: 0, ...sheet.page };
      for (const cell of sheet.cells) {
        expect(layout.trim.width).toBeCloseTo(cell.width, 9);
        expect(layout.trim.height).toBeCloseTo(cell.height, 9);
        for (const [name, area] of [...paintedBoxes(layout), ['title', layout.text.title.box] as [string, Box]]) {
          const onPage = translate(area, cell.x, cell.y);
          expect(contains(translate(layout.safe, cell.x, cell.y), onPage), `${name} inside the safe area`).toBe(true);
          expect(contains(cell, onPage), `${name} inside the cell`).toBe(true);
          expect(contains(page, onPage), `${name} on the page`).toBe(true);
        }
      }
    },
  );

  it.each(cases)(
    'when $format has QRs of $paymentModules/$verificationModules modules, ' +
      'then no painted boxes overlap and the title sits on its band',
    ({ format, paymentModules, verificationModules }) => {
      const layout = stickerLayout(sheetLayout(format).design, { paymentModules, verificationModules });
      const boxes = paintedBoxes(layout);
      boxes.forEach(([name, area], i) => {
        expect(area.width, `${name} has width`).toBeGreaterThan(0);
        expect(area.height, `${name} has height`).toBeGreaterThan(0);
        for (const [otherName, other] of boxes.slice(i + 1)) {
          expect(overlaps(area, other), `${name} / ${otherName}`).toBe(false);
        }
      });
      expect(contains(layout.titleBand, layout.text.title.box)).toBe(true);
    },
  );

  it.each(cases)(
    'when $format has a payment QR of $paymentModules modules, ' +
      'then the symbol reaches the format’s minimum with a 4-module quiet zone',
    ({ format, paymentModules, verificationModules }) => {
      const design = sheetLayout(format).design;
      const { paymentQr, verificationQr } = stickerLayout(design, { paymentModules, verificationModules });
      for (const qr of [paymentQr, verificationQr]) {
        expect(qr.symbol.width).toBeCloseTo(qr.modules * qr.moduleSize, 9);
        expect(qr.symbol.x - qr.box.x).toBeCloseTo(4 * qr.moduleSize, 9);
        expect(qr.symbol.y - qr.box.y).toBeCloseTo(4 * qr.moduleSize, 9);
        expect(qr.box.width).toBeCloseTo((qr.modules + 8) * qr.moduleSize, 9);
        expect(qr.box.height).toBeCloseTo(qr.box.width, 9);
      }
      expect(toMm(paymentQr.symbol.width)).toBeGreaterThanOrEqual(design.minQrMm);
      // Small enough for the phone of someone checking the sticker at arm's length.
      expect(toMm(verificationQr.moduleSize)).toBeGreaterThanOrEqual(0.3);
    },
  );

  it('when the QR symbol is larger, then the modules get smaller, not the box', () => {
    const design = sheetLayout('a6').design;
    const v4 = stickerLayout(design, { paymentModules: 33, verificationModules: 29 }).paymentQr;
    const v6 = stickerLayout(design, { paymentModules: 41, verificationModules: 29 }).paymentQr;
    expect(v6.box).toEqual(v4.box);
    expect(v6.moduleSize).toBeLessThan(v4.moduleSize);
  });

  it('when a QR size is not a real symbol size, then it refuses', () => {
    expect(() => stickerLayout(sheetLayout('a6').design, { paymentModules: 0, verificationModules: 29 })).toThrow(
      RangeError,
    );
  });
});

describe('text fitted into the layout with Be Vietnam Pro’s real widths', () => {
  const designs: Array<[string, StickerDesign]> = [
    ['a6', sheetLayout('a6').design],
    ['a5', sheetLayout('a5').design],
    ['small', sheetLayout('small').design],
    ['a4-8 (A7)', sheetLayout('a4-8').design],
  ];

  function fitIn(slot: TextSlot, text: string) {
    const result = fitText({
      text,
      width: slot.box.width,
      height: slot.box.height,
      maxSize: slot.maxSize,
      minSize: slot.minSize,
      maxLines: slot.maxLines,
      measure: realMeasure(slot.weight),
    });
    for (const line of result.lines) expect(line.width).toBeLessThanOrEqual(slot.box.width + 1e-6);
    expect(result.lines.length * result.lineHeight).toBeLessThanOrEqual(slot.box.height + 1e-6);
    return result;
  }

  const layoutOf = (design: StickerDesign) => stickerLayout(design, { paymentModules: 37, verificationModules: 29 });

  /** Holder name on one line: at least this size in points, so it reads from the counter's distance. */
  const HOLDER_MIN_PT: Record<string, number> = { a6: 18, a5: 20, small: 16, 'a4-8 (A7)': 14 };

  it.each(designs)('when the sticker is %s, then every fixed and typical text fits without fallback', (_, design) => {
    const layout = layoutOf(design);
    const texts = stickerTexts(hoaLuSticker());
    for (const name of TEXT_SLOT_NAMES) {
      const result = fitIn(layout.text[name], texts[name]);
      expect(result.fallback, name).toBe('none');
      expect(result.size, name).toBeGreaterThanOrEqual(layout.text[name].minSize);
    }
  });

  it.each(designs)(
    'when the sticker is %s, then the title is one line and the holder name is large and bold',
    (name, design) => {
      const layout = layoutOf(design);
      const title = fitIn(layout.text.title, 'QUÉT MÃ ĐỂ THANH TOÁN');
      const holder = fitIn(layout.text.holderName, 'NGUYEN THI KIM DUNG');
      expect(title.lines).toHaveLength(1);
      expect(holder.lines).toHaveLength(1);
      expect(layout.text.holderName.weight).toBe('bold');
      expect(holder.size).toBeGreaterThanOrEqual(HOLDER_MIN_PT[name] as number);
      const others: TextSlotName[] = ['holderCheck', 'bankName', 'businessName', 'siteName', 'serial', 'helpLine'];
      const texts = stickerTexts(hoaLuSticker());
      for (const other of others) expect(fitIn(layout.text[other], texts[other]).size).toBeLessThan(holder.size);
    },
  );

  it.each(designs)(
    'when the sticker is %s and the account has 19 characters, ' +
      'then "1234 5678 9012 3456 789" fits on one line at a readable size',
    (_, design) => {
      const layout = layoutOf(design);
      const result = fitIn(layout.text.account, '1234 5678 9012 3456 789');
      expect(result.fallback).toBe('none');
      expect(result.lines.map((line) => line.text)).toEqual(['1234 5678 9012 3456 789']);
      expect(result.size).toBeGreaterThanOrEqual(10);
    },
  );

  it.each(designs)(
    'when the sticker is %s and the names are long, then they wrap or shrink within their boxes without fallback',
    (_, design) => {
      const layout = layoutOf(design);
      const holder = fitIn(layout.text.holderName, 'CONG TY TNHH THUONG MAI DICH VU NGUYEN HOANG PHUONG THANH');
      expect(holder.fallback).toBe('none');
      expect(holder.lines.length).toBeLessThanOrEqual(2);
      const business = fitIn(
        layout.text.businessName,
        'Cửa hàng Nông sản Sạch và Đặc sản Tây Nguyên – Cà phê, Hồ tiêu',
      );
      expect(business.fallback).toBe('none');
      const bank = fitIn(layout.text.bankName, 'Ngân hàng Thương mại Cổ phần Đầu tư và Phát triển Việt Nam');
      expect(bank.fallback).toBe('none');
      const site = fitIn(layout.text.siteName, 'Trung tâm thương mại xã Chư Prông');
      expect(site.fallback).toBe('none');
    },
  );

  it.each(designs)(
    'when the sticker is %s and a name is absurdly long, then it still stays inside its box (a fallback is reported)',
    (_, design) => {
      const layout = layoutOf(design);
      const result = fitIn(layout.text.businessName, 'Cửa hàng Nông sản Sạch và Đặc sản Tây Nguyên '.repeat(8));
      expect(result.fallback).not.toBe('none');
    },
  );
});
