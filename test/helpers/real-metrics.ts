import PDFDocument from 'pdfkit';
import { FONT_NAMES, registerPdfFonts } from '../../src/pdf-text/fonts.js';
import type { MeasureText } from '../../src/sticker-pdf/index.js';
import type { FontWeight } from '../../src/sticker-pdf/sticker-layout.js';

/** Widths from Be Vietnam Pro itself, measured by pdfkit exactly as the renderer measures them. */
let doc: PDFKit.PDFDocument | undefined;

export function realMeasure(weight: FontWeight): MeasureText {
  doc ??= (() => {
    const created = new PDFDocument({ autoFirstPage: false });
    registerPdfFonts(created);
    return created;
  })();
  const measuring = doc;
  return (text, size) => measuring.font(FONT_NAMES[weight]).fontSize(size).widthOfString(text);
}
