import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createPdfDocument, FONT_NAMES, parsedFontOf, pdfFontsShared } from '../../src/pdf-text/fonts.js';
import { renderStickers } from '../../src/sticker-pdf/index.js';
import { pdfText } from '../helpers/pdf-tools.js';
import { hoaLuBatch, hoaLuSticker } from '../sticker-pdf/helpers/sticker-fixtures.js';

/** A document's bytes, collected as pdfkit emits them. */
function collect(doc: PDFKit.PDFDocument): Promise<Buffer> {
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
}

function memorySink(): Writable & { bytes(): Buffer } {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      chunks.push(chunk);
      // A slow consumer: every write answers on a later turn, so two renders take turns page by page.
      setImmediate(callback);
    },
  });
  return Object.assign(sink, { bytes: () => Buffer.concat(chunks) });
}

describe('fonts parsed once per process', () => {
  it('when two documents are made, then both draw with the same parsed font (no second parse)', () => {
    expect(pdfFontsShared()).toBe(true);
    const first = createPdfDocument({ autoFirstPage: false });
    const second = createPdfDocument({ autoFirstPage: false });
    for (const weight of ['regular', 'bold'] as const) {
      expect(parsedFontOf(first, weight)).toBeDefined();
      expect(parsedFontOf(second, weight)).toBe(parsedFontOf(first, weight));
    }
    expect(parsedFontOf(first, 'regular')).not.toBe(parsedFontOf(first, 'bold'));
  });

  it('when two documents are drawn interleaved with different letters, then each one’s text is exact', async () => {
    const first = createPdfDocument({ size: [400, 200], margin: 0 });
    const second = createPdfDocument({ size: [400, 200], margin: 0 });
    const firstBytes = collect(first);
    const secondBytes = collect(second);
    // Each document uses letters the other never draws: a glyph subset or a ToUnicode map shared between
    // them would give one document the other's glyph ids, and its text would come out wrong.
    first.font(FONT_NAMES.bold).text('Chợ Hoa Lư – Ắ Ằ Ẳ', 10, 10, { lineBreak: false });
    second.font(FONT_NAMES.regular).text('Phường Pleiku · Ỹ ỹ Đ 0123', 10, 10, { lineBreak: false });
    first.font(FONT_NAMES.regular).text('Sạp 12 – Bún bò Huế', 10, 40, { lineBreak: false });
    second.font(FONT_NAMES.bold).text('Kiểm tra đúng tên người nhận', 10, 40, { lineBreak: false });
    second.end();
    first.end();
    const [a, b] = [pdfText(await firstBytes), pdfText(await secondBytes)];
    expect(a).toContain('Chợ Hoa Lư – Ắ Ằ Ẳ');
    expect(a).toContain('Sạp 12 – Bún bò Huế');
    expect(a).not.toContain('Pleiku');
    expect(b).toContain('Phường Pleiku · Ỹ ỹ Đ 0123');
    expect(b).toContain('Kiểm tra đúng tên người nhận');
    expect(b).not.toContain('Hoa Lư');
  });

  it('when two sticker batches render at once, then each PDF holds exactly its own stickers’ text', async () => {
    const left = hoaLuBatch(3);
    const right = [hoaLuSticker(7, { businessName: 'Phở Đặc biệt Ỹ', siteName: 'Chợ Đêm Pleiku' })];
    const [leftSink, rightSink] = [memorySink(), memorySink()];
    await Promise.all([renderStickers(left, 'a6', leftSink), renderStickers(right, 'a6', rightSink)]);
    const [leftText, rightText] = [pdfText(leftSink.bytes()), pdfText(rightSink.bytes())];
    for (const sticker of left) {
      expect(leftText).toContain(sticker.businessName);
      expect(leftText).toContain(`Số tem: ${sticker.serial}`);
    }
    expect(leftText).not.toContain('Phở Đặc biệt Ỹ');
    expect(rightText).toContain('Phở Đặc biệt Ỹ');
    expect(rightText).toContain('Chợ Đêm Pleiku');
    expect(rightText).toContain(`Số tem: ${right[0]!.serial}`);
  });
});
