/**
 * The printed formats, as data. A *design* is one sticker's trim size and type scale; a *sheet* is what
 * goes on one PDF page: a single sticker on its own page size, or a grid of stickers on A4 with cut marks.
 * Lengths are in millimetres here (what a print shop talks in); the layout converts to points.
 */

export type StickerFormat = 'a6' | 'a5' | 'small' | 'a4-2x2' | 'a4-8';

export const STICKER_FORMATS: readonly StickerFormat[] = ['a6', 'a5', 'small', 'a4-2x2', 'a4-8'];

export interface StickerDesign {
  readonly name: string;
  readonly widthMm: number;
  readonly heightMm: number;
  /**
   * Nothing is drawn closer than this to the trim: covers cutting error and office printers'
   * unprintable edge (~4.2 mm).
   */
  readonly safeMarginMm: number;
  /** Smallest printed payment QR symbol (without quiet zone): ~1/10 of the reading distance. */
  readonly minQrMm: number;
  /** Multiplies every row height and font size of the A6 design; the QR takes the height the rows leave. */
  readonly scale: number;
}

export interface SheetSpec {
  readonly format: StickerFormat;
  readonly pageWidthMm: number;
  readonly pageHeightMm: number;
  readonly columns: number;
  readonly rows: number;
  readonly design: StickerDesign;
  /** Sheets of several stickers get cut marks; a single sticker is printed on its own page size. */
  readonly cutMarks: boolean;
}

/** Table tent / counter card: the QR reads from ~0.6 m. */
export const A6_DESIGN: StickerDesign = {
  name: 'A6',
  widthMm: 105,
  heightMm: 148,
  safeMarginMm: 5,
  minQrMm: 60,
  scale: 1,
};

/** Hanging board: the QR reads from ~1 m. */
export const A5_DESIGN: StickerDesign = {
  name: 'A5',
  widthMm: 148,
  heightMm: 210,
  safeMarginMm: 6,
  minQrMm: 100,
  scale: 1.15,
};

/** Counter sticker. */
export const SMALL_DESIGN: StickerDesign = {
  name: '80×120',
  widthMm: 80,
  heightMm: 120,
  safeMarginMm: 4.5,
  minQrMm: 40,
  scale: 0.9,
};

/**
 * The small sticker on the eight-up sheet. Eight 80 × 120 mm stickers cannot fit on A4
 * (8 × 9,600 mm² > 62,370 mm²), so the sheet uses A7 (74 × 105 mm), which tiles A4 exactly, with the
 * same layout and the same 40 mm minimum QR.
 */
export const A7_DESIGN: StickerDesign = {
  name: 'A7',
  widthMm: 74,
  heightMm: 105,
  safeMarginMm: 4.5,
  minQrMm: 40,
  scale: 0.72,
};

const SHEETS: Readonly<Record<StickerFormat, SheetSpec>> = {
  a6: { format: 'a6', pageWidthMm: 105, pageHeightMm: 148, columns: 1, rows: 1, design: A6_DESIGN, cutMarks: false },
  a5: { format: 'a5', pageWidthMm: 148, pageHeightMm: 210, columns: 1, rows: 1, design: A5_DESIGN, cutMarks: false },
  small: {
    format: 'small',
    pageWidthMm: 80,
    pageHeightMm: 120,
    columns: 1,
    rows: 1,
    design: SMALL_DESIGN,
    cutMarks: false,
  },
  // Four A6 fill A4 portrait to within 1 mm: one cut down the middle, one across.
  'a4-2x2': {
    format: 'a4-2x2',
    pageWidthMm: 210,
    pageHeightMm: 297,
    columns: 2,
    rows: 2,
    design: A6_DESIGN,
    cutMarks: true,
  },
  // Eight A7 portrait fill A4 landscape: the small sticker's portrait layout, four across, two down.
  'a4-8': {
    format: 'a4-8',
    pageWidthMm: 297,
    pageHeightMm: 210,
    columns: 4,
    rows: 2,
    design: A7_DESIGN,
    cutMarks: true,
  },
};

export function isStickerFormat(value: unknown): value is StickerFormat {
  return typeof value === 'string' && (STICKER_FORMATS as readonly string[]).includes(value);
}

export function sheetSpec(format: StickerFormat): SheetSpec {
  const spec = SHEETS[format];
  if (!spec) throw new RangeError(`Khổ tem không hợp lệ: ${String(format)}`);
  return spec;
}

export function stickersPerPage(format: StickerFormat): number {
  const { columns, rows } = sheetSpec(format);
  return columns * rows;
}
