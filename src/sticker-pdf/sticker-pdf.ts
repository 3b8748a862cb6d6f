import { qrMatrix } from '../vietqr/index.js';
import type { QrMatrix } from '../vietqr/index.js';
import { fitText } from '../pdf-text/fit-text.js';
import { fillQrModules } from './pdf-qr.js';
import type { FitFallback, FitTextResult } from '../pdf-text/fit-text.js';
import { assertPrintable, stickerTexts } from './sticker-content.js';
import type { StickerData } from './sticker-content.js';
import { FONT_ASCENT, FONT_DESCENT, FONT_NAMES } from '../pdf-text/fonts.js';
import { stickerLayout, TEXT_SLOT_NAMES } from './sticker-layout.js';
import type { Box, QrSlot, Segment, StickerLayout, TextSlot, TextSlotName } from './sticker-layout.js';
import type { StickerDesign } from './sticker-formats.js';

/**
 * Draws stickers into a pdfkit document from the pure layout: no decisions about where things go are
 * made here, only how they are painted. Black on white for any office printer; one dark band behind the
 * title, which prints as dark grey in black and white.
 */

const INK = '#000000';
const PAPER = '#ffffff';
const BAND = '#123c82';
const CUT_MARK = '#555555';
const CUT_MARK_WIDTH = 0.4;
const BAND_RADIUS = 4;

/** A slot whose text needed a fallback (see fit-text.ts): worth a warning to whoever prints the batch. */
export interface TextFallbackNote {
  /** Position of the sticker in the batch, from 0. */
  readonly index: number;
  readonly serial: string;
  readonly slot: TextSlotName;
  readonly fallback: Exclude<FitFallback, 'none'>;
}

/** Both symbols of a sticker; made once per sticker because the layout depends on their sizes. */
export interface StickerSymbols {
  readonly payment: QrMatrix;
  readonly verification: QrMatrix;
}

export function stickerSymbols(data: StickerData): StickerSymbols {
  return {
    // Error correction M: a static VietQR is version 4–5, and M survives scuffs on a counter.
    payment: qrMatrix(data.payload, { ecl: 'M' }),
    verification: qrMatrix(data.verificationUrl.trim(), { ecl: 'M' }),
  };
}

// Titles, the check line, bank names and site names repeat on every sticker of a batch: fitting them
// once per box saves measuring the same words thousands of times. Bounded, so unique names do not grow it.
const FIT_CACHE_LIMIT = 4000;

/** Draws stickers of one design into one document, caching layouts and text fits across stickers. */
export class StickerPainter {
  private readonly layouts = new Map<string, StickerLayout>();
  private readonly fits = new Map<string, FitTextResult>();

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly design: StickerDesign,
  ) {}

  /** Draws `data` with its trim's top-left corner at `cell`; returns the slots that needed a fallback. */
  draw(data: StickerData, cell: Box): Array<{ slot: TextSlotName; fallback: Exclude<FitFallback, 'none'> }> {
    assertPrintable(data);
    const symbols = stickerSymbols(data);
    const layout = this.layoutFor(symbols);
    const texts = stickerTexts(data);
    const fallbacks: Array<{ slot: TextSlotName; fallback: Exclude<FitFallback, 'none'> }> = [];
    const doc = this.doc;
    doc.save();
    doc.translate(cell.x, cell.y);
    drawTitleBand(doc, layout.titleBand);
    drawQr(doc, layout.paymentQr, symbols.payment);
    drawQr(doc, layout.verificationQr, symbols.verification);
    for (const name of TEXT_SLOT_NAMES) {
      const slot = layout.text[name];
      const fit = this.fit(slot, texts[name]);
      if (fit.fallback !== 'none') fallbacks.push({ slot: name, fallback: fit.fallback });
      drawText(doc, slot, fit, name === 'title' ? PAPER : INK);
    }
    doc.restore();
    return fallbacks;
  }

  private layoutFor(symbols: StickerSymbols): StickerLayout {
    const key = `${symbols.payment.size}/${symbols.verification.size}`;
    let layout = this.layouts.get(key);
    if (!layout) {
      layout = stickerLayout(this.design, {
        paymentModules: symbols.payment.size,
        verificationModules: symbols.verification.size,
      });
      this.layouts.set(key, layout);
    }
    return layout;
  }

  private fit(slot: TextSlot, text: string): FitTextResult {
    const { box, weight, maxSize, minSize, maxLines } = slot;
    const key = `${weight}|${box.width}|${box.height}|${maxSize}|${minSize}|${maxLines}|${text}`;
    const cached = this.fits.get(key);
    if (cached) return cached;
    const font = FONT_NAMES[weight];
    const fit = fitText({
      text,
      width: box.width,
      height: box.height,
      maxSize,
      minSize,
      maxLines,
      measure: (part, size) => this.doc.font(font).fontSize(size).widthOfString(part),
    });
    if (this.fits.size >= FIT_CACHE_LIMIT) this.fits.clear();
    this.fits.set(key, fit);
    return fit;
  }
}

function drawTitleBand(doc: PDFKit.PDFDocument, band: Box): void {
  doc.roundedRect(band.x, band.y, band.width, band.height, BAND_RADIUS).fill(BAND);
}

/**
 * White square for the quiet zone (the sticker may be stuck on a coloured counter or printed on tinted
 * stock), then the dark modules as one path written from the matrix's runs (see pdf-qr.ts).
 */
function drawQr(doc: PDFKit.PDFDocument, slot: QrSlot, matrix: QrMatrix): void {
  if (matrix.size !== slot.modules) throw new RangeError('Mã QR không khớp với bố cục tem.');
  doc.rect(slot.box.x, slot.box.y, slot.box.width, slot.box.height).fill(PAPER);
  fillQrModules(doc, matrix, { x: slot.symbol.x, y: slot.symbol.y, moduleSize: slot.moduleSize }, INK);
}

/** Baselines centre the block's full height (diacritics above, descenders below) in the box. */
function drawText(doc: PDFKit.PDFDocument, slot: TextSlot, fit: FitTextResult, color: string): void {
  if (fit.lines.length === 0) return;
  const { box } = slot;
  const extent = (fit.lines.length - 1) * fit.lineHeight + (FONT_ASCENT + FONT_DESCENT) * fit.size;
  const firstBaseline = box.y + (box.height - extent) / 2 + FONT_ASCENT * fit.size;
  doc.font(FONT_NAMES[slot.weight]).fontSize(fit.size).fillColor(color);
  fit.lines.forEach((line, i) => {
    const x =
      slot.align === 'left'
        ? box.x
        : slot.align === 'right'
          ? box.x + box.width - line.width
          : box.x + (box.width - line.width) / 2;
    doc.text(line.text, x, firstBaseline + i * fit.lineHeight, { lineBreak: false, baseline: 'alphabetic' });
  });
}

/** Thin grey marks on the cut lines of a sheet. */
export function drawCutMarks(doc: PDFKit.PDFDocument, marks: readonly Segment[]): void {
  if (marks.length === 0) return;
  doc.save();
  doc.lineWidth(CUT_MARK_WIDTH).strokeColor(CUT_MARK);
  for (const mark of marks) doc.moveTo(mark.x1, mark.y1).lineTo(mark.x2, mark.y2);
  doc.stroke();
  doc.restore();
}
