import PDFDocument from 'pdfkit';
import { describe, expect, it } from 'vitest';
import {
  FONT_ASCENT,
  FONT_DESCENT,
  FONT_NAMES,
  forgetShapedWords,
  registerPdfFonts,
  shapedWordCount,
  pdfFontBytes,
} from '../../src/pdf-text/fonts.js';

function documentWithFonts(): PDFKit.PDFDocument {
  const doc = new PDFDocument({ size: [200, 200], margin: 0 });
  registerPdfFonts(doc);
  return doc;
}

describe('sticker fonts', () => {
  it('reads the font files once per process', () => {
    expect(pdfFontBytes()).toBe(pdfFontBytes());
    expect(pdfFontBytes().bold.subarray(0, 4)).toEqual(Buffer.from([0, 1, 0, 0]));
  });

  it('have every Vietnamese letter the stickers print, and the vertical metrics the layout assumes', () => {
    const doc = documentWithFonts();
    for (const weight of ['regular', 'bold'] as const) {
      doc.font(FONT_NAMES[weight]);
      const font = (
        doc as unknown as {
          _font: { ascender: number; descender: number; font: { glyphForCodePoint(cp: number): { id: number } } };
        }
      )._font;
      expect(font.ascender / 1000).toBe(FONT_ASCENT);
      expect(-font.descender / 1000).toBe(FONT_DESCENT);
      for (const letter of 'ĂÂĐÊÔƠƯăâđêôơưẠẢẤẦẨẪẬẮẰẲẴẶẸẺẼẾỀỂỄỆỈỊỌỎỐỒỔỖỘỚỜỞỠỢỤỦỨỪỬỮỰỲỴỶỸ' +
        'ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ·–') {
        expect(font.font.glyphForCodePoint(letter.codePointAt(0) as number).id, letter).not.toBe(0);
      }
    }
  });

  it('when words have been drawn, then pdfkit’s cache of shaped words can be emptied (keeps batch memory flat)', () => {
    const doc = documentWithFonts();
    doc.font(FONT_NAMES.bold).text('Số tem: 52-23575-000123', 10, 10, { lineBreak: false });
    doc.font(FONT_NAMES.regular).text('Mã xác minh: 7KQ2M9', 10, 30, { lineBreak: false });
    // If a pdfkit upgrade moves this private cache, this fails and forgetShapedWords needs a new look.
    expect(shapedWordCount(doc)).toBeGreaterThanOrEqual(6);
    forgetShapedWords(doc);
    expect(shapedWordCount(doc)).toBe(0);
  });
});
