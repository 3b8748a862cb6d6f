import PDFDocument from 'pdfkit';
import { FONT_NAMES, registerStickerFonts } from '../../src/stickers/sticker-fonts.js';
import type { MeasureText } from '../../src/stickers/index.js';
import type { FontWeight } from '../../src/stickers/sticker-layout.js';

/** Widths from Be Vietnam Pro itself, measured by pdfkit exactly as the renderer measures them. */
let doc: PDFKit.PDFDocument | undefined;

export function realMeasure(weight: FontWeight): MeasureText {
  doc ??= (() => {
    const created = new PDFDocument({ autoFirstPage: false });
    registerStickerFonts(created);
    return created;
  })();
  const measuring = doc;
  return (text, size) => measuring.font(FONT_NAMES[weight]).fontSize(size).widthOfString(text);
}
