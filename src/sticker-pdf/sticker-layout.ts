import { sheetSpec } from './sticker-formats.js';
import type { StickerDesign, StickerFormat } from './sticker-formats.js';

/**
 * Layout maths for stickers: plain numbers in, boxes out, in PDF points (1 mm = 72/25.4 pt) with the
 * origin at the top left and y growing downwards, as pdfkit draws. No pdfkit here, so every box can be
 * checked from a table: inside the page, inside the sticker's safe area, not overlapping.
 *
 * There is no bleed: nothing is printed up to the trim edge (the sticker is white with a margin), so a
 * cut that misses by a millimetre changes nothing and office printers need no borderless mode.
 */

export const PT_PER_MM = 72 / 25.4;

export function mm(millimetres: number): number {
  return millimetres * PT_PER_MM;
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface Segment {
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

import type { FontWeight } from '../pdf-text/fit-text.js';
export type { FontWeight };
export type TextAlign = 'left' | 'center' | 'right';

/** Where one piece of text goes and how far it may shrink or wrap there (see fit-text.ts). */
export interface TextSlot {
  readonly box: Box;
  readonly weight: FontWeight;
  readonly maxSize: number;
  readonly minSize: number;
  readonly maxLines: number;
  readonly align: TextAlign;
}

export type TextSlotName =
  | 'title'
  | 'holderName'
  | 'holderCheck'
  | 'bankShortName'
  | 'bankName'
  | 'account'
  | 'stallLabel'
  | 'businessName'
  | 'siteName'
  | 'serial'
  | 'verificationCode'
  | 'brand'
  | 'helpLine';

export const TEXT_SLOT_NAMES: readonly TextSlotName[] = [
  'title',
  'holderName',
  'holderCheck',
  'bankShortName',
  'bankName',
  'account',
  'stallLabel',
  'businessName',
  'siteName',
  'serial',
  'verificationCode',
  'brand',
  'helpLine',
];

/** A QR symbol placed with its quiet zone: `box` is the white square, `symbol` the modules inside it. */
export interface QrSlot {
  readonly box: Box;
  readonly symbol: Box;
  readonly moduleSize: number;
  /** Modules per side of the symbol, without quiet zone. */
  readonly modules: number;
}

/** Modules of white on every side of a QR symbol (ISO/IEC 18004 minimum). */
export const QR_QUIET_MODULES = 4;

/** Boxes of one sticker, relative to its own top-left trim corner. */
export interface StickerLayout {
  readonly design: StickerDesign;
  readonly trim: Box;
  /** The trim less the safe margin: every drawn box lies inside it. */
  readonly safe: Box;
  /** The dark band behind the title. */
  readonly titleBand: Box;
  readonly text: Readonly<Record<TextSlotName, TextSlot>>;
  readonly paymentQr: QrSlot;
  readonly verificationQr: QrSlot;
}

export interface SheetLayout {
  readonly format: StickerFormat;
  readonly design: StickerDesign;
  readonly page: { readonly width: number; readonly height: number };
  /** One box per sticker position, row by row from the top left; each is the sticker's trim. */
  readonly cells: readonly Box[];
  readonly cutMarks: readonly Segment[];
}

/** Sizes of the two QR symbols on a sticker, in modules per side (e.g. 33 for version 4). */
export interface QrSizes {
  readonly paymentModules: number;
  readonly verificationModules: number;
}

// Row heights of the A6 design in millimetres, top to bottom; other designs multiply them by their
// scale. The payment QR is not listed: it takes all the height the rows leave, because bigger modules
// scan from farther away.
const ROW_MM = {
  titleBand: 8.5,
  holderName: 9,
  holderCheck: 4,
  gapAfterHolder: 1,
  bankShortName: 5,
  bankName: 3.6,
  account: 7,
  gapAfterAccount: 1,
  details: 18.6,
  gapAfterDetails: 0.8,
  footer: 3.4,
} as const;

/**
 * The details row: stall text on the left, shared out in these proportions;
 * the verification QR square on the right.
 */
// The business name gets room for two lines: trade names run long ("Tạp hóa Kim Dung – Đặc sản Pleiku").
const DETAIL_SHARES = { stallLabel: 4, businessName: 5.4, siteName: 3.2, serial: 2.8, verificationCode: 3.2 } as const;

const TITLE_PADDING_MM = { x: 2.5, y: 0.7 };
const COLUMN_GAP_MM = 1.5;
/** Share of the footer width for "VietQR · NAPAS 247"; the programme's help line gets the rest. */
const BRAND_SHARE = 0.36;

interface TextStyle {
  readonly weight: FontWeight;
  readonly maxPt: number;
  readonly minPt: number;
  readonly maxLines: number;
  readonly align: TextAlign;
}

// Font sizes of the A6 design in points (scaled like the rows). The box height usually caps the size
// before maxPt does; minPt is where fit-text starts wrapping onto more lines instead of shrinking.
const TEXT_STYLES: Readonly<Record<TextSlotName, TextStyle>> = {
  title: { weight: 'bold', maxPt: 19, minPt: 8, maxLines: 1, align: 'center' },
  // Large and bold: the payer compares it with the name their bank app shows.
  holderName: { weight: 'bold', maxPt: 24, minPt: 10, maxLines: 2, align: 'center' },
  holderCheck: { weight: 'regular', maxPt: 8.5, minPt: 5.5, maxLines: 2, align: 'center' },
  bankShortName: { weight: 'bold', maxPt: 13, minPt: 7, maxLines: 1, align: 'center' },
  bankName: { weight: 'regular', maxPt: 8, minPt: 5, maxLines: 2, align: 'center' },
  account: { weight: 'bold', maxPt: 20, minPt: 9, maxLines: 1, align: 'center' },
  stallLabel: { weight: 'bold', maxPt: 11, minPt: 6, maxLines: 1, align: 'left' },
  businessName: { weight: 'regular', maxPt: 9, minPt: 5.5, maxLines: 2, align: 'left' },
  siteName: { weight: 'regular', maxPt: 8, minPt: 5, maxLines: 1, align: 'left' },
  serial: { weight: 'regular', maxPt: 7, minPt: 5, maxLines: 1, align: 'left' },
  verificationCode: { weight: 'bold', maxPt: 8, minPt: 5, maxLines: 1, align: 'left' },
  brand: { weight: 'bold', maxPt: 7, minPt: 5, maxLines: 1, align: 'left' },
  helpLine: { weight: 'regular', maxPt: 7, minPt: 4.5, maxLines: 2, align: 'right' },
};

export function box(x: number, y: number, width: number, height: number): Box {
  return { x, y, width, height };
}

export function inset(outer: Box, dx: number, dy = dx): Box {
  return box(outer.x + dx, outer.y + dy, outer.width - 2 * dx, outer.height - 2 * dy);
}

export function translate(inner: Box, dx: number, dy: number): Box {
  return box(inner.x + dx, inner.y + dy, inner.width, inner.height);
}

/** True when `inner` lies inside `outer`, allowing for floating-point noise. */
export function contains(outer: Box, inner: Box, epsilon = 1e-6): boolean {
  return (
    inner.x >= outer.x - epsilon &&
    inner.y >= outer.y - epsilon &&
    inner.x + inner.width <= outer.x + outer.width + epsilon &&
    inner.y + inner.height <= outer.y + outer.height + epsilon
  );
}

/** True when the two boxes share some area (touching edges do not count). */
export function overlaps(a: Box, b: Box, epsilon = 1e-6): boolean {
  return (
    a.x < b.x + b.width - epsilon &&
    b.x < a.x + a.width - epsilon &&
    a.y < b.y + b.height - epsilon &&
    b.y < a.y + a.height - epsilon
  );
}

/** Splits `area` into horizontal bands whose heights are proportional to `shares`. */
function splitRows<K extends string>(area: Box, shares: Readonly<Record<K, number>>): Record<K, Box> {
  const keys = Object.keys(shares) as K[];
  const total = keys.reduce((sum, key) => sum + shares[key], 0);
  const result = {} as Record<K, Box>;
  let y = area.y;
  for (const key of keys) {
    const height = (area.height * shares[key]) / total;
    result[key] = box(area.x, y, area.width, height);
    y += height;
  }
  return result;
}

/** The largest square QR with a 4-module quiet zone that fits `area`, centred in it. */
export function placeQr(area: Box, modules: number): QrSlot {
  if (!Number.isInteger(modules) || modules < 21) throw new RangeError(`Số ô của mã QR không hợp lệ: ${modules}`);
  const side = Math.min(area.width, area.height);
  const moduleSize = side / (modules + 2 * QR_QUIET_MODULES);
  const quiet = QR_QUIET_MODULES * moduleSize;
  const outer = box(area.x + (area.width - side) / 2, area.y + (area.height - side) / 2, side, side);
  return { box: outer, symbol: inset(outer, quiet), moduleSize, modules };
}

function textSlot(name: TextSlotName, area: Box, scale: number): TextSlot {
  const style = TEXT_STYLES[name];
  return {
    box: area,
    weight: style.weight,
    maxSize: style.maxPt * scale,
    minSize: style.minPt * scale,
    maxLines: style.maxLines,
    align: style.align,
  };
}

/**
 * The boxes of one sticker of `design` whose QR symbols have the given sizes. The rows stack from the
 * top of the safe area: title band, payment QR, holder name and the check line under it, bank, account,
 * the details row (stall, serial, verification code | verification QR), footer.
 */
export function stickerLayout(design: StickerDesign, qr: QrSizes): StickerLayout {
  const scale = design.scale;
  const trim = box(0, 0, mm(design.widthMm), mm(design.heightMm));
  const safe = inset(trim, mm(design.safeMarginMm));
  const rowHeight = (key: keyof typeof ROW_MM) => mm(ROW_MM[key] * scale);
  const fixedHeight = (Object.keys(ROW_MM) as (keyof typeof ROW_MM)[]).reduce((sum, key) => sum + rowHeight(key), 0);
  const qrHeight = safe.height - fixedHeight;
  if (qrHeight <= 0) throw new RangeError(`Khổ ${design.name} quá nhỏ cho các dòng chữ của tem.`);

  let y = safe.y;
  const take = (height: number): Box => {
    const row = box(safe.x, y, safe.width, height);
    y += height;
    return row;
  };
  const titleBand = take(rowHeight('titleBand'));
  const qrRow = take(qrHeight);
  const holderName = take(rowHeight('holderName'));
  const holderCheck = take(rowHeight('holderCheck'));
  take(rowHeight('gapAfterHolder'));
  const bankShortName = take(rowHeight('bankShortName'));
  const bankName = take(rowHeight('bankName'));
  const account = take(rowHeight('account'));
  take(rowHeight('gapAfterAccount'));
  const details = take(rowHeight('details'));
  take(rowHeight('gapAfterDetails'));
  const footer = take(rowHeight('footer'));

  // The verification QR is a square as tall as the details row, at its right end.
  const columnGap = mm(COLUMN_GAP_MM * scale);
  const verificationArea = box(details.x + details.width - details.height, details.y, details.height, details.height);
  const detailText = box(details.x, details.y, details.width - details.height - columnGap, details.height);
  const detailRows = splitRows(detailText, DETAIL_SHARES);

  const brandWidth = footer.width * BRAND_SHARE;
  const brand = box(footer.x, footer.y, brandWidth, footer.height);
  const helpLine = box(
    footer.x + brandWidth + columnGap,
    footer.y,
    footer.width - brandWidth - columnGap,
    footer.height,
  );

  const titleText = inset(titleBand, mm(TITLE_PADDING_MM.x * scale), mm(TITLE_PADDING_MM.y * scale));
  const areas: Record<TextSlotName, Box> = {
    title: titleText,
    holderName,
    holderCheck,
    bankShortName,
    bankName,
    account,
    ...detailRows,
    brand,
    helpLine,
  };
  const text = Object.fromEntries(TEXT_SLOT_NAMES.map((name) => [name, textSlot(name, areas[name], scale)])) as Record<
    TextSlotName,
    TextSlot
  >;

  return {
    design,
    trim,
    safe,
    titleBand,
    text,
    paymentQr: placeQr(qrRow, qr.paymentModules),
    verificationQr: placeQr(verificationArea, qr.verificationModules),
  };
}

// Cut marks lie on the cut lines themselves, in the page's outer band (3–8 mm from the edge, where
// office printers still print) and as small crosses where cut lines meet. Stickers abut, so a mark
// outside the trim is impossible; on the line it is cut away, and the safe margin keeps it off content.
const CUT_MARK_FROM_EDGE_MM = 3;
const CUT_MARK_LENGTH_MM = 5;
const CUT_CROSS_ARM_MM = 2.5;

function cutMarks(page: { width: number; height: number }, xs: readonly number[], ys: readonly number[]): Segment[] {
  const from = mm(CUT_MARK_FROM_EDGE_MM);
  const to = from + mm(CUT_MARK_LENGTH_MM);
  const arm = mm(CUT_CROSS_ARM_MM);
  const marks: Segment[] = [];
  for (const x of xs) {
    marks.push({ x1: x, y1: from, x2: x, y2: to }, { x1: x, y1: page.height - to, x2: x, y2: page.height - from });
  }
  for (const y of ys) {
    marks.push({ x1: from, y1: y, x2: to, y2: y }, { x1: page.width - to, y1: y, x2: page.width - from, y2: y });
  }
  for (const x of xs) {
    for (const y of ys) {
      marks.push({ x1: x - arm, y1: y, x2: x + arm, y2: y }, { x1: x, y1: y - arm, x2: x, y2: y + arm });
    }
  }
  return marks;
}

/** The page of `format`: its size, the trim box of every sticker on it, and the cut marks between them. */
export function sheetLayout(format: StickerFormat): SheetLayout {
  const spec = sheetSpec(format);
  const page = { width: mm(spec.pageWidthMm), height: mm(spec.pageHeightMm) };
  const cellWidth = mm(spec.design.widthMm);
  const cellHeight = mm(spec.design.heightMm);
  // The grid is centred, so the sub-millimetre slack of A6/A7 on A4 is shared by opposite edges.
  const left = (page.width - spec.columns * cellWidth) / 2;
  const top = (page.height - spec.rows * cellHeight) / 2;
  const cells: Box[] = [];
  for (let row = 0; row < spec.rows; row++) {
    for (let column = 0; column < spec.columns; column++) {
      cells.push(box(left + column * cellWidth, top + row * cellHeight, cellWidth, cellHeight));
    }
  }
  const innerXs = Array.from({ length: spec.columns - 1 }, (_, i) => left + (i + 1) * cellWidth);
  const innerYs = Array.from({ length: spec.rows - 1 }, (_, i) => top + (i + 1) * cellHeight);
  return {
    format,
    design: spec.design,
    page,
    cells,
    cutMarks: spec.cutMarks ? cutMarks(page, innerXs, innerYs) : [],
  };
}
